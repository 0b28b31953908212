//! The roles of the matrix and what each audience answers them: the derivation that turns
//! a route's audience into the expected status for every role.

/// Who is asking. Later issues add their roles here (and a player in `fixtures`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Anonymous,
    /// Signed in (a session row made directly), but the address was never proven.
    UnprovenAddress,
    Pending,
    Waitlisted,
    Rejected,
    Withdrawn,
    Revoked,
    /// Approved for the other meeting, not for the one in the paths.
    AttendeeOfAnotherMeeting,
    /// A member without a registration who enrolled a second factor and used it.
    MemberWithSecondFactor,
    /// An organizer who passed the password step but not the code.
    OrganizerBetweenSteps,
    /// Approved for the meeting in the paths; every `{id}` of a registration is theirs.
    ApprovedAttendee,
    /// A reviewer with a second factor, both steps done: the registration review and every
    /// agenda, nothing else of the console.
    Reviewer,
    Organizer,
}

/// In the order the matrix runs them: the approved attendee last, as their admitted
/// requests (a pick, the withdrawal) change what the others would see.
pub const ROLES: [Role; 13] = [
    Role::Anonymous,
    Role::UnprovenAddress,
    Role::Pending,
    Role::Waitlisted,
    Role::Rejected,
    Role::Withdrawn,
    Role::Revoked,
    Role::AttendeeOfAnotherMeeting,
    Role::MemberWithSecondFactor,
    Role::OrganizerBetweenSteps,
    Role::Reviewer,
    Role::Organizer,
    Role::ApprovedAttendee,
];

/// Who a route lets through: its scope guard and the check its handler adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Anyone,
    /// Past the password step; the second may be pending (`/me/second-factor`).
    PasswordStep,
    SignedIn,
    /// Approved attendees of the meeting in the path, reviewers and organizers.
    Readers,
    /// Only the approved attendee whose registration the path names.
    Owner,
    /// Reviewers and organizers: the registration review.
    Reviewers,
    Organizers,
}

/// What a request gets back: a status, or a 303 to a path (its query ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Status(u16),
    SeeOther(&'static str),
}

pub const OK: Answer = Answer::Status(200);
/// A form that cannot be read (fields missing).
pub const BAD_FORM: Answer = Answer::Status(400);
/// A form read and refused, with messages.
pub const INVALID: Answer = Answer::Status(422);
pub const FORBIDDEN: Answer = Answer::Status(403);
pub const NOT_FOUND: Answer = Answer::Status(404);
pub const SIGN_IN: Answer = Answer::SeeOther("/login");
pub const SECOND_STEP: Answer = Answer::SeeOther("/login/second-factor");

impl Answer {
    /// A refusal, or a form refused as unreadable or invalid: nothing may change.
    pub fn changes_nothing(self) -> bool {
        matches!(self, Answer::Status(s) if s >= 400) || self == SIGN_IN || self == SECOND_STEP
    }
}

/// The answer `role` gets from a route of `audience`, when the route admits them with
/// `admitted`.
pub fn derive(audience: Audience, role: Role, admitted: Answer) -> Answer {
    use Role::*;
    let anonymous = matches!(role, Anonymous | UnprovenAddress);
    match audience {
        Audience::Anyone => admitted,
        _ if anonymous => SIGN_IN,
        Audience::PasswordStep => admitted,
        _ if role == OrganizerBetweenSteps => SECOND_STEP,
        Audience::SignedIn => admitted,
        Audience::Readers if matches!(role, ApprovedAttendee | Reviewer | Organizer) => admitted,
        Audience::Readers => FORBIDDEN,
        Audience::Owner if role == ApprovedAttendee => admitted,
        Audience::Owner => NOT_FOUND,
        Audience::Reviewers if matches!(role, Reviewer | Organizer) => admitted,
        Audience::Reviewers => FORBIDDEN,
        Audience::Organizers if role == Organizer => admitted,
        Audience::Organizers => FORBIDDEN,
    }
}

#[test]
fn the_derivation_gives_these_answers() {
    use Role::*;
    // Spot checks written out, so that a slip in `derive` cannot hide behind itself.
    let cases = [
        (Audience::Organizers, Anonymous, SIGN_IN),
        (Audience::Organizers, UnprovenAddress, SIGN_IN),
        (Audience::Organizers, OrganizerBetweenSteps, SECOND_STEP),
        (Audience::Organizers, ApprovedAttendee, FORBIDDEN),
        (Audience::Organizers, Organizer, OK),
        (Audience::Organizers, Reviewer, FORBIDDEN),
        (Audience::Reviewers, Reviewer, OK),
        (Audience::Reviewers, Organizer, OK),
        (Audience::Reviewers, ApprovedAttendee, FORBIDDEN),
        (Audience::Reviewers, MemberWithSecondFactor, FORBIDDEN),
        (Audience::Reviewers, OrganizerBetweenSteps, SECOND_STEP),
        (Audience::Readers, Reviewer, OK),
        (Audience::Owner, Reviewer, NOT_FOUND),
        (Audience::Readers, AttendeeOfAnotherMeeting, FORBIDDEN),
        (Audience::Readers, Withdrawn, FORBIDDEN),
        (Audience::Readers, ApprovedAttendee, OK),
        (Audience::Readers, Organizer, OK),
        (Audience::Owner, Organizer, NOT_FOUND),
        (Audience::Owner, Pending, NOT_FOUND),
        (Audience::Owner, ApprovedAttendee, OK),
        (Audience::SignedIn, MemberWithSecondFactor, OK),
        (Audience::SignedIn, OrganizerBetweenSteps, SECOND_STEP),
        (Audience::PasswordStep, OrganizerBetweenSteps, OK),
        (Audience::PasswordStep, UnprovenAddress, SIGN_IN),
        (Audience::Anyone, UnprovenAddress, OK),
    ];
    for (audience, role, expected) in cases {
        assert_eq!(derive(audience, role, OK), expected, "{audience:?} × {role:?}");
    }
}
