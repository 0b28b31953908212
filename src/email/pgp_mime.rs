//! The PGP/MIME layout of an encrypted message (RFC 3156 §4): what is sealed (the inner
//! entity, a `text/plain` UTF-8 part that carries the real subject) and what travels
//! (`multipart/encrypted; protocol="application/pgp-encrypted"` with the "Version: 1"
//! control part and the armored message as `application/octet-stream`).

use lettre::message::{
    MultiPart, SinglePart,
    header::{ContentDisposition, ContentTransferEncoding, ContentType, ContentTypeErr, Subject},
};

const PROTOCOL: &str = "application/pgp-encrypted";

/// The entity the recipient reads after decrypting: the text, quoted-printable (so its
/// bytes are ASCII with CRLF lines whatever it says), with the real subject as a protected
/// header (clients that know "protected-headers" show it in place of the outer one).
pub fn inner_entity(subject: &str, text: &str) -> Result<Vec<u8>, ContentTypeErr> {
    Ok(SinglePart::builder()
        .header(ContentType::parse("text/plain; charset=utf-8; protected-headers=\"v1\"")?)
        .header(Subject::from(subject.to_owned()))
        .header(ContentTransferEncoding::QuotedPrintable)
        .body(text.to_owned())
        .formatted())
}

/// The body of the message that travels: the control part, then the armored message.
pub fn encrypted_body(armored: &str) -> Result<MultiPart, ContentTypeErr> {
    let control = SinglePart::builder()
        .header(ContentType::parse(PROTOCOL)?)
        .header(ContentTransferEncoding::SevenBit)
        .body(String::from("Version: 1\r\n"));
    let message = SinglePart::builder()
        .header(ContentType::parse("application/octet-stream; name=\"encrypted.asc\"")?)
        .header(ContentDisposition::inline_with_name("encrypted.asc"))
        .header(ContentTransferEncoding::SevenBit)
        .body(armored.replace("\r\n", "\n").replace('\n', "\r\n"));
    Ok(MultiPart::encrypted(PROTOCOL.to_owned()).singlepart(control).singlepart(message))
}

#[cfg(test)]
mod tests {
    use mail_parser::{MessageParser, MimeHeaders, PartType};

    use super::*;

    const ARMOR: &str =
        "-----BEGIN PGP MESSAGE-----\n\nwV4DAAAAAAAAAAASAQdA\n=abcd\n-----END PGP MESSAGE-----\n";

    fn parsed(bytes: &[u8]) -> mail_parser::Message<'static> {
        MessageParser::default().parse(bytes).expect("a parsable entity").into_owned()
    }

    #[test]
    fn the_encrypted_body_is_rfc_3156_multipart_encrypted() {
        let mut raw = b"Subject: x\r\n".to_vec();
        raw.extend(encrypted_body(ARMOR).expect("constant types parse").formatted());
        let message = parsed(&raw);
        let root = message.content_type().expect("a content type");
        assert_eq!((root.ctype(), root.subtype()), ("multipart", Some("encrypted")));
        assert_eq!(root.attribute("protocol"), Some(PROTOCOL));
        let parts: Vec<_> = message.parts.iter().skip(1).collect();
        assert_eq!(parts.len(), 2, "the control part and the message");
        let control = parts[0].content_type().expect("a content type");
        assert_eq!((control.ctype(), control.subtype()), ("application", Some("pgp-encrypted")));
        assert_eq!(parts[0].contents(), b"Version: 1\r\n");
        let data = parts[1].content_type().expect("a content type");
        assert_eq!((data.ctype(), data.subtype()), ("application", Some("octet-stream")));
        let armored = String::from_utf8_lossy(parts[1].contents()).replace("\r\n", "\n");
        assert_eq!(armored, ARMOR, "the armor travels unchanged, 7bit");
    }

    #[test]
    fn the_inner_entity_is_utf8_text_with_the_real_subject() {
        let entity = inner_entity("Raum geändert: Ballroom B", "Grüße aus Denver.\nBis Samstag.")
            .expect("constant types parse");
        assert!(entity.is_ascii(), "quoted-printable: the signed bytes are plain ASCII");
        let message = parsed(&entity);
        let ctype = message.content_type().expect("a content type");
        assert_eq!((ctype.ctype(), ctype.subtype()), ("text", Some("plain")));
        assert_eq!(ctype.attribute("charset").map(str::to_ascii_lowercase).as_deref(), Some("utf-8"));
        assert_eq!(message.subject(), Some("Raum geändert: Ballroom B"));
        assert!(matches!(message.parts[0].body, PartType::Text(_)));
        let text = message.body_text(0).expect("a text body").replace("\r\n", "\n");
        assert_eq!(text.trim_end(), "Grüße aus Denver.\nBis Samstag.");
    }
}
