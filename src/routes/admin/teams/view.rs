//! The registry list's view state as the query string carries it: the search, the
//! country, the sort column and direction, the page. A value that names nothing falls
//! back to its default, so an edited or stale link shows the list instead of an error.
//! The links work as the review queue's do: a header sorts ascending, a second click
//! descending, and the paging links keep the search and the sort.

use serde::{Deserialize, Serialize};

use crate::{
    models::team_page::{Order, Query},
    routes::admin::listing::{Column, Pager, Sorting},
};

/// The sortable columns (query value, header label).
const COLUMNS: [(&str, &str); 5] =
    [("short", "Short name"), ("name", "Name"), ("country", "Country"), ("status", "Status"), ("cap", "Cap")];

/// Strings, not typed fields, so that a bad value is cleaned away rather than refused.
#[derive(Deserialize, Serialize, Default, Clone, Debug)]
pub struct Filter {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub country: String,
    #[serde(flatten)]
    pub list: Sorting,
}

impl Filter {
    pub fn clean(mut self) -> Self {
        self.q = self.q.trim().to_owned();
        self.country = self.country.trim().to_ascii_uppercase();
        self.list.clean(&COLUMNS.map(|(key, _)| key));
        self
    }

    pub fn filtered(&self) -> bool {
        !self.q.is_empty() || !self.country.is_empty()
    }

    /// The database query this view shows.
    pub fn query(&self) -> Query {
        let order = match self.list.sort.as_str() {
            "short" => Order::ShortName,
            "name" => Order::Name,
            "country" => Order::Country,
            "status" => Order::Status,
            "cap" => Order::Cap,
            _ => Order::Default,
        };
        Query {
            search: self.q.clone(),
            country: self.country.clone(),
            order,
            descending: self.list.descending(),
        }
    }

    /// The page to show of `found` teams (1-based) and the page count.
    pub fn page_of(&self, found: usize) -> (usize, usize) {
        self.list.page_of(found)
    }

    /// The query string of the registry sorted and paged as `list` says, the search kept
    /// (Tera would escape the slashes of a whole path).
    fn link(&self, list: Sorting) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("q", &self.q).append_pair("country", &self.country);
        if !list.sort.is_empty() {
            query.append_pair("sort", &list.sort).append_pair("dir", &list.dir);
        }
        if !list.page.is_empty() {
            query.append_pair("page", &list.page);
        }
        query.finish()
    }

    pub fn columns(&self) -> Vec<Column> {
        self.list.columns(&COLUMNS, |list| self.link(list))
    }

    pub fn pager(&self, page: usize, pages: usize) -> Pager {
        self.list.pager(page, pages, |list| self.link(list))
    }
}
