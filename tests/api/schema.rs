//! Both backends must end with the same tables and columns.

use std::{collections::BTreeSet, time::Duration};

use csirt_meet::db::{DatabaseUrl, Db, DbConnection, run_migrations};
use diesel::{QueryableByName, RunQueryDsl, sql_query, sql_types::Text};

use crate::helpers::TestDatabase;

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
}

fn migrated_columns(db: &TestDatabase) -> BTreeSet<Column> {
    let url = DatabaseUrl::parse(db.url()).expect("valid URL");
    let db = Db::connect(&url, 1, Duration::from_secs(5)).expect("connect");
    let mut conn = db.get().expect("connection");
    run_migrations(&mut conn).expect("migrations apply");
    let columns = match &mut **conn {
        DbConnection::Sqlite(c) => sql_query(
            "SELECT m.name AS table_name, p.name AS column_name, \
             CASE WHEN p.\"notnull\" = 1 OR p.pk > 0 THEN 'NO' ELSE 'YES' END AS is_nullable \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
        )
        .load::<Column>(c),
        DbConnection::Postgresql(c) => sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name, \
             is_nullable::text AS is_nullable \
             FROM information_schema.columns WHERE table_schema = current_schema()",
        )
        .load::<Column>(c),
    }
    .expect("schema query");
    columns.into_iter().collect()
}

fn migration_names(backend: &str) -> BTreeSet<String> {
    std::fs::read_dir(format!("migrations/{backend}"))
        .expect("migration folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn both_backends_have_the_same_migrations() {
    assert_eq!(migration_names("sqlite"), migration_names("postgres"));
}

#[test]
fn both_backends_migrate_to_the_same_tables_and_columns() {
    let sqlite = migrated_columns(&TestDatabase::create_sqlite());
    assert!(sqlite.iter().any(|c| c.table_name == "outbox"), "{sqlite:?}");
    let Some(admin_url) = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) else {
        eprintln!("notice: TEST_DATABASE_URL is not set; the SQLite schema was not compared with PostgreSQL");
        return;
    };
    let postgres = migrated_columns(&TestDatabase::create_postgres(admin_url));
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_postgres:#?}"
    );
}
