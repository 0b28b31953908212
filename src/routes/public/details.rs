//! The registration form every path shares (invitation link, self-registration, `/me`
//! edits): its fields, their normalization and a message per field a person can act on.

use serde::{Deserialize, Serialize};

use crate::domain::password::NewPassword;

/// Longest answer kept for the free-text fields; longer input is refused, not cut.
const MAX_TEXT: usize = 300;

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct RegisterForm {
    /// Only self-registration reads it; the invitation fixes the address.
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
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

/// One message per field, keyed like the form's inputs.
#[derive(Serialize, Default, Debug)]
pub struct FieldErrors {
    pub email: Option<String>,
    pub name: Option<String>,
    pub password: Option<String>,
    pub role_title: Option<String>,
    pub dietary: Option<String>,
    pub accessibility: Option<String>,
}

impl FieldErrors {
    pub fn is_empty(&self) -> bool {
        self.summary().is_empty()
    }

    /// (field id, message) in the order of the form, for the summary at the top.
    pub fn summary(&self) -> Vec<(&'static str, String)> {
        [
            ("email", &self.email),
            ("name", &self.name),
            ("password", &self.password),
            ("role_title", &self.role_title),
            ("dietary", &self.dietary),
            ("accessibility", &self.accessibility),
        ]
        .into_iter()
        .filter_map(|(id, m)| m.clone().map(|m| (id, m)))
        .collect()
    }
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

    /// The registration's own details: role, dietary and accessibility needs.
    pub fn check_details(&self, errors: &mut FieldErrors) {
        if self.role_title.is_empty() {
            errors.role_title = Some("Enter your role or title in your team.".to_owned());
        } else if self.role_title.chars().count() > MAX_TEXT {
            errors.role_title = Some(too_long());
        }
        if self.dietary.chars().count() > MAX_TEXT {
            errors.dietary = Some(too_long());
        }
        if self.accessibility.chars().count() > MAX_TEXT {
            errors.accessibility = Some(too_long());
        }
    }

    /// A new account's name and password; the password when both are fine.
    pub fn check_account(&self, email: &str, errors: &mut FieldErrors) -> Option<NewPassword> {
        if self.name.is_empty() {
            errors.name = Some("Enter your name.".to_owned());
        } else if self.name.chars().count() > MAX_TEXT {
            errors.name = Some(too_long());
        }
        match NewPassword::parse(&self.password, Some(email)) {
            Ok(p) => Some(p),
            Err(e) => {
                errors.password = Some(e.to_string());
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
        let mut errors = FieldErrors::default();
        form.check_details(&mut errors);
        assert!(form.check_account("alice@cert.example", &mut errors).is_some());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(form.name, "Alice");
    }

    #[test]
    fn each_missing_field_gets_its_own_message() {
        let mut errors = FieldErrors::default();
        let form = RegisterForm::default();
        form.check_details(&mut errors);
        assert!(form.check_account("alice@cert.example", &mut errors).is_none());
        let ids: Vec<_> = errors.summary().into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["name", "password", "role_title"]);
    }

    #[test]
    fn an_overlong_answer_is_refused() {
        let form = RegisterForm { dietary: "x".repeat(MAX_TEXT + 1), ..filled() };
        let mut errors = FieldErrors::default();
        form.check_details(&mut errors);
        assert!(errors.dietary.is_some());
    }
}
