//! The stored states that carry no rules of their own: an account's role, a team's and a
//! meeting's status, what a single-use link is for, an attendee's calendar choices and
//! where a queued message stands. The states with rules live beside them
//! (`registration::Status`, `agenda::Kind`, `tlp::Tlp`, `security_event::Event`).

use super::words::word_enum;

word_enum!(
    /// What an account may do: organizers run the meeting, members register for it,
    /// reviewers decide registrations and read every agenda (nothing else of the console).
    Role, "an account role" {
        Organizer => "organizer", "organizer";
        Member => "member", "member";
        Reviewer => "reviewer", "reviewer";
    }
);

word_enum!(
    /// Whether a team is in the registry's good books: only a recognized team's people may
    /// register or be invited.
    TeamStatus, "a team status" {
        Recognized => "recognized", "recognized";
        Suspended => "suspended", "suspended";
    }
);

word_enum!(
    /// Whether a meeting takes place; only an open one takes registrations.
    MeetingStatus, "a meeting status" {
        Open => "open", "open";
        Cancelled => "cancelled", "cancelled";
    }
);

word_enum!(
    /// What a single-use link is for.
    Purpose, "a link purpose" {
        /// The first organizer's account, made on the first run.
        Setup => "setup", "first-run setup";
        OrganizerInvite => "organizer_invite", "organizer invitation";
        PasswordReset => "password_reset", "password reset";
        /// Proves the address of a self-registration.
        VerifyEmail => "verify_email", "address confirmation";
        ReviewerInvite => "reviewer_invite", "reviewer invitation";
    }
);

word_enum!(
    /// What an attendee's feed holds.
    FeedScope, "a feed scope" {
        All => "all", "the whole agenda";
        Picks => "picks", "only the sessions in my agenda";
    }
);

word_enum!(
    /// How an attendee receives the invites of the sessions they pick.
    InviteChoice, "a way to receive session invites" {
        Both => "both", "by email and in the feed";
        Email => "email", "by email";
        Feed => "feed", "only in the feed";
    }
);

word_enum!(
    /// Where a queued message stands in the outbox.
    MailStatus, "a mail status" {
        Pending => "pending", "pending";
        /// Claimed by a worker.
        Sending => "sending", "sending";
        Sent => "sent", "sent";
        Failed => "failed", "failed";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T>(all: &[T])
    where
        T: Copy + PartialEq + std::fmt::Debug + std::fmt::Display + std::str::FromStr,
        T::Err: std::fmt::Debug,
    {
        for word in all {
            let stored = word.to_string();
            assert_eq!(stored.parse::<T>().ok(), Some(*word), "{stored}");
        }
    }

    #[test]
    fn every_state_round_trips_through_its_stored_word() {
        round_trips(&Role::ALL);
        round_trips(&TeamStatus::ALL);
        round_trips(&MeetingStatus::ALL);
        round_trips(&Purpose::ALL);
        round_trips(&FeedScope::ALL);
        round_trips(&InviteChoice::ALL);
        round_trips(&MailStatus::ALL);
    }

    #[test]
    fn the_stored_words_are_those_the_database_holds() {
        let words = |all: &[&'static str]| all.join(" ");
        assert_eq!(words(&Role::ALL.map(Role::as_str)), "organizer member reviewer");
        assert_eq!(words(&TeamStatus::ALL.map(TeamStatus::as_str)), "recognized suspended");
        assert_eq!(words(&MeetingStatus::ALL.map(MeetingStatus::as_str)), "open cancelled");
        assert_eq!(
            words(&Purpose::ALL.map(Purpose::as_str)),
            "setup organizer_invite password_reset verify_email reviewer_invite"
        );
        assert_eq!(words(&FeedScope::ALL.map(FeedScope::as_str)), "all picks");
        assert_eq!(words(&InviteChoice::ALL.map(InviteChoice::as_str)), "both email feed");
        assert_eq!(words(&MailStatus::ALL.map(MailStatus::as_str)), "pending sending sent failed");
    }

    #[test]
    fn a_label_or_another_case_is_not_a_stored_word() {
        assert!("Organizer".parse::<Role>().is_err());
        assert!("the whole agenda".parse::<FeedScope>().is_err());
        assert_eq!(
            "queued".parse::<MailStatus>().expect_err("unknown").to_string(),
            "“queued” is not a mail status."
        );
    }
}
