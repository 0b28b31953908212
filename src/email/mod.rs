//! Email: messages rendered from template triplets, built into MIME, and handed to a
//! transport. Producers never send; they queue an [`Mail`] in the outbox.

mod composer;
pub mod message;
pub mod openpgp;
pub mod pgp_mime;
mod smtp;
pub mod text;
pub mod transport;

use chrono::NaiveDateTime;
use serde::Serialize;
use tera::{Context, Tera};

pub use composer::Composer;

use crate::{config::MailSettings, models::outbox::NewOutboxRow};

/// The three rendered parts of `templates/email/<name>/`.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Renders `email/<name>/{subject.txt, body.txt, body.html}`. Only `body.html` is
/// HTML-escaped (by its extension); the subject is made one line and the plain text is
/// wrapped (see [`text::wrap`]).
pub fn render<T: Serialize>(tera: &Tera, name: &str, data: &T) -> Result<Rendered, tera::Error> {
    let context = Context::from_serialize(data)?;
    let part = |file: &str| tera.render(&format!("email/{name}/{file}"), &context);
    let subject = part("subject.txt")?.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok(Rendered { subject, text: text::wrap(&part("body.txt")?), html: part("body.html")? })
}

/// An iCalendar object sent with a message, and its METHOD (REQUEST, CANCEL).
#[derive(Debug, Clone)]
pub struct CalendarPart {
    pub method: String,
    pub ics: String,
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub rendered: Rendered,
    pub calendar: Option<CalendarPart>,
    /// Names the event that causes the message, so the same event never mails twice.
    pub idempotency_key: String,
}

impl Mail {
    /// The outbox row, with a Message-ID fixed now so a repeated delivery carries the same.
    pub fn into_row(self, settings: &MailSettings, now: NaiveDateTime) -> NewOutboxRow {
        let domain = settings.from_mailbox().email.domain().to_owned();
        let (ical_method, ical) = self.calendar.map(|c| (c.method, c.ics)).unzip();
        NewOutboxRow {
            recipient: self.to,
            subject: self.rendered.subject,
            body_text: self.rendered.text,
            body_html: self.rendered.html,
            ical,
            ical_method,
            idempotency_key: self.idempotency_key,
            message_id: format!("{}@{domain}", uuid::Uuid::new_v4()),
            next_attempt_at: now,
            created_at: now,
            pgp_message: None,
        }
    }
}

/// The part of an address after `@`, for logs that must not carry the full address.
pub fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map_or("(no domain)", |(_, d)| d.trim_end_matches('>'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_get_only_the_domain() {
        assert_eq!(domain_of("jane.doe@cert.example"), "cert.example");
        assert_eq!(domain_of("Jane <jane@cert.example>"), "cert.example");
        assert_eq!(domain_of("nonsense"), "(no domain)");
    }
}
