//! What is wrong with a submitted form: one message per field, in the order of the form,
//! and the messages that belong to no field. Pages show each field's message next to the
//! field and every message in a summary whose items lead to their fields
//! (`templates/partials/form_errors.html`).

use std::borrow::Cow;

use actix_web::http::StatusCode;
use serde::{Serialize, Serializer, ser::SerializeMap as _};

use crate::domain::text;

/// The key of the summary in the serialised form; no field may use it as its id.
const SUMMARY: &str = "summary";

/// Serialises as a map: each field's id to its message (templates look up
/// `errors.FIELD`), and under `summary` every message as `{field, message}`, the
/// form-level ones first (`field` empty), then the fields in the order they were noted.
/// Nothing at all when there is no message, so `{% if errors %}` is false.
#[derive(Debug, Default)]
pub struct FormErrors {
    fields: Vec<(Cow<'static, str>, String)>,
    form: Vec<String>,
}

#[derive(Serialize)]
struct Item<'a> {
    field: Option<&'a str>,
    message: &'a str,
}

impl FormErrors {
    /// Notes `message` for the control whose id is `id`. A field keeps its first message:
    /// a person corrects one thing at a time.
    pub fn field(&mut self, id: impl Into<Cow<'static, str>>, message: impl Into<String>) {
        let id = id.into();
        debug_assert_ne!(id, SUMMARY, "`summary` is reserved for the list of messages");
        if !self.has(&id) {
            self.fields.push((id, message.into()));
        }
    }

    /// The same messages for a form whose controls' ids start with `prefix` and a hyphen
    /// (a page with several forms, like one per row of a table).
    pub fn prefixed(self, prefix: &str) -> Self {
        let fields = self.fields.into_iter().map(|(id, m)| (format!("{prefix}-{id}").into(), m)).collect();
        FormErrors { fields, form: self.form }
    }

    /// Every message with its field (`None` for the form's own), the form's first: what
    /// the API's problem details list.
    pub fn messages(&self) -> Vec<(Option<&str>, &str)> {
        let form = self.form.iter().map(|m| (None, m.as_str()));
        form.chain(self.fields.iter().map(|(id, m)| (Some(id.as_ref()), m.as_str()))).collect()
    }

    /// Notes a message about the whole form, like a link that no longer works.
    pub fn form(&mut self, message: impl Into<String>) {
        self.form.push(message.into());
    }

    /// `raw` by the single-line input rule (`domain::text`), trimmed. Refused text gets its
    /// message beside the field and comes back trimmed, to be shown again.
    pub fn single_line(&mut self, id: &'static str, raw: &str) -> String {
        text::single_line(raw).unwrap_or_else(|e| {
            self.field(id, e.to_string());
            raw.trim().to_owned()
        })
    }

    /// [`FormErrors::single_line`] for a field that must be filled in, with at most `max`
    /// characters; `what` completes "Enter …".
    pub fn required_line(&mut self, id: &'static str, raw: &str, max: usize, what: &str) -> String {
        let value = self.single_line(id, raw);
        if self.has(id) {
        } else if value.is_empty() {
            self.field(id, format!("Enter {what}."));
        } else if value.chars().count() > max {
            self.field(id, format!("This can be at most {max} characters long."));
        }
        value
    }

    pub fn has(&self, id: &str) -> bool {
        self.message(id).is_some()
    }

    /// The message noted for the control `id`.
    pub fn message(&self, id: &str) -> Option<&str> {
        self.fields.iter().find(|(field, _)| field == id).map(|(_, message)| message.as_str())
    }

    /// The ids of the controls with a message, in the order they were noted.
    #[cfg(test)]
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|(id, _)| id.as_ref())
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.form.is_empty()
    }

    /// 200 for a form shown fresh, 422 for one shown again with its messages.
    pub fn status(&self) -> StatusCode {
        if self.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
    }
}

impl Serialize for FormErrors {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_empty() {
            return serializer.serialize_map(Some(0))?.end();
        }
        let mut map = serializer.serialize_map(Some(self.fields.len() + 1))?;
        for (id, message) in &self.fields {
            map.serialize_entry(id.as_ref(), message)?;
        }
        let form = self.form.iter().map(|message| Item { field: None, message });
        let fields = self.fields.iter().map(|(id, message)| Item { field: Some(id), message });
        map.serialize_entry(SUMMARY, &form.chain(fields).collect::<Vec<_>>())?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn no_message_serialises_to_nothing_and_answers_200() {
        let errors = FormErrors::default();
        assert_eq!(serde_json::to_value(&errors).expect("json"), json!({}));
        assert_eq!(errors.status(), StatusCode::OK);
    }

    #[test]
    fn fields_are_looked_up_by_id_and_summarised_after_the_form_messages() {
        let mut errors = FormErrors::default();
        errors.field("name", "Enter your name.");
        errors.field("password", "Use at least 12 characters.");
        errors.form("The link no longer works.");
        assert_eq!(
            serde_json::to_value(&errors).expect("json"),
            json!({
                "name": "Enter your name.",
                "password": "Use at least 12 characters.",
                "summary": [
                    {"field": null, "message": "The link no longer works."},
                    {"field": "name", "message": "Enter your name."},
                    {"field": "password", "message": "Use at least 12 characters."},
                ],
            })
        );
        assert_eq!(errors.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn a_field_keeps_its_first_message() {
        let mut errors = FormErrors::default();
        errors.field("email", "first");
        errors.field("email", "second");
        assert_eq!(serde_json::to_value(&errors).expect("json")["email"], "first");
    }
}
