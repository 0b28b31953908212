//! Subject lines of invite emails: the prefix says what the message does (I5, I6) and the
//! TLP label of a labelled session leads the text it labels (T1).

use super::event::CalendarEvent;
use super::invite::InviteKind;
use crate::domain::tlp::Tlp;

/// The subject for the invite built from `event`, whose summary T1 has already reduced
/// (taking the event rather than a title keeps a RED title out of subjects); `label` is
/// the session's label, `None` for the meeting and the conference.
///
/// For TLP:RED the summary already starts with the label, which is not repeated. Control
/// characters and line breaks are folded into spaces: a subject is one header line.
pub fn subject(kind: InviteKind, event: &CalendarEvent, label: Option<Tlp>) -> String {
    let prefix = match kind {
        InviteKind::Invitation => "Invitation",
        InviteKind::Update => "Updated invitation",
        InviteKind::Cancel => "Cancelled",
        InviteKind::Uninvite => "Removed from your calendar",
    };
    let summary =
        event.summary.split(char::is_control).flat_map(str::split_whitespace).collect::<Vec<_>>().join(" ");
    match label {
        Some(label) if !summary.starts_with(label.as_str()) => format!("{prefix}: [{label}] {summary}"),
        _ => format!("{prefix}: {summary}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::examples::meeting;

    fn subject(kind: InviteKind, summary: &str, label: Option<Tlp>) -> String {
        super::subject(kind, &CalendarEvent { summary: summary.to_owned(), ..meeting() }, label)
    }

    #[test]
    fn each_kind_of_message_has_its_prefix() {
        assert_eq!(subject(InviteKind::Invitation, "ATM 2026", None), "Invitation: ATM 2026");
        assert_eq!(subject(InviteKind::Update, "ATM 2026", None), "Updated invitation: ATM 2026");
        assert_eq!(subject(InviteKind::Cancel, "ATM 2026", None), "Cancelled: ATM 2026");
        assert_eq!(subject(InviteKind::Uninvite, "ATM 2026", None), "Removed from your calendar: ATM 2026");
    }

    #[test]
    fn a_labelled_session_carries_its_label_in_the_subject() {
        assert_eq!(
            subject(InviteKind::Update, "Phishing kits", Some(Tlp::AmberStrict)),
            "Updated invitation: [TLP:AMBER+STRICT] Phishing kits"
        );
        assert_eq!(
            subject(InviteKind::Invitation, "Intro", Some(Tlp::Clear)),
            "Invitation: [TLP:CLEAR] Intro"
        );
    }

    #[test]
    fn a_red_session_is_labelled_once() {
        assert_eq!(
            subject(InviteKind::Cancel, crate::domain::tlp::RED_PLACEHOLDER, Some(Tlp::Red)),
            "Cancelled: TLP:RED session — details in the agenda"
        );
    }

    #[test]
    fn line_breaks_cannot_start_a_new_header() {
        assert_eq!(subject(InviteKind::Invitation, "A\r\nBcc: x@y\tz", None), "Invitation: A Bcc: x@y z");
    }
}
