//! Builds the MIME message of an outbox row. With a calendar part the layout is the one
//! calendar clients accept (docs/CALENDAR.md I1–I3):
//! `multipart/mixed { multipart/alternative { text, html, text/calendar }, invite.ics }`,
//! both calendar parts base64 with the METHOD in the MIME type. An encrypted row (its
//! `pgp_message` set, its bodies empty) travels as PGP/MIME (`email::pgp_mime`).

use lettre::{
    Message,
    message::{
        Mailbox, MultiPart, SinglePart,
        header::{ContentDisposition, ContentTransferEncoding, ContentType},
    },
};

use super::pgp_mime;
use crate::{config::MailSettings, models::outbox::OutboxRow};

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("invalid recipient address")]
    Recipient(#[source] lettre::address::AddressError),
    #[error("invalid calendar method {0:?}")]
    Method(String),
    #[error("invalid MIME content type")]
    ContentType(#[source] lettre::message::header::ContentTypeErr),
    #[error("message could not be built")]
    Message(#[source] lettre::error::Error),
}

pub fn build(row: &OutboxRow, settings: &MailSettings) -> Result<Message, BuildError> {
    let to: Mailbox = row.recipient.parse().map_err(BuildError::Recipient)?;
    let body = match &row.pgp_message {
        Some(armored) => pgp_mime::encrypted_body(armored).map_err(BuildError::ContentType)?,
        None => clear_body(row)?,
    };
    Message::builder()
        .from(settings.from_mailbox())
        .reply_to(settings.reply_to_mailbox())
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(format!("<{}>", row.message_id)))
        .date_now()
        .multipart(body)
        .map_err(BuildError::Message)
}

/// The text and HTML alternatives, with the calendar parts when the row has them.
fn clear_body(row: &OutboxRow) -> Result<MultiPart, BuildError> {
    let alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(row.body_text.clone()))
        .singlepart(SinglePart::html(row.body_html.clone()));
    let body = match (&row.ical, &row.ical_method) {
        (Some(ics), Some(method)) => {
            let method = method.to_ascii_uppercase();
            if method.is_empty() || !method.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(BuildError::Method(method));
            }
            let content_type = ContentType::parse(&format!("text/calendar; charset=UTF-8; method={method}"))
                .map_err(BuildError::ContentType)?;
            let inline = SinglePart::builder()
                .header(content_type)
                .header(ContentTransferEncoding::Base64)
                .body(ics.clone());
            let attachment = SinglePart::builder()
                .header(
                    ContentType::parse("application/ics; name=\"invite.ics\"")
                        .map_err(BuildError::ContentType)?,
                )
                .header(ContentDisposition::attachment("invite.ics"))
                .header(ContentTransferEncoding::Base64)
                .body(ics.clone());
            MultiPart::mixed().multipart(alternative.singlepart(inline)).singlepart(attachment)
        }
        _ => alternative,
    };
    Ok(body)
}
