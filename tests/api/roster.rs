//! Set-up shared by the organizer-tool tests: teams of several countries and people
//! registered for a meeting in a chosen status, made directly in the database.

use csirt_meet::{
    domain::registration::Status,
    models::{registration, team, user},
};

use crate::helpers::TestApp;
use csirt_meet::domain::states::Role;

/// A recognized team with one email domain; returns its id.
pub(crate) async fn add_team(app: &TestApp, name: &str, short: &str, country: &str, cap: Option<i32>) -> i64 {
    let now = app.clock.now_naive();
    let domain = format!("{}.example", short.to_lowercase().replace('.', "-"));
    let fields = team::TeamFields {
        name: name.into(),
        short_name: short.into(),
        country_code: country.into(),
        website: format!("https://{domain}"),
        cap_override: cap,
        domains: vec![domain],
    };
    app.db.query(move |c| team::upsert(c, &fields, now)).await.expect("team").0
}

/// Someone of the team registered for the meeting in `status`; returns the registration id.
pub(crate) struct Person {
    pub name: &'static str,
    pub email: &'static str,
    pub status: Status,
    pub dietary: &'static str,
    pub accessibility: &'static str,
}

impl Person {
    pub(crate) fn new(name: &'static str, email: &'static str, status: Status) -> Self {
        Self { name, email, status, dietary: "", accessibility: "" }
    }
}

pub(crate) async fn register(app: &TestApp, meeting_id: i64, team_id: i64, p: Person) -> i64 {
    let now = app.clock.now_naive();
    app.db
        .query(move |c| {
            let new = user::NewUser {
                email: p.email,
                name: p.name,
                role: Role::Member,
                password_hash: "x",
                email_verified_at: Some(now),
                created_at: now,
            };
            let u = match user::by_email(c, p.email)? {
                Some(u) => u,
                None => user::insert(c, &new)?,
            };
            let r = registration::insert(
                c,
                &registration::NewRegistration {
                    meeting_id,
                    user_id: u.id,
                    team_id,
                    status: p.status,
                    role_title: "Incident handler",
                    dietary: p.dietary,
                    accessibility: p.accessibility,
                    consent_listed: true,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            Ok(r.id)
        })
        .await
        .expect("registration")
}

/// `names` as pending registrations of the team, in this order; returns their ids.
pub(crate) async fn pending(
    app: &TestApp,
    meeting_id: i64,
    team_id: i64,
    names: &[&'static str],
) -> Vec<i64> {
    let mut ids = Vec::new();
    for name in names {
        let email: &'static str = format!("{}@people.example", name.to_lowercase()).leak();
        ids.push(register(app, meeting_id, team_id, Person::new(name, email, Status::Pending)).await);
    }
    ids
}
