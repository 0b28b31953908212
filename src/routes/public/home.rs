//! `/`: what the service is and who it is for.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::{
    error::AppError,
    render::{Layout, page},
    startup::AppState,
};

#[derive(Serialize)]
struct Home {
    title: &'static str,
    layout: Layout,
}

pub async fn show(state: web::Data<AppState>, layout: Layout) -> Result<HttpResponse, AppError> {
    let title = "Annual Technical Meeting of CSIRTs with National Responsibility";
    page(&state.tera, "pages/public/home.html", &Home { title, layout })
}
