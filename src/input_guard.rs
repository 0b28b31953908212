//! The backstop of the input rule (`domain::text`): a request whose path, query or form
//! body carries a control character that no field may hold (a NUL, an escape; tabs and
//! line breaks are left to each form's own rule) never reaches a handler, so it can neither
//! be stored nor make the database fail. Each form still checks its own fields and puts
//! its messages beside them; this covers every route, including forms added later.

use actix_web::{
    Error, HttpMessage as _, HttpResponse,
    body::{EitherBody, MessageBody},
    dev::{Payload, ServiceRequest, ServiceResponse},
    http::{StatusCode, header},
    middleware::Next,
    web::{self, Bytes, BytesMut},
};
use futures_util::StreamExt as _;
use serde::Serialize;

use crate::{
    domain::text::never_allowed,
    render::{
        problem::{FieldProblem, Problem},
        render,
    },
    state::AppState,
};

/// The largest body this guard reads; the session middleware has already refused larger
/// ones for the CSRF check, so this only bounds a request that skipped it.
const BODY_LIMIT: usize = 2 * 1024 * 1024;

#[derive(Serialize)]
struct Refused {
    status: u16,
    title: &'static str,
    message: String,
}

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    // actix decodes the path before routing, so `%00` in a slug would reach a query.
    if never_allowed(req.match_info().as_str()).is_some() || never_allowed(req.path()).is_some() {
        return Ok(req.into_response(HttpResponse::NotFound().finish()).map_into_right_body());
    }
    if let Some(field) = bad_field(req.query_string().as_bytes()) {
        return Ok(refuse(req, &field));
    }
    if is_form(&req) {
        let mut payload = req.take_payload();
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk?;
            if body.len() + chunk.len() > BODY_LIMIT {
                return Ok(req.into_response(HttpResponse::PayloadTooLarge().finish()).map_into_right_body());
            }
            body.extend_from_slice(&chunk);
        }
        let body: Bytes = body.freeze();
        let found = bad_field(&body);
        req.set_payload(Payload::from(body));
        if let Some(field) = found {
            return Ok(refuse(req, &field));
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}

fn is_form(req: &ServiceRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// The name of the first field whose name or value holds a character no field may hold.
/// Only the name goes back to the person, never the value (it may be a password).
fn bad_field(encoded: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(encoded).find_map(|(name, value)| {
        (never_allowed(&name).is_some() || never_allowed(&value).is_some()).then(|| {
            let printable: String = name.chars().filter(|c| !c.is_control()).take(40).collect();
            printable
        })
    })
}

fn refuse<B>(req: ServiceRequest, field: &str) -> ServiceResponse<EitherBody<B>> {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    tracing::warn!(field, "refused a form holding a control character");
    if req.path().starts_with("/api/") {
        // The JSON API answers problem details: a 400 naming the parameter.
        let detail = format!("The parameter “{field}” holds a control character (such as a NUL byte).");
        let mut problem = Problem::new(StatusCode::BAD_REQUEST, Some(detail.clone()));
        problem.errors.push(FieldProblem { pointer: field.to_owned(), detail });
        let mut res = problem.response();
        res.extensions_mut().insert(crate::middleware::OwnErrorPage);
        return req.into_response(res).map_into_right_body();
    }
    let page = Refused {
        status: status.as_u16(),
        title: "Characters that cannot be stored",
        message: format!(
            "The field “{field}” holds a control character (such as a NUL byte) that no field \
             accepts. Go back, remove it and send the form again. Nothing was changed."
        ),
    };
    let body = req
        .app_data::<web::Data<AppState>>()
        .and_then(|s| render(&s.tera, "errors/error.html", &page).ok())
        .unwrap_or_else(|| format!("<!doctype html><title>{}</title><p>{}", page.title, page.message));
    let res = HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body);
    req.into_response(res).map_into_right_body()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_holding_a_nul_is_named_without_its_value() {
        assert_eq!(bad_field(b"csrf_token=x&name=Al%00ice"), Some("name".to_owned()));
        assert_eq!(bad_field(b"pass%01word=x"), Some("password".to_owned()));
    }

    #[test]
    fn tabs_and_line_breaks_are_left_to_the_forms() {
        assert_eq!(bad_field(b"abstract=one%0D%0Atwo%09three&title=a%0Ab"), None);
        assert_eq!(bad_field(b"name=%E2%80%AEcert"), None, "bidi characters are the form's to refuse");
    }
}
