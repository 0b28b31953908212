//! Page rendering: Tera is loaded once at start-up; each page passes a typed struct.

use std::path::Path;

use actix_web::HttpResponse;
use anyhow::Context as _;
use serde::Serialize;
use tera::{Context, Tera};

use crate::error::AppError;

/// Loads every template below `dir`: pages (`*.html`, autoescaped by their extension)
/// and the email triplets (`*.txt` parts are plain text, never escaped).
pub fn load_templates(dir: &Path) -> anyhow::Result<Tera> {
    let glob = dir.join("**").join("*.{html,txt}");
    let glob = glob.to_str().context("the templates folder is not valid UTF-8")?;
    Tera::new(glob).with_context(|| format!("loading templates from {}", dir.display()))
}

/// Renders `template` with `page` as its context.
pub fn render<T: Serialize>(tera: &Tera, template: &str, page: &T) -> Result<String, tera::Error> {
    tera.render(template, &Context::from_serialize(page)?)
}

/// A 200 HTML page.
pub fn page<T: Serialize>(tera: &Tera, template: &str, page: &T) -> Result<HttpResponse, AppError> {
    let body = render(tera, template, page).map_err(AppError::Render)?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(body))
}
