//! POST `/register`. Whether the address already has an account never shows in the
//! answer: both cases hash the password, look the address up, queue one email in one
//! transaction and answer the same "check your email" page. A new address gets an
//! account, a registration waiting for its confirmation and the confirmation link; a known
//! one gets a note to sign in instead.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use chrono::Duration;
use serde::Serialize;

use super::{VERIFY_LINK_DAYS, Which, closed, meeting_for, refused, show_form, signed_in};
use crate::{
    auth::{guard::see_other, throttle::client_ip},
    db,
    domain::{
        email::Email,
        registration::Status,
        team_domain::{DomainError, team_for_address},
        token::Token,
    },
    error::AppError,
    models::{audit, meeting::Meeting, one_time_token, outbox, registration, team, user},
    render::{Layout, page},
    routes::public::details::{FieldErrors, RegisterForm},
    startup::AppState,
};

#[derive(Serialize)]
struct VerifyMail {
    name: String,
    meeting: String,
    team: String,
    link: String,
    days: i64,
}

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

/// The recognized team an address belongs to, or the message that says why it has none.
async fn team_of(state: &AppState, email: &Email) -> Result<Result<team::Team, String>, AppError> {
    let registry = state.db.query(team::all_domains).await?;
    let own_domain = "Register with your address at your team's own domain.";
    let id = match team_for_address(email.domain(), &state.settings.registry.free_mail_domains, &registry) {
        Ok(Some(id)) => id,
        Ok(None) => {
            return Ok(Err(format!(
                "{} is not an email domain of a recognized national CSIRT. If your team is \
                 recognized, ask the organizers for an invitation.",
                email.domain()
            )));
        }
        Err(DomainError::FreeMail(d)) => return Ok(Err(format!("{d} is a free-mail service. {own_domain}"))),
        Err(DomainError::PublicSuffix(d)) => {
            return Ok(Err(format!("{d} is shared by many organizations. {own_domain}")));
        }
        Err(_) => return Ok(Err(own_domain.to_owned())),
    };
    let t = state.db.query(move |c| team::find(c, id)).await?;
    if t.status != team::RECOGNIZED {
        return Ok(Err("Your team cannot register at the moment. Ask the organizers.".to_owned()));
    }
    Ok(Ok(t))
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    layout: Layout,
    viewer: crate::auth::session::Viewer,
    which: web::Query<Which>,
    form: web::Form<RegisterForm>,
) -> Result<HttpResponse, AppError> {
    let Some(m) = meeting_for(&state, &which).await? else {
        return refused(&state, layout, "There is no meeting to register for at the moment.");
    };
    let now = state.clock.now_naive();
    if let Some(message) = closed(&m, now) {
        return refused(&state, layout, message);
    }
    let mut form = form.into_inner();
    form.normalize();
    let mut errors = FieldErrors::default();
    let account = signed_in(&viewer).cloned();
    let raw_email = account.as_ref().map_or(form.email.as_str(), |u| u.email.as_str());
    let mut team = None;
    match Email::parse(raw_email) {
        Ok(email) => match team_of(&state, &email).await? {
            Ok(t) => team = Some((email, t)),
            Err(message) => errors.email = Some(message),
        },
        Err(e) => errors.email = Some(e.to_string()),
    }
    let password = if account.is_none() { form.check_account(raw_email, &mut errors) } else { None };
    form.check_details(&mut errors);
    let (Some((email, team)), true) = (team, errors.is_empty()) else {
        return show_form(&state, StatusCode::UNPROCESSABLE_ENTITY, layout, &viewer, &m, errors, form);
    };
    if let Some(u) = account {
        return for_account(&state, layout, &viewer, &m, u, team, form).await;
    }
    let Some(password) = password else {
        return show_form(&state, StatusCode::UNPROCESSABLE_ENTITY, layout, &viewer, &m, errors, form);
    };

    // Anyone may post here: every post counts against the network's budget, so nobody can
    // flood an inbox with these messages.
    let ip = client_ip(&req, &state.settings);
    if let Some(wait) = state.ip_throttle.blocked_for(ip) {
        errors.email = Some(format!(
            "Too many requests from your network. Try again in {} seconds.",
            wait.as_secs().max(1)
        ));
        return show_form(&state, StatusCode::TOO_MANY_REQUESTS, layout, &viewer, &m, errors, form);
    }
    state.ip_throttle.failed(ip);

    // The same work whatever the database holds: one hash, three rendered messages, one
    // lookup and one transaction that queues one of them.
    let hash = state.hasher.hash(password.expose().to_owned()).await?;
    let token = Token::generate();
    let key = token.hash();
    let verify = VerifyMail {
        name: form.name.clone(),
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
    let (address, meeting_id, team_id) = (email.as_str().to_owned(), m.id, team.id);
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                if let Some(u) = user::by_email(c, &address)? {
                    let registered = registration::exists(c, meeting_id, u.id)?;
                    // Registered but never confirmed (the first link may have expired):
                    // the new link confirms the address, whoever asked for it.
                    if registered && u.email_verified_at.is_none() {
                        insert_verify_token(c, u.id, &key, now)?;
                        outbox::enqueue(c, &verify)?;
                        return Ok(());
                    }
                    outbox::enqueue(c, if registered { &registered_mail } else { &sign_in_mail })?;
                    return Ok(());
                }
                let new = user::NewUser {
                    email: &address,
                    name: &form.name,
                    role: user::MEMBER,
                    password_hash: &hash,
                    email_verified_at: None,
                    created_at: now,
                };
                let u = user::insert(c, &new)?;
                create(c, meeting_id, team_id, u.id, Status::PendingVerification, &form, now)?;
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

/// The registration and its audit row, inside the caller's transaction.
fn create(
    c: &mut crate::db::DbConnection,
    meeting_id: i64,
    team_id: i64,
    user_id: i64,
    status: Status,
    form: &RegisterForm,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<()> {
    let r = registration::insert(
        c,
        &registration::NewRegistration {
            meeting_id,
            user_id,
            team_id,
            status: status.as_str(),
            role_title: &form.role_title,
            dietary: &form.dietary,
            accessibility: &form.accessibility,
            consent_listed: form.consent(),
            created_at: now,
            updated_at: now,
        },
    )?;
    audit::record(
        c,
        Some(user_id),
        "registration.created",
        &format!("registration {}", r.id),
        "self-service",
        now,
    )?;
    Ok(())
}

fn insert_verify_token(
    c: &mut crate::db::DbConnection,
    user_id: i64,
    hash: &str,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<usize> {
    one_time_token::insert(
        c,
        &one_time_token::NewToken {
            purpose: one_time_token::VERIFY_EMAIL,
            token_hash: hash,
            user_id: Some(user_id),
            email: None,
            name: None,
            expires_at: now + Duration::days(VERIFY_LINK_DAYS),
            created_by: None,
            created_at: now,
        },
    )
}

/// A signed-in person registers with their account. An unconfirmed address still needs
/// its confirmation before the organizers see the registration.
async fn for_account(
    state: &AppState,
    layout: Layout,
    viewer: &crate::auth::session::Viewer,
    m: &Meeting,
    u: user::User,
    team: team::Team,
    form: RegisterForm,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now_naive();
    let status = if u.email_verified_at.is_some() { Status::Pending } else { Status::PendingVerification };
    let token = Token::generate();
    let key = token.hash();
    let data = VerifyMail {
        name: u.name.clone(),
        meeting: m.title.clone(),
        team: team.name.clone(),
        link: state.settings.link(&format!("/verify/{}", token.as_str())),
        days: VERIFY_LINK_DAYS,
    };
    let mail = state.mail(&u.email, "verify_email", &data, format!("verify:{key}"))?;
    let (meeting_id, team_id, user_id, details) = (m.id, team.id, u.id, form.clone());
    let created = state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                if registration::exists(c, meeting_id, user_id)? {
                    return Ok(false);
                }
                create(c, meeting_id, team_id, user_id, status, &details, now)?;
                if status == Status::PendingVerification {
                    insert_verify_token(c, user_id, &key, now)?;
                    outbox::enqueue(c, &mail)?;
                }
                Ok(true)
            })
        })
        .await?;
    if !created {
        let errors = FieldErrors {
            email: Some(
                "You are registered for this meeting already. Your registration is on your page.".to_owned(),
            ),
            ..FieldErrors::default()
        };
        return show_form(state, StatusCode::UNPROCESSABLE_ENTITY, layout, viewer, m, errors, form);
    }
    state.mail_queued();
    Ok(see_other(if status == Status::Pending {
        "/me?done=registered"
    } else {
        "/me?done=registered-confirm"
    }))
}
