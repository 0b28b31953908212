//! The registration form every path shares (invitation link, self-registration, `/me`
//! edits): its fields, their normalization and a message per field a person can act on.

use serde::{Deserialize, Serialize};

use crate::{domain::password::NewPassword, routes::form_errors::FormErrors};

/// Longest answer kept for the free-text fields; longer input is refused, not cut.
const MAX_TEXT: usize = 300;

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct RegisterForm {
    /// Only self-registration reads it; the invitation fixes the address.
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    /// Only the invitation reads it: self-registration sets the password on the
    /// confirmation page, once the address is proven.
    #[serde(default, skip_serializing)]
    pub password: String,
    #[serde(default)]
    pub role_title: String,
    #[serde(default)]
    pub dietary: String,
    #[serde(default)]
    pub accessibility: String,
    #[serde(default)]
    pub consent_listed: Option<String>,
}

impl RegisterForm {
    /// Trims every text field (the password excepted: spaces may be part of it).
    pub fn normalize(&mut self) {
        for field in [
            &mut self.email,
            &mut self.name,
            &mut self.role_title,
            &mut self.dietary,
            &mut self.accessibility,
        ] {
            *field = field.trim().to_owned();
        }
    }

    pub fn consent(&self) -> bool {
        self.consent_listed.is_some()
    }

    /// The registration's own details: role, dietary and accessibility needs. Called after
    /// [`Self::check_account`], so the messages keep the order of the form.
    pub fn check_details(&self, errors: &mut FormErrors) {
        // The input rule first: a field keeps its first message.
        for (id, value) in [
            ("role_title", &self.role_title),
            ("dietary", &self.dietary),
            ("accessibility", &self.accessibility),
        ] {
            errors.single_line(id, value);
        }
        if self.role_title.is_empty() {
            errors.field("role_title", "Enter your role or title in your team.");
        } else if self.role_title.chars().count() > MAX_TEXT {
            errors.field("role_title", too_long());
        }
        if self.dietary.chars().count() > MAX_TEXT {
            errors.field("dietary", too_long());
        }
        if self.accessibility.chars().count() > MAX_TEXT {
            errors.field("accessibility", too_long());
        }
    }

    /// A new account's name.
    pub fn check_name(&self, errors: &mut FormErrors) {
        errors.single_line("name", &self.name);
        if self.name.is_empty() {
            errors.field("name", "Enter your name.");
        } else if self.name.chars().count() > MAX_TEXT {
            errors.field("name", too_long());
        }
    }

    /// A new account's name and password; the password when both are fine.
    pub fn check_account(&self, email: &str, errors: &mut FormErrors) -> Option<NewPassword> {
        self.check_name(errors);
        match NewPassword::parse(&self.password, Some(email)) {
            Ok(p) => Some(p),
            Err(e) => {
                errors.field("password", e.to_string());
                None
            }
        }
    }
}

fn too_long() -> String {
    format!("Keep it to at most {MAX_TEXT} characters.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> RegisterForm {
        RegisterForm {
            name: " Alice ".into(),
            password: "copper-meadow-signal-77".into(),
            role_title: " Analyst ".into(),
            ..RegisterForm::default()
        }
    }

    #[test]
    fn a_filled_form_passes_after_trimming() {
        let mut form = filled();
        form.normalize();
        let mut errors = FormErrors::default();
        assert!(form.check_account("alice@cert.example", &mut errors).is_some());
        form.check_details(&mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(form.name, "Alice");
    }

    #[test]
    fn each_missing_field_gets_its_own_message() {
        let mut errors = FormErrors::default();
        let form = RegisterForm::default();
        assert!(form.check_account("alice@cert.example", &mut errors).is_none());
        form.check_details(&mut errors);
        let summary = serde_json::to_value(&errors).expect("json")["summary"].clone();
        let ids: Vec<_> = summary.as_array().expect("a list").iter().map(|e| e["field"].clone()).collect();
        assert_eq!(ids, ["name", "password", "role_title"]);
    }

    #[test]
    fn a_bidi_override_or_line_break_in_a_detail_is_refused_beside_it() {
        let mut errors = FormErrors::default();
        let form = RegisterForm { name: "Eve\u{202e}".into(), dietary: "none\nreally".into(), ..filled() };
        form.check_account("alice@cert.example", &mut errors);
        form.check_details(&mut errors);
        assert!(errors.has("name") && errors.has("dietary"), "{errors:?}");
        assert!(!errors.has("role_title"));
    }

    #[test]
    fn an_overlong_answer_is_refused() {
        let form = RegisterForm { dietary: "x".repeat(MAX_TEXT + 1), ..filled() };
        let mut errors = FormErrors::default();
        form.check_details(&mut errors);
        assert!(errors.has("dietary"));
    }
}
