//! Registration questions a meeting's organizers ask (visa letter, arrival date, dinner,
//! badge name): their kinds, what an organizer may type for one, what may change once
//! people have answered, and what makes an answer acceptable and how it is stored.
//!
//! An answer is stored as text: a choice as its words as the person saw them, several
//! choices one per line in the question's order, yes/no as `yes` or `no`, a date as
//! `YYYY-MM-DD`. So a choice that an answer holds may not be renamed or removed: the
//! stored answer would then name something the question no longer offers (or, with
//! numbered choices, silently mean another one). Choices may be added and reordered.

use chrono::NaiveDate;
use serde::Serialize;

use super::{
    text::{self, TextError},
    words::word_enum,
};

word_enum!(
    /// What kind of answer a question takes.
    QuestionKind, "a kind of question" {
        ShortText => "short_text", "Short text";
        LongText => "long_text", "Long text";
        OneOf => "one_of", "One of a list";
        SeveralOf => "several_of", "Several of a list";
        YesNo => "yes_no", "Yes or no";
        Date => "date", "Date";
    }
);

impl QuestionKind {
    /// Whether the organizer lists the answers.
    pub fn has_choices(self) -> bool {
        matches!(self, QuestionKind::OneOf | QuestionKind::SeveralOf)
    }
}

pub const MAX_PROMPT: usize = 200;
pub const MAX_HINT: usize = 300;
pub const MAX_CHOICE: usize = 100;
pub const MAX_CHOICES: usize = 30;
pub const MAX_SHORT_ANSWER: usize = 300;
pub const MAX_LONG_ANSWER: usize = 2000;

/// The stored words of a yes/no answer.
pub const YES: &str = "yes";
pub const NO: &str = "no";

/// A question's choices in the organizers' order: each one line, none empty, no two alike.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Choices(Vec<String>);

impl Choices {
    /// The choices as stored (one per line). Stored text was checked when written.
    pub fn stored(raw: &str) -> Self {
        Choices(raw.lines().filter(|l| !l.is_empty()).map(str::to_owned).collect())
    }

    pub fn to_stored(&self) -> String {
        self.0.join("\n")
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    pub fn contains(&self, choice: &str) -> bool {
        self.0.iter().any(|c| c == choice)
    }
}

/// What is wrong with a question as an organizer typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuestionError {
    #[error("Enter the question, at most {MAX_PROMPT} characters.")]
    Prompt,
    #[error("Keep the hint to at most {MAX_HINT} characters.")]
    Hint,
    #[error("{0}")]
    Text(#[from] TextError),
    #[error("List at least two choices, one per line.")]
    TooFewChoices,
    #[error("List at most {MAX_CHOICES} choices.")]
    TooManyChoices,
    #[error("Keep each choice to at most {MAX_CHOICE} characters.")]
    LongChoice,
    #[error("“{0}” is listed twice.")]
    DuplicateChoice(String),
    #[error("Only “one of a list” and “several of a list” questions have choices: leave them empty.")]
    UnwantedChoices,
}

/// The question's text: one line, not empty, at most [`MAX_PROMPT`] characters.
pub fn parse_prompt(raw: &str) -> Result<String, QuestionError> {
    let prompt = text::single_line(raw)?;
    if prompt.is_empty() || prompt.chars().count() > MAX_PROMPT {
        return Err(QuestionError::Prompt);
    }
    Ok(prompt)
}

/// The hint under the question: one line, may be empty.
pub fn parse_hint(raw: &str) -> Result<String, QuestionError> {
    let hint = text::single_line(raw)?;
    if hint.chars().count() > MAX_HINT {
        return Err(QuestionError::Hint);
    }
    Ok(hint)
}

/// The choices typed one per line (blank lines ignored), for a question of `kind`.
pub fn parse_choices(kind: QuestionKind, raw: &str) -> Result<Choices, QuestionError> {
    let mut choices: Vec<String> = Vec::new();
    for line in text::multi_line(raw)?.lines() {
        let choice = text::single_line(line)?;
        if choice.is_empty() {
            continue;
        }
        if choice.chars().count() > MAX_CHOICE {
            return Err(QuestionError::LongChoice);
        }
        if choices.contains(&choice) {
            return Err(QuestionError::DuplicateChoice(choice));
        }
        choices.push(choice);
    }
    match (kind.has_choices(), choices.len()) {
        (false, 0) => Ok(Choices::default()),
        (false, _) => Err(QuestionError::UnwantedChoices),
        (true, n) if n < 2 => Err(QuestionError::TooFewChoices),
        (true, n) if n > MAX_CHOICES => Err(QuestionError::TooManyChoices),
        (true, _) => Ok(Choices(choices)),
    }
}

/// Why a change to a question that people have answered is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error(
        "People have answered this question, so its kind cannot change. Retire it and add a new \
         question instead."
    )]
    Kind,
    #[error(
        "“{0}” is the answer of at least one person: keep it as it is. You can add choices and change \
         their order."
    )]
    ChoiceInUse(String),
}

/// Whether a question of `kind` with `choices` may become `new_kind` with `new_choices`,
/// given the stored answers `held` (empty: nobody answered, anything goes).
pub fn check_change(
    kind: QuestionKind,
    held: &[String],
    new_kind: QuestionKind,
    new_choices: &Choices,
) -> Result<(), ChangeError> {
    if held.is_empty() {
        return Ok(());
    }
    if kind != new_kind {
        return Err(ChangeError::Kind);
    }
    if kind.has_choices() {
        for value in held {
            if let Some(gone) = value.lines().find(|c| !new_choices.contains(c)) {
                return Err(ChangeError::ChoiceInUse(gone.to_owned()));
            }
        }
    }
    Ok(())
}

/// Why an answer is refused, worded for the person answering.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("Answer this question.")]
    Required,
    #[error("Choose an answer.")]
    Unchosen,
    #[error("{0}")]
    Text(#[from] TextError),
    #[error("Keep the answer to at most {0} characters.")]
    TooLong(usize),
    #[error("Choose one of the listed answers.")]
    NotAChoice,
    #[error("Choose only one answer.")]
    OneOnly,
    #[error("Enter a date as year, month and day, like 2027-06-18.")]
    NotADate,
}

/// A question as it is asked.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    pub kind: QuestionKind,
    pub required: bool,
    pub choices: &'a Choices,
}

/// The answer to store for the values typed or chosen (a several-of question sends one
/// value per ticked box), or `None` for an optional question left empty.
pub fn parse_answer(q: Asked<'_>, typed: &[String]) -> Result<Option<String>, AnswerError> {
    let given: Vec<&str> = typed.iter().map(|v| v.trim()).filter(|v| !v.is_empty()).collect();
    if given.is_empty() {
        return match (q.required, q.kind) {
            (false, _) => Ok(None),
            (true, QuestionKind::ShortText | QuestionKind::LongText | QuestionKind::Date) => {
                Err(AnswerError::Required)
            }
            (true, _) => Err(AnswerError::Unchosen),
        };
    }
    let single = || match given.as_slice() {
        [one] => Ok(*one),
        _ => Err(AnswerError::OneOnly),
    };
    let value = match q.kind {
        QuestionKind::ShortText => bounded(text::single_line(single()?)?, MAX_SHORT_ANSWER)?,
        QuestionKind::LongText => bounded(text::multi_line(single()?)?, MAX_LONG_ANSWER)?,
        QuestionKind::OneOf => {
            let choice = single()?;
            q.choices.as_slice().iter().find(|c| *c == choice).ok_or(AnswerError::NotAChoice)?.clone()
        }
        QuestionKind::SeveralOf => {
            if given.iter().any(|g| !q.choices.contains(g)) {
                return Err(AnswerError::NotAChoice);
            }
            let chosen: Vec<&str> =
                q.choices.as_slice().iter().map(String::as_str).filter(|c| given.contains(c)).collect();
            chosen.join("\n")
        }
        QuestionKind::YesNo => match single()? {
            v @ (YES | NO) => v.to_owned(),
            _ => return Err(AnswerError::NotAChoice),
        },
        QuestionKind::Date => NaiveDate::parse_from_str(single()?, "%Y-%m-%d")
            .ok()
            .filter(|d| (1900..=2200).contains(&chrono::Datelike::year(d)))
            .ok_or(AnswerError::NotADate)?
            .format("%Y-%m-%d")
            .to_string(),
    };
    Ok(Some(value))
}

fn bounded(value: String, max: usize) -> Result<String, AnswerError> {
    if value.chars().count() > max { Err(AnswerError::TooLong(max)) } else { Ok(value) }
}

/// The values a stored answer stands for in the form (several choices: one each).
pub fn form_values(kind: QuestionKind, stored: &str) -> Vec<String> {
    match kind {
        QuestionKind::SeveralOf => stored.lines().map(str::to_owned).collect(),
        _ => vec![stored.to_owned()],
    }
}

/// A stored answer as people read it on a page or in a spreadsheet cell.
pub fn display(kind: QuestionKind, stored: &str) -> String {
    match (kind, stored) {
        (QuestionKind::SeveralOf, _) => stored.lines().collect::<Vec<_>>().join("; "),
        (QuestionKind::YesNo, YES) => "Yes".to_owned(),
        (QuestionKind::YesNo, NO) => "No".to_owned(),
        _ => stored.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices(list: &[&str]) -> Choices {
        Choices(list.iter().map(|c| (*c).to_owned()).collect())
    }

    fn typed(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    fn answer(
        kind: QuestionKind,
        required: bool,
        list: &[&str],
        values: &[&str],
    ) -> Result<Option<String>, AnswerError> {
        parse_answer(Asked { kind, required, choices: &choices(list) }, &typed(values))
    }

    #[test]
    fn the_stored_words_are_those_the_database_check_lists() {
        let words: Vec<_> = QuestionKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(words, ["short_text", "long_text", "one_of", "several_of", "yes_no", "date"]);
        assert!(QuestionKind::OneOf.has_choices() && QuestionKind::SeveralOf.has_choices());
        assert!(!QuestionKind::YesNo.has_choices() && !QuestionKind::Date.has_choices());
    }

    #[test]
    fn a_required_question_left_empty_is_refused_and_an_optional_one_stores_nothing() {
        assert_eq!(answer(QuestionKind::ShortText, true, &[], &["  "]), Err(AnswerError::Required));
        assert_eq!(answer(QuestionKind::OneOf, true, &["A", "B"], &[]), Err(AnswerError::Unchosen));
        assert_eq!(answer(QuestionKind::YesNo, true, &[], &[""]), Err(AnswerError::Unchosen));
        assert_eq!(answer(QuestionKind::Date, false, &[], &[""]), Ok(None));
        assert_eq!(answer(QuestionKind::SeveralOf, false, &["A", "B"], &[]), Ok(None));
    }

    #[test]
    fn text_answers_keep_to_their_line_rule_and_length() {
        assert_eq!(answer(QuestionKind::ShortText, true, &[], &[" Ana "]), Ok(Some("Ana".into())));
        assert!(matches!(answer(QuestionKind::ShortText, true, &[], &["a\nb"]), Err(AnswerError::Text(_))));
        assert!(matches!(
            answer(QuestionKind::LongText, true, &[], &["a\u{202e}b"]),
            Err(AnswerError::Text(_))
        ));
        assert_eq!(
            answer(QuestionKind::LongText, true, &[], &["line one\r\nline two"]),
            Ok(Some("line one\nline two".into()))
        );
        let long = "x".repeat(MAX_SHORT_ANSWER + 1);
        assert_eq!(
            answer(QuestionKind::ShortText, true, &[], &[&long]),
            Err(AnswerError::TooLong(MAX_SHORT_ANSWER))
        );
        assert!(answer(QuestionKind::LongText, true, &[], &[&long]).is_ok());
    }

    #[test]
    fn one_of_takes_a_single_listed_choice() {
        let list = ["Vegetarian", "Vegan", "Anything"];
        assert_eq!(answer(QuestionKind::OneOf, true, &list, &["Vegan"]), Ok(Some("Vegan".into())));
        assert_eq!(answer(QuestionKind::OneOf, true, &list, &["Pizza"]), Err(AnswerError::NotAChoice));
        assert_eq!(
            answer(QuestionKind::OneOf, true, &list, &["Vegan", "Anything"]),
            Err(AnswerError::OneOnly)
        );
    }

    #[test]
    fn several_of_takes_a_subset_stored_in_the_questions_order() {
        let list = ["Sat dinner", "Sun lunch", "Sun dinner"];
        let got = answer(QuestionKind::SeveralOf, true, &list, &["Sun dinner", "Sat dinner"]);
        assert_eq!(got, Ok(Some("Sat dinner\nSun dinner".into())));
        assert_eq!(
            answer(QuestionKind::SeveralOf, true, &list, &["Sat dinner", "Brunch"]),
            Err(AnswerError::NotAChoice)
        );
        assert_eq!(display(QuestionKind::SeveralOf, "Sat dinner\nSun dinner"), "Sat dinner; Sun dinner");
        assert_eq!(
            form_values(QuestionKind::SeveralOf, "Sat dinner\nSun dinner"),
            ["Sat dinner", "Sun dinner"]
        );
    }

    #[test]
    fn yes_no_takes_only_its_two_words_and_a_date_must_parse() {
        assert_eq!(answer(QuestionKind::YesNo, true, &[], &["yes"]), Ok(Some("yes".into())));
        assert_eq!(answer(QuestionKind::YesNo, true, &[], &["maybe"]), Err(AnswerError::NotAChoice));
        assert_eq!(display(QuestionKind::YesNo, "no"), "No");
        assert_eq!(answer(QuestionKind::Date, true, &[], &["2027-06-18"]), Ok(Some("2027-06-18".into())));
        for bad in ["2027-02-30", "18/06/2027", "tomorrow", "0027-06-18"] {
            assert_eq!(answer(QuestionKind::Date, true, &[], &[bad]), Err(AnswerError::NotADate), "{bad}");
        }
    }

    #[test]
    fn choices_are_one_per_line_distinct_and_only_for_list_questions() {
        let got = parse_choices(QuestionKind::OneOf, "Vegan\r\n\n  Vegetarian  \n").expect("fine");
        assert_eq!(got, choices(&["Vegan", "Vegetarian"]));
        assert_eq!(Choices::stored(&got.to_stored()), got);
        assert_eq!(parse_choices(QuestionKind::OneOf, "Only"), Err(QuestionError::TooFewChoices));
        assert_eq!(
            parse_choices(QuestionKind::SeveralOf, "A\nB\nA"),
            Err(QuestionError::DuplicateChoice("A".into()))
        );
        assert_eq!(parse_choices(QuestionKind::ShortText, "A\nB"), Err(QuestionError::UnwantedChoices));
        assert_eq!(parse_choices(QuestionKind::Date, "  \n"), Ok(Choices::default()));
        assert!(matches!(parse_choices(QuestionKind::OneOf, "A\u{7}\nB"), Err(QuestionError::Text(_))));
        let many = (0..=MAX_CHOICES).map(|i| i.to_string()).collect::<Vec<_>>().join("\n");
        assert_eq!(parse_choices(QuestionKind::OneOf, &many), Err(QuestionError::TooManyChoices));
    }

    #[test]
    fn a_prompt_is_one_non_empty_line() {
        assert_eq!(parse_prompt("  Do you need a visa letter? "), Ok("Do you need a visa letter?".into()));
        assert_eq!(parse_prompt(" "), Err(QuestionError::Prompt));
        assert!(matches!(parse_prompt("a\nb"), Err(QuestionError::Text(_))));
        assert_eq!(parse_prompt(&"x".repeat(MAX_PROMPT + 1)), Err(QuestionError::Prompt));
        assert_eq!(parse_hint(""), Ok(String::new()));
    }

    #[test]
    fn an_answered_question_keeps_its_kind_and_every_chosen_choice() {
        let held = typed(&["Vegan", "Vegetarian\nVegan"]);
        let kept = choices(&["Vegetarian", "Vegan", "Halal"]);
        assert_eq!(check_change(QuestionKind::SeveralOf, &held, QuestionKind::SeveralOf, &kept), Ok(()));
        assert_eq!(
            check_change(QuestionKind::SeveralOf, &held, QuestionKind::OneOf, &kept),
            Err(ChangeError::Kind)
        );
        let renamed = choices(&["Vegetarian", "Plant-based"]);
        assert_eq!(
            check_change(QuestionKind::SeveralOf, &held, QuestionKind::SeveralOf, &renamed),
            Err(ChangeError::ChoiceInUse("Vegan".into()))
        );
        let unanswered: Vec<String> = Vec::new();
        assert_eq!(
            check_change(QuestionKind::OneOf, &unanswered, QuestionKind::Date, &Choices::default()),
            Ok(())
        );
        assert_eq!(
            check_change(
                QuestionKind::ShortText,
                &typed(&["Ana"]),
                QuestionKind::LongText,
                &Choices::default()
            ),
            Err(ChangeError::Kind)
        );
    }
}
