//! POST `/me/registrations/{id}/withdraw`: the attendee withdraws. The move, its audit row
//! and the confirmation email commit together; a place it held (approved or offered) is
//! offered to the first person of the team's waitlist in the same transaction.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::Serialize;

use super::registration::{Forms, Mine, load, render};
use crate::{
    attendance::offers,
    auth::guard::SignedIn,
    db,
    delivery::invites,
    domain::registration as rules,
    error::AppError,
    models::{audit, feed_token, outbox, registration},
    render::{Layout, see_other},
    routes::{
        confirm::{self, Ask, Confirm},
        form_errors::FormErrors,
    },
    state::AppState,
};

#[derive(Serialize)]
struct WithdrawnMail {
    name: String,
    meeting: String,
    link: String,
}

pub async fn submit(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<i64>,
    form: web::Form<Confirm>,
) -> Result<HttpResponse, AppError> {
    let u = who.0.user;
    let mine = load(&state, u.id, path.into_inner()).await?;
    let refused = |mine: &Mine, message: String| {
        let mut errors = FormErrors::default();
        errors.form(message);
        render(&state, layout.clone(), StatusCode::UNPROCESSABLE_ENTITY, mine, errors, Forms::stored(mine))
    };
    let to = match rules::withdraw(mine.status) {
        Ok(to) => to,
        Err(e) => return refused(&mine, e.to_string()),
    };
    if !form.given() {
        return ask(&state, layout, &mine);
    }
    let data = WithdrawnMail {
        name: u.name.clone(),
        meeting: mine.m.title.clone(),
        link: state.settings.link("/me"),
    };
    let (id, user_id, from, now) = (mine.r.id, u.id, mine.status, state.clock.now_naive());
    let mail = state.mail(&u.email, "registration_withdrawn", &data, format!("withdrawn:{id}"))?;
    let (st, m, team_id) = (state.clone(), mine.m.clone(), mine.r.team_id);
    let moved = state
        .db
        .run(move |c| {
            db::transaction(c, |c| -> Result<bool, AppError> {
                if !registration::set_status(c, id, from, to, now)? {
                    return Ok(false);
                }
                let detail = format!("from {}", from.as_str());
                audit::record(
                    c,
                    Some(user_id),
                    "registration.withdrawn",
                    &format!("registration {id}"),
                    &detail,
                    now,
                )?;
                outbox::enqueue(c, &mail)?;
                // Out of every calendar: the meeting and sessions they hold (I7), the feed.
                invites::uninvite_all(c, &st.composer, id)?;
                feed_token::revoke_all(c, id, now)?;
                if rules::frees_place(from, to) {
                    offers::place_freed(c, &st.composer, &m, team_id, 1)?;
                }
                Ok(true)
            })
        })
        .await?;
    if !moved {
        // Someone decided meanwhile: show the registration as it is now.
        let mine = load(&state, user_id, id).await?;
        return refused(&mine, "Your registration changed meanwhile. Check its status below.".to_owned());
    }
    state.mail_queued();
    Ok(see_other("/me?done=withdrawn"))
}

/// The confirmation page: a withdrawal cannot be undone.
fn ask(state: &AppState, layout: Layout, mine: &Mine) -> Result<HttpResponse, AppError> {
    let place = if mine.status == rules::Status::Approved {
        " Your place goes back to your team and may be offered to someone on its waiting list."
    } else {
        ""
    };
    confirm::ask(
        state,
        layout,
        Ask {
            title: format!("Withdraw from {}?", mine.m.title),
            happens: format!(
                "Your registration is withdrawn at once. This cannot be undone: to come after all, you would register again and be reviewed again.{place}"
            ),
            receives: "You receive a confirmation email; the meeting and its sessions leave your calendar, and your feed address stops working.".into(),
            action: format!("/me/registrations/{}/withdraw", mine.r.id),
            button: "Withdraw my registration",
            back: format!("/me/registrations/{}", mine.r.id),
            ..Ask::default()
        },
    )
}
