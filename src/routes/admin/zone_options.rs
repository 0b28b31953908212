//! The time zones an organizer's `<select>` offers: `domain::local_time::zone_choices`,
//! and the value the form holds when it is not one of them (a stored meeting's older zone
//! name, or a refused value shown back beside its message).

use crate::domain::local_time::zone_choices;

pub fn zone_options(current: &str) -> Vec<String> {
    let current = current.trim();
    let listed = zone_choices().iter().map(|z| (*z).to_owned());
    if current.is_empty() || zone_choices().contains(&current) {
        listed.collect()
    } else {
        std::iter::once(current.to_owned()).chain(listed).collect()
    }
}
