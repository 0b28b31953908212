//! RFC 9457 problem details: how every error of the JSON API answers
//! (`application/problem+json`), those of its handlers (`routes::api::ApiError`) and those
//! no handler wrote (an unknown path, a method a path does not serve, a refused request),
//! which `middleware::error_page` dresses as a problem under `/api/` instead of a page.

use actix_web::{HttpResponse, http::StatusCode};
use serde::Serialize;
use utoipa::ToSchema;

pub const CONTENT_TYPE: &str = "application/problem+json";

/// A problem: what went wrong, never a cause from inside the server.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// `about:blank`: the status says what kind of problem it is.
    #[serde(rename = "type")]
    #[schema(example = "about:blank")]
    pub kind: &'static str,
    /// The status's reason phrase.
    pub title: String,
    pub status: u16,
    /// What went wrong, for a person to read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For a request body or parameters that were refused: each field at fault.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// One field at fault: a JSON Pointer (RFC 6901) into the body, or a parameter's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldProblem {
    #[schema(example = "/decision")]
    pub pointer: String,
    pub detail: String,
}

impl Problem {
    pub fn new(status: StatusCode, detail: Option<String>) -> Problem {
        Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            errors: Vec::new(),
        }
    }

    /// The answer: this problem as `application/problem+json` with its status.
    pub fn response(&self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        HttpResponse::build(status).content_type(CONTENT_TYPE).json(self)
    }
}

/// The fixed words of a status no handler explained (the counterpart of the error pages).
pub fn generic_detail(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "The request could not be read.",
        StatusCode::NOT_FOUND => "There is nothing at this address.",
        StatusCode::METHOD_NOT_ALLOWED => "This address does not accept that method.",
        StatusCode::PAYLOAD_TOO_LARGE => "The request is larger than this address accepts.",
        StatusCode::FORBIDDEN => "This request is not allowed.",
        StatusCode::CONFLICT => "Someone changed this at the same time. Try again.",
        StatusCode::SERVICE_UNAVAILABLE => "The service is busy or restarting. Try again in a minute.",
        _ => "The error has been logged for the organizers. Try again later.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_serialises_with_the_rfc_9457_members() {
        let mut p = Problem::new(StatusCode::BAD_REQUEST, Some("The body is not valid JSON.".into()));
        p.errors.push(FieldProblem { pointer: "/decision".into(), detail: "missing".into() });
        let json = serde_json::to_value(&p).expect("serialises");
        assert_eq!(json["type"], "about:blank");
        assert_eq!(json["title"], "Bad Request");
        assert_eq!(json["status"], 400);
        assert_eq!(json["errors"][0]["pointer"], "/decision");
        let bare = serde_json::to_value(Problem::new(StatusCode::NOT_FOUND, None)).expect("serialises");
        assert!(bare.get("detail").is_none() && bare.get("errors").is_none());
    }
}
