//! Endorsement by a team's points of contact (issue 19, point 1): the contacts a team keeps
//! in the registry (`Name <address>` items, as the team CSV and the team form hold them),
//! the meeting's choice (off, recommended, required), where a registration stands, when a
//! contact's link answers, and when an approval needs the organizer's reason.

use chrono::{Days, NaiveDateTime};
use serde::Serialize;

use super::{
    email::{Email, EmailError},
    registration::Status,
    text,
    words::word_enum,
};

/// The most contacts a team keeps: each is mailed for every registration of the team.
pub const MAX_CONTACTS: usize = 10;
/// The longest name of a contact, in characters.
pub const MAX_NAME: usize = 200;
/// How long a contact's link works, at most: it also stops when the meeting starts.
pub const LINK_DAYS: u32 = 14;
/// The longest note a contact may add to an answer, in characters.
pub const MAX_NOTE: usize = 2000;

word_enum!(
    /// Whether a meeting asks the team's contacts before approval.
    Mode, "an endorsement mode" {
        /// Nobody is asked (every meeting made before this existed).
        Off => "off", "off: contacts are not asked";
        /// Contacts are asked; the review shows their answer.
        Recommended => "recommended", "recommended: contacts are asked, approval does not wait";
        /// Approving a registration its team did not endorse needs a reason.
        Required => "required", "required: approving without an endorsement needs a reason";
    }
);

word_enum!(
    /// A contact's answer.
    Answer, "an endorsement answer" {
        Endorsed => "endorsed", "endorsed";
        Declined => "declined", "declined";
    }
);

/// A team's point of contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub name: String,
    pub email: Email,
}

impl Contact {
    /// `Name <address>`, as the CSV cell and the form hold it.
    pub fn written(&self) -> String {
        format!("{} <{}>", self.name, self.email.as_str())
    }
}

/// Why a list of contacts was refused, one message per problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("“{0}” is not written as Name <address>, like Ana Novak <ana@cert.example>.")]
    Shape(String),
    #[error("“{0}”: the name is missing; write it before the address.")]
    NoName(String),
    #[error("“{0}”: the name may not hold ; < or >.")]
    NameCharacters(String),
    #[error("“{0}”: the name is longer than 200 characters.")]
    NameTooLong(String),
    #[error("“{0}”: {1}")]
    NameText(String, text::TextError),
    #[error("“{0}”: {1}")]
    Address(String, EmailError),
    #[error("{0} is listed twice; list each contact once.")]
    Duplicate(String),
    #[error("A team has at most 10 contacts; {0} are listed.")]
    TooMany(usize),
}

/// Reads contacts written `Name <address>`, separated by `;` or line breaks (empty items
/// skipped), in their order. Every problem is reported, or the contacts come back.
pub fn parse_contacts(raw: &str) -> Result<Vec<Contact>, Vec<ContactError>> {
    let mut contacts: Vec<Contact> = Vec::new();
    let mut errors = Vec::new();
    for item in raw.split([';', '\n', '\r']).map(str::trim).filter(|i| !i.is_empty()) {
        match parse_one(item) {
            Ok(c) if contacts.iter().any(|known| known.email == c.email) => {
                let duplicate = ContactError::Duplicate(c.email.as_str().to_owned());
                if !errors.contains(&duplicate) {
                    errors.push(duplicate);
                }
            }
            Ok(c) => contacts.push(c),
            Err(e) => errors.push(e),
        }
    }
    if contacts.len() > MAX_CONTACTS {
        errors.push(ContactError::TooMany(contacts.len()));
    }
    if errors.is_empty() { Ok(contacts) } else { Err(errors) }
}

fn parse_one(item: &str) -> Result<Contact, ContactError> {
    let shape = || ContactError::Shape(item.to_owned());
    let (name, rest) = item.split_once('<').ok_or_else(shape)?;
    let address = rest.strip_suffix('>').ok_or_else(shape)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(ContactError::NoName(item.to_owned()));
    }
    if name.contains(['<', '>', ';']) || address.contains(['<', '>']) {
        return Err(ContactError::NameCharacters(item.to_owned()));
    }
    let name = text::single_line(name).map_err(|e| ContactError::NameText(item.to_owned(), e))?;
    if name.chars().count() > MAX_NAME {
        return Err(ContactError::NameTooLong(item.to_owned()));
    }
    let email = Email::parse(address).map_err(|e| ContactError::Address(item.to_owned(), e))?;
    Ok(Contact { name, email })
}

/// The CSV cell of `contacts`: `Name <address>` items joined by `;`, in their order (what
/// [`parse_contacts`] reads back).
pub fn write_contacts<'a>(contacts: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    contacts.into_iter().map(|(name, email)| format!("{name} <{email}>")).collect::<Vec<_>>().join(";")
}

/// The contacts to ask about a registration by `registrant`: a contact endorses others,
/// never themselves (addresses are compared without regard to case).
pub fn to_ask<'a>(contacts: &'a [(String, String)], registrant: &str) -> Vec<&'a (String, String)> {
    contacts.iter().filter(|(_, email)| !email.eq_ignore_ascii_case(registrant.trim())).collect()
}

/// When a contact's link stops working: `days` after `now`, or when the meeting starts if
/// that comes first.
pub fn link_expiry(now: NaiveDateTime, days: u32, meeting_starts: NaiveDateTime) -> NaiveDateTime {
    (now + Days::new(u64::from(days))).min(meeting_starts)
}

/// Where a registration stands with its team's contacts, as the review shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Standing {
    /// No contact was asked (endorsement off, no contact, or only the registrant).
    NotAsked,
    /// Asked; nobody answered yet.
    Waiting,
    Endorsed {
        by: String,
        note: String,
    },
    Declined {
        by: String,
        note: String,
    },
}

impl Standing {
    /// Its word in the review and the API: not_asked, waiting, endorsed, declined.
    pub fn word(&self) -> &'static str {
        match self {
            Self::NotAsked => "not_asked",
            Self::Waiting => "waiting",
            Self::Endorsed { .. } => "endorsed",
            Self::Declined { .. } => "declined",
        }
    }

    /// One line for the review: "endorsed by Ana Novak", "declined by Ana Novak: note".
    pub fn summary(&self) -> String {
        match self {
            Self::NotAsked => "not asked".to_owned(),
            Self::Waiting => "waiting for the team's contacts".to_owned(),
            Self::Endorsed { by, note } | Self::Declined { by, note } => {
                let word = if matches!(self, Self::Endorsed { .. }) { "endorsed" } else { "declined" };
                if note.is_empty() { format!("{word} by {by}") } else { format!("{word} by {by}: {note}") }
            }
        }
    }
}

/// Whether approving a registration that stands so, in a meeting of `mode`, needs the
/// organizer's reason (kept in the audit row with the decision).
pub fn approval_needs_reason(mode: Mode, standing: &Standing) -> bool {
    mode == Mode::Required && !matches!(standing, Standing::Endorsed { .. })
}

/// Why a contact's link answers nothing (a 410 page says it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Closed {
    #[error("This link was used already: each endorsement link works once. Nothing more is needed.")]
    Used,
    #[error("This link has expired. If the registration still needs your answer, write to the organizers.")]
    Expired,
    #[error("{0} answered for your team already, so this link is closed. Nothing more is needed.")]
    AnsweredBy(String),
    #[error("The registration was decided already ({0}), so it needs no answer any more.")]
    Decided(&'static str),
    #[error("The registration was withdrawn, so it needs no answer.")]
    Withdrawn,
    #[error(
        "This is your own registration: a contact endorses the team's other staff, never themselves. Another contact of your team, or the organizers, will look at it."
    )]
    Own,
}

/// Whether a link may still be answered: the registration waits for the organizers
/// (pending or waitlisted), nobody answered, the link is unused, not past its expiry and
/// not the registrant's own.
pub fn may_answer(
    status: Status,
    (used, expired): (bool, bool),
    answered_by: Option<&str>,
    own: bool,
) -> Result<(), Closed> {
    match status {
        Status::Withdrawn => return Err(Closed::Withdrawn),
        Status::Pending | Status::Waitlisted => {}
        other => return Err(Closed::Decided(other.label())),
    }
    if own {
        return Err(Closed::Own);
    }
    if used {
        return Err(Closed::Used);
    }
    if let Some(by) = answered_by {
        return Err(Closed::AnsweredBy(by.to_owned()));
    }
    if expired {
        return Err(Closed::Expired);
    }
    Ok(())
}

/// Whether the one reminder is due: `days` after the request was made.
pub fn reminder_due(asked_at: NaiveDateTime, days: u32, now: NaiveDateTime) -> bool {
    asked_at + Days::new(u64::from(days)) <= now
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 5, day).and_then(|d| d.and_hms_opt(9, 0, 0)).expect("valid")
    }

    #[test]
    fn contacts_read_in_their_order_and_write_back_the_same() {
        let cell =
            "Ana Novak <Ana@CERT.example>; Ben O'Hara, Jr. <ben@cert.example>\nCé Lin <ce@cert.example>";
        let contacts = parse_contacts(cell).expect("accepted");
        let names: Vec<&str> = contacts.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Ana Novak", "Ben O'Hara, Jr.", "Cé Lin"]);
        assert_eq!(contacts[0].email.as_str(), "ana@cert.example");
        let written = write_contacts(contacts.iter().map(|c| (c.name.as_str(), c.email.as_str())));
        assert_eq!(
            written,
            "Ana Novak <ana@cert.example>;Ben O'Hara, Jr. <ben@cert.example>;Cé Lin <ce@cert.example>"
        );
        assert_eq!(parse_contacts(&written).expect("again"), contacts);
        assert_eq!(parse_contacts(" ; ").expect("empty"), []);
    }

    #[test]
    fn every_bad_contact_gets_its_own_message() {
        let errors = parse_contacts(
            "ana@cert.example; <ben@cert.example>; Ce <ce@>; Da <da@cert.example>; Da Again <DA@cert.example>",
        )
        .expect_err("refused");
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert!(messages[0].contains("Name <address>"), "{}", messages[0]);
        assert!(messages[1].contains("the name is missing"), "{}", messages[1]);
        assert!(messages[2].starts_with("“Ce <ce@>”:"), "{}", messages[2]);
        assert_eq!(messages[3], "da@cert.example is listed twice; list each contact once.");
    }

    #[test]
    fn more_than_ten_contacts_are_refused() {
        let many: Vec<String> = (0..11).map(|i| format!("P{i} <p{i}@cert.example>")).collect();
        let errors = parse_contacts(&many.join(";")).expect_err("too many");
        assert_eq!(errors, [ContactError::TooMany(11)]);
        assert!(parse_contacts(&many[..10].join(";")).is_ok());
    }

    #[test]
    fn a_contact_is_never_asked_about_their_own_registration() {
        let contacts = vec![
            ("Ana".to_owned(), "ana@cert.example".to_owned()),
            ("Ben".to_owned(), "ben@cert.example".to_owned()),
        ];
        let asked: Vec<&str> =
            to_ask(&contacts, "ANA@cert.example").iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(asked, ["Ben"]);
    }

    #[test]
    fn only_a_required_mode_asks_a_reason_and_only_without_an_endorsement() {
        let endorsed = Standing::Endorsed { by: "Ana".into(), note: String::new() };
        let declined = Standing::Declined { by: "Ana".into(), note: "not ours".into() };
        for standing in [Standing::NotAsked, Standing::Waiting, declined.clone()] {
            assert!(approval_needs_reason(Mode::Required, &standing), "{standing:?}");
            assert!(!approval_needs_reason(Mode::Recommended, &standing));
            assert!(!approval_needs_reason(Mode::Off, &standing));
        }
        assert!(!approval_needs_reason(Mode::Required, &endorsed));
        assert_eq!(declined.summary(), "declined by Ana: not ours");
        assert_eq!(endorsed.summary(), "endorsed by Ana");
    }

    #[test]
    fn a_link_answers_once_while_the_registration_waits() {
        assert_eq!(may_answer(Status::Pending, (false, false), None, false), Ok(()));
        assert_eq!(may_answer(Status::Waitlisted, (false, false), None, false), Ok(()));
        assert_eq!(may_answer(Status::Pending, (true, false), None, false), Err(Closed::Used));
        assert_eq!(may_answer(Status::Pending, (false, true), None, false), Err(Closed::Expired));
        assert_eq!(
            may_answer(Status::Pending, (false, false), Some("Ben"), false),
            Err(Closed::AnsweredBy("Ben".into()))
        );
        assert_eq!(may_answer(Status::Pending, (false, false), None, true), Err(Closed::Own));
        assert_eq!(may_answer(Status::Withdrawn, (false, false), None, false), Err(Closed::Withdrawn));
        assert!(matches!(may_answer(Status::Approved, (false, false), None, false), Err(Closed::Decided(_))));
    }

    #[test]
    fn a_link_expires_after_its_days_or_when_the_meeting_starts() {
        assert_eq!(link_expiry(at(1), 14, at(30)), at(15));
        assert_eq!(link_expiry(at(1), 14, at(10)), at(10));
        assert!(!reminder_due(at(1), 3, at(3)));
        assert!(reminder_due(at(1), 3, at(4)));
    }
}
