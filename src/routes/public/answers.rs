//! The meeting's registration questions on every form a person registers or edits their
//! registration with (invitation, `/register`, `/me/registrations/{id}`): the form read as
//! pairs (a several-of question repeats its key), the controls to show with what was typed
//! or stored, and the check of each answer (`domain::questions`) with its message beside
//! the question.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::{
    domain::questions::{self, NO, QuestionKind, YES},
    error::AppError,
    models::question::Question,
    routes::{form_errors::FormErrors, public::details::RegisterForm},
};

/// What a sensitive question says under it.
const SENSITIVE: &str = "Seen by the organizers only; deleted 30 days after the meeting.";

/// The name (and id) prefix of an answer's control: `answer-12`.
const PREFIX: &str = "answer-";

/// The values sent for each question, by question id.
#[derive(Debug, Default, Clone)]
pub struct Typed(BTreeMap<i64, Vec<String>>);

impl Typed {
    /// The stored answers, as the form sends them.
    pub fn stored(questions: &[Question], stored: &[(i64, String)]) -> Self {
        let mut typed = BTreeMap::new();
        for (id, value) in stored {
            if let Some(q) = questions.iter().find(|q| q.id == *id) {
                typed.insert(*id, questions::form_values(q.kind, value));
            }
        }
        Typed(typed)
    }

    fn of(&self, id: i64) -> &[String] {
        self.0.get(&id).map_or(&[], Vec::as_slice)
    }
}

/// The registration form with its answers.
pub fn read(pairs: Vec<(String, String)>) -> Result<(RegisterForm, Typed), AppError> {
    let (mut fields, mut typed) = (serde_json::Map::new(), BTreeMap::<i64, Vec<String>>::new());
    for (key, value) in pairs {
        match key.strip_prefix(PREFIX).and_then(|id| id.parse().ok()) {
            Some(id) => typed.entry(id).or_default().push(value),
            None => {
                fields.entry(key).or_insert(serde_json::Value::String(value));
            }
        }
    }
    // Every field of the form is text, so any set of strings reads.
    let form = serde_json::from_value(serde_json::Value::Object(fields))
        .map_err(|e| AppError::Unexpected(anyhow::Error::new(e).context("reading the registration form")))?;
    Ok((form, Typed(typed)))
}

/// The answers of any form that asks the meeting's questions (the survey too): the
/// answers by question, and the form's other fields as they came.
pub fn split(pairs: Vec<(String, String)>) -> (Typed, Vec<(String, String)>) {
    let (mut typed, mut rest) = (BTreeMap::<i64, Vec<String>>::new(), Vec::new());
    for (key, value) in pairs {
        match key.strip_prefix(PREFIX).and_then(|id| id.parse().ok()) {
            Some(id) => typed.entry(id).or_default().push(value),
            None => rest.push((key, value)),
        }
    }
    (Typed(typed), rest)
}

/// The answers to store for the questions asked, each question's problem noted beside it.
pub fn check(asked: &[Question], typed: &Typed, errors: &mut FormErrors) -> Vec<(i64, Option<String>)> {
    let mut answers = Vec::new();
    for q in asked {
        let choices = q.choices();
        let how = questions::Asked { kind: q.kind, required: q.required, choices: &choices };
        match questions::parse_answer(how, typed.of(q.id)) {
            Ok(value) => answers.push((q.id, value)),
            Err(e) => errors.field(format!("{PREFIX}{}", q.id), format!("{}: {e}", q.prompt)),
        }
    }
    answers
}

/// A question as the form shows it.
#[derive(Serialize, Debug)]
pub struct Control {
    /// The control's id and name (the first option's id for a list).
    field: String,
    prompt: String,
    /// The organizers' hint, and for a sensitive question who sees it and for how long.
    hint: String,
    kind: QuestionKind,
    required: bool,
    /// What a text or date control holds.
    value: String,
    /// The options of a list or yes/no question.
    options: Vec<Opt>,
}

#[derive(Serialize, Debug)]
struct Opt {
    id: String,
    value: String,
    label: String,
    checked: bool,
}

/// The controls for the questions asked, filled with `typed`.
pub fn controls(asked: &[Question], typed: &Typed) -> Vec<Control> {
    asked
        .iter()
        .map(|q| {
            let field = format!("{PREFIX}{}", q.id);
            let values = typed.of(q.id);
            let choices: Vec<(String, String)> = match q.kind {
                QuestionKind::YesNo => vec![(YES.into(), "Yes".into()), (NO.into(), "No".into())],
                k if k.has_choices() => {
                    q.choices().as_slice().iter().map(|c| (c.clone(), c.clone())).collect()
                }
                _ => Vec::new(),
            };
            let options = choices
                .into_iter()
                .enumerate()
                .map(|(i, (value, label))| Opt {
                    id: if i == 0 { field.clone() } else { format!("{field}-{i}") },
                    checked: values.contains(&value),
                    value,
                    label,
                })
                .collect();
            Control {
                value: if q.kind.has_choices() {
                    String::new()
                } else {
                    values.first().cloned().unwrap_or_default()
                },
                field,
                prompt: q.prompt.clone(),
                hint: match (q.hint.as_str(), q.sensitive) {
                    (hint, false) => hint.to_owned(),
                    ("", true) => SENSITIVE.to_owned(),
                    (hint, true) => format!("{hint} {SENSITIVE}"),
                },
                kind: q.kind,
                required: q.required,
                options,
            }
        })
        .collect()
}

/// An answer as its person or an organizer reads it.
#[derive(Serialize, Debug)]
pub struct Given {
    pub prompt: String,
    pub answer: String,
    pub sensitive: bool,
    pub retired: bool,
}

/// The stored answers of one registration, in the questions' order.
pub fn given(all: &[Question], stored: &[(i64, String)]) -> Vec<Given> {
    all.iter()
        .filter_map(|q| {
            let (_, value) = stored.iter().find(|(id, _)| *id == q.id)?;
            Some(Given {
                prompt: q.prompt.clone(),
                answer: questions::display(q.kind, value),
                sensitive: q.sensitive,
                retired: q.is_retired(),
            })
        })
        .collect()
}
