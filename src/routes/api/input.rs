//! Reading what a request sends the API: a JSON body ([`Body`], at most [`BODY_LIMIT`]
//! bytes, its faults named by a JSON Pointer) and query parameters ([`Query`], each fault
//! named by its parameter), and the cursor pagination every list shares ([`Page`]).

use std::{collections::HashMap, future::Future, pin::Pin};

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web::BytesMut};
use futures_util::StreamExt as _;
use serde::de::DeserializeOwned;
use utoipa::IntoParams;

use super::error::ApiError;
use crate::render::problem::FieldProblem;

/// The largest body the API reads.
pub const BODY_LIMIT: usize = 64 * 1024;

/// A JSON body of type `T` (whose fields are `deny_unknown_fields`).
pub struct Body<T>(pub T);

/// `serde_path_to_error`'s path as a JSON Pointer, with the field a "missing field" or
/// "unknown field" message names appended.
fn pointer(path: &serde_path_to_error::Path, message: &str) -> String {
    use serde_path_to_error::Segment;
    let escape = |s: &str| s.replace('~', "~0").replace('/', "~1");
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => out.push_str(&format!("/{}", escape(key))),
            Segment::Enum { variant } => out.push_str(&format!("/{}", escape(variant))),
            Segment::Unknown => {}
        }
    }
    let named = ["missing field `", "unknown field `"]
        .iter()
        .find_map(|start| message.strip_prefix(start))
        .and_then(|rest| rest.split('`').next());
    if let Some(field) = named
        && !out.ends_with(&format!("/{}", escape(field)))
    {
        out.push_str(&format!("/{}", escape(field)));
    }
    out
}

/// Parses `bytes` as `T`, naming the field at fault.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    let value = parsed.map_err(|e| {
        let inner = e.inner();
        // serde's message without serde_json's "at line 1 column 9".
        let message = inner.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
        let pointer =
            if inner.is_syntax() || inner.is_eof() { String::new() } else { pointer(e.path(), &message) };
        let detail = if inner.is_syntax() || inner.is_eof() {
            format!("The body is not valid JSON: {message}.")
        } else if pointer.is_empty() {
            format!("The body does not fit: {message}.")
        } else {
            format!("{pointer}: {message}.")
        };
        ApiError::BadInput(detail.clone(), vec![FieldProblem { pointer, detail }])
    })?;
    de.end().map_err(|_| ApiError::field("", "The body holds more than one JSON value."))?;
    Ok(value)
}

impl<T: DeserializeOwned + 'static> FromRequest for Body<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        let mut payload = payload.take();
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::field("", "Send the body as application/json."));
            }
            let mut body = BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| ApiError::field("", "The body could not be read."))?;
                if body.len() + chunk.len() > BODY_LIMIT {
                    return Err(ApiError::field(
                        "",
                        format!("The body is larger than {} KiB.", BODY_LIMIT / 1024),
                    ));
                }
                body.extend_from_slice(&chunk);
            }
            parse(&body).map(Body)
        })
    }
}

/// The query parameters, each once; an unknown one is refused, so a typo does not
/// silently list everything.
pub struct Query(HashMap<String, String>);

impl Query {
    pub fn of(req: &HttpRequest, known: &[&str]) -> Result<Query, ApiError> {
        let mut map = HashMap::new();
        let mut faults = Vec::new();
        for (key, value) in url::form_urlencoded::parse(req.query_string().as_bytes()) {
            let key = key.into_owned();
            if !known.contains(&key.as_str()) {
                faults
                    .push(FieldProblem { pointer: key, detail: "This parameter is not known here.".into() });
            } else if map.insert(key.clone(), value.into_owned()).is_some() {
                faults.push(FieldProblem { pointer: key, detail: "Give this parameter once.".into() });
            }
        }
        if !faults.is_empty() {
            return Err(ApiError::BadInput("Some query parameters are not accepted.".into(), faults));
        }
        Ok(Query(map))
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// The page asked for: `cursor` and `limit`.
    pub fn page(&self) -> Result<Page, ApiError> {
        let after = match self.get("cursor") {
            None | Some("") => None,
            Some(raw) => Some(
                raw.parse::<i64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| ApiError::field("cursor", "Use the next_cursor of the page before."))?,
            ),
        };
        let limit = match self.get("limit") {
            None | Some("") => Page::DEFAULT,
            Some(raw) => {
                raw.parse::<i64>().ok().filter(|n| (1..=Page::MAX).contains(n)).ok_or_else(|| {
                    ApiError::field("limit", format!("Give a number from 1 to {}.", Page::MAX))
                })?
            }
        };
        Ok(Page { after, limit })
    }
}

/// The pagination parameters every list takes (documented once).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PageParams {
    /// The `next_cursor` of the page before; none for the first page.
    cursor: Option<String>,
    /// Items per page, 1 to 100 (50 when not given).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<i64>,
}

/// A page by cursor: the items after the id `after` (ordered by id), at most `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub after: Option<i64>,
    pub limit: i64,
}

impl Page {
    pub const DEFAULT: i64 = 50;
    pub const MAX: i64 = 100;

    /// Rows to fetch: one more than the page, to know whether another follows.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }

    /// The page's items and the cursor of the next page, from `rows` (at most `fetch()`,
    /// ordered by id) and each row's id.
    pub fn split<T>(&self, mut rows: Vec<T>, id: impl Fn(&T) -> i64) -> (Vec<T>, Option<String>) {
        let more = rows.len() as i64 > self.limit;
        rows.truncate(self.limit as usize);
        let next = if more { rows.last().map(|r| id(r).to_string()) } else { None };
        (rows, next)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Decision {
        decision: String,
        reason: Option<String>,
        teams: Option<Vec<Inner>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        name: String,
    }

    fn fault(body: &str) -> (String, String) {
        match parse::<Decision>(body.as_bytes()) {
            Err(ApiError::BadInput(detail, fields)) => (fields[0].pointer.clone(), detail),
            other => panic!("refused: {other:?}"),
        }
    }

    #[test]
    fn a_fault_names_its_field_as_a_json_pointer() {
        assert_eq!(fault(r#"{"reason": "x"}"#).0, "/decision");
        assert_eq!(fault(r#"{"decision": 5}"#).0, "/decision");
        assert_eq!(fault(r#"{"decision": "a", "extra": 1}"#).0, "/extra");
        assert_eq!(fault(r#"{"decision": "a", "teams": [{"name": "x"}, {"name": 1}]}"#).0, "/teams/1/name");
        let (pointer, detail) = fault(r#"{"decision": "#);
        assert_eq!(pointer, "");
        assert!(detail.starts_with("The body is not valid JSON"), "{detail}");
        assert_eq!(fault(r#"{"decision": "a"} {}"#).0, "");
    }

    #[test]
    fn a_page_splits_off_the_extra_row_as_the_next_cursor() {
        let page = Page { after: None, limit: 2 };
        assert_eq!(page.split(vec![1, 2, 3], |n| *n), (vec![1, 2], Some("2".to_owned())));
        assert_eq!(page.split(vec![1, 2], |n| *n), (vec![1, 2], None));
    }
}
