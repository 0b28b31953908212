//! A snapshot of every row of every table, as text, taken in one query: what the matrix
//! compares before and after a request to prove that it changed nothing.

use std::collections::BTreeSet;

use csirt_meet::db::{Db, DbConnection};
use diesel::{QueryableByName, RunQueryDsl, sql_query, sql_types::Text};

/// What a refusal may still change: sessions (a refused one is deleted), the throttle
/// counters and the security log (another part of issue 13 adds it; absent tables are
/// simply not there to exclude).
const BOOKKEEPING_TABLES: &[&str] = &["web_sessions", "security_log"];
const THROTTLE_COLUMNS: &[(&str, &str)] = &[
    ("users", "failed_logins"),
    ("users", "login_locked_until"),
    ("users", "totp_failures"),
    ("users", "totp_locked_until"),
];

/// What a GET may still change, beyond the above: the agenda's "seen" marker (bookkeeping,
/// skipped when the database cannot write). A feed fetch writes nothing at all.
const READ_BOOKKEEPING_TABLES: &[&str] = &["agenda_views"];

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

/// The two queries a snapshot takes: the product's data only, or everything (HEAD); and
/// the last snapshot, which is the next one's "before" when no request came in between.
pub struct Snapshots {
    db: Db,
    product: String,
    data: String,
    everything: String,
    last: Option<(Scope, Rows)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every table but sessions, throttle counters and the security log.
    Product,
    /// The product's data less what a read notes of itself, for every GET.
    Data,
    /// Every table, for HEAD, which must write nothing at all.
    Everything,
}

pub type Rows = BTreeSet<String>;

impl Snapshots {
    pub async fn prepare(db: &Db) -> Self {
        let columns = db
            .query(|c| match c {
                DbConnection::Sqlite(c) => sql_query(
                    "SELECT m.name AS table_name, p.name AS column_name \
                     FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid",
                )
                .load::<Column>(c),
                DbConnection::Postgresql(c) => sql_query(
                    "SELECT table_name::text AS table_name, column_name::text AS column_name \
                     FROM information_schema.columns WHERE table_schema = current_schema() \
                     ORDER BY table_name, ordinal_position",
                )
                .load::<Column>(c),
            })
            .await
            .expect("the schema");
        let columns: Vec<Column> =
            columns.into_iter().filter(|c| c.table_name != "__diesel_schema_migrations").collect();
        let of_product = |c: &&Column| {
            !BOOKKEEPING_TABLES.contains(&c.table_name.as_str())
                && !THROTTLE_COLUMNS.contains(&(c.table_name.as_str(), c.column_name.as_str()))
        };
        let product = union(columns.iter().filter(of_product));
        let data = union(
            columns
                .iter()
                .filter(of_product)
                .filter(|c| !READ_BOOKKEEPING_TABLES.contains(&c.table_name.as_str())),
        );
        Self { db: db.clone(), product, data, everything: union(columns.iter()), last: None }
    }

    /// The rows before a request: the last snapshot if it is still current.
    pub async fn before(&mut self, scope: Scope) -> Rows {
        match self.last.take() {
            Some((s, rows)) if s == scope => rows,
            _ => self.take(scope).await,
        }
    }

    /// The rows after a request, kept as the next request's "before".
    pub async fn after(&mut self, scope: Scope) -> Rows {
        let rows = self.take(scope).await;
        self.last = Some((scope, rows.clone()));
        rows
    }

    /// A request is going out: the last snapshot may no longer be current.
    pub fn forget(&mut self) {
        self.last = None;
    }

    async fn take(&self, scope: Scope) -> Rows {
        let sql = match scope {
            Scope::Product => self.product.clone(),
            Scope::Data => self.data.clone(),
            Scope::Everything => self.everything.clone(),
        };
        let lines = self.db.query(move |c| sql_query(sql).load::<Line>(c)).await.expect("snapshot");
        lines.into_iter().map(|l| l.line).collect()
    }
}

/// `SELECT 'table|' || col1 || '|' || col2 … FROM table UNION ALL …` over the columns.
fn union<'a>(columns: impl Iterator<Item = &'a Column>) -> String {
    let mut tables: Vec<(String, Vec<String>)> = Vec::new();
    for c in columns {
        let value = format!("COALESCE(CAST(\"{}\" AS TEXT), '∅')", c.column_name);
        match tables.last_mut() {
            Some((name, values)) if *name == c.table_name => values.push(value),
            _ => tables.push((c.table_name.clone(), vec![value])),
        }
    }
    tables
        .iter()
        .map(|(table, values)| {
            format!("SELECT '{table}|' || {} AS line FROM \"{table}\"", values.join(" || '|' || "))
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// The rows only in `before` and only in `after`, for the failure message.
pub fn difference(before: &Rows, after: &Rows) -> String {
    let gone: Vec<_> = before.difference(after).collect();
    let new: Vec<_> = after.difference(before).collect();
    format!("before only: {gone:#?}\nafter only: {new:#?}")
}
