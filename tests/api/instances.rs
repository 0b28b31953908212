//! Several instances on one database (docs/DEPLOYMENT.md): nothing a request depends on
//! lives in one process, so a session made on one instance works on the other and ends on
//! both, and instances that start at once migrate the database once. `bench/instances.sh`
//! checks the same with two `serve` processes behind nginx, under load.

use actix_web::dev::ServerHandle;
use csirt_meet::{
    email::transport::Transport,
    startup::{Application, Options},
};

use crate::helpers::{TestApp, TestDatabase, location, spawn_app, test_settings};

/// Another server on the app's database, with its settings and clock (its own port).
struct Instance {
    address: String,
    handle: ServerHandle,
}

fn options(app_clock: csirt_meet::clock::Clock) -> Options {
    Options {
        clock: app_clock,
        mail_worker: false,
        transport: Some(Transport::memory()),
        ..Options::default()
    }
}

async fn second_instance(app: &TestApp) -> Instance {
    let other = Application::build_with(app.settings.clone(), options(app.clock.clone()))
        .await
        .expect("a second instance builds on the same database");
    let (address, handle) = (format!("http://127.0.0.1:{}", other.port()), other.handle());
    tokio::spawn(other.run_until_stopped());
    Instance { address, handle }
}

#[tokio::test]
async fn a_session_made_on_one_instance_works_on_the_other_and_ends_on_both() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let b = second_instance(&app).await;
    // The browser sends the cookie of 127.0.0.1 to either port, as it would to either
    // instance behind one balancer.
    let res = app.client.get(format!("{}/admin", b.address)).send().await.expect("sent");
    assert_eq!(res.status(), 200, "the session of instance A is valid on instance B");

    // The CSRF token of the session is the same on both: signing out on B with A's token.
    let token = app.csrf(&app.client).await;
    let res = app
        .client
        .post(format!("{}/logout", b.address))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), 303, "B takes the form with the token A gave");
    let res = app.get("/admin").await;
    assert_ne!(res.status(), 200, "signed out on B ends the session on A too");
    assert!(location(&res).starts_with("/login"), "{}", location(&res));
    b.handle.stop(true).await;
}

#[tokio::test]
async fn instances_that_start_at_once_migrate_a_fresh_database_once() {
    let database = TestDatabase::create();
    let settings = test_settings(database.url());
    let clock = csirt_meet::clock::Clock::system();
    let (a, b) = tokio::join!(
        Application::build_with(settings.clone(), options(clock.clone())),
        Application::build_with(settings.clone(), options(clock.clone())),
    );
    let (a, b) = (a.expect("the first instance starts"), b.expect("the second instance starts"));
    let client = crate::helpers::new_client();
    let handles = [a.handle(), b.handle()];
    let ports = [a.port(), b.port()];
    tokio::spawn(a.run_until_stopped());
    tokio::spawn(b.run_until_stopped());
    for port in ports {
        let res = client.get(format!("http://127.0.0.1:{port}/healthz")).send().await.expect("sent");
        assert_eq!(res.status(), 200);
    }
    for handle in handles {
        handle.stop(true).await;
    }
}
