//! What the security log records (sign-ins, their failures, resets, recovery codes) and
//! how long it keeps it.

use chrono::{Months, NaiveDateTime};

use super::words::word_enum;

word_enum!(
    /// One kind of security-log row. The stored name is stable; the label is what the
    /// person reads on `/me/security`.
    Event, "a security-log event" {
        /// Signed in completely (password, and the second step when the account has one).
        SignedIn => "sign_in", "Signed in";
        /// The password was right; the second step follows.
        PasswordAccepted => "sign_in.password", "Password accepted, second step asked";
        /// A wrong password (or a paused account) at sign-in.
        SignInFailed => "sign_in.failed", "Failed sign-in (wrong password)";
        /// A wrong code at the second step.
        SecondFactorFailed => "second_factor.failed", "Wrong two-step sign-in code";
        /// Signed in with a recovery code instead of the authenticator app.
        RecoveryCodeUsed => "recovery_code.used", "Signed in with a recovery code";
        /// A wrong current password where the account's settings ask for it again.
        PasswordCheckFailed => "password_check.failed", "Wrong current password in your settings";
        /// A new password set through an emailed reset link.
        PasswordReset => "password.reset", "Password reset by email link";
        /// The second factor removed by an organizer.
        SecondFactorReset => "second_factor.reset", "Two-step sign-in reset by an organizer";
    }
);

impl Event {
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
        for e in Event::ALL {
            assert_eq!(e.as_str().parse::<Event>(), Ok(e));
        }
        assert!("something.else".parse::<Event>().is_err());
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
