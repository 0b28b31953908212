//! The pages of the setup: the password step, the secret with its QR code, and the
//! recovery codes (the last two hold secrets, so no cache may keep them).

use actix_web::{HttpResponse, http::StatusCode};
use serde::Serialize;

use crate::{
    auth::session::CurrentSession,
    domain::totp::{self, TotpSecret},
    error::AppError,
    render::{Layout, page, page_with_status},
    routes::form_errors::FormErrors,
    state::AppState,
};

#[derive(Serialize)]
struct StartPage {
    title: &'static str,
    layout: Layout,
    required: bool,
    errors: FormErrors,
}

pub(super) fn start_page(
    state: &AppState,
    layout: Layout,
    s: &CurrentSession,
    errors: FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let data = StartPage {
        title: "Set up two-step sign-in",
        layout,
        required: s.user.needs_second_factor(),
        errors,
    };
    page_with_status(status, &state.tera, "pages/me/second_factor_start.html", &data)
}

#[derive(Serialize)]
struct SetupPage {
    title: &'static str,
    layout: Layout,
    secret: String,
    otpauth_uri: String,
    /// The otpauth URI as a QR code, an inline `<svg>` made by `crate::qr`.
    qr_svg: String,
    required: bool,
    errors: FormErrors,
}

/// The setup page for `secret`: the key as text and as a QR code. It holds the secret, so
/// no cache (browser or proxy) may keep it.
pub(super) fn setup_page(
    state: &AppState,
    layout: Layout,
    s: &CurrentSession,
    secret: &TotpSecret,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let otpauth_uri = totp::otpauth_uri(secret, "NatCSIRT meeting", &s.user.email);
    let qr_svg = crate::qr::svg(&otpauth_uri, "QR code with the setup address for your authenticator app")
        .map_err(|e| AppError::Unexpected(anyhow::Error::new(e).context("drawing the setup address")))?;
    let data = SetupPage {
        title: "Set up two-step sign-in",
        layout,
        secret: secret.to_base32(),
        otpauth_uri,
        qr_svg,
        required: s.user.needs_second_factor(),
        errors,
    };
    let status = data.errors.status();
    // It holds the secret: like every answer to a session it is not stored (middleware::cache).
    page_with_status(status, &state.tera, "pages/me/second_factor_setup.html", &data)
}

#[derive(Serialize)]
struct CodesPage {
    title: &'static str,
    layout: Layout,
    codes: Vec<String>,
    flash: &'static str,
}

/// The recovery codes, shown once (not stored by any cache: middleware::cache).
pub fn codes_page(
    state: &AppState,
    layout: Layout,
    codes: Vec<String>,
    flash: &'static str,
) -> Result<HttpResponse, AppError> {
    let data = CodesPage { title: "Your recovery codes", layout, codes, flash };
    page(&state.tera, "pages/me/recovery_codes.html", &data)
}
