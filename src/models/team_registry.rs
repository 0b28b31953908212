//! The registry's rules that need the database (a domain belongs to one team, with
//! nothing inside, around or looking like it elsewhere; a short name is unique, ignoring
//! case) and the CSV import of teams, shared by `/admin/teams/import` and
//! `csirt-meet import-teams`: every row in one transaction, or none.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::QueryResult;

use crate::{
    db::DbConnection,
    domain::{
        team_domain,
        team_import::{ImportReport, RefusedRow, TeamRow},
    },
    models::{
        audit,
        team::{self, TeamFields},
    },
};

/// Why `domains` (normalized, as `TeamDomain` gives them) cannot go to the team
/// `team_id` (`None`: a new team): another team has one of them, or a domain inside or
/// around one, so that an address there would prove membership of two teams.
pub fn domain_conflicts(
    conn: &mut DbConnection,
    team_id: Option<i64>,
    domains: &[String],
) -> QueryResult<Vec<String>> {
    let others: Vec<(i64, String)> =
        team::all_domains(conn)?.into_iter().filter(|(owner, _)| Some(*owner) != team_id).collect();
    let below = |inner: &str, outer: &str| inner.strip_suffix(outer).is_some_and(|rest| rest.ends_with('.'));
    let mut found = Vec::new();
    for domain in domains {
        for (owner, other) in &others {
            found.push(if domain == other {
                let team = team_label(conn, *owner)?;
                format!("{domain} belongs to {team} already; a domain can belong to one team only.")
            } else if below(other, domain) {
                format!("{domain} contains {other}, which belongs to {}.", team_label(conn, *owner)?)
            } else if below(domain, other) {
                format!("{domain} lies inside {other}, which belongs to {}.", team_label(conn, *owner)?)
            } else if team_domain::looks_like(domain, other) {
                let shown = team_domain::unicode_form(domain).unwrap_or_else(|| domain.clone());
                let team = team_label(conn, *owner)?;
                format!(
                    "{domain} ({shown}) looks like {other}, which belongs to {team}; a lookalike is refused."
                )
            } else {
                continue;
            });
        }
    }
    Ok(found)
}

fn team_label(conn: &mut DbConnection, id: i64) -> QueryResult<String> {
    let team = team::find(conn, id)?;
    Ok(if team.name == team.short_name { team.name } else { format!("{} ({})", team.short_name, team.name) })
}

/// Another team whose short name equals `short_name`, ignoring case.
pub fn short_name_taken(
    conn: &mut DbConnection,
    team_id: Option<i64>,
    short_name: &str,
) -> QueryResult<Option<team::Team>> {
    let wanted = short_name.to_lowercase();
    Ok(team::list(conn, "", None)?
        .into_iter()
        .find(|t| Some(t.id) != team_id && t.short_name.to_lowercase() == wanted))
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    pub created: usize,
    pub updated: usize,
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file was refused")]
    Refused(ImportReport),
    #[error("database query failed")]
    Database(#[from] diesel::result::Error),
}

/// Creates or updates every team of `rows` (matched by short name) in one transaction,
/// with one audit row. A row whose domain another team has, or whose short name differs
/// from a registered one only in case, refuses the whole file: nothing is written.
///
/// An update replaces name, country, website and domains with the file's; status and cap
/// stay as the organizers set them unless the file has their columns (a registry
/// exported by `/admin/teams.csv` does).
pub fn import_rows(
    conn: &mut DbConnection,
    rows: &[TeamRow],
    actor: Option<i64>,
    via: &str,
    now: NaiveDateTime,
) -> Result<Imported, ImportError> {
    crate::db::transaction(conn, |c| {
        let registered: HashMap<String, team::Team> =
            team::list(c, "", None)?.into_iter().map(|t| (t.short_name.to_lowercase(), t)).collect();
        let mut report = ImportReport::default();
        let mut done = Imported::default();
        for row in rows {
            let existing = registered.get(&row.short_name.to_lowercase());
            let mut reasons = Vec::new();
            if let Some(t) = existing.filter(|t| t.short_name != row.short_name) {
                reasons.push(format!(
                    "short_name “{}” differs only in case from the registered team {}; spell it the same.",
                    row.short_name, t.short_name
                ));
            }
            let fields = TeamFields::from_row(row, existing.and_then(|t| t.cap_override));
            // Teams stored from earlier rows count too, so two rows cannot share a domain.
            for conflict in domain_conflicts(c, existing.map(|t| t.id), &fields.domains)? {
                reasons.push(format!("email_domains: {conflict}"));
            }
            if !reasons.is_empty() {
                report.refused.push(RefusedRow {
                    line: row.line,
                    short_name: row.short_name.clone(),
                    reasons,
                });
                continue;
            }
            let (id, created) = team::upsert(c, &fields, now)?;
            if let Some(status) = row.status {
                team::set_status(c, id, status, now)?;
            }
            if created { done.created += 1 } else { done.updated += 1 }
        }
        if !report.refused.is_empty() {
            return Err(ImportError::Refused(report));
        }
        let detail = format!("created {}, updated {} ({via})", done.created, done.updated);
        audit::record(c, actor, "teams.imported", &format!("{} teams", rows.len()), &detail, now)?;
        Ok(done)
    })
}
