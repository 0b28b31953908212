//! POST `/admin/meetings/{slug}/announce`: check the message, confirm how many people
//! receive it, then queue it: one outbox row per recipient and one audit row, in one
//! transaction. The rows' idempotency keys carry the confirmation's nonce, so a double
//! submit sends each person the message once.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::{AnnounceForm, render};
use crate::{
    auth::guard::{Organizer, see_other},
    db,
    domain::token::Token,
    error::AppError,
    models::{audit, meeting, outbox, registration},
    render::Layout,
    routes::form_errors::FormErrors,
    startup::AppState,
};

#[derive(Serialize)]
struct AnnouncementMail<'a> {
    name: &'a str,
    meeting: &'a str,
    subject: &'a str,
    body: &'a str,
    link: String,
}

fn is_nonce(raw: &str) -> bool {
    raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit())
}

pub async fn submit(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<String>,
    form: web::Form<AnnounceForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, mut form) = (path.into_inner(), form.into_inner());
    let audience = match form.check() {
        Ok(audience) if form.step != "edit" => audience,
        Ok(_) => return render(&state, layout, slug, form, FormErrors::default(), None).await,
        Err(errors) => return render(&state, layout, slug, form, errors, None).await,
    };
    let lookup = slug.clone();
    let (m, recipients) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &lookup)?;
            let rows = registration::for_meeting(c, m.id, Some(audience.as_str()))?;
            Ok((m, rows))
        })
        .await?;
    if form.step != "send" || !is_nonce(&form.nonce) {
        form.nonce = Token::generate().as_str().to_owned();
        form.step = "send".into();
        return render(&state, layout, slug, form, FormErrors::default(), Some(recipients.len())).await;
    }
    let subject = form.subject.trim();
    let mut mails = Vec::with_capacity(recipients.len());
    for r in &recipients {
        let data = AnnouncementMail {
            name: &r.name,
            meeting: &m.title,
            subject,
            body: &form.body,
            link: state.settings.link("/me"),
        };
        let key = format!("announcement:{}:{}", form.nonce, r.registration.id);
        mails.push(state.mail(&r.email, "announcement", &data, key)?);
    }
    let detail = format!("to {} {} attendees: {subject}", mails.len(), audience.label());
    let (actor, now, meeting_subject) =
        (who.0.user.id, state.clock.now_naive(), format!("meeting {}", m.slug));
    let queued = state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                let mut queued = 0;
                for mail in &mails {
                    queued += usize::from(outbox::enqueue(c, mail)?);
                }
                // A repeated submit queues nothing and is not a second announcement.
                if queued > 0 {
                    audit::record(c, Some(actor), "announcement.sent", &meeting_subject, &detail, now)?;
                }
                Ok(queued)
            })
        })
        .await?;
    if queued > 0 {
        state.mail_queued();
    }
    Ok(see_other(&format!("/admin/meetings/{slug}/announce?done=announcement-sent")))
}
