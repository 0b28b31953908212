//! `/me`: who is signed in and what comes next. Registrations are added by the vetting
//! feature.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::{
    auth::guard::SignedIn,
    error::AppError,
    render::{Layout, page},
    startup::AppState,
};

#[derive(Serialize)]
struct MePage {
    title: &'static str,
    layout: Layout,
    name: String,
    email: String,
    is_organizer: bool,
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
) -> Result<HttpResponse, AppError> {
    let u = who.0.user;
    let data = MePage {
        title: "My account",
        layout,
        name: u.name.clone(),
        email: u.email.clone(),
        is_organizer: u.is_organizer(),
    };
    page(&state.tera, "pages/me/home.html", &data)
}
