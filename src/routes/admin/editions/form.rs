//! The FIRST edition form: what the organizer typed, parsed into `EditionFields` or into
//! messages next to the fields they concern. The overlap with other editions needs the
//! stored editions: [`overlap`] checks it under the table's lock.

use serde::{Deserialize, Serialize};

use crate::{
    domain::{colocation::DateRange, first_edition::check_overlap, local_time::chosen_zone},
    models::first_edition::{EditionFields, FirstEdition},
    routes::{admin::meetings::day, form_errors::FormErrors},
};

const MAX_TEXT: usize = 200;

/// The form as typed (also what the page shows back).
#[derive(Deserialize, Serialize, Debug, Clone, Default)]
pub struct EditionForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub time_zone: String,
    #[serde(default)]
    pub first_day: String,
    #[serde(default)]
    pub last_day: String,
}

impl EditionForm {
    pub fn of(e: &FirstEdition) -> Self {
        EditionForm {
            name: e.name.clone(),
            city: e.city.clone(),
            country: e.country.clone(),
            time_zone: e.time_zone.clone(),
            first_day: e.first_day.to_string(),
            last_day: e.last_day.to_string(),
        }
    }

    /// The fields, or every problem found, in the order of the form.
    pub fn parse(&self) -> Result<EditionFields, FormErrors> {
        let mut errors = FormErrors::default();
        let what = "the edition's name, like FIRST Conference 2027";
        let name = errors.required_line("name", &self.name, MAX_TEXT, what);
        let city = errors.required_line("city", &self.city, MAX_TEXT, "the city");
        let country = errors.single_line("country", &self.country);
        if country.chars().count() > MAX_TEXT {
            errors.field("country", format!("This can be at most {MAX_TEXT} characters long."));
        }
        let zone = chosen_zone(&self.time_zone).map_err(|e| errors.field("time_zone", e.to_string())).ok();
        let first = day(&mut errors, "first_day", &self.first_day);
        let last = day(&mut errors, "last_day", &self.last_day);
        let days = first.zip(last).and_then(|(f, l)| {
            DateRange::new(f, l).map_err(|e| errors.field("last_day", e.to_string())).ok()
        });
        match (errors.is_empty(), zone, days) {
            (true, Some(zone), Some(days)) => Ok(EditionFields {
                name,
                city,
                country,
                time_zone: zone.name().to_owned(),
                first_day: days.first(),
                last_day: days.last(),
            }),
            _ => Err(errors),
        }
    }
}

/// The message for days that share one with another stored edition (`id` is the edition
/// being edited, left out).
pub fn overlap(fields: &EditionFields, id: Option<i64>, stored: &[FirstEdition]) -> Option<FormErrors> {
    let days = DateRange::new(fields.first_day, fields.last_day).ok()?;
    let others = stored
        .iter()
        .filter(|e| Some(e.id) != id)
        .filter_map(|e| Some((e.name.as_str(), DateRange::new(e.first_day, e.last_day).ok()?)));
    let err = check_overlap(&days, others).err()?;
    let mut errors = FormErrors::default();
    errors.field("first_day", err.to_string());
    Some(errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(time_zone: &str, first_day: &str, last_day: &str) -> EditionForm {
        EditionForm {
            name: " FIRST Conference 2027 ".into(),
            city: "Madrid".into(),
            country: "Spain".into(),
            time_zone: time_zone.into(),
            first_day: first_day.into(),
            last_day: last_day.into(),
        }
    }

    fn ids(errors: FormErrors) -> Vec<String> {
        let json = serde_json::to_value(errors).expect("json");
        json["summary"].as_array().expect("a list").iter().map(|e| e["field"].to_string()).collect()
    }

    #[test]
    fn a_valid_edition_is_trimmed_and_keeps_its_zone_name() {
        let fields = form("Europe/Madrid", "2027-06-13", "2027-06-18").parse().expect("valid");
        assert_eq!(
            (fields.name.as_str(), fields.time_zone.as_str()),
            ("FIRST Conference 2027", "Europe/Madrid")
        );
        assert_eq!(fields.last_day.to_string(), "2027-06-18");
    }

    #[test]
    fn an_edition_ending_before_it_starts_or_in_an_unknown_zone_is_refused() {
        let errors = form("Madrid Time", "2027-06-18", "2027-06-13").parse().expect_err("refused");
        assert_eq!(errors.message("last_day").map(|m| m.starts_with("The last day")), Some(true));
        assert_eq!(ids(errors), ["\"time_zone\"", "\"last_day\""]);
        let blank = EditionForm::default().parse().expect_err("refused");
        assert_eq!(ids(blank), ["\"name\"", "\"city\"", "\"time_zone\"", "\"first_day\"", "\"last_day\""]);
    }
}
