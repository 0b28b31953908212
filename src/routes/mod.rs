//! The single route table: the whole URL space at a glance (see PAGES.md).

mod health;
mod public;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(public::home::show)).route("/healthz", web::get().to(health::check));
}
