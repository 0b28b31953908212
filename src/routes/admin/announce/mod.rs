//! `/admin/meetings/{slug}/announce`: a message from the organizers to the approved (or
//! the waitlisted) attendees of a meeting. GET shows the form; POST checks it and shows a
//! confirmation that says how many people will receive it; the confirmed POST (`send`)
//! queues one outbox row per recipient.

mod send;

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

pub use send::submit;

use crate::{
    auth::guard::Organizer,
    domain::{registration::Status, text},
    error::AppError,
    models::{meeting, registration},
    render::{Layout, page_with_status},
    routes::form_errors::FormErrors,
    startup::AppState,
};

const SUBJECT_MAX: usize = 150;
const BODY_MAX: usize = 10_000;

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct AnnounceForm {
    #[serde(default)]
    audience: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    /// Empty on the first POST; `edit` to go back to the form; `send` to confirm.
    #[serde(default)]
    step: String,
    /// Made for the confirmation page: every row of one sending carries it in its
    /// idempotency key, so a second click on "send" queues nothing new.
    #[serde(default)]
    nonce: String,
}

impl AnnounceForm {
    /// The audience, or a message per field that is wrong.
    /// Cleans subject and body by the input rule (the confirmation step shows them cleaned)
    /// and checks every field.
    fn check(&mut self) -> Result<Status, FormErrors> {
        let mut errors = FormErrors::default();
        let audience = match self.audience.as_str() {
            "approved" => Some(Status::Approved),
            "waitlisted" => Some(Status::Waitlisted),
            _ => None,
        };
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
        match audience {
            Some(a) if errors.is_empty() => Ok(a),
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
    /// Set on the confirmation page: how many people will receive the message.
    confirm: Option<usize>,
}

/// The form (or, with `confirm`, the confirmation) for the meeting `slug`.
async fn render(
    state: &AppState,
    layout: Layout,
    slug: String,
    form: AnnounceForm,
    errors: FormErrors,
    confirm: Option<usize>,
) -> Result<HttpResponse, AppError> {
    let (m, rows) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let rows = registration::for_meeting(c, m.id, None)?;
            Ok((m, rows))
        })
        .await?;
    let count = |s: Status| rows.iter().filter(|r| r.registration.status == s.as_str()).count();
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
        confirm,
    };
    page_with_status(status, &state.tera, "pages/admin/announce.html", &data)
}

pub async fn form(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let form = AnnounceForm { audience: "approved".into(), ..AnnounceForm::default() };
    render(&state, layout, path.into_inner(), form, FormErrors::default(), None).await
}
