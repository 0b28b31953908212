//! A team's points of contact (`team_contacts`), in the registry's order: the people mailed
//! to endorse or decline the registrations of their team's staff (`attendance::endorsements`).

use diesel::prelude::*;

use crate::{
    db::{DbConnection, schema::team_contacts},
    domain::endorsement::Contact,
};

/// A stored contact.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = team_contacts)]
pub struct StoredContact {
    pub id: i64,
    pub team_id: i64,
    pub position: i32,
    pub name: String,
    pub email: String,
}

/// The team's contacts as (name, address), in order.
pub fn for_team(conn: &mut DbConnection, team_id: i64) -> QueryResult<Vec<(String, String)>> {
    team_contacts::table
        .filter(team_contacts::team_id.eq(team_id))
        .order(team_contacts::position)
        .select((team_contacts::name, team_contacts::email))
        .load(conn)
}

/// The contacts of the teams `ids`, each team's in order.
pub fn of_teams(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<StoredContact>> {
    team_contacts::table
        .filter(team_contacts::team_id.eq_any(ids))
        .order((team_contacts::team_id, team_contacts::position))
        .select(StoredContact::as_select())
        .load(conn)
}

/// Makes `contacts` the team's, in their order.
pub fn replace(conn: &mut DbConnection, team_id: i64, contacts: &[Contact]) -> QueryResult<()> {
    diesel::delete(team_contacts::table.filter(team_contacts::team_id.eq(team_id))).execute(conn)?;
    for (position, c) in (0_i32..).zip(contacts) {
        diesel::insert_into(team_contacts::table)
            .values((
                team_contacts::team_id.eq(team_id),
                team_contacts::position.eq(position),
                team_contacts::name.eq(&c.name),
                team_contacts::email.eq(c.email.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}
