//! The CSRF token of a `multipart/form-data` body (a file upload) without reading the
//! file: the token must be the body's first part (browsers send a form's fields in
//! document order, so the hidden `csrf_token` input goes first). Only that part is read;
//! the bytes read are put back in front of the rest of the stream, which the handler then
//! reads as it arrives. A token that is not first is no token: the request is refused.

use actix_web::{
    HttpMessage as _,
    dev::{Payload, ServiceRequest},
    error::PayloadError,
    http::header::{self, HeaderMap},
    web::{Bytes, BytesMut},
};
use futures_util::{StreamExt as _, stream};

/// At most this much of a body is read looking for the first part.
const HEAD_LIMIT: usize = 8 * 1024;

/// The boundary of a multipart form body, if the request is one.
pub fn boundary(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let (kind, params) = ct.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// What the start of a body says about its first part.
#[derive(Debug, PartialEq, Eq)]
enum First {
    Token(String),
    NoToken,
    NeedMore,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn first_part(head: &[u8], boundary: &str) -> First {
    let opening = format!("--{boundary}\r\n");
    if head.len() < opening.len() {
        return First::NeedMore;
    }
    let Some(rest) = head.strip_prefix(opening.as_bytes()) else { return First::NoToken };
    let Some(end) = find(rest, b"\r\n\r\n") else { return First::NeedMore };
    let Ok(headers) = std::str::from_utf8(&rest[..end]) else { return First::NoToken };
    let names_token = headers.split("\r\n").any(|line| {
        let line = line.to_ascii_lowercase();
        line.starts_with("content-disposition:")
            && line.contains("name=\"csrf_token\"")
            && !line.contains("filename")
    });
    if !names_token {
        return First::NoToken;
    }
    let value = &rest[end + 4..];
    let Some(close) = find(value, format!("\r\n--{boundary}").as_bytes()) else { return First::NeedMore };
    std::str::from_utf8(&value[..close]).map_or(First::NoToken, |t| First::Token(t.to_owned()))
}

/// Reads the first part of `req`'s multipart body for its CSRF token and gives the body
/// back whole to the handler.
pub async fn token(req: &mut ServiceRequest, boundary: &str) -> Result<Option<String>, PayloadError> {
    let mut payload = req.take_payload();
    let mut head = BytesMut::new();
    let found = loop {
        match first_part(&head, boundary) {
            First::Token(t) => break Some(t),
            First::NoToken => break None,
            First::NeedMore if head.len() >= HEAD_LIMIT => break None,
            First::NeedMore => match payload.next().await {
                Some(chunk) => {
                    let chunk: Bytes = chunk?;
                    head.extend_from_slice(&chunk);
                }
                None => break None,
            },
        }
    };
    let head: Bytes = head.freeze();
    let whole = stream::once(async move { Ok::<_, PayloadError>(head) }).chain(payload);
    req.set_payload(Payload::Stream { payload: Box::pin(whole) });
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_the_first_part_only() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF";
        assert_eq!(first_part(body, "XyZ"), First::Token("abc123".into()));
        assert_eq!(first_part(&body[..60], "XyZ"), First::NeedMore);
        let later = b"--XyZ\r\nContent-Disposition: form-data; name=\"tlp\"\r\n\r\nTLP:RED\r\n--XyZ\r\n";
        assert_eq!(first_part(later, "XyZ"), First::NoToken, "a token that is not first counts for nothing");
        let file_first = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"; filename=\"t\"\r\n\r\nabc\r\n--XyZ";
        assert_eq!(first_part(file_first, "XyZ"), First::NoToken);
    }

    #[test]
    fn the_boundary_comes_from_the_content_type() {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, "multipart/form-data; boundary=\"ab-cd\"".parse().expect("value"));
        assert_eq!(boundary(&h).as_deref(), Some("ab-cd"));
        h.insert(header::CONTENT_TYPE, "application/x-www-form-urlencoded".parse().expect("value"));
        assert_eq!(boundary(&h), None);
    }
}
