//! `csirt-meet backup` and `restore` (SQLite), run as the real binary: a consistent copy
//! while another connection writes, a restore into a new file that serves the same feed
//! bytes, and the refusals (an existing file, a database with rows, a file that is not a
//! csirt-meet database of a known version, PostgreSQL) that change nothing. These tests
//! use SQLite files in both passes of `.ci/run`.

use std::{
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
        mpsc,
    },
};

use chrono::Utc;
use csirt_meet::{db, models::audit};
use diesel::{Connection as _, RunQueryDsl as _, connection::SimpleConnection as _};

use crate::{
    fixtures::{binary_material, connect, demo_feed_token, load_demo, served_feed, sqlite_file, sqlite_rows},
    helpers::{TestDatabase, process::csirt_meet},
};

fn run(db: &TestDatabase, args: &[&str]) -> (bool, String, String) {
    let out = csirt_meet().args(args).env("DATABASE_URL", db.url()).output().expect("runs");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8")
}

/// The audit rows the writer adds, two per transaction: a copy holds both of a pair or
/// neither.
fn pairs(rows: &[String]) -> Vec<(String, usize)> {
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for row in rows.iter().filter(|r| r.contains("'load.pair'")) {
        let pair = row.split("'pair-").nth(1).and_then(|r| r.split('-').next()).expect("a pair number");
        *seen.entry(pair.to_owned()).or_default() += 1;
    }
    seen.into_iter().collect()
}

#[test]
fn a_backup_under_write_load_restores_into_a_new_file_with_every_row_and_the_same_feed() {
    let live = TestDatabase::create_sqlite();
    load_demo(&live);
    let (material_id, material) = binary_material(&live);
    let token = demo_feed_token(&live);
    let feed = served_feed(&live, &token);

    // A writer commits pairs of audit rows until the backup has finished.
    let stop = Arc::new(AtomicBool::new(false));
    let (committed, pairs_done) = mpsc::channel();
    let writer = {
        let (pool, stop) = (connect(&live), stop.clone());
        std::thread::spawn(move || {
            let mut conn = pool.get().expect("connection");
            let mut n = 0u64;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                db::transaction(&mut conn, |c| {
                    let now = Utc::now().naive_utc();
                    audit::record(c, None, "load.pair", &format!("pair-{n}-a"), "", now)?;
                    audit::record(c, None, "load.pair", &format!("pair-{n}-b"), "", now)
                })
                .expect("the writer commits");
                let _ = committed.send(n);
            }
            n
        })
    };
    let mut before = 0;
    while before < 20 {
        before = pairs_done.recv().expect("the writer runs");
    }
    let dir = tempfile::tempdir().expect("folder");
    let file = dir.path().join("meet.backup");
    let (ok, stdout, stderr) = run(&live, &["backup", arg(&file)]);
    stop.store(true, Ordering::SeqCst);
    let written = writer.join().expect("the writer stops");
    assert!(ok, "{stderr}");
    assert!(stdout.contains("Backed up to") && stdout.contains("migrations"), "{stdout}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file).expect("the backup").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "hashes and second-factor secrets: readable by the owner alone");
    }

    let backup = sqlite_rows(&file);
    let pairs = pairs(&backup["audit_log"]);
    assert!(
        pairs.len() as u64 >= before,
        "every pair committed before the backup: {} < {before}",
        pairs.len()
    );
    assert!(pairs.len() as u64 <= written);
    assert!(
        pairs.iter().all(|(_, rows)| *rows == 2),
        "a consistent copy holds whole transactions: {pairs:?}"
    );

    let restored = TestDatabase::create_sqlite();
    let (ok, stdout, stderr) = run(&restored, &["restore", arg(&file)]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("Restored"), "{stdout}");
    let rows = sqlite_rows(&sqlite_file(&restored));
    assert_eq!(rows.keys().collect::<Vec<_>>(), backup.keys().collect::<Vec<_>>(), "the same tables");
    for (table, backed_up) in &backup {
        assert_eq!(&rows[table], backed_up, "every row of {table}");
    }
    assert!(rows["material_chunks"].iter().any(|r| r.contains("X'")), "the chunks are blobs");
    let pool = connect(&restored);
    let chunks = csirt_meet::models::material::chunk(&mut pool.get().expect("connection"), material_id, 1)
        .expect("chunk");
    assert_eq!(chunks, material[256 * 1024..], "the bytes of a material");
    drop(pool);

    assert_eq!(served_feed(&restored, &token), feed, "the restored database serves the same feed bytes");
}

#[test]
fn backup_refuses_an_existing_file_and_leaves_it_as_it_was() {
    let live = TestDatabase::create_sqlite();
    assert!(run(&live, &["migrate"]).0);
    let dir = tempfile::tempdir().expect("folder");
    let file = dir.path().join("taken");
    std::fs::write(&file, b"keep me").expect("written");
    let (ok, _, stderr) = run(&live, &["backup", arg(&file)]);
    assert!(!ok);
    assert!(stderr.contains("exists already") && stderr.contains("never overwrites"), "{stderr}");
    assert_eq!(std::fs::read(&file).expect("still there"), b"keep me");
}

#[test]
fn restore_refuses_a_database_with_rows_and_changes_nothing() {
    let live = TestDatabase::create_sqlite();
    load_demo(&live);
    let dir = tempfile::tempdir().expect("folder");
    let file = dir.path().join("meet.backup");
    assert!(run(&live, &["backup", arg(&file)]).0);
    let full = TestDatabase::create_sqlite();
    load_demo(&full);
    let before = sqlite_rows(&sqlite_file(&full));
    let (ok, _, stderr) = run(&full, &["restore", arg(&file)]);
    assert!(!ok);
    assert!(
        stderr.contains("is not empty") && stderr.contains("restore only into an empty database"),
        "{stderr}"
    );
    assert_eq!(sqlite_rows(&sqlite_file(&full)), before, "nothing was changed");
}

#[test]
fn restore_refuses_files_that_are_not_a_csirt_meet_database_of_a_known_version() {
    let dir = tempfile::tempdir().expect("folder");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database, just some words that are long enough to fill a header".repeat(20))
        .expect("written");
    let other = dir.path().join("other.db");
    diesel::SqliteConnection::establish(arg(&other))
        .expect("opens")
        .batch_execute(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('x');",
        )
        .expect("another application's database");
    let newer = dir.path().join("newer.backup");
    let source = TestDatabase::create_sqlite();
    assert!(run(&source, &["migrate"]).0);
    assert!(run(&source, &["backup", arg(&newer)]).0);
    let good = dir.path().join("good.backup");
    assert!(run(&source, &["backup", arg(&good)]).0);
    diesel::sql_query("INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000001')")
        .execute(&mut diesel::SqliteConnection::establish(arg(&newer)).expect("opens"))
        .expect("a migration from the future");

    let target = TestDatabase::create_sqlite();
    assert!(run(&target, &["migrate"]).0, "an empty, migrated database may be restored into");
    let before = sqlite_rows(&sqlite_file(&target));
    for (file, reason) in [
        (&text, "is not a database"),
        (&other, "no migration history"),
        (&newer, "migration 29991231000001 is unknown to this version"),
        (&dir.path().join("missing.backup"), "reading"),
    ] {
        let (ok, _, stderr) = run(&target, &["restore", arg(file)]);
        assert!(!ok, "{}", file.display());
        assert!(stderr.contains(reason), "{}: {stderr}", file.display());
        assert_eq!(sqlite_rows(&sqlite_file(&target)), before, "nothing was changed");
    }
    // Refused into a database that did not exist: no empty file is left at its place.
    let absent = TestDatabase::create_sqlite();
    let (ok, _, _) = run(&absent, &["restore", arg(&text)]);
    assert!(!ok);
    assert!(!sqlite_file(&absent).exists(), "a refused restore leaves no database behind");
    // The migrated, empty database takes a good backup (its tables are dropped children first).
    let (ok, stdout, stderr) = run(&target, &["restore", arg(&good)]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("Restored"), "{stdout}");
}

#[test]
fn on_postgresql_backup_and_restore_point_at_pg_dump_and_pg_restore() {
    for (command, tool) in [("backup", "pg_dump"), ("restore", "pg_restore")] {
        let out = csirt_meet()
            .args([command, "/tmp/never-written.backup"])
            .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(tool) && stderr.contains("README"), "{stderr}");
    }
    assert!(!Path::new("/tmp/never-written.backup").exists());
}

/// A backup of an older version (its migrations a prefix of this version's) is restored
/// as it was, then migrated.
#[test]
fn restore_takes_a_backup_of_an_older_version_and_migrates_it() {
    let old = TestDatabase::create_sqlite();
    let pool = connect(&old);
    let applied = db::run_migrations_before(&mut pool.get().expect("connection"), "2026-12-05")
        .expect("the migrations of an older version")
        .applied;
    drop(pool);
    let known = db::known_versions().expect("known");
    assert!(!applied.is_empty() && applied.len() < known.len());
    let dir = tempfile::tempdir().expect("folder");
    let file = dir.path().join("old.backup");
    let (ok, stdout, stderr) = run(&old, &["backup", arg(&file)]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains(&format!("{} migrations", applied.len())), "{stdout}");

    let restored = TestDatabase::create_sqlite();
    let (ok, stdout, stderr) = run(&restored, &["restore", arg(&file)]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("applied 20261205000100"), "then migrated: {stdout}");
    let history = &sqlite_rows(&sqlite_file(&restored))["__diesel_schema_migrations"];
    assert_eq!(history.len(), known.len(), "every migration of this version");
}
