//! What every route of the table answers each role: its audience, what it answers those
//! it admits (GET: the page; POST: a form with the valid CSRF token and nothing else), and
//! where a role admitted answers otherwise. A route of `routes::TABLE` missing here fails
//! the matrix by name, and so does an entry here for a route the table no longer has.

use csirt_meet::routes::table::Verb::{self, Get, Post};

use super::roles::{
    Answer::{self, SeeOther, Status},
    Audience::{self, *},
    BAD_FORM, FORBIDDEN, INVALID, NOT_FOUND, OK,
    Role::{self, *},
    SECOND_STEP, SIGN_IN,
};

pub struct Expect {
    pub verb: Verb,
    pub path: &'static str,
    pub audience: Audience,
    pub admitted: Answer,
    pub except: &'static [(Role, Answer)],
}

const fn on(verb: Verb, path: &'static str, audience: Audience, admitted: Answer) -> Expect {
    Expect { verb, path, audience, admitted, except: &[] }
}

impl Expect {
    const fn but(self, except: &'static [(Role, Answer)]) -> Expect {
        Expect { except, ..self }
    }
}

/// Organizers and reviewers read the meeting's pages but propose nothing.
const NOT_PROPOSERS: &[(Role, Answer)] = &[(Organizer, FORBIDDEN), (Reviewer, FORBIDDEN)];

/// Feedback sent by someone registered but not approved: refused with a message (422),
/// nothing written; organizers and reviewers (admitted readers) get the same.
const NOT_APPROVED: &[(Role, Answer)] = &[
    (Pending, INVALID),
    (Waitlisted, INVALID),
    (Rejected, INVALID),
    (Withdrawn, INVALID),
    (Revoked, INVALID),
];

/// Pages of someone approved for a meeting, any meeting.
const APPROVED_SOMEWHERE_OK: &[(Role, Answer)] = &[(ApprovedAttendee, OK), (AttendeeOfAnotherMeeting, OK)];

pub const EXPECTATIONS: &[Expect] = &[
    on(Get, "/", Anyone, OK),
    on(Get, "/healthz", Anyone, OK),
    on(Get, "/favicon.ico", Anyone, OK),
    // No contact configured (the default): no file.
    on(Get, "/.well-known/security.txt", Anyone, NOT_FOUND),
    // No organizer OpenPGP key configured (the default): no public key to give.
    on(Get, "/openpgp-key.asc", Anyone, NOT_FOUND),
    on(Get, "/feeds/{token}.ics", Anyone, OK),
    // The organizer's own feed and the attendee's schedule files: the token is the credential.
    on(Get, "/feeds/organizer/{token}.ics", Anyone, OK),
    on(Get, "/schedules/{token}/{file}", Anyone, OK),
    on(Get, "/login", Anyone, OK),
    on(Post, "/login", Anyone, BAD_FORM),
    on(Post, "/logout", Anyone, SIGN_IN),
    // The code step is for those past the password step and not yet past the code.
    on(Get, "/login/second-factor", PasswordStep, SeeOther("/me")).but(&[(OrganizerBetweenSteps, OK)]),
    on(Post, "/login/second-factor", PasswordStep, BAD_FORM),
    on(Get, "/setup/{token}", Anyone, OK),
    on(Post, "/setup/{token}", Anyone, BAD_FORM),
    on(Get, "/invitations/{token}", Anyone, OK),
    on(Post, "/invitations/{token}", Anyone, NOT_FOUND),
    on(Get, "/register", Anyone, OK),
    on(Post, "/register", Anyone, INVALID),
    on(Get, "/verify/{token}", Anyone, OK),
    on(Post, "/verify/{token}", Anyone, Status(410)),
    on(Get, "/password/forgot", Anyone, OK),
    on(Post, "/password/forgot", Anyone, BAD_FORM),
    on(Get, "/password/reset/{token}", Anyone, OK),
    on(Post, "/password/reset/{token}", Anyone, BAD_FORM),
    // A co-speaker's link: GET shows the button; the POST (with an unknown token) is 410.
    on(Get, "/speakers/{token}", Anyone, OK),
    on(Post, "/speakers/{token}", Anyone, Status(410)),
    on(Get, "/endorsements/{token}", Anyone, OK),
    on(Post, "/endorsements/{token}", Anyone, Status(410)),
    on(Get, "/me/second-factor", PasswordStep, OK).but(&[
        (MemberWithSecondFactor, SeeOther("/me/security")),
        (Reviewer, SeeOther("/me/security")),
        (Organizer, SeeOther("/me/security")),
        (OrganizerBetweenSteps, SECOND_STEP),
    ]),
    on(Post, "/me/second-factor", PasswordStep, BAD_FORM),
    on(Post, "/me/second-factor/start", PasswordStep, BAD_FORM),
    on(Get, "/me", SignedIn, OK),
    // Sends each person to the agenda they may read, or home.
    on(Get, "/me/agenda", SignedIn, SeeOther("/me")).but(&[
        (ApprovedAttendee, SeeOther("/meetings/natcsirt-2026/agenda")),
        (AttendeeOfAnotherMeeting, SeeOther("/meetings/natcsirt-2026-bis/agenda")),
        (Organizer, SeeOther("/admin/meetings")),
        (Reviewer, SeeOther("/review")),
    ]),
    on(Get, "/me/security", SignedIn, OK),
    on(Get, "/me/calendar", SignedIn, OK),
    // Asks to confirm replacing the address first.
    on(Post, "/me/calendar/{id}/feed", Owner, OK),
    on(Post, "/me/calendar/{id}/schedule", Owner, OK),
    // The form is read before the registration: an empty one is refused for everyone.
    on(Post, "/me/calendar/{id}/choices", SignedIn, BAD_FORM),
    on(Post, "/me/password", SignedIn, BAD_FORM),
    on(Post, "/me/sessions/end-all", SignedIn, SIGN_IN),
    // An empty form: every field named; the token in the path is someone else's.
    on(Post, "/me/api-tokens", SignedIn, INVALID),
    on(Post, "/me/api-tokens/{id}/revoke", SignedIn, NOT_FOUND),
    on(Post, "/me/second-factor/off", SignedIn, BAD_FORM),
    on(Post, "/me/recovery-codes", SignedIn, BAD_FORM),
    on(Get, "/me/registrations/{id}", Owner, OK),
    on(Post, "/me/registrations/{id}", Owner, INVALID),
    // The owner's registration holds no offer: the answer is refused and writes nothing.
    on(Post, "/me/registrations/{id}/offer/accept", Owner, INVALID),
    on(Post, "/me/registrations/{id}/offer/decline", Owner, INVALID),
    // Without `confirm=yes` the owner gets the "cannot be undone" page and nothing changes.
    on(Post, "/me/registrations/{id}/withdraw", Owner, OK),
    // The form is read before the registration: an empty one is refused for everyone.
    on(Post, "/me/registrations/{id}/badge", SignedIn, BAD_FORM),
    // The two opt-ins: an empty form (neither answer) is unreadable for everyone.
    on(Post, "/me/registrations/{id}/sharing", SignedIn, BAD_FORM),
    // Approved attendees of any meeting keep a key; an empty paste is refused with its
    // message; removing without a key changes nothing.
    on(Get, "/me/openpgp", SignedIn, FORBIDDEN).but(APPROVED_SOMEWHERE_OK),
    on(Post, "/me/openpgp", SignedIn, FORBIDDEN)
        .but(&[(ApprovedAttendee, INVALID), (AttendeeOfAnotherMeeting, INVALID)]),
    on(Post, "/me/openpgp/remove", SignedIn, FORBIDDEN).but(&[
        (ApprovedAttendee, SeeOther("/me/openpgp")),
        (AttendeeOfAnotherMeeting, SeeOther("/me/openpgp")),
    ]),
    on(Get, "/me/privacy", SignedIn, OK),
    on(Get, "/me/privacy/data.json", SignedIn, OK),
    on(Post, "/me/privacy/delete", SignedIn, INVALID),
    on(Get, "/meetings/{slug}/agenda", Readers, OK),
    on(Get, "/meetings/{slug}/changes", Readers, OK),
    on(Get, "/meetings/{slug}/attendees", Readers, OK),
    on(Get, "/meetings/{slug}/attendees/keys.asc", Readers, OK),
    on(Get, "/meetings/{slug}/attendees/contacts.vcf", Readers, OK),
    on(Get, "/meetings/{slug}/practical", Readers, OK),
    // Proposers only: the approved attendee (the owner of the fixture's proposal); organizers
    // and reviewers have no registration to propose with. There is no call: a proposal or
    // a change is refused with a message, nothing written.
    on(Get, "/meetings/{slug}/proposals", Readers, OK).but(NOT_PROPOSERS),
    on(Post, "/meetings/{slug}/proposals", Readers, INVALID).but(NOT_PROPOSERS),
    on(Get, "/meetings/{slug}/proposals/{id}", Readers, OK).but(NOT_PROPOSERS),
    on(Post, "/meetings/{slug}/proposals/{id}", Readers, INVALID).but(NOT_PROPOSERS),
    // Without `confirm=yes`: the "cannot be undone" page, nothing written.
    on(Post, "/meetings/{slug}/proposals/{id}/withdraw", Readers, OK).but(NOT_PROPOSERS),
    // No address typed: the page again with its message.
    on(Post, "/meetings/{slug}/proposals/{id}/speakers/remove", Readers, INVALID).but(NOT_PROPOSERS),
    on(Get, "/meetings/{slug}/sessions/{id}.ics", Readers, OK),
    on(Get, "/meetings/{slug}/days/{date}.ics", Readers, OK),
    on(Get, "/meetings/{slug}/sessions/{id}", Readers, OK),
    // Organizers and reviewers read the agenda but have no picks.
    on(Post, "/meetings/{slug}/sessions/{id}/pick", Readers, SeeOther("/meetings/natcsirt-2026/agenda"))
        .but(&[(Organizer, FORBIDDEN), (Reviewer, FORBIDDEN)]),
    on(Post, "/meetings/{slug}/sessions/{id}/unpick", Readers, SeeOther("/meetings/natcsirt-2026/agenda"))
        .but(&[(Organizer, FORBIDDEN), (Reviewer, FORBIDDEN)]),
    // Feedback: the test clock stands before the session and the meeting end, so the
    // attendee's rating and survey are refused with a message, nothing written.
    on(Get, "/meetings/{slug}/sessions/{id}/feedback", Readers, OK),
    on(Post, "/meetings/{slug}/sessions/{id}/feedback", Readers, INVALID).but(NOT_APPROVED),
    on(Get, "/meetings/{slug}/survey", Readers, OK),
    on(Post, "/meetings/{slug}/survey", Readers, INVALID).but(NOT_APPROVED),
    // Materials. Organizers upload to any session; the approved attendee is no speaker of
    // the fixture's session. A POST without a file: the form again with its message.
    on(Get, "/meetings/{slug}/sessions/{id}/materials", Readers, FORBIDDEN).but(&[(Organizer, OK)]),
    on(Post, "/meetings/{slug}/sessions/{id}/materials", Readers, FORBIDDEN).but(&[(Organizer, INVALID)]),
    on(Get, "/meetings/{slug}/sessions/{id}/materials/{material}", Readers, OK),
    // The organizer shared the fixture's file; without `confirm=yes`: the question.
    on(Post, "/meetings/{slug}/sessions/{id}/materials/{material}/delete", Readers, FORBIDDEN)
        .but(&[(Organizer, OK)]),
    on(Get, "/review", Reviewers, OK),
    on(Get, "/admin/meetings/{slug}/registrations", Reviewers, OK),
    on(Post, "/admin/meetings/{slug}/registrations/bulk", Reviewers, INVALID),
    on(Get, "/admin/meetings/{slug}/registrations/{id}", Reviewers, OK),
    on(Post, "/admin/meetings/{slug}/registrations/{id}/decision", Reviewers, INVALID),
    // The attendee has no second factor to reset: back to the list, nothing written. Only
    // organizers reset a second factor (the handler's check, inside the review's scope).
    on(
        Post,
        "/admin/meetings/{slug}/registrations/{id}/reset-second-factor",
        Reviewers,
        SeeOther("/admin/meetings/natcsirt-2026/registrations"),
    )
    .but(&[(Reviewer, FORBIDDEN)]),
    on(Get, "/admin", Organizers, OK),
    on(Get, "/admin/organizers", Organizers, OK),
    on(Post, "/admin/organizers/invite", Organizers, BAD_FORM),
    on(Post, "/admin/organizers/invitations/{id}/revoke", Organizers, OK),
    on(Post, "/admin/organizers/{id}/disable", Organizers, SeeOther("/admin/organizers")),
    on(Post, "/admin/organizers/{id}/enable", Organizers, SeeOther("/admin/organizers")),
    on(Post, "/admin/organizers/{id}/reset-second-factor", Organizers, SeeOther("/admin/organizers")),
    on(Get, "/admin/editions", Organizers, OK),
    on(Post, "/admin/editions", Organizers, INVALID),
    on(Get, "/admin/editions/new", Organizers, OK),
    on(Get, "/admin/editions/{id}", Organizers, OK),
    on(Post, "/admin/editions/{id}", Organizers, INVALID),
    // Deleting asks to confirm first (no meeting of the fixtures uses the edition).
    on(Post, "/admin/editions/{id}/delete", Organizers, OK),
    on(Get, "/admin/meetings", Organizers, OK),
    on(Post, "/admin/meetings", Organizers, BAD_FORM),
    on(Get, "/admin/meetings/new", Organizers, OK),
    on(Get, "/admin/meetings/{slug}", Organizers, OK),
    on(Post, "/admin/meetings/{slug}", Organizers, BAD_FORM),
    // Cancelling and revoking ask to confirm first; reopening and reinstating do not.
    on(Post, "/admin/meetings/{slug}/cancel", Organizers, OK),
    on(Post, "/admin/meetings/{slug}/reopen", Organizers, SeeOther("/admin/meetings/natcsirt-2026")),
    on(Get, "/admin/meetings/{slug}/invitations", Organizers, OK),
    on(Post, "/admin/meetings/{slug}/invitations", Organizers, INVALID),
    on(Post, "/admin/meetings/{slug}/invitations/{id}/revoke", Organizers, OK),
    on(Post, "/admin/meetings/{slug}/invitations/{id}/resend", Organizers, OK),
    on(Get, "/admin/meetings/{slug}/returning", Organizers, OK),
    on(Post, "/admin/meetings/{slug}/returning", Organizers, INVALID),
    on(Get, "/admin/meetings/{slug}/agenda", Organizers, OK),
    on(Post, "/admin/meetings/{slug}/agenda/publish", Organizers, BAD_FORM),
    on(Get, "/admin/meetings/{slug}/calendar", Organizers, OK),
    // The organizer has a feed address: asks to confirm replacing it first.
    on(Post, "/admin/meetings/{slug}/calendar/feed", Organizers, OK),
    on(Post, "/admin/meetings/{slug}/agenda/sessions", Organizers, INVALID),
    on(Get, "/admin/meetings/{slug}/agenda/sessions/new", Organizers, OK),
    on(Get, "/admin/meetings/{slug}/agenda/sessions/{id}", Organizers, OK),
    on(Post, "/admin/meetings/{slug}/agenda/sessions/{id}", Organizers, INVALID),
    on(Post, "/admin/meetings/{slug}/agenda/sessions/{id}/cancel", Organizers, OK),
    on(
        Post,
        "/admin/meetings/{slug}/agenda/sessions/{id}/reinstate",
        Organizers,
        SeeOther("/admin/meetings/natcsirt-2026/agenda"),
    ),
    on(Post, "/admin/meetings/{slug}/agenda/tracks", Organizers, BAD_FORM),
    on(Post, "/admin/meetings/{slug}/agenda/tracks/{id}", Organizers, BAD_FORM),
    on(Post, "/admin/meetings/{slug}/agenda/rooms", Organizers, BAD_FORM),
    on(Post, "/admin/meetings/{slug}/agenda/rooms/{id}", Organizers, BAD_FORM),
    on(Get, "/admin/meetings/{slug}/questions", Organizers, OK),
    on(Post, "/admin/meetings/{slug}/questions", Organizers, INVALID),
    on(Get, "/admin/meetings/{slug}/questions/{id}", Organizers, OK),
    on(Post, "/admin/meetings/{slug}/questions/{id}", Organizers, INVALID),
    on(
        Post,
        "/admin/meetings/{slug}/questions/{id}/retire",
        Organizers,
        SeeOther("/admin/meetings/natcsirt-2026/questions"),
    ),
    on(
        Post,
        "/admin/meetings/{slug}/questions/{id}/restore",
        Organizers,
        SeeOther("/admin/meetings/natcsirt-2026/questions"),
    ),
    // Deleting asks to confirm first.
    on(Post, "/admin/meetings/{slug}/questions/{id}/delete", Organizers, OK),
    on(Get, "/admin/meetings/{slug}/announce", Organizers, OK),
    on(Post, "/admin/meetings/{slug}/announce", Organizers, INVALID),
    on(Get, "/admin/meetings/{slug}/practical", Organizers, OK),
    on(Post, "/admin/meetings/{slug}/practical", Organizers, BAD_FORM),
    on(Get, "/admin/meetings/{slug}/call", Organizers, OK),
    on(Post, "/admin/meetings/{slug}/call", Organizers, INVALID),
    on(Get, "/admin/meetings/{slug}/proposals", Organizers, OK),
    on(Get, "/admin/meetings/{slug}/proposals/{id}", Organizers, OK),
    on(Post, "/admin/meetings/{slug}/proposals/{id}/comments", Organizers, INVALID),
    // An empty score takes back a score the organizer never gave: nothing changes.
    on(
        Post,
        "/admin/meetings/{slug}/proposals/{id}/score",
        Organizers,
        SeeOther("/admin/meetings/natcsirt-2026/proposals/1"),
    ),
    on(Post, "/admin/meetings/{slug}/proposals/{id}/decision", Organizers, INVALID),
    on(Get, "/admin/meetings/{slug}/reminders", Organizers, OK),
    on(Post, "/admin/meetings/{slug}/reminders", Organizers, BAD_FORM),
    on(Get, "/admin/meetings/{slug}/registrations.csv", Organizers, OK),
    on(Get, "/admin/meetings/{slug}/agenda.csv", Organizers, OK),
    on(Get, "/admin/meetings/{slug}/agenda.json", Organizers, OK),
    on(Get, "/admin/meetings/{slug}/door-list", Organizers, OK),
    on(Get, "/admin/meetings/{slug}/badges", Organizers, OK),
    on(Get, "/admin/meetings/{slug}/checkin", Organizers, OK),
    // The test clock stands before the meeting's days: marking and undoing are refused.
    on(Post, "/admin/meetings/{slug}/checkin/{id}", Organizers, INVALID),
    on(Post, "/admin/meetings/{slug}/checkin/{id}/undo", Organizers, INVALID),
    on(Get, "/admin/meetings/{slug}/feedback", Organizers, OK),
    on(Get, "/admin/meetings/{slug}/feedback/sessions/{id}", Organizers, OK),
    on(Get, "/admin/teams", Organizers, OK),
    on(Post, "/admin/teams", Organizers, INVALID),
    on(Get, "/admin/teams/new", Organizers, OK),
    on(Get, "/admin/teams.csv", Organizers, OK),
    on(Get, "/admin/teams/import", Organizers, OK),
    on(Post, "/admin/teams/import", Organizers, INVALID),
    on(Get, "/admin/teams/{id}", Organizers, OK),
    on(Post, "/admin/teams/{id}", Organizers, INVALID),
    on(Post, "/admin/teams/{id}/suspend", Organizers, SeeOther("/admin/teams/1")),
    on(Post, "/admin/teams/{id}/reinstate", Organizers, SeeOther("/admin/teams/1")),
    on(Post, "/admin/teams/{id}/domains/confirm", Organizers, INVALID),
    on(Get, "/admin/roster", Organizers, OK),
    on(Get, "/admin/roster.csv", Organizers, OK),
    on(Get, "/admin/audit", Organizers, OK),
    on(Get, "/admin/mail", Organizers, OK),
    on(Post, "/admin/mail/retry", Organizers, SeeOther("/admin/mail")),
];

/// The expectation of `role` for `verb` on `path`, if the route has one.
pub fn expected(verb: Verb, path: &str, role: Role) -> Option<Answer> {
    let e = EXPECTATIONS.iter().find(|e| e.verb == verb && e.path == path)?;
    let exception = e.except.iter().find(|(r, _)| *r == role).map(|(_, a)| *a);
    Some(exception.unwrap_or_else(|| super::roles::derive(e.audience, role, e.admitted)))
}
