//! POST `/register`. Whether the address already has an account never shows in the
//! answer: every case looks the address up, queues one email in one transaction and
//! answers the same "check your email" page. No password is asked here (it is chosen on
//! the confirmation page, once the address is proven), so no case hashes one. A new
//! address gets an account without a password, a registration waiting for its
//! confirmation and the confirmation link; an address never proven is registered afresh
//! (the earlier registration, its link and its name are replaced); a proven one gets a
//! note to sign in instead.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Serialize;

use super::{
    Filled, VERIFY_LINK_DAYS, Which,
    account::for_account,
    asked, closed, meeting_for,
    records::{VerifyMail, create, insert_verify_token, team_of},
    refused, show_form, signed_in,
};
use crate::{
    auth::session::Viewer,
    credentials::throttle::client_ip,
    db,
    domain::states::Role,
    domain::{email::Email, registration::Status, token::Token},
    error::AppError,
    models::{answer, outbox, registration, user},
    render::{Layout, page},
    routes::{form_errors::FormErrors, public::answers},
    state::AppState,
};

#[derive(Serialize)]
struct KnownMail {
    meeting: String,
    registered: bool,
    register_link: String,
    me_link: String,
    forgot_link: String,
}

#[derive(Serialize)]
struct Sent {
    title: &'static str,
    layout: Layout,
    email: String,
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    layout: Layout,
    viewer: Viewer,
    which: web::Query<Which>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let Some(m) = meeting_for(&state, &which).await? else {
        return refused(&state, layout, "There is no meeting to register for at the moment.");
    };
    let now = state.clock.now_naive();
    if let Some(message) = closed(&m, now) {
        return refused(&state, layout, message);
    }
    let (mut form, typed) = answers::read(form.into_inner())?;
    form.normalize();
    let asked = asked(&state, &m).await?;
    let mut errors = FormErrors::default();
    let account = signed_in(&viewer).cloned();
    let raw_email = account.as_ref().map_or(form.email.as_str(), |u| u.email.as_str());
    let mut team = None;
    let refused_address = match Email::parse(raw_email) {
        Ok(email) => match team_of(&state, &email).await? {
            Ok(t) => {
                team = Some((email, t));
                None
            }
            Err(message) => Some(message),
        },
        Err(e) => Some(e.to_string()),
    };
    match refused_address {
        // A signed-in person's page shows no address field: the message is the form's.
        Some(message) if account.is_some() => errors.form(message),
        Some(message) => errors.field("email", message),
        None => {}
    }
    if account.is_none() {
        form.check_name(&mut errors);
    }
    form.check_details(&mut errors);
    let given = answers::check(&asked, &typed, &mut errors);
    let filled = Filled { form, typed, asked };
    let (Some((email, team)), true) = (team, errors.is_empty()) else {
        return show_form(&state, StatusCode::UNPROCESSABLE_ENTITY, layout, &viewer, &m, errors, filled);
    };
    if let Some(u) = account {
        return for_account(&state, layout, &viewer, &m, u, team, (filled, given)).await;
    }

    // Anyone may post here: every post counts against the network's budget, so nobody can
    // flood an inbox with these messages.
    let ip = client_ip(&req, &state.settings);
    if let Some(wait) = state.ip_throttle.blocked_for(ip) {
        errors.field(
            "email",
            format!("Too many requests from your network. Try again in {} seconds.", wait.as_secs().max(1)),
        );
        return show_form(&state, StatusCode::TOO_MANY_REQUESTS, layout, &viewer, &m, errors, filled);
    }
    state.ip_throttle.failed(ip);

    // The same work whatever the database holds: three rendered messages, then one
    // transaction that looks the address up and queues one of them.
    let token = Token::generate();
    let key = token.hash();
    let verify = VerifyMail {
        meeting: m.title.clone(),
        team: team.name.clone(),
        link: state.settings.link(&format!("/verify/{}", token.as_str())),
        days: VERIFY_LINK_DAYS,
    };
    let verify = state.mail(email.as_str(), "verify_email", &verify, format!("verify:{key}"))?;
    let known = |registered| KnownMail {
        meeting: m.title.clone(),
        registered,
        register_link: state.settings.link(&format!("/register?meeting={}", m.slug)),
        me_link: state.settings.link("/me"),
        forgot_link: state.settings.link("/password/forgot"),
    };
    let registered_mail =
        state.mail(email.as_str(), "register_known", &known(true), format!("known:{key}"))?;
    let sign_in_mail = state.mail(email.as_str(), "register_known", &known(false), format!("known:{key}"))?;
    let (address, meeting_id, team_id, form) = (email.as_str().to_owned(), m.id, team.id, filled.form);
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                // Never proven: a registration waiting for its confirmation, made by
                // anyone. It is replaced: only the newest link sent to the address works,
                // and nothing of the earlier registration (name, details) remains.
                user::replace_unproven(c, &address)?;
                if let Some(u) = user::by_email(c, &address)? {
                    let registered = registration::exists(c, meeting_id, u.id)?;
                    outbox::enqueue(c, if registered { &registered_mail } else { &sign_in_mail })?;
                    return Ok(());
                }
                let new = user::NewUser {
                    email: &address,
                    name: &form.name,
                    role: Role::Member,
                    password_hash: user::NO_PASSWORD,
                    email_verified_at: None,
                    created_at: now,
                };
                let u = user::insert(c, &new)?;
                let r = create(c, meeting_id, team_id, u.id, Status::PendingVerification, &form, now)?;
                answer::save(c, r, &given, now)?;
                insert_verify_token(c, u.id, &key, now)?;
                outbox::enqueue(c, &verify)?;
                Ok(())
            })
        })
        .await?;
    state.mail_queued();
    page(
        &state.tera,
        "pages/public/register_sent.html",
        &Sent { title: "Check your email", layout, email: email.as_str().to_owned() },
    )
}
