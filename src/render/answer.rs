//! The answers that are not pages: redirects, downloads, and how an [`AppError`] answers (its
//! status with an empty body, which `middleware::error_page` dresses in the fixed page,
//! or a redirect to the sign-in step it needs).

use actix_web::{HttpResponse, ResponseError, http::StatusCode, http::header};

use crate::error::{AppError, chain};

/// 303 See Other to `location`: the answer to every successful form post.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_owned())).finish()
}

/// A file to save (`Content-Disposition: attachment`), never stored by caches: exports.
pub fn attachment(content_type: &str, filename: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")))
        .insert_header(header::CacheControl(vec![header::CacheDirective::NoStore]))
        .body(body)
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(status = status.as_u16(), error = %chain(self), "request failed");
        }
        match self {
            Self::SignInRequired => see_other("/login"),
            Self::SecondStepRequired(path) => see_other(path),
            _ => HttpResponse::build(status).finish(),
        }
    }
}
