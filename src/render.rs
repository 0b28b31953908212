//! Page rendering: Tera is loaded once at start-up; each page passes a typed struct.

use std::path::Path;

use actix_web::HttpResponse;
use anyhow::Context as _;
use serde::Serialize;
use tera::{Context, Tera};

use crate::error::AppError;

/// Loads every `*.html` template below `dir` (autoescaped by their extension).
pub fn load_templates(dir: &Path) -> anyhow::Result<Tera> {
    let glob = dir.join("**").join("*.html");
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
