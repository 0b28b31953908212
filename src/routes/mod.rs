//! The single route table: the whole URL space at a glance (see PAGES.md), with the role
//! guard of each scope visible where the scope is declared.

// Crate-visible for `admin::teams::import_rows`, which `csirt-meet import-teams` shares.
pub(crate) mod admin;
mod agenda;
mod attendees;
mod confirm;
mod favicon;
pub mod feeds;
mod form_errors;
mod health;
mod me;
mod public;
pub mod security_txt;

use actix_web::{middleware::from_fn, web};

use crate::auth::guard;

pub fn configure(cfg: &mut web::ServiceConfig) {
    use public::{enroll, home, invitations, login, password_reset, register, second_factor, setup, verify};
    // Anyone.
    cfg.route("/", web::get().to(home::show))
        .route("/healthz", web::get().to(health::check))
        .route("/favicon.ico", web::get().to(favicon::show))
        .route(security_txt::PATH, web::get().to(security_txt::show))
        .route("/feeds/{token}.ics", web::get().to(feeds::show))
        .service(web::resource("/login").get(login::form).post(login::submit))
        .route("/logout", web::post().to(login::logout))
        .service(web::resource("/login/second-factor").get(second_factor::form).post(second_factor::submit))
        .service(web::resource("/setup/{token}").get(setup::form).post(setup::submit))
        .service(web::resource("/invitations/{token}").get(invitations::form).post(invitations::submit))
        .service(web::resource("/register").get(register::form).post(register::submit))
        .service(web::resource("/verify/{token}").get(verify::form).post(verify::submit))
        .service(
            web::resource("/password/forgot")
                .get(password_reset::forgot_form)
                .post(password_reset::forgot_submit),
        )
        .service(
            web::resource("/password/reset/{token}").get(password_reset::form).post(password_reset::submit),
        )
        // After the password step, before the second one (organizers must set it up).
        .service(web::resource("/me/second-factor").get(enroll::form).post(enroll::submit))
        .route("/me/second-factor/start", web::post().to(enroll::start));

    // Signed in.
    cfg.service(
        web::scope("/me")
            .wrap(from_fn(guard::signed_in))
            .route("", web::get().to(me::home::show))
            .route("/agenda", web::get().to(me::agenda::show))
            .route("/security", web::get().to(me::security::show))
            .route("/calendar", web::get().to(me::calendar::show))
            .route("/calendar/{id}/feed", web::post().to(me::calendar::new_feed))
            .route("/calendar/{id}/choices", web::post().to(me::calendar::save_choices))
            .route("/password", web::post().to(me::security::change_password))
            .route("/sessions/end-all", web::post().to(me::security::end_all))
            .route("/second-factor/off", web::post().to(me::two_step::turn_off))
            .route("/recovery-codes", web::post().to(me::two_step::new_recovery_codes))
            .service(
                web::resource("/registrations/{id}")
                    .get(me::registration::show)
                    .post(me::registration::update),
            )
            .route("/registrations/{id}/withdraw", web::post().to(me::withdraw::submit))
            .route("/privacy", web::get().to(me::privacy::show))
            .route("/privacy/data.json", web::get().to(me::export::download))
            .route("/privacy/delete", web::post().to(me::privacy::delete)),
    );

    // Signed in; each handler lets in only approved attendees of the meeting and organizers.
    cfg.service(
        web::scope("/meetings")
            .wrap(from_fn(guard::signed_in))
            .route("/{slug}/agenda", web::get().to(agenda::view::show))
            .route("/{slug}/changes", web::get().to(agenda::changes::show))
            .route("/{slug}/attendees", web::get().to(attendees::list))
            // Before `{id}`, which would take "7.ics" for an id.
            .route("/{slug}/sessions/{id}.ics", web::get().to(agenda::download::ics))
            .route("/{slug}/sessions/{id}", web::get().to(agenda::session::show))
            .route("/{slug}/sessions/{id}/pick", web::post().to(agenda::picks::pick))
            .route("/{slug}/sessions/{id}/unpick", web::post().to(agenda::picks::unpick)),
    );

    // Organizers.
    cfg.service(
        web::scope("/admin")
            .wrap(from_fn(guard::organizers))
            .route("", web::get().to(admin::dashboard::show))
            .route("/organizers", web::get().to(admin::organizers::list))
            .route("/organizers/invite", web::post().to(admin::organizers::invite))
            .route(
                "/organizers/invitations/{id}/revoke",
                web::post().to(admin::organizers::revoke_invitation),
            )
            .route("/organizers/{id}/disable", web::post().to(admin::organizers::disable))
            .route("/organizers/{id}/enable", web::post().to(admin::organizers::enable))
            .route(
                "/organizers/{id}/reset-second-factor",
                web::post().to(admin::organizers::reset_second_factor),
            )
            .route("/meetings", web::get().to(admin::meetings::list))
            .route("/meetings", web::post().to(admin::meetings::create))
            .route("/meetings/new", web::get().to(admin::meetings::new))
            .route("/meetings/{slug}", web::get().to(admin::meetings::show))
            .route("/meetings/{slug}", web::post().to(admin::meetings::update))
            .route("/meetings/{slug}/cancel", web::post().to(admin::meetings::cancel))
            .route("/meetings/{slug}/reopen", web::post().to(admin::meetings::reopen))
            .service(
                web::resource("/meetings/{slug}/invitations")
                    .get(admin::invitations::list)
                    .post(admin::invitations::create),
            )
            .route("/meetings/{slug}/invitations/{id}/revoke", web::post().to(admin::invitations::revoke))
            .route("/meetings/{slug}/agenda", web::get().to(admin::agenda::show))
            .route("/meetings/{slug}/agenda/publish", web::post().to(admin::agenda::publish::submit))
            .route("/meetings/{slug}/agenda/sessions", web::post().to(admin::agenda::sessions::create))
            .route("/meetings/{slug}/agenda/sessions/new", web::get().to(admin::agenda::sessions::new))
            .service(
                web::resource("/meetings/{slug}/agenda/sessions/{id}")
                    .get(admin::agenda::sessions::edit)
                    .post(admin::agenda::sessions::update),
            )
            .route(
                "/meetings/{slug}/agenda/sessions/{id}/cancel",
                web::post().to(admin::agenda::sessions::cancel),
            )
            .route(
                "/meetings/{slug}/agenda/sessions/{id}/reinstate",
                web::post().to(admin::agenda::sessions::reinstate),
            )
            .route("/meetings/{slug}/agenda/tracks", web::post().to(admin::agenda::setup::add_track))
            .route("/meetings/{slug}/agenda/tracks/{id}", web::post().to(admin::agenda::setup::edit_track))
            .route("/meetings/{slug}/agenda/rooms", web::post().to(admin::agenda::setup::add_room))
            .route("/meetings/{slug}/agenda/rooms/{id}", web::post().to(admin::agenda::setup::edit_room))
            .route("/meetings/{slug}/registrations", web::get().to(admin::registrations::list))
            .service(
                web::resource("/meetings/{slug}/announce")
                    .get(admin::announce::form)
                    .post(admin::announce::submit),
            )
            .route("/meetings/{slug}/registrations.csv", web::get().to(admin::registrations::csv))
            .route("/meetings/{slug}/registrations/bulk", web::post().to(admin::registrations::bulk))
            .route(
                "/meetings/{slug}/registrations/{id}/decision",
                web::post().to(admin::registrations::decide),
            )
            .route(
                "/meetings/{slug}/registrations/{id}/reset-second-factor",
                web::post().to(admin::registrations::reset_second_factor),
            )
            .service(web::resource("/teams").get(admin::teams::list::show).post(admin::teams::edit::create))
            .route("/teams/new", web::get().to(admin::teams::edit::new))
            .service(
                web::resource("/teams/import")
                    .app_data(admin::teams::import::form_config())
                    .get(admin::teams::import::form)
                    .post(admin::teams::import::submit),
            )
            .service(
                web::resource("/teams/{id}").get(admin::teams::edit::show).post(admin::teams::edit::update),
            )
            .route("/teams/{id}/suspend", web::post().to(admin::teams::status::suspend))
            .route("/teams/{id}/reinstate", web::post().to(admin::teams::status::reinstate))
            .route("/audit", web::get().to(admin::audit::list))
            .route("/mail", web::get().to(admin::mail::show))
            .route("/mail/retry", web::post().to(admin::mail::retry)),
    );
}
