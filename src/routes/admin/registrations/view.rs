//! The queue's view state as the query string carries it: filters (status, team,
//! country), a search in names and addresses, sort column and direction, and page. Every value that names nothing falls
//! back to its default, so an edited or stale link shows the queue instead of an error.

use serde::{Deserialize, Serialize};

use crate::{
    domain::registration::Status,
    models::registration::QueueRow,
    routes::admin::listing::{Column, Pager, QUEUE_PER_PAGE, Sorting},
};

/// The longest search kept (a name or an address fits).
const MAX_SEARCH: usize = 200;

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
    /// Words of a name or an address, matched ignoring case.
    #[serde(default)]
    pub q: String,
    #[serde(flatten)]
    pub list: Sorting,
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
        self.q = self.q.trim().chars().take(MAX_SEARCH).collect();
        self.list.clean(&COLUMNS.map(|(key, _)| key));
        self
    }

    /// Unconfirmed addresses stay out of the default view: organizers review a registration
    /// once its address is proven (they can still ask for that status explicitly).
    pub fn keeps(&self, r: &QueueRow) -> bool {
        let status = r.registration.status;
        (if self.status.is_empty() {
            status != Status::PendingVerification
        } else {
            status.as_str() == self.status
        }) && (self.team.is_empty() || r.registration.team_id.to_string() == self.team)
            && (self.country.is_empty() || r.team_country == self.country)
            && self.finds(&r.name, &r.email)
    }

    /// Whether the search finds a person by name or address, ignoring case (in Rust, so
    /// the same on both databases and beyond ASCII).
    pub fn finds(&self, name: &str, email: &str) -> bool {
        let q = self.q.to_lowercase();
        q.is_empty() || name.to_lowercase().contains(&q) || email.to_lowercase().contains(&q)
    }

    /// Orders the kept rows; without a sort they keep the queue order (pending first, oldest
    /// first). Ties fall back to the id so that paging never shows a row twice.
    pub fn sort(&self, rows: &mut [QueueRow]) {
        let key = |r: &QueueRow| -> String {
            match self.list.sort.as_str() {
                "name" => r.name.to_lowercase(),
                "team" => r.team_name.to_lowercase(),
                "country" => r.team_country.clone(),
                "status" => r.registration.status.as_str().to_owned(),
                "registered" => r.registration.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                _ => String::new(),
            }
        };
        if self.list.sort.is_empty() {
            return;
        }
        rows.sort_by(|a, b| key(a).cmp(&key(b)).then(a.registration.id.cmp(&b.registration.id)));
        if self.list.descending() {
            rows.reverse();
        }
    }

    /// The page to show of `total` rows (1-based), and the page count.
    pub fn page_of(&self, total: usize) -> (usize, usize) {
        self.list.page_of_size(total, QUEUE_PER_PAGE)
    }

    /// The query string that shows the same rows again.
    pub fn query(&self) -> String {
        let Sorting { sort, dir, page } = &self.list;
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("status", &self.status).append_pair("team", &self.team);
        query.append_pair("country", &self.country);
        if !self.q.is_empty() {
            query.append_pair("q", &self.q);
        }
        if !sort.is_empty() {
            query.append_pair("sort", sort).append_pair("dir", dir);
        }
        if !page.is_empty() {
            query.append_pair("page", page);
        }
        query.finish()
    }

    fn with(&self, list: Sorting) -> String {
        Filter { list, ..self.clone() }.query()
    }

    pub fn columns(&self) -> Vec<Column> {
        self.list.columns(&COLUMNS, |list| self.with(list))
    }

    pub fn pager(&self, page: usize, pages: usize) -> Pager {
        self.list.pager(page, pages, |list| self.with(list))
    }
}
