//! Speakers of a session (issue 17, point 3): a registration of the meeting where they can
//! be, or an outside guest typed by the organizer ("Name (Team)", with an optional address
//! for a plain email, never a calendar object); who of a session's calendar stream gets
//! what when a release changes it; and which registrations no longer speak (withdrawn,
//! revoked), which the organizer is warned about.

use super::{agenda::parse_speakers, email::Email, registration::Status};

/// An outside guest as the organizer typed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guest {
    pub name: String,
    pub team: String,
    /// Where the plain notice goes; none, no mail.
    pub email: Option<Email>,
}

impl Guest {
    /// The line the editor shows again: "Name (Team) <address>".
    pub fn line(&self) -> String {
        let mut line =
            if self.team.is_empty() { self.name.clone() } else { format!("{} ({})", self.name, self.team) };
        if let Some(e) = &self.email {
            line.push_str(&format!(" <{e}>"));
        }
        line
    }
}

/// Guests one per line: "Name (Team)", "Name", either followed by "<address>". Blank lines
/// are skipped; the message names the line that is wrong.
pub fn parse_guests(text: &str) -> Result<Vec<Guest>, String> {
    let mut guests = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (who, email) = match line.strip_suffix('>').and_then(|l| l.rsplit_once('<')) {
            Some((who, address)) => {
                let email = Email::parse(address.trim())
                    .map_err(|_| format!("“{}” in “{line}” is not an email address.", address.trim()))?;
                (who.trim(), Some(email))
            }
            None if line.contains(['<', '>']) => {
                return Err(format!(
                    "Write a guest's address at the end, as “Name (Team) <address>”; “{line}” is not."
                ));
            }
            None => (line, None),
        };
        let mut parsed = parse_speakers(who)?;
        let Some((name, team)) = parsed.pop().filter(|_| parsed.is_empty()) else {
            return Err(format!(
                "Write each guest as “Name (Team) <address>” on its own line; “{line}” is not."
            ));
        };
        guests.push(Guest { name, team, email });
    }
    Ok(guests)
}

/// A registration that no longer speaks: the organizer is warned on the dashboard and in
/// the editor until they change the session.
pub fn gone(status: Status) -> bool {
    matches!(status, Status::Withdrawn | Status::Revoked)
}

/// The outside guests a release takes off a session: among the addresses `told` they speak
/// in it (lower case), those no longer `listed` with an address, compared without case.
/// They get a plain email saying so, as a registered speaker gets a CANCEL.
pub fn guests_removed(told: &[String], listed: &[String]) -> Vec<String> {
    told.iter().filter(|t| !listed.iter().any(|l| l.eq_ignore_ascii_case(t))).cloned().collect()
}

/// What a release sends about one session that is still on the agenda, to the people of
/// its calendar stream (per registration and UID, docs/CALENDAR.md S7).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Audience {
    /// They hold it and still pick it or speak: an update.
    pub update: Vec<i64>,
    /// They hold it but neither pick it nor speak any more (a removed speaker): a CANCEL to
    /// them alone (I7).
    pub uninvite: Vec<i64>,
    /// They pick it or speak, want invites by email and do not hold it yet: a first REQUEST.
    pub invite: Vec<i64>,
}

/// Splits the session's people: `holders` (their calendar holds it), `pickers`,
/// `speakers` (registrations), `approved` (who may receive anything) and `by_email`
/// (whose choice is invites by email, not "feed only"). Each person appears once.
pub fn audience(
    holders: &[i64],
    pickers: &[i64],
    speakers: &[i64],
    approved: &[i64],
    by_email: impl Fn(i64) -> bool,
) -> Audience {
    let mut out = Audience::default();
    let wanted = |id: &i64| pickers.contains(id) || speakers.contains(id);
    for h in holders.iter().filter(|h| approved.contains(*h)) {
        if wanted(h) { out.update.push(*h) } else { out.uninvite.push(*h) }
    }
    for id in pickers.iter().chain(speakers) {
        if approved.contains(id) && !holders.contains(id) && !out.invite.contains(id) && by_email(*id) {
            out.invite.push(*id);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guest_told_and_no_longer_listed_is_removed_whatever_the_case() {
        let told = vec!["gil@partner.example".to_owned(), "hana@partner.example".to_owned()];
        let listed = vec!["Gil@Partner.example".to_owned(), "ivo@partner.example".to_owned()];
        assert_eq!(guests_removed(&told, &listed), ["hana@partner.example"]);
        assert!(guests_removed(&[], &listed).is_empty(), "nobody told, nobody removed");
        assert_eq!(guests_removed(&told, &[]), told, "all removed");
    }

    #[test]
    fn guests_are_read_with_an_optional_team_and_address() {
        let list = parse_guests("Ana Silva (CERT.br) <ana@cert.example>\n\nBo Lind\nKim (KrCERT/CC)")
            .expect("valid");
        assert_eq!(list.len(), 3);
        assert_eq!((list[0].name.as_str(), list[0].team.as_str()), ("Ana Silva", "CERT.br"));
        assert_eq!(list[0].email.as_ref().map(ToString::to_string).as_deref(), Some("ana@cert.example"));
        assert_eq!(list[0].line(), "Ana Silva (CERT.br) <ana@cert.example>");
        assert_eq!(
            (list[1].name.as_str(), list[1].team.as_str(), list[1].email.is_none()),
            ("Bo Lind", "", true)
        );
        assert_eq!(list[2].line(), "Kim (KrCERT/CC)");
    }

    #[test]
    fn a_bad_address_or_a_stray_bracket_names_the_line() {
        let e = parse_guests("Ana (CERT.br) <not an address>").expect_err("refused");
        assert!(e.contains("is not an email address"), "{e}");
        let e = parse_guests("Ana <ana@x.example> (CERT.br)").expect_err("refused");
        assert!(e.contains("at the end"), "{e}");
        assert!(parse_guests("(CERT.br) <a@b.example>").is_err());
    }

    #[test]
    fn withdrawn_and_revoked_speakers_are_gone_others_are_not() {
        assert!(gone(Status::Withdrawn) && gone(Status::Revoked));
        assert!(!gone(Status::Approved) && !gone(Status::Pending) && !gone(Status::Waitlisted));
    }

    #[test]
    fn a_release_updates_holders_uninvites_removed_speakers_and_invites_newcomers_once() {
        // 1 picks and speaks (holds), 2 was a speaker (holds), 3 speaks (new), 4 picks but
        // wants the feed only, 5 speaks but withdrew.
        let a = audience(&[1, 2], &[1, 4], &[1, 3, 5], &[1, 2, 3, 4], |id| id != 4);
        assert_eq!(a, Audience { update: vec![1], uninvite: vec![2], invite: vec![3] });
    }

    #[test]
    fn someone_who_no_longer_may_attend_receives_nothing() {
        let a = audience(&[7], &[7], &[7], &[], |_| true);
        assert_eq!(a, Audience::default());
    }
}
