//! The registry list's view state as the query string carries it: the search, the
//! country, the sort column and direction, the page. A value that names nothing falls
//! back to its default, so an edited or stale link shows the list instead of an error.
//! The links work as the review queue's do: a header sorts ascending, a second click
//! descending, and the paging links keep the search and the sort.

use serde::{Deserialize, Serialize};

use crate::models::team_page::{Order, Query};

/// Rows per page, as in the review queue.
pub const PER_PAGE: usize = 50;

/// The sortable columns (query value, header label, order).
const COLUMNS: [(&str, &str, Order); 5] = [
    ("short", "Short name", Order::ShortName),
    ("name", "Name", Order::Name),
    ("country", "Country", Order::Country),
    ("status", "Status", Order::Status),
    ("cap", "Cap", Order::Cap),
];

/// Strings, not typed fields, so that a bad value is cleaned away rather than refused.
#[derive(Deserialize, Serialize, Default, Clone, Debug)]
pub struct Filter {
    #[serde(default)]
    pub q: String,
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

impl Filter {
    pub fn clean(mut self) -> Self {
        self.q = self.q.trim().to_owned();
        self.country = self.country.trim().to_ascii_uppercase();
        if !COLUMNS.iter().any(|(key, _, _)| *key == self.sort) {
            self.sort.clear();
        }
        if self.sort.is_empty() || self.dir != "desc" {
            self.dir = if self.sort.is_empty() { String::new() } else { "asc".into() };
        }
        if self.page.trim().parse::<usize>().map_or(true, |p| p < 2) {
            self.page.clear();
        }
        self
    }

    pub fn filtered(&self) -> bool {
        !self.q.is_empty() || !self.country.is_empty()
    }

    /// The database query this view shows.
    pub fn query(&self) -> Query {
        let order = COLUMNS.iter().find(|(key, _, _)| *key == self.sort).map_or(Order::Default, |c| c.2);
        Query { search: self.q.clone(), country: self.country.clone(), order, descending: self.dir == "desc" }
    }

    /// The page to show of `found` teams (1-based) and the page count (at least 1). A
    /// page past the end is a stale link: show the first.
    pub fn page_of(&self, found: usize) -> (usize, usize) {
        let pages = found.div_ceil(PER_PAGE).max(1);
        let page = self.page.trim().parse::<usize>().ok().filter(|p| (1..=pages).contains(p)).unwrap_or(1);
        (page, pages)
    }

    /// The query string of page `page` sorted by `sort` in `dir`, the search kept (Tera
    /// would escape the slashes of a whole path).
    fn link(&self, sort: &str, dir: &str, page: usize) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("q", &self.q).append_pair("country", &self.country);
        if !sort.is_empty() {
            query.append_pair("sort", sort).append_pair("dir", dir);
        }
        if page > 1 {
            query.append_pair("page", &page.to_string());
        }
        query.finish()
    }

    /// The sortable headers; a new sort starts again on page 1.
    pub fn columns(&self) -> Vec<Column> {
        COLUMNS
            .iter()
            .map(|(key, label, _)| {
                let active = self.sort == *key;
                let dir = if active && self.dir == "asc" { "desc" } else { "asc" };
                let aria_sort = active.then_some(if self.dir == "desc" { "descending" } else { "ascending" });
                Column { label, href: self.link(key, dir, 1), aria_sort }
            })
            .collect()
    }

    /// The links to the previous and the next page, when there are such pages.
    pub fn neighbours(&self, page: usize, pages: usize) -> (Option<String>, Option<String>) {
        let link = |p| self.link(&self.sort, &self.dir, p);
        ((page > 1).then(|| link(page - 1)), (page < pages).then(|| link(page + 1)))
    }
}
