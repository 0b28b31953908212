//! POST `/admin/meetings/{slug}/announce`: check the message, confirm how many people
//! receive it (encrypted, in clear, not at all), then queue it: one outbox row per
//! recipient and one audit row, in one transaction. The rows' idempotency keys carry the
//! confirmation's nonce, so a double submit sends each person the message once.
//!
//! An encrypted copy is sealed here, at queue time, one per recipient: the rendered text
//! becomes a PGP/MIME inner entity with the real subject, signed by the organizer key and
//! encrypted to the person's key. The outbox row holds only that armored message and a
//! subject that names the meeting, never the clear text.

use std::sync::Arc;

use actix_web::{HttpResponse, web};
use anyhow::Context as _;
use serde::Serialize;

use super::{AnnounceForm, recipients, render};
use crate::{
    auth::guard::Organizer,
    db,
    domain::{
        announcement::{Counts, Received},
        token::Token,
    },
    email::{Composer, Mail, Rendered, openpgp::OrganizerKey, pgp_mime},
    error::AppError,
    models::{audit, outbox, outbox::NewOutboxRow},
    render::{Layout, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
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
    let (audience, delivery) = match form.check(state.organizer_key.is_some()) {
        Ok(checked) if form.step != "edit" => checked,
        Ok(_) => return render(&state, layout, slug, form, FormErrors::default(), None).await,
        Err(errors) => return render(&state, layout, slug, form, errors, None).await,
    };
    let (m, recipients) = recipients::load(&state, slug.clone(), audience).await?;
    let copies: Vec<Received> = recipients.iter().map(|r| delivery.copy_for(r.key.is_some())).collect();
    let counts = Counts::of(copies.iter().copied());
    if form.step != "send" || !is_nonce(&form.nonce) {
        form.nonce = Token::generate().as_str().to_owned();
        form.step = "send".into();
        return render(&state, layout, slug, form, FormErrors::default(), Some(counts)).await;
    }
    let job = Sealing {
        composer: state.composer.clone(),
        organizer: state.organizer_key.clone(),
        meeting: m.title.clone(),
        subject: form.subject.trim().to_owned(),
        body: form.body.clone(),
        link: state.settings.link("/me"),
        nonce: form.nonce.clone(),
    };
    let planned: Vec<_> = recipients.into_iter().zip(copies).collect();
    let mails = web::block(move || job.mails(planned)).await.context("blocking pool")??;
    let detail = format!(
        "to {} {} attendees ({} encrypted, {} in clear, {} not sent for want of a key; {}): {}",
        counts.receiving(),
        audience.label(),
        counts.encrypted,
        counts.clear,
        counts.nothing,
        delivery.as_str(),
        form.subject.trim()
    );
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

/// What the blocking pool needs to render and seal every copy.
struct Sealing {
    composer: Composer,
    organizer: Option<Arc<OrganizerKey>>,
    meeting: String,
    subject: String,
    body: String,
    link: String,
    nonce: String,
}

impl Sealing {
    /// One outbox row per recipient who receives a copy, in clear or sealed.
    fn mails(&self, planned: Vec<(recipients::Recipient, Received)>) -> Result<Vec<NewOutboxRow>, AppError> {
        let mut mails = Vec::with_capacity(planned.len());
        for (r, received) in planned {
            let data = AnnouncementMail {
                name: &r.row.name,
                meeting: &self.meeting,
                subject: &self.subject,
                body: &self.body,
                link: self.link.clone(),
            };
            let key = format!("announcement:{}:{}", self.nonce, r.row.registration.id);
            let to = &r.row.email;
            match (received, &r.key, &self.organizer) {
                (Received::Nothing, ..) => {}
                (Received::Encrypted, Some(recipient), Some(organizer)) => {
                    let rendered = self.composer.render("announcement", &data).map_err(AppError::Render)?;
                    let inner = pgp_mime::inner_entity(&rendered.subject, &rendered.text)
                        .context("the inner entity of an encrypted announcement")?;
                    let armored = organizer.seal(recipient, &inner).context("sealing an announcement")?;
                    let outer = Rendered {
                        subject: format!("Announcement from {} (encrypted)", self.meeting),
                        text: String::new(),
                        html: String::new(),
                    };
                    let mail = Mail { to: to.clone(), rendered: outer, calendar: None, idempotency_key: key };
                    let mut row = self.composer.row(mail);
                    row.pgp_message = Some(armored);
                    mails.push(row);
                }
                // The check refused encryption without a key; a recipient without one is
                // never planned `Encrypted`.
                (Received::Encrypted, ..) => {
                    return Err(anyhow::anyhow!("an encrypted copy without the keys to seal it").into());
                }
                (Received::Clear, ..) => {
                    mails.push(self.composer.mail(to, "announcement", &data, key).map_err(AppError::Render)?)
                }
            }
        }
        Ok(mails)
    }
}
