//! The connection pool (`db::pool`): a connection that cannot be trusted is never handed
//! out again. A PostgreSQL connection given back within the last half second is handed out
//! without asking the server (issue 16); one idle for longer is asked first.

use std::time::{Duration, Instant};

use csirt_meet::db::{DatabaseUrl, Db, DbConnection};
use diesel::{
    RunQueryDsl as _,
    connection::{Connection as _, TransactionManager as _},
    sql_query,
    sql_types::Integer,
};

use crate::helpers::TestDatabase;

fn pool_of_one(database: &TestDatabase) -> Db {
    let url = DatabaseUrl::parse(database.url()).expect("valid URL");
    Db::connect(&url, 1, Duration::from_secs(5)).expect("connects")
}

fn in_transaction(conn: &mut DbConnection) -> bool {
    let status =
        <DbConnection as diesel::Connection>::TransactionManager::transaction_manager_status_mut(conn);
    status.transaction_depth().expect("a valid status").is_some()
}

/// A connection given back inside a transaction (a task that ended between BEGIN and
/// COMMIT) would hand that transaction, its locks and its writes to the next request.
#[test]
fn a_connection_given_back_inside_a_transaction_is_not_handed_out_again() {
    let database = TestDatabase::create();
    let db = pool_of_one(&database);
    let mut conn = db.get().expect("a connection");
    <DbConnection as diesel::Connection>::TransactionManager::begin_transaction(&mut conn).expect("BEGIN");
    assert!(in_transaction(&mut conn));
    drop(conn);
    let mut next = db.get().expect("a connection");
    assert!(!in_transaction(&mut next), "the next one starts outside any transaction");
    sql_query("SELECT 1").execute(&mut **next).expect("and works");
}

#[derive(diesel::QueryableByName)]
struct Pid {
    #[diesel(sql_type = Integer)]
    pid: i32,
}

fn backend_pid(conn: &mut DbConnection) -> diesel::QueryResult<i32> {
    Ok(sql_query("SELECT pg_backend_pid() AS pid").get_result::<Pid>(conn)?.pid)
}

/// PostgreSQL only (its pass of `.ci/run`): the server ends the connection's process, as a
/// restart or an administrator would.
#[test]
fn a_postgresql_connection_the_server_ended_is_replaced() {
    let Some(admin_url) = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) else {
        eprintln!("notice: this test ends PostgreSQL connections and runs in the PostgreSQL pass");
        return;
    };
    let database = TestDatabase::create_postgres(admin_url.clone());
    let db = pool_of_one(&database);
    let mut admin = diesel::PgConnection::establish(&admin_url).expect("the admin connection");
    let mut end = |pid: i32| {
        sql_query(format!("SELECT pg_terminate_backend({pid})")).execute(&mut admin).expect("terminated");
        // pg_terminate_backend only signals: wait until the process is gone.
        std::thread::sleep(Duration::from_millis(200));
    };

    // Given back just now: handed out unasked, so the first query fails; the connection is
    // then dropped, not given back, and the next request gets a new one.
    let first = backend_pid(&mut db.get().expect("a connection")).expect("the first process");
    let given_back = Instant::now();
    end(first);
    let failed = backend_pid(&mut db.get().expect("a connection"));
    // A machine too slow to end the process within the window asked the connection first.
    if given_back.elapsed() < Duration::from_millis(450) {
        assert!(failed.is_err(), "the ended connection was handed out unasked: {failed:?}");
    }
    let second = backend_pid(&mut db.get().expect("a connection")).expect("a new connection works");
    assert_ne!(second, first);

    // Idle for longer than the window: asked on check-out, found gone and replaced unseen.
    end(second);
    std::thread::sleep(Duration::from_millis(600));
    let third = backend_pid(&mut db.get().expect("a connection")).expect("replaced before it was handed out");
    assert_ne!(third, second);
}

/// Tasks that wait for a turn (more than the pool's size plus two at once) give up after
/// the pool's connection timeout, as those waiting for a connection do: a database that
/// does not give connections answers every request in time, not one queue after another.
#[tokio::test]
async fn a_task_waiting_for_its_turn_gives_up_after_the_connection_timeout() {
    let database = TestDatabase::create();
    let url = DatabaseUrl::parse(database.url()).expect("valid URL");
    let timeout = Duration::from_millis(400);
    let db = Db::connect(&url, 1, timeout).expect("connects");
    let held = db.get().expect("the only connection");
    let started = Instant::now();
    let tasks: Vec<_> = (0..9)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move { db.query(|c| sql_query("SELECT 1").execute(c)).await })
        })
        .collect();
    for task in tasks {
        let refused = task.await.expect("the task ends").expect_err("no connection to be had");
        assert!(refused.to_string().starts_with("no database connection available"), "{refused}");
    }
    // Three turns: without a limit on the wait for one, the last three would fail only
    // after three timeouts (1.2 s); with one for the turn alone, those given a turn at the
    // last moment after two (0.8 s).
    assert!(started.elapsed() < timeout * 7 / 4, "all refused after {:?}", started.elapsed());
    drop(held);
    db.query(|c| sql_query("SELECT 1").execute(c)).await.expect("works again");
}
