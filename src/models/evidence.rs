//! The vetting evidence of many registrations of one meeting, loaded in a fixed number of
//! queries whatever their count (never a query per row): the invitations they came
//! through with who sent them, their teams' domains, each team's approved count, and the
//! earlier meetings each person was approved for. `domain::evidence` weighs it.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::{
    db::{
        DbConnection,
        schema::{invitations, meetings, registrations, users},
    },
    domain::{
        evidence::{Evidence, Origin, domain_of},
        registration::{Status, effective_cap},
    },
    models::{meeting::Meeting, registration::QueueRow, team},
};

/// What [`load`] found, to make each row's [`Evidence`] with [`Loaded::evidence`].
#[derive(Debug, Default)]
pub struct Loaded {
    /// Invitation id → (who sent it, when).
    invitations: HashMap<i64, (Option<String>, chrono::NaiveDateTime)>,
    /// Team id → its (domain, confirmed).
    domains: HashMap<i64, Vec<(String, bool)>>,
    /// Team id → approved registrations for the meeting.
    approved: HashMap<i64, i64>,
    /// User id → titles of the earlier meetings they were approved for, newest first.
    attended: HashMap<i64, Vec<String>>,
    default_cap: i32,
}

/// Loads the evidence of `rows`, registrations of `m`: four queries.
pub fn load(conn: &mut DbConnection, m: &Meeting, rows: &[QueueRow]) -> QueryResult<Loaded> {
    let invitation_ids: Vec<i64> = rows.iter().filter_map(|r| r.registration.invitation_id).collect();
    let mut team_ids: Vec<i64> = rows.iter().map(|r| r.registration.team_id).collect();
    team_ids.sort_unstable();
    team_ids.dedup();
    let user_ids: Vec<i64> = rows.iter().map(|r| r.registration.user_id).collect();

    let sent: Vec<(i64, Option<String>, chrono::NaiveDateTime)> = invitations::table
        .left_join(users::table.on(invitations::sent_by.eq(users::id.nullable())))
        .filter(invitations::id.eq_any(&invitation_ids))
        .select((invitations::id, users::name.nullable(), invitations::created_at))
        .load(conn)?;
    let mut domains: HashMap<i64, Vec<(String, bool)>> = HashMap::new();
    for d in team::domains_of(conn, &team_ids)? {
        domains.entry(d.team_id).or_default().push((d.domain, d.confirmed));
    }
    let approved = crate::models::registration::approved_by_team(conn, m.id)?.into_iter().collect();
    let earlier: Vec<(i64, String)> = registrations::table
        .inner_join(meetings::table)
        .filter(registrations::user_id.eq_any(&user_ids))
        .filter(registrations::status.eq(Status::Approved))
        .filter(meetings::first_day.lt(m.first_day))
        .order(meetings::first_day.desc())
        .select((registrations::user_id, meetings::title))
        .load(conn)?;
    let mut attended: HashMap<i64, Vec<String>> = HashMap::new();
    for (user_id, title) in earlier {
        attended.entry(user_id).or_default().push(title);
    }
    Ok(Loaded {
        invitations: sent.into_iter().map(|(id, by, at)| (id, (by, at))).collect(),
        domains,
        approved,
        attended,
        default_cap: m.default_cap,
    })
}

impl Loaded {
    /// The evidence of one of the rows given to [`load`].
    pub fn evidence(&self, r: &QueueRow) -> Evidence {
        let reg = &r.registration;
        let origin = match reg.invitation_id.and_then(|id| self.invitations.get(&id)) {
            Some((by, at)) => Origin::Invited { by: by.clone(), at: *at },
            None => Origin::SelfRegistered { domain: domain_of(&r.email) },
        };
        let domains = self.domains.get(&reg.team_id).map_or(&[][..], Vec::as_slice);
        let count = (
            self.approved.get(&reg.team_id).copied().unwrap_or(0),
            effective_cap(r.team_cap, self.default_cap),
        );
        let attended = self.attended.get(&reg.user_id).cloned().unwrap_or_default();
        Evidence::new(origin, &r.email, domains, count, attended)
    }
}
