//! What the organizer lists share (the review queue, the team registry): pages of rows,
//! sortable column headers (a click sorts ascending, a second click descending, the active
//! one carries `aria-sort`), and page links that keep the view. The values arrive as
//! strings from the query string and are cleaned, never refused: an edited or stale link
//! shows the list in its default order instead of an error.

use serde::{Deserialize, Serialize};

/// Teams per page.
pub const PER_PAGE: usize = 50;

/// Registrations per page of the review queue: a conference's 300 fit on one page of
/// compact rows, so an organizer checks rows across the whole queue for one bulk decision.
pub const QUEUE_PER_PAGE: usize = 300;

/// A sortable column header: its link (a query string) and, when active, its `aria-sort`.
#[derive(Serialize, Debug)]
pub struct Column {
    label: &'static str,
    href: String,
    aria_sort: Option<&'static str>,
}

/// "page N of M" with the links (query strings) to the neighbours, when there are some.
#[derive(Serialize, Debug)]
pub struct Pager {
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
}

/// How a list is sorted and which page it shows, as the query string says it; a list's
/// filter takes it in with `#[serde(flatten)]`.
#[derive(Deserialize, Serialize, Default, Clone, Debug, PartialEq, Eq)]
pub struct Sorting {
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub dir: String,
    #[serde(default)]
    pub page: String,
}

impl Sorting {
    /// Cleans against the list's column keys: an unknown column means the default order,
    /// a direction other than `desc` ascending, a page below 2 none.
    pub fn clean(&mut self, keys: &[&str]) {
        if !keys.contains(&self.sort.as_str()) {
            self.sort.clear();
        }
        if self.sort.is_empty() || self.dir != "desc" {
            self.dir = if self.sort.is_empty() { String::new() } else { "asc".into() };
        }
        if self.page.trim().parse::<usize>().map_or(true, |p| p < 2) {
            self.page.clear();
        }
    }

    pub fn descending(&self) -> bool {
        self.dir == "desc"
    }

    /// The page to show of `total` rows (1-based) and the page count (at least 1). A page
    /// past the end is a stale link: show the first.
    pub fn page_of(&self, total: usize) -> (usize, usize) {
        self.page_of_size(total, PER_PAGE)
    }

    /// [`Sorting::page_of`] with `per_page` rows a page.
    pub fn page_of_size(&self, total: usize, per_page: usize) -> (usize, usize) {
        let pages = total.div_ceil(per_page).max(1);
        let page = self.page.trim().parse::<usize>().ok().filter(|p| (1..=pages).contains(p)).unwrap_or(1);
        (page, pages)
    }

    /// The same list sorted by `sort` in `dir` on page `page` (none for the first).
    pub fn to(&self, sort: &str, dir: &str, page: usize) -> Self {
        let page = if page > 1 { page.to_string() } else { String::new() };
        Self { sort: sort.into(), dir: dir.into(), page }
    }

    /// The headers of `columns` (query value, label); `link` makes the query string of the
    /// list sorted so. A new sort starts again on page 1.
    pub fn columns(&self, columns: &[(&str, &'static str)], link: impl Fn(Sorting) -> String) -> Vec<Column> {
        columns
            .iter()
            .map(|(key, label)| {
                let active = self.sort == *key;
                let dir = if active && self.dir == "asc" { "desc" } else { "asc" };
                let aria_sort = active.then_some(if self.descending() { "descending" } else { "ascending" });
                Column { label, href: link(self.to(key, dir, 1)), aria_sort }
            })
            .collect()
    }

    /// The pager of page `page` of `pages`; `link` makes the query string of a page.
    pub fn pager(&self, page: usize, pages: usize, link: impl Fn(Sorting) -> String) -> Pager {
        let at = |p| link(self.to(&self.sort, &self.dir, p));
        Pager {
            page,
            pages,
            prev: (page > 1).then(|| at(page - 1)),
            next: (page < pages).then(|| at(page + 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorting(sort: &str, dir: &str, page: &str) -> Sorting {
        Sorting { sort: sort.into(), dir: dir.into(), page: page.into() }
    }

    fn cleaned(sort: &str, dir: &str, page: &str) -> Sorting {
        let mut s = sorting(sort, dir, page);
        s.clean(&["name", "country"]);
        s
    }

    #[test]
    fn bad_values_fall_back_to_the_default_view() {
        assert_eq!(cleaned("name", "desc", "3"), sorting("name", "desc", "3"));
        assert_eq!(cleaned("name", "sideways", "1"), sorting("name", "asc", ""));
        assert_eq!(cleaned("password", "desc", "-2"), Sorting::default());
        assert_eq!(cleaned("", "desc", "x"), Sorting::default());
    }

    #[test]
    fn a_stale_page_shows_the_first_and_there_is_always_one_page() {
        assert_eq!(sorting("", "", "2").page_of(120), (2, 3));
        assert_eq!(sorting("", "", "9").page_of(120), (1, 3));
        assert_eq!(Sorting::default().page_of(0), (1, 1));
        assert_eq!(Sorting::default().page_of(50), (1, 1));
        assert_eq!(Sorting::default().page_of(51), (1, 2));
    }

    #[test]
    fn the_active_header_turns_the_order_round_and_says_so() {
        let link = |s: Sorting| format!("sort={}&dir={}&page={}", s.sort, s.dir, s.page);
        let list = sorting("name", "asc", "2");
        let columns = list.columns(&[("name", "Name"), ("country", "Country")], link);
        assert_eq!(columns[0].href, "sort=name&dir=desc&page=");
        assert_eq!(columns[0].aria_sort, Some("ascending"));
        assert_eq!(columns[1].href, "sort=country&dir=asc&page=");
        assert_eq!(columns[1].aria_sort, None);
        let pager = list.pager(2, 3, link);
        assert_eq!(pager.prev.as_deref(), Some("sort=name&dir=asc&page="));
        assert_eq!(pager.next.as_deref(), Some("sort=name&dir=asc&page=3"));
        assert_eq!(Sorting::default().pager(1, 1, link).next, None);
    }
}
