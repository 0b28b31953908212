//! `/`: what the service is and who it is for.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::{error::AppError, render::page, startup::AppState};

#[derive(Serialize)]
struct Home {
    title: &'static str,
}

pub async fn show(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    page(
        &state.tera,
        "pages/public/home.html",
        &Home { title: "Annual Technical Meeting of CSIRTs with National Responsibility" },
    )
}
