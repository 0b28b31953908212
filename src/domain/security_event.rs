//! What the security log records (sign-ins, their failures, resets, recovery codes) and
//! how long it keeps it.

use chrono::{Months, NaiveDateTime};

/// One kind of security-log row. The stored name is stable; the label is what the person
/// reads on `/me/security`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Signed in completely (password, and the second step when the account has one).
    SignedIn,
    /// The password was right; the second step follows.
    PasswordAccepted,
    /// A wrong password (or a paused account) at sign-in.
    SignInFailed,
    /// A wrong code at the second step.
    SecondFactorFailed,
    /// Signed in with a recovery code instead of the authenticator app.
    RecoveryCodeUsed,
    /// A wrong current password where the account's settings ask for it again.
    PasswordCheckFailed,
    /// A new password set through an emailed reset link.
    PasswordReset,
    /// The second factor removed by an organizer.
    SecondFactorReset,
}

const ALL: [Event; 8] = [
    Event::SignedIn,
    Event::PasswordAccepted,
    Event::SignInFailed,
    Event::SecondFactorFailed,
    Event::RecoveryCodeUsed,
    Event::PasswordCheckFailed,
    Event::PasswordReset,
    Event::SecondFactorReset,
];

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::SignedIn => "sign_in",
            Event::PasswordAccepted => "sign_in.password",
            Event::SignInFailed => "sign_in.failed",
            Event::SecondFactorFailed => "second_factor.failed",
            Event::RecoveryCodeUsed => "recovery_code.used",
            Event::PasswordCheckFailed => "password_check.failed",
            Event::PasswordReset => "password.reset",
            Event::SecondFactorReset => "second_factor.reset",
        }
    }

    pub fn parse(stored: &str) -> Option<Event> {
        ALL.into_iter().find(|e| e.as_str() == stored)
    }

    pub fn label(self) -> &'static str {
        match self {
            Event::SignedIn => "Signed in",
            Event::PasswordAccepted => "Password accepted, second step asked",
            Event::SignInFailed => "Failed sign-in (wrong password)",
            Event::SecondFactorFailed => "Wrong two-step sign-in code",
            Event::RecoveryCodeUsed => "Signed in with a recovery code",
            Event::PasswordCheckFailed => "Wrong current password in your settings",
            Event::PasswordReset => "Password reset by email link",
            Event::SecondFactorReset => "Two-step sign-in reset by an organizer",
        }
    }

    /// Whether the row is a warning sign worth marking on the page.
    pub fn is_failure(self) -> bool {
        matches!(self, Event::SignInFailed | Event::SecondFactorFailed | Event::PasswordCheckFailed)
    }
}

/// Rows logged before this moment are deleted at `now` when the log keeps `months` months.
/// `None` before the calendar starts (nothing is that old).
pub fn retention_cutoff(now: NaiveDateTime, months: u32) -> Option<NaiveDateTime> {
    now.checked_sub_months(Months::new(months))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("a time")
    }

    #[test]
    fn every_event_reads_back_from_its_stored_name() {
        for e in ALL {
            assert_eq!(Event::parse(e.as_str()), Some(e));
        }
        assert_eq!(Event::parse("something.else"), None);
    }

    #[test]
    fn twelve_months_keep_rows_from_the_same_day_a_year_ago() {
        let now = at("2027-05-01 09:00:00");
        assert_eq!(retention_cutoff(now, 12), Some(at("2026-05-01 09:00:00")));
        assert_eq!(retention_cutoff(now, 0), Some(now), "0 keeps nothing older than now");
    }

    #[test]
    fn a_month_end_is_clamped_rather_than_skipped() {
        assert_eq!(retention_cutoff(at("2027-03-31 00:00:00"), 1), Some(at("2027-02-28 00:00:00")));
    }
}
