//! The plain notice to a session's outside guests (speakers without a registration who
//! were given an address): no calendar object, since they hold no stream of invites, and
//! the title only as the TLP rule lets it out (`tlp::title_outside`, T1). The subject
//! never carries a title, only the label and the meeting; the body names no speaker, not
//! even the guest (speakers never leave under AMBER or RED). Sent once per release in which
//! the session changed (the outbox's idempotency key holds the session's SEQUENCE).

use serde::Serialize;

use super::DeliveryError;
use crate::{
    db::DbConnection,
    domain::{local_time, schedule::Span, tlp, token::hash_token},
    email::Composer,
    models::{agenda::release::ReleasedSession, agenda::speaker, meeting::Meeting, outbox},
};

#[derive(Serialize)]
struct GuestMail<'a> {
    meeting: &'a str,
    label: &'static str,
    /// The title as it may leave the app: a TLP:RED session's placeholder.
    title: &'a str,
    when: String,
    room: &'a str,
    venue: String,
    cancelled: bool,
}

/// Queues the notice about the released session `s` to each of its guests with an address.
pub fn guests_after_release(
    c: &mut DbConnection,
    mail: &Composer,
    m: &Meeting,
    s: &ReleasedSession,
) -> Result<(), DeliveryError> {
    let guests = speaker::guests_to_mail(c, s.session_id)?;
    if guests.is_empty() {
        return Ok(());
    }
    let zone = local_time::parse_zone(&m.time_zone).unwrap_or(chrono_tz::UTC);
    for address in guests {
        let data = GuestMail {
            meeting: &m.title,
            label: s.tlp.as_str(),
            title: tlp::title_outside(s.tlp, &s.title),
            when: Span::new(s.starts_at, s.ends_at, zone, true).to_string(),
            room: s.room.as_deref().unwrap_or(""),
            venue: format!("{}, {}", m.venue, m.city),
            cancelled: s.is_cancelled(),
        };
        // The address only as a hash: keys are read by operators in the outbox.
        let who = hash_token(&address.to_lowercase());
        let key = format!("speaker-guest:{}:{}:{}", s.uid, s.sequence, &who[..16]);
        outbox::enqueue(c, &mail.mail(&address, "speaker_guest", &data, key)?)?;
    }
    Ok(())
}
