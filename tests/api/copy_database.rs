//! `csirt-meet copy-database --to postgres://…`, run as the real binary. The copies need
//! a PostgreSQL server: they run in the PostgreSQL pass of `.ci/run` (TEST_DATABASE_URL
//! set), each on a scratch database of its own made and dropped on that server; without
//! TEST_DATABASE_URL they say so and return. The refusals that need no server, and the
//! check that the copy's tables are the schema's, run in both passes.

use std::collections::BTreeSet;

use csirt_meet::db::{DbConnection, catalogue};
use diesel::{QueryableByName, RunQueryDsl as _, sql_query, sql_types::BigInt, sql_types::Text};

use crate::{
    fixtures::{
        DEMO_ATTENDEE, binary_material, connect, demo_feed_token, load_demo, material_bytes, served_feed,
    },
    helpers::{
        TestDatabase, csrf_in, location, new_client,
        process::{csirt_meet, serve_with},
    },
};

/// The PostgreSQL server of the PostgreSQL pass, or `None` (and a notice) in the SQLite pass.
fn postgres_server(test: &str) -> Option<String> {
    let url = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!(
            "notice: {test} copies into PostgreSQL and runs in the PostgreSQL pass (TEST_DATABASE_URL)"
        );
    }
    url
}

fn copy(source: &TestDatabase, to: &str) -> (bool, String, String) {
    let out = csirt_meet()
        .args(["copy-database", "--to", to])
        .env("DATABASE_URL", source.url())
        .output()
        .expect("runs");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The tables of a database by its catalogue, diesel's history aside, each with its rows.
fn counts(conn: &mut DbConnection) -> Vec<(String, i64)> {
    let sql = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             AND name <> '__diesel_schema_migrations' ORDER BY name"
        }
        DbConnection::Postgresql(_) => {
            "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() \
             AND table_type = 'BASE TABLE' AND table_name <> '__diesel_schema_migrations' ORDER BY table_name"
        }
    };
    let tables: Vec<Name> = sql_query(sql).load(conn).expect("tables");
    tables
        .into_iter()
        .map(|Name { name }| {
            let n = sql_query(format!("SELECT count(*) AS n FROM \"{name}\""))
                .get_result::<Count>(conn)
                .expect("count")
                .n;
            (name, n)
        })
        .collect()
}

fn ids(conn: &mut DbConnection, table: &str) -> Vec<i64> {
    sql_query(format!("SELECT id FROM \"{table}\" ORDER BY id"))
        .load::<Id>(conn)
        .expect("ids")
        .into_iter()
        .map(|i| i.id)
        .collect()
}

/// Signs in with the password step on a served instance; returns what `/me` shows.
fn sign_in(port: u16, email: &str, password: &str) -> String {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let client = new_client();
        let base = format!("http://127.0.0.1:{port}");
        let login =
            client.get(format!("{base}/login")).send().await.expect("sent").text().await.expect("body");
        let token = csrf_in(&login);
        let res = client
            .post(format!("{base}/login"))
            .form(&[("email", email), ("password", password), ("csrf_token", &token)])
            .send()
            .await
            .expect("sent");
        assert_eq!(res.status(), 303, "the password is accepted");
        assert!(!location(&res).contains("login"), "signed in: {}", location(&res));
        let me = client.get(format!("{base}/me")).send().await.expect("sent");
        assert_eq!(me.status(), 200);
        me.text().await.expect("body")
    })
}

#[test]
fn the_demo_copied_to_postgresql_signs_in_and_serves_the_same_feed_bytes() {
    let Some(server) =
        postgres_server("the_demo_copied_to_postgresql_signs_in_and_serves_the_same_feed_bytes")
    else {
        return;
    };
    let source = TestDatabase::create_sqlite();
    let password = load_demo(&source);
    let (_, material) = binary_material(&source);
    let token = demo_feed_token(&source);
    let feed = served_feed(&source, &token);
    let target = TestDatabase::create_postgres(server);

    let (ok, stdout, stderr) = copy(&source, target.url());
    assert!(ok, "{stderr}");
    assert!(stdout.contains("Copied") && stdout.contains("Applied"), "{stdout}");
    assert!(!stdout.contains(target.url()) || !target.url().contains('@'), "no password printed");

    let (from, to) = (connect(&source), connect(&target));
    let (mut from, mut to) = (from.get().expect("connection"), to.get().expect("connection"));
    let copied = counts(&mut to);
    assert_eq!(copied, counts(&mut from), "every table, with as many rows");
    let with_ids: BTreeSet<String> = catalogue::tables(sqlite(&mut from), "main")
        .expect("catalogue")
        .into_iter()
        .filter(|t| t.columns.iter().any(|c| c == "id"))
        .map(|t| t.name)
        .collect();
    for (table, rows) in &copied {
        assert!(stdout.contains(&format!("{table}: {rows} row")), "{table} is reported: {stdout}");
        if with_ids.contains(table) {
            assert_eq!(ids(&mut to, table), ids(&mut from, table), "{table} keeps its ids");
            let next =
                sql_query(format!("SELECT nextval(pg_get_serial_sequence('\"{table}\"', 'id')) AS id"))
                    .get_result::<Id>(&mut **to)
                    .expect("the identity's sequence")
                    .id;
            assert!(ids(&mut to, table).iter().all(|id| *id < next), "{table}: the next id {next} is free");
        }
    }
    let chunks = material_bytes(&mut to);
    assert_eq!(chunks, material_bytes(&mut from), "binary columns arrive byte for byte");
    assert_eq!(chunks.iter().flat_map(|(_, _, b)| b.clone()).collect::<Vec<u8>>(), material);
    drop((from, to));

    let mut served = serve_with(&target, &[]);
    let me = sign_in(served.port, DEMO_ATTENDEE, &password);
    assert!(me.contains("Demo Attendee"), "{me}");
    served.signal("TERM");
    served.wait_for("stopped");
    assert!(served.child.wait().expect("exits").success());
    assert_eq!(served_feed(&target, &token), feed, "PostgreSQL serves the feed SQLite served, byte for byte");
}

fn sqlite(conn: &mut DbConnection) -> &mut diesel::SqliteConnection {
    match conn {
        DbConnection::Sqlite(c) => c,
        DbConnection::Postgresql(_) => panic!("the source is SQLite"),
    }
}

/// The copy reads its tables from SQLite's catalogue; this holds it to every table
/// `src/db/schema.rs` declares, so a table added there but missed by the copy fails here.
#[test]
fn the_copy_carries_every_table_the_schema_declares() {
    let source = TestDatabase::create_sqlite();
    let out = csirt_meet().arg("migrate").env("DATABASE_URL", source.url()).output().expect("runs");
    assert!(out.status.success());
    let pool = connect(&source);
    let mut conn = pool.get().expect("connection");
    let copied: BTreeSet<String> = catalogue::tables(sqlite(&mut conn), "main")
        .expect("catalogue")
        .into_iter()
        .map(|t| t.name)
        .collect();
    let schema =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/db/schema.rs")).expect("schema.rs");
    let declared: BTreeSet<String> = schema
        .split("diesel::table! {")
        .skip(1)
        .map(|rest| rest.split_whitespace().next().expect("a table name").to_owned())
        .collect();
    assert!(declared.contains("material_chunks") && declared.len() > 30, "{declared:?}");
    assert_eq!(copied, declared, "the tables copied are the tables of the schema");
}

#[test]
fn copy_refuses_other_directions_and_an_unreachable_target() {
    let source = TestDatabase::create_sqlite();
    load_demo(&source);
    let (ok, _, stderr) = copy(&source, "postgres://nobody:SECRET@127.0.0.1:1/none");
    assert!(!ok);
    assert!(
        stderr.contains("cannot connect to the target database") && stderr.contains("nothing was copied"),
        "{stderr}"
    );
    assert!(stderr.to_lowercase().contains("connection refused"), "the driver's reason: {stderr}");
    assert!(!stderr.contains("SECRET"), "no password in the message: {stderr}");

    let (ok, _, stderr) = copy(&source, "sqlite://var/other.db");
    assert!(!ok);
    assert!(stderr.contains("copies from SQLite to PostgreSQL only"), "{stderr}");

    let out = csirt_meet()
        .args(["copy-database", "--to", "postgres://nobody@127.0.0.1:1/none"])
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/source")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("already PostgreSQL"), "{stderr}");
}

#[test]
fn copy_refuses_a_target_with_rows_and_writes_nothing() {
    let Some(server) = postgres_server("copy_refuses_a_target_with_rows_and_writes_nothing") else { return };
    let source = TestDatabase::create_sqlite();
    load_demo(&source);
    let target = TestDatabase::create_postgres(server);
    load_demo(&target);
    let pool = connect(&target);
    let before = counts(&mut pool.get().expect("connection"));
    let (ok, _, stderr) = copy(&source, target.url());
    assert!(!ok);
    assert!(stderr.contains("the target database is not empty") && stderr.contains("users ("), "{stderr}");
    assert!(stderr.contains("nothing was copied"), "{stderr}");
    assert_eq!(counts(&mut pool.get().expect("connection")), before, "the target is as it was");
}

/// A failure part way (here a constraint the target refuses the sessions with) rolls back
/// every table copied before it, and the migrations of the same transaction.
#[test]
fn a_copy_failing_part_way_leaves_the_target_without_a_row() {
    let Some(server) = postgres_server("a_copy_failing_part_way_leaves_the_target_without_a_row") else {
        return;
    };
    let source = TestDatabase::create_sqlite();
    load_demo(&source);
    let target = TestDatabase::create_postgres(server);
    let out = csirt_meet().arg("migrate").env("DATABASE_URL", target.url()).output().expect("runs");
    assert!(out.status.success());
    let pool = connect(&target);
    sql_query("ALTER TABLE sessions ADD CONSTRAINT refuse_copies CHECK (id < 0)")
        .execute(&mut **pool.get().expect("connection"))
        .expect("a constraint");
    let (ok, _, stderr) = copy(&source, target.url());
    assert!(!ok);
    assert!(
        stderr.contains("nothing was copied")
            && stderr.contains("copying sessions")
            && stderr.contains("refuse_copies"),
        "{stderr}"
    );
    let left = counts(&mut pool.get().expect("connection"));
    assert!(left.iter().any(|(t, _)| t == "users"));
    assert!(left.iter().all(|(_, rows)| *rows == 0), "nothing half-written: {left:?}");
}
