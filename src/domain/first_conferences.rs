//! Editions of the annual FIRST conference (public facts, shipped in
//! `assets/data/first_conferences.csv`), used to propose the co-located meeting.

use chrono::NaiveDate;

const DATA: &str = include_str!("../../assets/data/first_conferences.csv");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    pub year: i32,
    pub city: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub time_zone: String,
}

impl Edition {
    pub fn name(&self) -> String {
        format!("FIRST Conference {}", self.year)
    }
}

/// Every edition in the shipped file, oldest first. Rows that do not parse are skipped.
pub fn editions() -> Vec<Edition> {
    let mut reader = csv::Reader::from_reader(DATA.as_bytes());
    let headers = reader.headers().cloned().unwrap_or_default();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(year), Some(city), Some(start), Some(end), Some(tz)) =
        (col("year"), col("city"), col("start_date"), col("end_date"), col("iana_tz"))
    else {
        return Vec::new();
    };
    let mut out: Vec<Edition> = reader
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| {
            Some(Edition {
                year: r.get(year)?.parse().ok()?,
                city: r.get(city)?.to_owned(),
                first_day: r.get(start)?.parse().ok()?,
                last_day: r.get(end)?.parse().ok()?,
                time_zone: r.get(tz)?.to_owned(),
            })
        })
        .collect();
    out.sort_by_key(|e| e.first_day);
    out
}

/// The first edition that has not ended by `today`.
pub fn next(today: NaiveDate) -> Option<Edition> {
    editions().into_iter().find(|e| e.last_day >= today)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verified_2026_edition_is_denver_in_june() {
        let e = editions().into_iter().find(|e| e.year == 2026).expect("2026 is listed");
        assert_eq!(e.city, "Denver");
        assert_eq!(e.time_zone, "America/Denver");
        assert_eq!(
            (e.first_day.to_string(), e.last_day.to_string()),
            ("2026-06-14".into(), "2026-06-19".into())
        );
    }

    #[test]
    fn next_skips_editions_that_ended() {
        let day = NaiveDate::from_ymd_opt(2025, 7, 1).expect("date");
        assert_eq!(next(day).map(|e| e.year), Some(2026));
    }
}
