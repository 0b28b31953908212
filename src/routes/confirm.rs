//! The "are you sure?" step of destructive actions, without JavaScript: the action's own
//! POST, sent without `confirm=yes`, is answered with a page that says what happens and
//! what the other side receives, and repeats the POST with `confirm=yes`.

use actix_web::HttpResponse;
use serde::{Deserialize, Serialize};

use crate::{
    error::AppError,
    render::{Layout, page},
    state::AppState,
};

/// The `confirm` field of a destructive form; other fields (the CSRF token) are ignored.
#[derive(Deserialize, Debug, Default)]
pub struct Confirm {
    #[serde(default)]
    confirm: Option<String>,
}

impl Confirm {
    /// The `confirm` field of a form that reads its fields itself.
    pub fn from_field(confirm: Option<String>) -> Self {
        Self { confirm }
    }

    /// True once the person pressed the button on the confirmation page.
    pub fn given(&self) -> bool {
        self.confirm.as_deref() == Some("yes")
    }
}

/// What a confirmation page says and where its button posts.
#[derive(Serialize, Debug, Default)]
pub struct Ask {
    pub title: String,
    /// The page's `<title>` when it must say less than the heading (a TLP:RED session's
    /// name, which browsers keep in their history); the heading otherwise.
    pub page_title: Option<String>,
    /// What happens, in plain words.
    pub happens: String,
    /// The people it happens to, when there are several.
    pub names: Vec<String>,
    /// What the other side receives (or notices).
    pub receives: String,
    /// Words the other side receives as they are (a reason), shown as a quotation.
    pub quote: Option<String>,
    /// The POST the button repeats, with `confirm=yes`.
    pub action: String,
    /// The fields of the original form the button posts again (a decision, its reason).
    pub carry: Vec<Carry>,
    pub button: &'static str,
    /// Where "Go back" leads.
    pub back: String,
}

impl Ask {
    /// Revoking an invitation link (to the meeting, or to be an organizer) that `title` names.
    pub fn revoke_invitation(title: String, action: String, back: String) -> Self {
        Ask {
            title,
            happens: "The invitation link stops working at once. You can invite the address again later."
                .into(),
            receives: "The person receives no email; their link shows that it no longer works.".into(),
            action,
            button: "Revoke the invitation",
            back,
            ..Ask::default()
        }
    }
}

/// One hidden field of the confirmation form.
#[derive(Serialize, Debug)]
pub struct Carry {
    pub name: String,
    pub value: String,
}

impl Carry {
    pub fn new(name: &str, value: &str) -> Self {
        Self { name: name.to_owned(), value: value.to_owned() }
    }
}

#[derive(Serialize)]
struct ConfirmPage {
    title: String,
    layout: Layout,
    ask: Ask,
}

/// The confirmation page (200); nothing has changed yet.
pub fn ask(state: &AppState, layout: Layout, ask: Ask) -> Result<HttpResponse, AppError> {
    let title = ask.page_title.clone().unwrap_or_else(|| ask.title.clone());
    page(&state.tera, "pages/confirm.html", &ConfirmPage { title, layout, ask })
}
