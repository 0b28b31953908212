//! The tables of a SQLite database as its own catalogue lists them: names, columns,
//! primary keys, the tables each references, and an order in which every table comes after
//! those it references. Restore and the copy to PostgreSQL read it, so a table a migration
//! adds is carried without a list of tables to keep up to date.

use std::collections::{BTreeMap, BTreeSet};

use diesel::{
    QueryableByName, RunQueryDsl as _, SqliteConnection, sql_query,
    sql_types::{Integer, Text},
};

/// diesel's own bookkeeping: carried with the schema by restore, made by the migrations on
/// a copy's target, never copied as data.
pub const MIGRATIONS_TABLE: &str = "__diesel_schema_migrations";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    /// In the order of the table's definition.
    pub columns: Vec<String>,
    /// The primary key's columns in key order (empty: the table has none, rows go by rowid).
    pub primary_key: Vec<String>,
    /// The other tables its foreign keys name.
    pub references: BTreeSet<String>,
}

impl Table {
    /// `ORDER BY` for reading its rows in a stable order.
    pub fn order_by(&self) -> String {
        if self.primary_key.is_empty() {
            "rowid".to_owned()
        } else {
            self.primary_key.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ")
        }
    }
}

/// An SQL identifier quoted for both backends (a `"` inside is doubled).
pub fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct Reference {
    #[diesel(sql_type = Text)]
    parent: String,
}

/// The application's tables in `schema` (`main` or an attached name), in dependency order:
/// every table except SQLite's own (`sqlite_*`) and [`MIGRATIONS_TABLE`].
pub fn tables(conn: &mut SqliteConnection, schema: &str) -> anyhow::Result<Vec<Table>> {
    let names: Vec<Name> = sql_query(format!(
        "SELECT name FROM {}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         AND name <> '{MIGRATIONS_TABLE}' ORDER BY name",
        quoted(schema)
    ))
    .load(conn)?;
    let mut found = Vec::with_capacity(names.len());
    for Name { name } in names {
        let columns: Vec<ColumnRow> = sql_query("SELECT name, pk FROM pragma_table_info(?, ?) ORDER BY cid")
            .bind::<Text, _>(&name)
            .bind::<Text, _>(schema)
            .load(conn)?;
        let mut key: Vec<&ColumnRow> = columns.iter().filter(|c| c.pk > 0).collect();
        key.sort_by_key(|c| c.pk);
        let primary_key = key.iter().map(|c| c.name.clone()).collect();
        let references: Vec<Reference> =
            sql_query("SELECT DISTINCT \"table\" AS parent FROM pragma_foreign_key_list(?, ?)")
                .bind::<Text, _>(&name)
                .bind::<Text, _>(schema)
                .load(conn)?;
        found.push(Table {
            columns: columns.into_iter().map(|c| c.name).collect(),
            primary_key,
            references: references.into_iter().map(|r| r.parent).filter(|p| *p != name).collect(),
            name,
        });
    }
    Ok(dependency_order(found)?)
}

/// Foreign keys that go round in a circle: no table of the circle can come first.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("the foreign keys of these tables form a cycle, so none can be copied first: {0:?}")]
pub struct Cycle(pub Vec<String>);

/// `tables` ordered so that each comes after every table it references (among `tables`;
/// a reference to a table not listed, or to itself, does not constrain). Ties go by name,
/// so the order is the same on every run.
pub fn dependency_order(tables: Vec<Table>) -> Result<Vec<Table>, Cycle> {
    let names: BTreeSet<String> = tables.iter().map(|t| t.name.clone()).collect();
    let mut waiting: BTreeMap<String, (Table, BTreeSet<String>)> = tables
        .into_iter()
        .map(|t| {
            let needs =
                t.references.iter().filter(|r| names.contains(*r) && **r != t.name).cloned().collect();
            (t.name.clone(), (t, needs))
        })
        .collect();
    let mut ordered = Vec::with_capacity(waiting.len());
    while !waiting.is_empty() {
        let ready: Vec<String> =
            waiting.iter().filter(|(_, (_, needs))| needs.is_empty()).map(|(n, _)| n.clone()).collect();
        if ready.is_empty() {
            return Err(Cycle(waiting.into_keys().collect()));
        }
        for name in ready {
            if let Some((table, _)) = waiting.remove(&name) {
                ordered.push(table);
            }
            for (_, needs) in waiting.values_mut() {
                needs.remove(&name);
            }
        }
    }
    Ok(ordered)
}

#[cfg(test)]
mod tests {
    use diesel::{Connection as _, connection::SimpleConnection as _};

    use super::*;

    fn table(name: &str, references: &[&str]) -> Table {
        Table {
            name: name.into(),
            columns: vec!["id".into()],
            primary_key: vec!["id".into()],
            references: references.iter().map(|r| (*r).to_owned()).collect(),
        }
    }

    fn names(tables: &[Table]) -> Vec<&str> {
        tables.iter().map(|t| t.name.as_str()).collect()
    }

    #[test]
    fn every_table_comes_after_the_tables_it_references() {
        let ordered = dependency_order(vec![
            table("picks", &["registrations", "sessions"]),
            table("sessions", &["meetings"]),
            table("registrations", &["meetings", "users", "invitations"]),
            table("invitations", &["meetings"]),
            table("meetings", &["elsewhere"]),
            table("users", &["users"]),
        ])
        .expect("no cycle");
        assert_eq!(
            names(&ordered),
            ["meetings", "users", "invitations", "sessions", "registrations", "picks"]
        );
    }

    #[test]
    fn a_cycle_is_refused_naming_its_tables() {
        let cycle = dependency_order(vec![table("a", &["b"]), table("b", &["a"]), table("c", &[])]);
        assert_eq!(cycle, Err(Cycle(vec!["a".into(), "b".into()])));
    }

    #[test]
    fn the_catalogue_gives_columns_keys_and_references() {
        let mut conn = SqliteConnection::establish(":memory:").expect("in memory");
        conn.batch_execute(
            "CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
             CREATE TABLE child (parent_id BIGINT NOT NULL REFERENCES parent (id), pos INTEGER NOT NULL,
                                 bytes BLOB, PRIMARY KEY (parent_id, pos));
             CREATE TABLE __diesel_schema_migrations (version TEXT PRIMARY KEY);",
        )
        .expect("schema");
        let found = tables(&mut conn, "main").expect("catalogue");
        assert_eq!(names(&found), ["parent", "child"], "no sqlite_sequence, no migration history");
        assert_eq!(found[1].columns, ["parent_id", "pos", "bytes"]);
        assert_eq!(found[1].primary_key, ["parent_id", "pos"]);
        assert_eq!(found[1].order_by(), "\"parent_id\", \"pos\"");
        assert_eq!(found[1].references, BTreeSet::from(["parent".to_owned()]));
    }
}
