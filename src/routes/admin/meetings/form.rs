//! The meeting form: what the organizer typed, parsed into `MeetingFields` or into
//! messages next to the fields they concern.

use chrono::{Datelike as _, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        carry,
        colocation::{self, DateRange},
        email::Email,
        endorsement::Mode as EndorsementMode,
        local_time::{self, chosen_zone, to_local, to_utc},
        registration::{DEFAULT_OFFER_HOURS, OFFER_HOURS},
        text,
    },
    models::{
        first_edition::FirstEdition,
        meeting::{Meeting, MeetingFields},
    },
    routes::form_errors::FormErrors,
};

/// The longest public description, in characters.
const MAX_DESCRIPTION: usize = 4000;

/// The form as typed (also what the page shows back).
#[derive(Deserialize, Serialize, Debug, Clone, Default)]
pub struct MeetingForm {
    pub title: String,
    pub slug: String,
    pub city: String,
    pub venue: String,
    pub time_zone: String,
    pub first_day: String,
    pub last_day: String,
    // Absent when a new meeting is created from an edition, whose values it copies.
    #[serde(default)]
    pub conference_name: String,
    #[serde(default)]
    pub conference_city: String,
    #[serde(default)]
    pub conference_first_day: String,
    #[serde(default)]
    pub conference_last_day: String,
    pub registration_opens: String,
    pub registration_closes: String,
    pub default_cap: String,
    /// The id of the FIRST edition a new meeting is created from; empty for none.
    #[serde(default)]
    pub edition: String,
    /// Empty means the meeting's zone.
    #[serde(default)]
    pub conference_time_zone: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub contact_email: String,
    /// The short name of the meeting a new one is carried from; empty for none.
    #[serde(default)]
    pub from: String,
    /// Hours to answer a waitlist offer; empty means the default.
    #[serde(default)]
    pub offer_hours: String,
    /// off, recommended or required; empty means off.
    #[serde(default)]
    pub endorsement: String,
}

/// The years a meeting's dates may fall in: far beyond them a calendar writes dates no
/// reader parses (year 9999 gave `DTEND;VALUE=DATE:+100000101`), and no meeting is held.
pub const MEETING_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The day typed in the field `key`, within [`MEETING_YEARS`], or its message.
pub fn day(errors: &mut FormErrors, key: &'static str, value: &str) -> Option<NaiveDate> {
    match value.trim().parse::<NaiveDate>() {
        Ok(d) if MEETING_YEARS.contains(&d.year()) => Some(d),
        Ok(_) => {
            let (from, to) = (MEETING_YEARS.start(), MEETING_YEARS.end());
            errors.field(key, format!("Enter a date between the years {from} and {to}."));
            None
        }
        Err(_) => {
            errors.field(key, "Enter a date as YYYY-MM-DD, like 2026-06-20.");
            None
        }
    }
}

impl MeetingForm {
    /// A new meeting next to `edition`: the usual slot after it, in its city and zone, its
    /// values for the conference. Without an edition, only the defaults.
    pub fn proposal(today: NaiveDate, edition: Option<&FirstEdition>) -> Self {
        let mut form = MeetingForm {
            default_cap: "3".into(),
            offer_hours: DEFAULT_OFFER_HOURS.to_string(),
            endorsement: EndorsementMode::Off.as_str().to_owned(),
            ..Default::default()
        };
        if let Some(e) = edition {
            let conference = DateRange::new(e.first_day, e.last_day).ok();
            if let Some(slot) = conference.as_ref().map(colocation::suggested_slot) {
                let year = slot.first().year();
                form.first_day = slot.first().to_string();
                form.last_day = slot.last().to_string();
                form.registration_closes = (slot.first() - chrono::Duration::days(14)).to_string();
                form.title = format!(
                    "NatCSIRT {year} — Annual Technical Meeting of CSIRTs with National Responsibility"
                );
                form.slug = format!("natcsirt-{year}");
            }
            form.city = e.city.clone();
            form.time_zone = e.time_zone.clone();
            form.registration_opens = today.to_string();
            form.take_edition(e);
        }
        form
    }

    /// A new meeting carried from `old`: the proposal after the chosen edition, with
    /// `old`'s title and short name moved to the proposed year, its venue, cap, hours to
    /// answer a waitlist offer, description and contact.
    pub fn carried(proposal: Self, old: &Meeting) -> Self {
        let from_year = old.first_day.year();
        let to_year = proposal.first_day.parse::<NaiveDate>().map_or(from_year + 1, |d| d.year());
        MeetingForm {
            title: carry::move_year(&old.title, from_year, to_year),
            slug: carry::move_year(&old.slug, from_year, to_year),
            venue: old.venue.clone(),
            default_cap: old.default_cap.to_string(),
            offer_hours: old.offer_hours.to_string(),
            endorsement: old.endorsement.as_str().to_owned(),
            description: old.description.clone(),
            contact_email: old.contact_email.clone(),
            from: old.slug.clone(),
            ..proposal
        }
    }

    /// The edition's values for the conference: what a meeting created from it copies.
    pub fn take_edition(&mut self, e: &FirstEdition) {
        self.edition = e.id.to_string();
        self.conference_name = e.name.clone();
        self.conference_city = e.city.clone();
        self.conference_time_zone = e.time_zone.clone();
        self.conference_first_day = e.first_day.to_string();
        self.conference_last_day = e.last_day.to_string();
    }

    pub fn from_meeting(m: &Meeting) -> Self {
        let zone = local_time::parse_zone(&m.time_zone).unwrap_or(chrono_tz::UTC);
        MeetingForm {
            title: m.title.clone(),
            slug: m.slug.clone(),
            city: m.city.clone(),
            venue: m.venue.clone(),
            time_zone: m.time_zone.clone(),
            first_day: m.first_day.to_string(),
            last_day: m.last_day.to_string(),
            conference_name: m.conference_name.clone(),
            conference_city: m.conference_city.clone(),
            conference_first_day: m.conference_first_day.to_string(),
            conference_last_day: m.conference_last_day.to_string(),
            registration_opens: to_local(m.registration_opens, zone).date().to_string(),
            registration_closes: to_local(m.registration_closes, zone).date().to_string(),
            default_cap: m.default_cap.to_string(),
            edition: m.edition_id.map(|id| id.to_string()).unwrap_or_default(),
            conference_time_zone: m.conference_time_zone.clone(),
            description: m.description.clone(),
            contact_email: m.contact_email.clone(),
            from: String::new(),
            offer_hours: m.offer_hours.to_string(),
            endorsement: m.endorsement.as_str().to_owned(),
        }
    }

    /// The fields, or every problem found, noted in the order of the form.
    /// `max_gap_days` is the co-location rule.
    pub fn parse(&self, max_gap_days: i64) -> Result<MeetingFields, FormErrors> {
        let mut errors = FormErrors::default();
        let text = |errors: &mut FormErrors, key: &'static str, value: &str, what: &str| {
            let v = errors.single_line(key, value);
            if v.is_empty() && !errors.has(key) {
                errors.field(key, format!("Enter the {what}."));
            }
            v
        };
        let title = text(&mut errors, "title", &self.title, "title");
        let slug = self.slug.trim().to_lowercase();
        // "new" is the address of the create form.
        if !(3..=64).contains(&slug.len())
            || slug == "new"
            || !slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            errors.field("slug", "Use 3 to 64 lower-case letters, digits and hyphens, like natcsirt-2026.");
        }
        let city = text(&mut errors, "city", &self.city, "city of the meeting");
        let venue = text(&mut errors, "venue", &self.venue, "venue");
        let zone = chosen_zone(&self.time_zone).map_err(|e| errors.field("time_zone", e.to_string())).ok();
        let first = day(&mut errors, "first_day", &self.first_day);
        let last = day(&mut errors, "last_day", &self.last_day);
        let conference_name =
            text(&mut errors, "conference_name", &self.conference_name, "name of the FIRST conference");
        let conference_city =
            text(&mut errors, "conference_city", &self.conference_city, "city of the FIRST conference");
        let c_first = day(&mut errors, "conference_first_day", &self.conference_first_day);
        let c_last = day(&mut errors, "conference_last_day", &self.conference_last_day);
        let conference_zone = match self.conference_time_zone.trim() {
            "" => zone,
            name => chosen_zone(name).map_err(|e| errors.field("conference_time_zone", e.to_string())).ok(),
        };
        let description = text::multi_line(&self.description).unwrap_or_else(|e| {
            errors.field("description", e.to_string());
            String::new()
        });
        if description.chars().count() > MAX_DESCRIPTION {
            errors.field(
                "description",
                format!("The description can be at most {MAX_DESCRIPTION} characters long."),
            );
        }
        let contact_email = match self.contact_email.trim() {
            "" => String::new(),
            raw => Email::parse(raw)
                .map(|e| e.as_str().to_owned())
                .map_err(|e| errors.field("contact_email", e.to_string()))
                .unwrap_or_default(),
        };
        let opens = day(&mut errors, "registration_opens", &self.registration_opens);
        let closes = day(&mut errors, "registration_closes", &self.registration_closes);
        let default_cap = match self.default_cap.trim().parse::<i32>() {
            Ok(n) if n >= 1 => n,
            _ => {
                errors.field(
                    "default_cap",
                    "Enter how many people each team may send: a whole number, 1 or more.",
                );
                0
            }
        };
        let offer_hours = match self.offer_hours.trim() {
            "" => DEFAULT_OFFER_HOURS,
            typed => {
                match typed.parse::<i32>() {
                    Ok(n) if OFFER_HOURS.contains(&n) => n,
                    _ => {
                        let (low, high) = (OFFER_HOURS.start(), OFFER_HOURS.end());
                        errors.field(
                        "offer_hours",
                        format!("Enter the hours to answer a waitlist offer: a whole number from {low} to {high}."),
                    );
                        0
                    }
                }
            }
        };
        let endorsement = match self.endorsement.trim() {
            "" => EndorsementMode::Off,
            typed => typed.parse::<EndorsementMode>().unwrap_or_else(|_| {
                errors.field("endorsement", "Choose off, recommended or required.");
                EndorsementMode::Off
            }),
        };
        let meeting = first.zip(last).and_then(|(f, l)| {
            DateRange::new(f, l).map_err(|e| errors.field("last_day", e.to_string())).ok()
        });
        let conference = c_first.zip(c_last).and_then(|(f, l)| {
            DateRange::new(f, l).map_err(|e| errors.field("conference_last_day", e.to_string())).ok()
        });
        if let (Some(m), Some(c)) = (&meeting, &conference)
            && let Err(e) = colocation::check(m, c, max_gap_days)
        {
            errors.field("first_day", e.to_string());
        }
        let window = match (opens, closes, zone) {
            (Some(o), Some(c), Some(zone)) => {
                let start = to_utc(o, NaiveTime::MIN, zone)
                    .map_err(|e| errors.field("registration_opens", e.to_string()))
                    .ok();
                let end_time = NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(NaiveTime::MIN);
                let end = to_utc(c, end_time, zone)
                    .map_err(|e| errors.field("registration_closes", e.to_string()))
                    .ok();
                if c < o {
                    errors.field(
                        "registration_closes",
                        "Registration must close on or after the day it opens.",
                    );
                }
                if meeting.as_ref().is_some_and(|m| c > m.last()) {
                    errors.field(
                        "registration_closes",
                        "Registration must close by the last day of the meeting.",
                    );
                }
                start.zip(end)
            }
            _ => None,
        };
        match (errors.is_empty(), meeting, conference, window, zone.zip(conference_zone)) {
            (
                true,
                Some(m),
                Some(c),
                Some((registration_opens, registration_closes)),
                Some((zone, c_zone)),
            ) => Ok(MeetingFields {
                slug,
                title,
                city,
                venue,
                time_zone: zone.name().to_owned(),
                first_day: m.first(),
                last_day: m.last(),
                conference_name,
                conference_city,
                conference_first_day: c.first(),
                conference_last_day: c.last(),
                registration_opens,
                registration_closes,
                default_cap,
                conference_time_zone: c_zone.name().to_owned(),
                description,
                contact_email,
                // The handler sets it for a new meeting; a stored meeting keeps its own.
                edition_id: None,
                offer_hours,
                endorsement,
            }),
            _ => Err(errors),
        }
    }
}

/// Things worth a second look that do not stop saving.
pub fn warnings(fields: &MeetingFields) -> Vec<String> {
    let mut out = Vec::new();
    if colocation::cities_differ(&fields.city, &fields.conference_city) {
        out.push(format!(
            "The meeting is in {} but the FIRST conference is in {}. The meeting is usually in the same city.",
            fields.city, fields.conference_city
        ));
    }
    out
}
