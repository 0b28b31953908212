//! Page rendering: Tera is loaded once at start-up; each page passes a typed struct.

use std::path::Path;

use actix_web::HttpResponse;
use anyhow::Context as _;
use serde::Serialize;
use tera::{Context, Tera};

use crate::error::AppError;

mod answer;
pub mod page_cache;
pub mod problem;
pub mod stencil;

pub use answer::{attachment, see_other};

/// Loads every template below `dir`: pages (`*.html`, autoescaped by their extension)
/// and the email triplets (`*.txt` parts are plain text, never escaped).
pub fn load_templates(dir: &Path) -> anyhow::Result<Tera> {
    let glob = dir.join("**").join("*.{html,txt}");
    let glob = glob.to_str().context("the templates folder is not valid UTF-8")?;
    let mut tera = Tera::new(glob).with_context(|| format!("loading templates from {}", dir.display()))?;
    tera.register_filter("unicode_domain", unicode_domain);
    tera.register_filter("unicode_domains", unicode_domains);
    Ok(tera)
}

/// `{{ domain | unicode_domain }}`: the Unicode form of a domain with xn-- parts, shown
/// beside it so that a lookalike is seen for what it is; empty for any other domain.
fn unicode_domain(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let domain = value.as_str().unwrap_or_default();
    Ok(crate::domain::team_domain::unicode_form(domain.trim()).unwrap_or_default().into())
}

/// `{{ text | unicode_domains }}`: for each domain with xn-- parts in a list typed into a
/// form (separated by spaces, commas, semicolons or lines), the pair [domain, Unicode form].
fn unicode_domains(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value.as_str().unwrap_or_default();
    let pairs: Vec<[String; 2]> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter_map(|d| Some([d.to_owned(), crate::domain::team_domain::unicode_form(d)?]))
        .collect();
    Ok(pairs.into())
}

/// Renders `template` with `page` as its context.
pub fn render<T: Serialize>(tera: &Tera, template: &str, page: &T) -> Result<String, tera::Error> {
    tera.render(template, &Context::from_serialize(page)?)
}

/// A 200 HTML page.
pub fn page<T: Serialize>(tera: &Tera, template: &str, page: &T) -> Result<HttpResponse, AppError> {
    let body = render(tera, template, page).map_err(AppError::Render)?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(body))
}

/// What every page's frame needs: the CSRF token for its forms, who is signed in, and the
/// message left by the form that redirected here (`?done=…`).
#[derive(Serialize, Clone)]
pub struct Layout {
    pub csrf_token: String,
    pub viewer: Option<ViewerNav>,
    pub flash: Option<&'static str>,
}

crate::domain::redact::debug_redacted!(Layout { viewer, flash } secret: { csrf_token });

#[derive(Serialize, Debug, Clone)]
pub struct ViewerNav {
    pub name: String,
    pub is_organizer: bool,
    pub is_reviewer: bool,
    pub signed_in: bool,
}

/// Messages a redirect may leave for the next page, by key (never free text from a URL).
fn flash(key: &str) -> Option<&'static str> {
    Some(match key {
        "signed-out" => "You are signed out.",
        "password-changed" => "Your password is changed. Other devices were signed out.",
        "password-reset" => "Your password is set. Sign in with it now.",
        "signed-out-everywhere" => "You are signed out on every device.",
        "api-token-revoked" => "The API token is revoked. Requests with it are refused from now on.",
        "second-factor-on" => "Two-step sign-in is on.",
        "invited" => "The invitation is on its way.",
        "disabled" => "The account is disabled and its sessions have ended.",
        "enabled" => "The account is enabled again.",
        "second-factor-reset" => {
            "Two-step sign-in was reset. The organizer sets it up again at the next sign-in."
        }
        "member-second-factor-reset" => {
            "Two-step sign-in was reset and the person was signed out; they received an email."
        }
        "second-factor-off" => "Two-step sign-in is off. Your next sign-in asks only for your password.",
        "retried" => "The failed messages are due again.",
        "team-added" => "The team is added to the registry.",
        "team-saved" => "The team's changes are saved.",
        "team-suspended" => "The team is suspended. Its people cannot register until you reinstate it.",
        "team-reinstated" => "The team is reinstated. Its people can register again.",
        "domain-confirmed" => {
            "The domain is confirmed. People with an address there can register for this team."
        }
        "meeting-saved" => "The meeting is saved.",
        "material-added" => "The file is shared on the session's page.",
        "material-deleted" => "The file is deleted.",
        "meeting-carried" => {
            "The meeting is created with last year's rooms, tracks, questions and practical information. Invite last year's attendees below."
        }
        "edition-added" => "The FIRST edition is added. The meeting form can propose the meeting after it.",
        "edition-saved" => "The FIRST edition is saved. Meetings created from it keep their own values.",
        "edition-deleted" => "The FIRST edition is deleted.",
        "question-saved" => "The question is saved.",
        "question-retired" => "The question is retired: the form no longer asks it; its answers stay.",
        "question-restored" => "The question is asked again.",
        "question-deleted" => "The question is deleted.",
        "question-answered" => {
            "People have answered this question, so it cannot be deleted; nothing changed. Retire it instead."
        }
        "meeting-cancelled" => "The meeting is cancelled.",
        "meeting-open" => "The meeting is open again.",
        "welcome" => "Your account is ready.",
        "invitations-sent" => "The invitations are on their way.",
        "invitation-revoked" => "The invitation is revoked. Its link no longer works.",
        "invitation-resent" => "The invitation is sent again with a new link. The old link no longer works.",
        "invitation-gone" => "That invitation was already used, had expired or was revoked; nothing changed.",
        "registered" => "You are registered. The organizers review your registration.",
        "registered-confirm" => {
            "You are registered. Confirm your address with the link we sent you; then the organizers review your registration."
        }
        "address-confirmed" => {
            "Your address is confirmed and your password is set. Sign in; the organizers review your registration."
        }
        "details-saved" => "Your details are saved.",
        "badge-saved" => "Your badge name is saved.",
        "sharing-saved" => "Your sharing choices are saved.",
        "openpgp-saved" => "Your OpenPGP key is saved.",
        "openpgp-removed" => "Your OpenPGP key is removed.",
        "openpgp-none" => "You had no OpenPGP key; nothing changed.",
        "checked-in" => "Marked arrived.",
        "checked-in-already" => "Already marked arrived today (perhaps by another organizer); counted once.",
        "checkin-undone" => "The arrival is undone for today.",
        "checkin-not-there" => "Nothing to undo: this person was not marked arrived today.",
        "agenda-after-approval" => "The agenda opens to you once the organizers approve your registration.",
        "withdrawn" => "You withdrew your registration. We sent you a confirmation.",
        "offer-accepted" => "You accepted the place: you are approved to attend. We sent you a confirmation.",
        "offer-declined" => {
            "You declined the place: it goes to the next person on the waitlist, and your registration is withdrawn."
        }
        "account-deleted" => "Your account and your registrations are deleted.",
        "registration-decided" => "The decision is saved and the person receives an email.",
        "session-saved" => "The session is saved in the draft. Attendees see it after you publish.",
        "session-cancelled" => "The session is cancelled in the draft. Attendees see it after you publish.",
        "session-reinstated" => "The session is back in the draft. Attendees see it after you publish.",
        "session-not-reinstated" => {
            "The session stays cancelled: its room is taken at that time, or it lies outside the meeting's days."
        }
        "agenda-setup-saved" => "Saved. Attendees see the change after you publish.",
        "agenda-published" => "The release is published. Attendees now see this agenda.",
        "agenda-unchanged" => "Nothing to publish: the draft matches the published agenda.",
        "calendar-saved" => "Your calendar choices are saved.",
        "practical-saved" => "The practical information is saved. Approved attendees see it now.",
        "announcement-sent" => "The announcement is queued: each person receives their own email.",
        "bulk-decided" => "The decisions are saved and each person receives an email.",
        "call-saved" => "The call for contributions is saved.",
        "proposal-saved" => {
            "Your proposal is saved. Co-speakers you chose, or named by an address registered for the meeting, receive a link to confirm."
        }
        "proposal-withdrawn" => "Your proposal is withdrawn.",
        "proposal-commented" => "Your comment is added. Only organizers see it.",
        "proposal-scored" => "Your score is saved.",
        "proposal-decided" => "The decision is saved and the speakers receive an email.",
        "feedback-saved" => "Thank you: your rating is saved. You can change it here.",
        "survey-saved" => "Thank you: your answers are saved. You can change them here.",
        "speaker-removed" => {
            "If that co-speaker was named on this proposal, they are taken off and their link no longer works."
        }
        "reminders-saved" => "The reminders are saved. Each one goes at 08:00 on the meeting's clocks.",
        _ => return None,
    })
}

impl Layout {
    /// The frame of a page: `done` is the `?done=…` key a redirect left, if any (the
    /// `FromRequest` implementation in `auth::layout` reads it and the session).
    pub fn new(csrf_token: String, viewer: Option<ViewerNav>, done: Option<&str>) -> Self {
        Self { csrf_token, viewer, flash: done.and_then(flash) }
    }

    /// What the frame shows that is not the person's own (their role's links, whether
    /// they are signed in fully, the message): part of a cached page's key.
    pub fn shared(&self) -> (Option<(bool, bool, bool)>, Option<&'static str>) {
        (self.viewer.as_ref().map(|v| (v.is_organizer, v.is_reviewer, v.signed_in)), self.flash)
    }

    /// This frame with holes for the person's token and name (`render::stencil`).
    pub fn with_holes(&self, markers: &stencil::Markers) -> Layout {
        let viewer = self.viewer.clone().map(|v| ViewerNav { name: markers.name(), ..v });
        Layout { csrf_token: markers.csrf(), viewer, flash: self.flash }
    }

    /// What fills those holes, with the person's picks.
    pub fn person<'a>(&'a self, picks: &'a [i64]) -> stencil::Person<'a> {
        let name = self.viewer.as_ref().map_or("", |v| v.name.as_str());
        stencil::Person { csrf: &self.csrf_token, name, picks }
    }
}

/// A 200 HTML page from a stencil filled for one person.
pub fn filled(stencil: &stencil::Stencil, person: &stencil::Person<'_>) -> HttpResponse {
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(stencil.fill(person))
}

/// An HTML page with another status (a form with errors: 422; a refused sign-in: 401).
pub fn page_with_status<T: Serialize>(
    status: actix_web::http::StatusCode,
    tera: &Tera,
    template: &str,
    data: &T,
) -> Result<HttpResponse, AppError> {
    let body = render(tera, template, data).map_err(AppError::Render)?;
    Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body))
}
