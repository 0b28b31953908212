//! The single route table: the whole URL space at a glance (see docs/PAGES.md), with the
//! role guard of each scope visible where the scope is declared.
//!
//! The table is data ([`table::route_table!`]): it yields `configure`, which the app
//! registers, and [`TABLE`], which the guard matrix test (`tests/api/guard_matrix/`)
//! walks with every role. To add a route, add a line to the group whose guard fits:
//! `"/path/{param}" => get(module::handler), post(module::other);` (one line per path,
//! `get` and/or `post`; a resource setting goes in brackets before the `;`, as for the
//! team import). Then give it an expectation in the matrix test, which fails naming any
//! route it has none for. Every `get` also answers HEAD: a handler that writes on GET
//! (bookkeeping) must skip the write when [`table::is_head`].

mod admin;
mod agenda;
pub mod api;
mod attendees;
mod confirm;
mod endorsements;
mod favicon;
mod feedback;
pub mod feeds;
mod form_errors;
mod health;
mod materials;
mod me;
pub mod organizer_key;
mod practical;
mod proposals;
mod public;
mod review;
pub mod security_txt;
pub mod table;

use crate::auth::guard;
use public::{enroll, home, invitations, login, password_reset, register, second_factor, setup, verify};
use table::route_table;

route_table! {
    // Anyone.
    public {
        "/" => get(home::show);
        "/healthz" => get(health::check);
        "/favicon.ico" => get(favicon::show);
        "/.well-known/security.txt" => get(security_txt::show);
        "/openpgp-key.asc" => get(organizer_key::show);
        "/feeds/{token}.ics" => get(feeds::show);
        "/feeds/organizer/{token}.ics" => get(feeds::organizer);
        "/schedules/{token}/{file}" => get(feeds::schedule);
        "/login" => get(login::form), post(login::submit);
        "/logout" => post(login::logout);
        "/login/second-factor" => get(second_factor::form), post(second_factor::submit);
        "/setup/{token}" => get(setup::form), post(setup::submit);
        "/invitations/{token}" => get(invitations::form), post(invitations::submit);
        "/register" => get(register::form), post(register::submit);
        "/verify/{token}" => get(verify::form), post(verify::submit);
        "/speakers/{token}" => get(proposals::confirm::form), post(proposals::confirm::submit);
        "/endorsements/{token}" => get(endorsements::form), post(endorsements::submit);
        "/password/forgot" => get(password_reset::forgot_form), post(password_reset::forgot_submit);
        "/password/reset/{token}" => get(password_reset::form), post(password_reset::submit);
        // After the password step, before the second one (organizers must set it up).
        "/me/second-factor" => get(enroll::form), post(enroll::submit);
        "/me/second-factor/start" => post(enroll::start);
    }

    // Signed in.
    scope "/me" guarded by guard::signed_in {
        "" => get(me::home::show);
        "/agenda" => get(me::agenda::show);
        "/security" => get(me::security::show);
        "/calendar" => get(me::calendar::show);
        "/calendar/{id}/feed" => post(me::calendar::new_feed);
        "/calendar/{id}/schedule" => post(me::calendar::new_schedule);
        "/calendar/{id}/choices" => post(me::calendar::save_choices);
        "/password" => post(me::security::change_password);
        "/sessions/end-all" => post(me::security::end_all);
        "/api-tokens" => post(me::api_tokens::create);
        "/api-tokens/{id}/revoke" => post(me::api_tokens::revoke);
        "/second-factor/off" => post(me::two_step::turn_off);
        "/recovery-codes" => post(me::two_step::new_recovery_codes);
        "/registrations/{id}" => get(me::registration::show), post(me::registration::update);
        "/registrations/{id}/withdraw" => post(me::withdraw::submit);
        "/registrations/{id}/badge" => post(me::badge::update);
        "/registrations/{id}/sharing" => post(me::sharing::update);
        // Approved attendees of any meeting (others 403).
        "/openpgp" => get(me::openpgp::show), post(me::openpgp::save) [me::openpgp::form_config()];
        "/openpgp/remove" => post(me::openpgp::remove);
        "/registrations/{id}/offer/accept" => post(me::offer::accept);
        "/registrations/{id}/offer/decline" => post(me::offer::decline);
        "/privacy" => get(me::privacy::show);
        "/privacy/data.json" => get(me::export::download);
        "/privacy/delete" => post(me::privacy::delete);
    }

    // Signed in; each handler lets in only approved attendees of the meeting and organizers.
    scope "/meetings" guarded by guard::signed_in {
        "/{slug}/agenda" => get(agenda::view::show);
        "/{slug}/changes" => get(agenda::changes::show);
        "/{slug}/attendees" => get(attendees::list);
        "/{slug}/attendees/keys.asc" => get(attendees::keyring::download);
        "/{slug}/attendees/contacts.vcf" => get(attendees::contacts::download);
        "/{slug}/practical" => get(practical::show);
        // Proposers only: approved attendees, or pending ones when the call allows.
        "/{slug}/proposals" => get(proposals::list), post(proposals::create);
        "/{slug}/proposals/{id}" => get(proposals::show), post(proposals::update);
        "/{slug}/proposals/{id}/withdraw" => post(proposals::withdraw);
        "/{slug}/proposals/{id}/speakers/remove" => post(proposals::remove_speaker);
        // Before `{id}`, which would take "7.ics" for an id.
        "/{slug}/sessions/{id}.ics" => get(agenda::download::ics);
        "/{slug}/days/{date}.ics" => get(agenda::download::day);
        "/{slug}/sessions/{id}" => get(agenda::session::show);
        "/{slug}/sessions/{id}/pick" => post(agenda::picks::pick);
        "/{slug}/sessions/{id}/unpick" => post(agenda::picks::unpick);
        "/{slug}/sessions/{id}/feedback" => get(feedback::session::form), post(feedback::session::submit);
        "/{slug}/survey" => get(feedback::survey::form), post(feedback::survey::submit);
        // Materials: readers of the session page; uploading also needs `may_upload`.
        "/{slug}/sessions/{id}/materials" => get(materials::upload::form), post(materials::upload::submit);
        "/{slug}/sessions/{id}/materials/{material}" => get(materials::download::file);
        "/{slug}/sessions/{id}/materials/{material}/delete" => post(materials::delete::submit);
    }

    // Organizers and reviewers: the registration review. Before `/admin`, whose scope would
    // take these paths; a scope answers 404 for a path of its prefix it does not hold, so
    // all of the queue's sub-paths live here (`registrations.csv` is another segment and
    // stays under `/admin`). Handlers that are organizers' only take `Organizer`.
    scope "/review" guarded by guard::reviewers {
        "" => get(review::show);
    }
    scope "/admin/meetings/{slug}/registrations" guarded by guard::reviewers {
        "" => get(admin::registrations::list);
        "/bulk" => post(admin::registrations::bulk);
        "/{id}" => get(admin::registrations::show);
        "/{id}/decision" => post(admin::registrations::decide);
        "/{id}/reset-second-factor" => post(admin::registrations::reset_second_factor);
    }

    // Organizers.
    scope "/admin" guarded by guard::organizers {
        "" => get(admin::dashboard::show);
        "/organizers" => get(admin::organizers::list);
        "/organizers/invite" => post(admin::organizers::invite);
        "/organizers/invitations/{id}/revoke" => post(admin::organizers::revoke_invitation);
        "/organizers/{id}/disable" => post(admin::organizers::disable);
        "/organizers/{id}/enable" => post(admin::organizers::enable);
        "/organizers/{id}/reset-second-factor" => post(admin::organizers::reset_second_factor);
        "/editions" => get(admin::editions::list), post(admin::editions::create);
        "/editions/new" => get(admin::editions::new);
        "/editions/{id}" => get(admin::editions::show), post(admin::editions::update);
        "/editions/{id}/delete" => post(admin::editions::delete);
        "/meetings" => get(admin::meetings::list), post(admin::meetings::create);
        "/meetings/new" => get(admin::meetings::new);
        "/meetings/{slug}" => get(admin::meetings::show), post(admin::meetings::update);
        "/meetings/{slug}/cancel" => post(admin::meetings::cancel);
        "/meetings/{slug}/reopen" => post(admin::meetings::reopen);
        "/meetings/{slug}/invitations" => get(admin::invitations::list), post(admin::invitations::create);
        "/meetings/{slug}/invitations/{id}/revoke" => post(admin::invitations::revoke);
        "/meetings/{slug}/invitations/{id}/resend" => post(admin::invitations::resend);
        "/meetings/{slug}/returning" => get(admin::meetings::returning), post(admin::meetings::invite_returning);
        "/meetings/{slug}/agenda" => get(admin::agenda::show);
        "/meetings/{slug}/agenda.csv" => get(admin::agenda::export::csv);
        "/meetings/{slug}/agenda.json" => get(admin::agenda::export::json);
        "/meetings/{slug}/agenda/publish" => post(admin::agenda::publish::submit);
        "/meetings/{slug}/calendar" => get(admin::calendar::show);
        "/meetings/{slug}/calendar/feed" => post(admin::calendar::new_feed);
        "/meetings/{slug}/agenda/sessions" => post(admin::agenda::sessions::create);
        "/meetings/{slug}/agenda/sessions/new" => get(admin::agenda::sessions::new);
        "/meetings/{slug}/agenda/sessions/{id}" =>
            get(admin::agenda::sessions::edit), post(admin::agenda::sessions::update);
        "/meetings/{slug}/agenda/sessions/{id}/cancel" => post(admin::agenda::sessions::cancel);
        "/meetings/{slug}/agenda/sessions/{id}/reinstate" => post(admin::agenda::sessions::reinstate);
        "/meetings/{slug}/agenda/tracks" => post(admin::agenda::setup::add_track);
        "/meetings/{slug}/agenda/tracks/{id}" => post(admin::agenda::setup::edit_track);
        "/meetings/{slug}/agenda/rooms" => post(admin::agenda::setup::add_room);
        "/meetings/{slug}/agenda/rooms/{id}" => post(admin::agenda::setup::edit_room);
        "/meetings/{slug}/questions" => get(admin::questions::list), post(admin::questions::create);
        "/meetings/{slug}/questions/{id}" => get(admin::questions::show), post(admin::questions::update);
        "/meetings/{slug}/questions/{id}/retire" => post(admin::questions::retire);
        "/meetings/{slug}/questions/{id}/restore" => post(admin::questions::restore);
        "/meetings/{slug}/questions/{id}/delete" => post(admin::questions::delete);
        "/meetings/{slug}/announce" => get(admin::announce::form), post(admin::announce::submit);
        "/meetings/{slug}/practical" => get(admin::practical::form), post(admin::practical::save);
        "/meetings/{slug}/call" => get(admin::call::form), post(admin::call::save);
        "/meetings/{slug}/proposals" => get(admin::proposals::list);
        "/meetings/{slug}/proposals/{id}" => get(admin::proposals::show);
        "/meetings/{slug}/proposals/{id}/comments" => post(admin::proposals::comment);
        "/meetings/{slug}/proposals/{id}/score" => post(admin::proposals::score);
        "/meetings/{slug}/proposals/{id}/decision" => post(admin::proposals::decide);
        "/meetings/{slug}/reminders" => get(admin::reminders::form), post(admin::reminders::save);
        "/meetings/{slug}/registrations.csv" => get(admin::registrations::csv);
        "/meetings/{slug}/door-list" => get(admin::meeting_days::door_list);
        "/meetings/{slug}/badges" => get(admin::meeting_days::badges);
        "/meetings/{slug}/checkin" => get(admin::meeting_days::checkin);
        "/meetings/{slug}/checkin/{id}" => post(admin::meeting_days::arrive);
        "/meetings/{slug}/checkin/{id}/undo" => post(admin::meeting_days::undo);
        "/meetings/{slug}/feedback" => get(admin::feedback::overview);
        "/meetings/{slug}/feedback/sessions/{id}" => get(admin::feedback::session);
        "/teams" => get(admin::teams::list::show), post(admin::teams::edit::create);
        "/teams.csv" => get(admin::teams::export::csv);
        "/teams/new" => get(admin::teams::edit::new);
        "/teams/import" =>
            get(admin::teams::import::form), post(admin::teams::import::submit)
            [admin::teams::import::form_config()];
        "/teams/{id}" => get(admin::teams::edit::show), post(admin::teams::edit::update);
        "/teams/{id}/suspend" => post(admin::teams::status::suspend);
        "/teams/{id}/reinstate" => post(admin::teams::status::reinstate);
        "/teams/{id}/domains/confirm" => post(admin::teams::domains::confirm);
        "/roster" => get(admin::roster::show);
        "/roster.csv" => get(admin::roster::csv);
        "/audit" => get(admin::audit::list);
        "/mail" => get(admin::mail::show);
        "/mail/retry" => post(admin::mail::retry);
    }
}
