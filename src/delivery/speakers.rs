//! The plain notices to a session's outside guests (speakers without a registration who
//! were given an address): no calendar object, since they hold no stream of invites, and
//! the title only as the TLP rule lets it out (`tlp::title_outside`, T1). The subject
//! never carries a title, only the label and the meeting; the body names no speaker, not
//! even the guest (speakers never leave under AMBER or RED). Sent once per release in which
//! the session changed (the outbox's idempotency key holds the session's SEQUENCE): to each
//! guest listed, the session as published; to each guest a release took off the session
//! (`models::agenda::guest_notice` remembers who was told), that they are no longer listed,
//! as a registered speaker gets a CANCEL.

use serde::Serialize;

use super::DeliveryError;
use crate::{
    db::DbConnection,
    domain::{local_time, schedule::Span, speaker::guests_removed, tlp, token::hash_token},
    email::Composer,
    models::{
        agenda::{guest_notice, release::ReleasedSession, speaker},
        meeting::Meeting,
        outbox,
    },
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

/// Queues the notice about the released session `s` to each of its guests with an address,
/// and the removal notice to each guest told before and no longer listed.
pub fn guests_after_release(
    c: &mut DbConnection,
    mail: &Composer,
    m: &Meeting,
    s: &ReleasedSession,
) -> Result<(), DeliveryError> {
    let mut listed: Vec<String> = Vec::new();
    for address in speaker::guests_to_mail(c, s.session_id)? {
        if !listed.iter().any(|l| l.eq_ignore_ascii_case(&address)) {
            listed.push(address);
        }
    }
    let removed = guests_removed(&guest_notice::told(c, s.session_id)?, &listed);
    if listed.is_empty() && removed.is_empty() {
        return Ok(());
    }
    let zone = local_time::parse_zone(&m.time_zone).unwrap_or(chrono_tz::UTC);
    let data = GuestMail {
        meeting: &m.title,
        label: s.tlp.as_str(),
        title: tlp::title_outside(s.tlp, &s.title),
        when: Span::new(s.starts_at, s.ends_at, zone, true).to_string(),
        room: s.room.as_deref().unwrap_or(""),
        venue: format!("{}, {}", m.venue, m.city),
        cancelled: s.is_cancelled(),
    };
    let notices = [
        ("speaker_guest", "speaker-guest", &listed),
        ("speaker_guest_removed", "speaker-guest-removed", &removed),
    ];
    for (template, kind, people) in notices {
        for address in people {
            // The address only as a hash: keys are read by operators in the outbox.
            let who = hash_token(&address.to_lowercase());
            let key = format!("{kind}:{}:{}:{}", s.uid, s.sequence, &who[..16]);
            outbox::enqueue(c, &mail.mail(address, template, &data, key)?)?;
        }
    }
    let told: Vec<String> = listed.iter().map(|a| a.to_lowercase()).collect();
    guest_notice::replace(c, s.session_id, &told)?;
    Ok(())
}
