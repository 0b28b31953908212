//! The editions of the annual FIRST conference shipped in
//! `assets/data/first_conferences.csv` (public facts): only the seed of the organizers'
//! table of editions (`models::first_edition::seed_if_empty`), read while that table is
//! empty. The meeting form reads the table, never this file.

use chrono::NaiveDate;

use super::local_time;

const DATA: &str = include_str!("../../assets/data/first_conferences.csv");

/// One edition of the shipped file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedEdition {
    pub name: String,
    pub city: String,
    pub country: String,
    pub time_zone: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

/// Every edition in the shipped file, oldest first. Rows without dates (an edition not yet
/// announced, a virtual one whose days are unknown), with an unknown time zone or with a
/// last day before the first are skipped.
pub fn seed() -> Vec<SeedEdition> {
    let mut reader = csv::Reader::from_reader(DATA.as_bytes());
    let headers = reader.headers().cloned().unwrap_or_default();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(year), Some(city), Some(country), Some(start), Some(end), Some(tz)) =
        (col("year"), col("city"), col("country"), col("start_date"), col("end_date"), col("iana_tz"))
    else {
        return Vec::new();
    };
    let mut out: Vec<SeedEdition> = reader
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| {
            let year: i32 = r.get(year)?.parse().ok()?;
            let zone = local_time::parse_zone(r.get(tz)?).ok()?;
            let edition = SeedEdition {
                name: format!("FIRST Conference {year}"),
                city: r.get(city)?.trim().to_owned(),
                country: r.get(country)?.trim().to_owned(),
                time_zone: zone.name().to_owned(),
                first_day: r.get(start)?.parse().ok()?,
                last_day: r.get(end)?.parse().ok()?,
            };
            (edition.last_day >= edition.first_day).then_some(edition)
        })
        .collect();
    out.sort_by_key(|e| e.first_day);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verified_2026_edition_is_denver_in_june() {
        let e = seed().into_iter().find(|e| e.name == "FIRST Conference 2026").expect("2026 is listed");
        assert_eq!((e.city.as_str(), e.country.as_str()), ("Denver", "United States"));
        assert_eq!(e.time_zone, "America/Denver");
        assert_eq!(
            (e.first_day.to_string(), e.last_day.to_string()),
            ("2026-06-14".into(), "2026-06-19".into())
        );
    }

    #[test]
    fn rows_without_dates_are_skipped() {
        let names: Vec<String> = seed().into_iter().map(|e| e.name).collect();
        assert!(!names.iter().any(|n| n.ends_with("2021") || n.ends_with("2027")), "{names:?}");
        assert_eq!(names.first().map(String::as_str), Some("FIRST Conference 2015"));
        assert_eq!(names.len(), 11, "{names:?}");
    }
}
