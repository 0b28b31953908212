//! A registration question's form as an organizer types it, and its parse into the fields
//! to store (rules in `domain::questions`), with a message beside each field.

use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        feedback::QuestionPurpose,
        questions::{self, QuestionKind},
    },
    models::question::{Question, QuestionFields},
    routes::form_errors::FormErrors,
};

#[derive(Deserialize, Serialize, Default, Clone, Debug)]
pub struct QuestionForm {
    #[serde(default)]
    prompt: String,
    #[serde(default)]
    hint: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    required: Option<String>,
    #[serde(default)]
    sensitive: Option<String>,
    #[serde(default)]
    choices: String,
    #[serde(default)]
    position: String,
    /// `registration` (also when absent) or `survey`.
    #[serde(default)]
    pub(super) purpose: String,
}

impl QuestionForm {
    /// A new question's form, placed after the `count` there are.
    pub(super) fn blank(count: usize) -> Self {
        QuestionForm {
            kind: QuestionKind::ShortText.as_str().into(),
            position: (count + 1).to_string(),
            purpose: QuestionPurpose::Registration.as_str().into(),
            ..Self::default()
        }
    }

    pub(super) fn of(q: &Question) -> Self {
        QuestionForm {
            prompt: q.prompt.clone(),
            hint: q.hint.clone(),
            kind: q.kind.as_str().into(),
            required: q.required.then(|| "yes".into()),
            sensitive: q.sensitive.then(|| "yes".into()),
            choices: q.choices.clone(),
            position: q.position.to_string(),
            purpose: q.purpose.as_str().into(),
        }
    }

    /// The fields to store, or every problem, in the order of the form.
    pub(super) fn parse(&self) -> Result<QuestionFields, FormErrors> {
        let mut errors = FormErrors::default();
        let prompt =
            questions::parse_prompt(&self.prompt).map_err(|e| errors.field("prompt", e.to_string())).ok();
        let hint = questions::parse_hint(&self.hint).map_err(|e| errors.field("hint", e.to_string())).ok();
        let kind = self
            .kind
            .parse::<QuestionKind>()
            .map_err(|_| errors.field("kind", "Choose a kind of answer."))
            .ok();
        let choices = kind.and_then(|k| {
            questions::parse_choices(k, &self.choices)
                .map_err(|e| errors.field("choices", e.to_string()))
                .ok()
        });
        let position = match self.position.trim().parse::<i32>() {
            Ok(n) if (0..=999).contains(&n) => Some(n),
            _ => {
                errors.field("position", "Enter the order as a whole number from 0 to 999.");
                None
            }
        };
        let purpose = match self.purpose.trim() {
            "" => Some(QuestionPurpose::Registration),
            word => word
                .parse::<QuestionPurpose>()
                .map_err(|_| errors.field("purpose", "Choose where the question is asked."))
                .ok(),
        };
        match (prompt, hint, kind, choices, position, purpose) {
            (Some(prompt), Some(hint), Some(kind), Some(choices), Some(position), Some(purpose))
                if errors.is_empty() =>
            {
                Ok(QuestionFields {
                    prompt,
                    hint,
                    kind,
                    required: self.required.is_some(),
                    sensitive: self.sensitive.is_some(),
                    choices: choices.to_stored(),
                    position,
                    purpose,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(kind: &str, choices: &str) -> QuestionForm {
        QuestionForm {
            prompt: "Dinner on Saturday?".into(),
            kind: kind.into(),
            choices: choices.into(),
            position: "1".into(),
            required: Some("yes".into()),
            ..QuestionForm::default()
        }
    }

    #[test]
    fn a_list_question_keeps_its_choices_one_per_line() {
        let f = form("one_of", "Yes, vegetarian\nYes\nNo").parse().expect("fine");
        assert_eq!((f.kind, f.required, f.sensitive), (QuestionKind::OneOf, true, false));
        assert_eq!(f.choices, "Yes, vegetarian\nYes\nNo");
        assert_eq!(f.purpose, QuestionPurpose::Registration, "a form without a purpose asks at registration");
        let survey = QuestionForm { purpose: "survey".into(), ..form("yes_no", "") };
        assert_eq!(survey.parse().expect("fine").purpose, QuestionPurpose::Survey);
        let odd = QuestionForm { purpose: "poll".into(), ..form("yes_no", "") };
        assert_eq!(odd.parse().expect_err("refused").fields().collect::<Vec<_>>(), ["purpose"]);
    }

    #[test]
    fn each_bad_field_gets_its_message_in_the_order_of_the_form() {
        let bad = QuestionForm {
            prompt: " ".into(),
            kind: "essay".into(),
            position: "x".into(),
            ..QuestionForm::default()
        };
        let errors = bad.parse().expect_err("refused");
        assert_eq!(errors.fields().collect::<Vec<_>>(), ["prompt", "kind", "position"]);
        let errors = form("several_of", "Only one").parse().expect_err("refused");
        assert_eq!(errors.fields().collect::<Vec<_>>(), ["choices"]);
    }
}
