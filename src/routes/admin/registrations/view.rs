//! The queue's view state as the query string carries it: filters (status, team,
//! country), sort column and direction, and page. Every value that names nothing falls
//! back to its default, so an edited or stale link shows the queue instead of an error.

use serde::{Deserialize, Serialize};

use crate::{domain::registration::Status, models::registration::QueueRow};

/// Rows per page: 300 registrations stay three or so screens of a readable table.
pub const PER_PAGE: usize = 50;

/// The columns the queue sorts by (query value, header label).
const COLUMNS: [(&str, &str); 5] = [
    ("name", "Name"),
    ("team", "Team"),
    ("country", "Country"),
    ("status", "Status"),
    ("registered", "Registered"),
];

/// Strings, not typed fields, so that a bad value is cleaned away rather than refused.
#[derive(Deserialize, Serialize, Default, Clone, Debug)]
pub struct Filter {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub dir: String,
    #[serde(default)]
    pub page: String,
}

/// A sortable column header: its link and, on the active column, its `aria-sort`.
#[derive(Serialize)]
pub struct Column {
    label: &'static str,
    href: String,
    aria_sort: Option<&'static str>,
}

/// "page N of M" with the links to the neighbours (query strings), when there are some.
#[derive(Serialize)]
pub struct Pager {
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
}

impl Filter {
    pub fn clean(mut self) -> Self {
        if self.status.parse::<Status>().is_err() {
            self.status.clear();
        }
        if self.team.parse::<i64>().is_err() {
            self.team.clear();
        }
        if !(self.country.len() == 2 && self.country.bytes().all(|b| b.is_ascii_alphabetic())) {
            self.country.clear();
        }
        self.country.make_ascii_uppercase();
        if !COLUMNS.iter().any(|(key, _)| *key == self.sort) {
            self.sort.clear();
        }
        if self.sort.is_empty() || self.dir != "desc" {
            self.dir = if self.sort.is_empty() { String::new() } else { "asc".into() };
        }
        if self.page.parse::<usize>().map_or(true, |p| p < 2) {
            self.page.clear();
        }
        self
    }

    /// Unconfirmed addresses stay out of the default view: organizers review a registration
    /// once its address is proven (they can still ask for that status explicitly).
    pub fn keeps(&self, r: &QueueRow) -> bool {
        let status = &r.registration.status;
        (if self.status.is_empty() {
            status != Status::PendingVerification.as_str()
        } else {
            *status == self.status
        }) && (self.team.is_empty() || r.registration.team_id.to_string() == self.team)
            && (self.country.is_empty() || r.team_country == self.country)
    }

    /// Orders the kept rows; without a sort they keep the queue order (pending first, oldest
    /// first). Ties fall back to the id so that paging never shows a row twice.
    pub fn sort(&self, rows: &mut [QueueRow]) {
        let key = |r: &QueueRow| -> String {
            match self.sort.as_str() {
                "name" => r.name.to_lowercase(),
                "team" => r.team_name.to_lowercase(),
                "country" => r.team_country.clone(),
                "status" => r.registration.status.clone(),
                "registered" => r.registration.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                _ => String::new(),
            }
        };
        if self.sort.is_empty() {
            return;
        }
        rows.sort_by(|a, b| key(a).cmp(&key(b)).then(a.registration.id.cmp(&b.registration.id)));
        if self.dir == "desc" {
            rows.reverse();
        }
    }

    /// The page to show of `total` rows (1-based), and the page count (at least 1).
    /// A page past the end is a stale link: show the first.
    pub fn page_of(&self, total: usize) -> (usize, usize) {
        let pages = total.div_ceil(PER_PAGE).max(1);
        let page = self.page.parse::<usize>().ok().filter(|p| (1..=pages).contains(p)).unwrap_or(1);
        (page, pages)
    }

    /// The query string that shows the same rows again (values are plain tokens once cleaned).
    pub fn query(&self) -> String {
        let mut q = format!("status={}&team={}&country={}", self.status, self.team, self.country);
        if !self.sort.is_empty() {
            q.push_str(&format!("&sort={}&dir={}", self.sort, self.dir));
        }
        if !self.page.is_empty() {
            q.push_str(&format!("&page={}", self.page));
        }
        q
    }

    fn with(&self, sort: &str, dir: &str, page: usize) -> String {
        let page = if page > 1 { page.to_string() } else { String::new() };
        Filter { sort: sort.into(), dir: dir.into(), page, ..self.clone() }.query()
    }

    /// The sortable headers: a click sorts ascending, a second click descending; a new
    /// sort starts again on page 1.
    pub fn columns(&self) -> Vec<Column> {
        COLUMNS
            .iter()
            .map(|(key, label)| {
                let active = self.sort == *key;
                let dir = if active && self.dir == "asc" { "desc" } else { "asc" };
                let aria_sort = active.then_some(if self.dir == "desc" { "descending" } else { "ascending" });
                Column { label, href: self.with(key, dir, 1), aria_sort }
            })
            .collect()
    }

    pub fn pager(&self, page: usize, pages: usize) -> Pager {
        let link = |p: usize| self.with(&self.sort, &self.dir, p);
        Pager {
            page,
            pages,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    }
}
