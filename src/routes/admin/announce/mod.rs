//! `/admin/meetings/{slug}/announce`: a message from the organizers to the approved (or
//! the waitlisted) attendees of a meeting. GET shows the form; POST checks it and shows a
//! confirmation that says how many people will receive it; the confirmed POST (`send`)
//! queues one outbox row per recipient. With an organizer OpenPGP key configured, the
//! organizers may send it encrypted to those with a key (`domain::announcement`), and in
//! clear or not at all to the others; the confirmation says how many get which.

mod recipients;
mod send;

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

pub use send::submit;

use crate::{
    auth::guard::Organizer,
    domain::{
        announcement::{Counts, Delivery},
        registration::Status,
        text,
    },
    error::AppError,
    models::{meeting, registration},
    render::{Layout, page_with_status},
    routes::form_errors::FormErrors,
    state::AppState,
};

const SUBJECT_MAX: usize = 150;
const BODY_MAX: usize = 10_000;
/// Why the encrypted choices are off, on the form and as the refusal of a forged choice.
const NO_KEY: &str = "Encryption is off: no organizer OpenPGP key is configured on the server \
                      (mail.openpgp_key_file), so messages could not be signed.";

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct AnnounceForm {
    #[serde(default)]
    audience: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    /// How it travels: `clear` (or empty), `encrypted-or-clear`, `encrypted-only`.
    #[serde(default)]
    encryption: String,
    /// Empty on the first POST; `edit` to go back to the form; `send` to confirm.
    #[serde(default)]
    step: String,
    /// Made for the confirmation page: every row of one sending carries it in its
    /// idempotency key, so a second click on "send" queues nothing new.
    #[serde(default)]
    nonce: String,
}

impl AnnounceForm {
    /// The audience and how the message travels, or a message per field that is wrong.
    /// Cleans subject and body by the input rule (the confirmation step shows them cleaned)
    /// and checks every field. Encryption needs the organizer key (`can_encrypt`).
    fn check(&mut self, can_encrypt: bool) -> Result<(Status, Delivery), FormErrors> {
        let mut errors = FormErrors::default();
        let audience = self
            .audience
            .parse::<Status>()
            .ok()
            .filter(|s| matches!(s, Status::Approved | Status::Waitlisted));
        if audience.is_none() {
            errors.field("audience", "Choose who receives it: approved or waitlisted attendees.");
        }
        self.subject = errors.single_line("subject", &self.subject);
        if !errors.has("subject") && (self.subject.is_empty() || self.subject.chars().count() > SUBJECT_MAX) {
            errors
                .field("subject", format!("Write a subject of one line, at most {SUBJECT_MAX} characters."));
        }
        match text::multi_line(&self.body) {
            Ok(body) => self.body = body,
            Err(e) => errors.field("body", e.to_string()),
        }
        if !errors.has("body") && (self.body.trim().is_empty() || self.body.chars().count() > BODY_MAX) {
            errors.field("body", format!("Write the message, at most {BODY_MAX} characters."));
        }
        let delivery = match self.encryption.parse::<Delivery>() {
            Ok(d) if d.encrypts() && !can_encrypt => {
                errors.field("encryption", NO_KEY);
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                errors.field("encryption", e.to_string());
                None
            }
        };
        match (audience, delivery) {
            (Some(a), Some(d)) if errors.is_empty() => Ok((a, d)),
            _ => Err(errors),
        }
    }
}

#[derive(Serialize)]
struct AnnouncePage {
    title: String,
    layout: Layout,
    slug: String,
    meeting: String,
    approved: usize,
    waitlisted: usize,
    form: AnnounceForm,
    errors: FormErrors,
    /// Set on the confirmation page: how many people get it encrypted, in clear, not at all.
    confirm: Option<Confirm>,
    /// The organizer key's fingerprint (grouped by four), when one is configured.
    organizer_key: Option<String>,
    no_key: &'static str,
}

#[derive(Serialize)]
struct Confirm {
    receiving: usize,
    #[serde(flatten)]
    counts: Counts,
}

/// The form (or, with `confirm`, the confirmation) for the meeting `slug`.
async fn render(
    state: &AppState,
    layout: Layout,
    slug: String,
    form: AnnounceForm,
    errors: FormErrors,
    confirm: Option<Counts>,
) -> Result<HttpResponse, AppError> {
    let (m, rows) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let rows = registration::for_meeting(c, m.id, None)?;
            Ok((m, rows))
        })
        .await?;
    let count = |s: Status| rows.iter().filter(|r| r.registration.status == s).count();
    let status = errors.status();
    let data = AnnouncePage {
        title: format!("Announcement · {}", m.title),
        layout,
        slug: m.slug,
        meeting: m.title,
        approved: count(Status::Approved),
        waitlisted: count(Status::Waitlisted),
        form,
        errors,
        confirm: confirm.map(|counts| Confirm { receiving: counts.receiving(), counts }),
        organizer_key: state.organizer_key.as_ref().map(|k| k.fingerprint_grouped()),
        no_key: NO_KEY,
    };
    page_with_status(status, &state.tera, "pages/admin/announce.html", &data)
}

pub async fn form(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let form = AnnounceForm {
        audience: Status::Approved.as_str().into(),
        encryption: Delivery::Clear.as_str().into(),
        ..AnnounceForm::default()
    };
    render(&state, layout, path.into_inner(), form, FormErrors::default(), None).await
}
