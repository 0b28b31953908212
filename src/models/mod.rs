//! Database queries, one file per table or aggregate. Functions take a connection and
//! return `QueryResult`; the caller owns the transaction.

pub mod agenda;
pub mod answer;
pub mod api_token;
pub mod audit;
pub mod calendar_settings;
pub mod carry;
pub mod checkin;
pub mod directory;
pub mod endorsement;
pub mod evidence;
pub mod feed_token;
pub mod feedback;
pub mod first_edition;
pub mod invitation;
pub mod invite_sequence;
pub mod material;
pub mod meeting;
pub mod one_time_token;
pub mod openpgp_key;
pub mod organizer_feed_token;
pub mod outbox;
pub mod practical_info;
pub mod proposal;
pub mod question;
pub mod registration;
pub mod registration_token;
pub mod reminder;
pub mod roster;
pub mod schedule_token;
pub mod security_log;
pub mod session;
pub mod speaking;
pub mod stored;
pub mod team;
pub mod team_contact;
pub mod team_page;
pub mod team_registry;
pub mod user;
pub mod waitlist;

/// Rows that hold secrets print them as `[redacted]` (`domain::redact`).
#[cfg(test)]
pub(crate) mod debug_tests {
    use chrono::NaiveDateTime;

    use crate::domain::states::{MailStatus, Purpose, Role};

    use super::{feed_token, invitation, one_time_token, outbox, session, user};

    const CANARY: &str = "CANARY-5e1f";

    fn assert_redacted(printed: String) {
        assert!(!printed.contains(CANARY), "{printed}");
        assert!(printed.contains("[redacted]"), "{printed}");
    }

    /// A user whose password hash and TOTP secret are `secret`.
    pub(crate) fn user_holding(secret: &str) -> user::User {
        user::User {
            id: 1,
            email: "jane@cert.example".into(),
            name: "Jane".into(),
            role: Role::Member,
            password_hash: secret.into(),
            email_verified_at: None,
            totp_secret: Some(secret.into()),
            totp_enabled_at: None,
            totp_last_step: None,
            totp_failures: 0,
            totp_locked_until: None,
            failed_logins: 0,
            login_locked_until: None,
            disabled_at: None,
            created_at: NaiveDateTime::default(),
        }
    }

    #[test]
    fn users_sessions_tokens_invitations_and_mail_bodies_print_redacted() {
        let at = NaiveDateTime::default();
        assert_redacted(format!("{:?}", user_holding(CANARY)));
        assert_redacted(format!(
            "{:?}",
            user::NewUser {
                email: "jane@cert.example",
                name: "Jane",
                role: Role::Member,
                password_hash: CANARY,
                email_verified_at: None,
                created_at: at,
            }
        ));
        assert_redacted(format!(
            "{:?}",
            session::WebSession {
                id: 1,
                token_hash: CANARY.into(),
                user_id: 1,
                csrf_token: CANARY.into(),
                second_factor_done: false,
                created_at: at,
                last_seen_at: at,
            }
        ));
        assert_redacted(format!(
            "{:?}",
            one_time_token::OneTimeToken {
                id: 1,
                purpose: Purpose::Setup,
                token_hash: CANARY.into(),
                user_id: None,
                email: None,
                name: None,
                expires_at: at,
                used_at: None,
                created_by: None,
                created_at: at,
            }
        ));
        assert_redacted(format!(
            "{:?}",
            one_time_token::NewToken {
                purpose: Purpose::Setup,
                token_hash: CANARY,
                user_id: None,
                email: None,
                name: None,
                expires_at: at,
                created_by: None,
                created_at: at,
            }
        ));
        assert_redacted(format!(
            "{:?}",
            feed_token::FeedToken {
                id: 1,
                registration_id: 1,
                token_hash: CANARY.into(),
                created_at: at,
                revoked_at: None,
            }
        ));
        let invitation = invitation::Invitation {
            id: 1,
            meeting_id: 1,
            team_id: 1,
            email: "jane@cert.example".into(),
            token_hash: CANARY.into(),
            expires_at: at,
            used_at: None,
            revoked_at: None,
            sent_by: None,
            created_at: at,
            note: CANARY.into(),
        };
        assert_redacted(format!("{invitation:?}"));
        assert_redacted(format!(
            "{:?}",
            invitation::NewInvitation {
                meeting_id: 1,
                team_id: 1,
                email: "jane@cert.example",
                token_hash: CANARY,
                expires_at: at,
                sent_by: None,
                created_at: at,
                note: CANARY,
            }
        ));
        // Bodies carry links with tokens (invitations, resets, confirmations).
        let link = format!("https://meet.example/invitations/{CANARY}");
        let new = outbox::NewOutboxRow {
            recipient: "jane@cert.example".into(),
            subject: "Your invitation".into(),
            body_text: link.clone(),
            body_html: link.clone(),
            ical: None,
            ical_method: None,
            idempotency_key: "k".into(),
            message_id: "<m@meet.example>".into(),
            next_attempt_at: at,
            created_at: at,
            pgp_message: Some(CANARY.into()),
        };
        assert_redacted(format!("{new:?}"));
        assert_redacted(format!(
            "{:?}",
            outbox::OutboxRow {
                id: 1,
                recipient: new.recipient,
                subject: new.subject,
                body_text: link.clone(),
                body_html: link,
                ical: None,
                ical_method: None,
                idempotency_key: new.idempotency_key,
                message_id: new.message_id,
                status: MailStatus::Pending,
                attempts: 0,
                next_attempt_at: at,
                claimed_at: None,
                last_error: None,
                created_at: at,
                sent_at: None,
                pgp_message: Some(CANARY.into()),
            }
        ));
    }
}
