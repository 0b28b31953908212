//! `/admin/audit`: who did what, when and why, newest first, filtered by the person who
//! acted, the action and a date range (UTC days), in pages.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::{
    auth::guard::Organizer,
    error::AppError,
    models::{audit, registration, user},
    render::{Layout, page},
    state::AppState,
};

const PAGE_SIZE: i64 = 50;

/// The query string; values that do not parse filter nothing.
#[derive(Deserialize, Serialize, Default)]
pub struct Filter {
    /// A person's id, or `system` for what no person did.
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: String,
}

#[derive(Serialize)]
struct Row {
    at: NaiveDateTime,
    actor: String,
    /// The action in words, when it has some; the code stays beside it.
    said: Option<&'static str>,
    action: String,
    /// Who the subject (`user N`, `registration N`) is, while their account exists.
    person: Option<String>,
    subject: String,
    detail: String,
}

#[derive(Serialize)]
struct AuditPage {
    title: &'static str,
    layout: Layout,
    filter: Filter,
    organizers: Vec<(i64, String)>,
    /// Each action code that occurs, with its words for the filter's options.
    actions: Vec<(String, &'static str)>,
    rows: Vec<Row>,
    page: i64,
    /// The query string of the filters without the page, to build the paging links.
    query: String,
    has_next: bool,
}

fn day(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

impl Filter {
    fn search(&self) -> audit::Search {
        let actor = match self.actor.as_str() {
            "system" => Some(None),
            raw => raw.parse::<i64>().ok().map(Some),
        };
        audit::Search {
            actor,
            action: Some(self.action.trim().to_owned()).filter(|a| !a.is_empty()),
            from: day(&self.from).map(|d| d.and_time(chrono::NaiveTime::MIN)),
            until: day(&self.to).and_then(|d| d.succ_opt()).map(|d| d.and_time(chrono::NaiveTime::MIN)),
        }
    }

    fn query(&self) -> String {
        let pairs =
            [("actor", &self.actor), ("action", &self.action), ("from", &self.from), ("to", &self.to)];
        url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
    }
}

pub async fn list(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    query: web::Query<Filter>,
) -> Result<HttpResponse, AppError> {
    let filter = query.into_inner();
    let page_no = filter.page.parse::<i64>().unwrap_or(1).clamp(1, 1_000_000);
    let search = filter.search();
    let (entries, (names, about), organizers, actions) = state
        .db
        .query(move |c| {
            // One row more than a page tells whether a next page exists.
            let entries = audit::search(c, &search, (page_no - 1) * PAGE_SIZE, PAGE_SIZE + 1)?;
            let (names, about) = people_of(c, &entries)?;
            // Reviewers decide registrations too: they are actors to filter by.
            let organizers = user::staff(c)?.into_iter().map(|u| (u.id, u.name)).collect::<Vec<_>>();
            Ok((entries, (names, about), organizers, audit::actions(c)?))
        })
        .await?;
    let has_next = entries.len() as i64 > PAGE_SIZE;
    let rows = entries
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|e| Row {
            at: e.at,
            actor: e.actor_id.and_then(|id| names.get(&id).cloned()).unwrap_or_else(|| "system".into()),
            said: in_words(&e.action),
            action: e.action,
            person: about.get(&e.subject).cloned(),
            subject: e.subject,
            detail: e.detail,
        })
        .collect();
    let actions = actions
        .into_iter()
        .map(|a| {
            let words = in_words(&a).unwrap_or("");
            (a, words)
        })
        .collect();
    let data = AuditPage {
        title: "Audit log",
        layout,
        query: filter.query(),
        filter,
        organizers,
        actions,
        rows,
        page: page_no,
        has_next,
    };
    page(&state.tera, "pages/admin/audit.html", &data)
}

/// What an action code means, in the words an organizer reads in the log; a code without
/// words is shown as it is.
fn in_words(action: &str) -> Option<&'static str> {
    Some(match action {
        "account.deleted" => "deleted their account",
        "agenda.published" => "published an agenda release",
        "announcement.sent" => "sent an announcement",
        "demo.loaded" => "loaded the demo data",
        "feed.rotated" => "made a new calendar feed address",
        "schedule.rotated" => "made a new schedule address for conference apps",
        "organizer_feed.rotated" => "made a new organizer feed address",
        "invitation.sent" => "invited a person to the meeting",
        "invitation.revoked" => "revoked an invitation to the meeting",
        "invitation.resent" => "resent an invitation to the meeting with a new link",
        "meeting.created" => "created the meeting",
        "meeting.updated" => "changed the meeting",
        "organizer.created" => "created an organizer account",
        "organizer.disabled" => "disabled an organizer",
        "organizer.enabled" => "enabled an organizer again",
        "organizer.invited" => "invited an organizer",
        "organizer.invitation_revoked" => "revoked an organizer invitation",
        "password.changed" => "changed their password",
        "password.reset" => "set a new password with a reset link",
        "practical.updated" => "changed the practical information",
        "privacy.purged" => "removed old answers (privacy purge)",
        "question.created" => "added a registration question",
        "question.updated" => "changed a registration question",
        "question.retired" => "retired a registration question",
        "question.restored" => "asked a retired registration question again",
        "question.deleted" => "deleted a registration question",
        "registration.created" => "registered",
        "reviewer.created" => "created a reviewer account",
        "reviewer.disabled" => "disabled a reviewer",
        "reviewer.enabled" => "enabled a reviewer again",
        "reviewer.invited" => "invited a reviewer",
        "reviewer.invitation_revoked" => "revoked a reviewer invitation",
        "registration.verified" => "confirmed their email address",
        "registration.details_changed" => "changed their registration details",
        "registration.approved" => "approved a registration",
        "registration.waitlisted" => "waitlisted a registration",
        "registration.rejected" => "rejected a registration",
        "registration.revoked" => "revoked an approval",
        "registration.withdrawn" => "withdrew their registration",
        "second_factor.enabled" => "turned on two-step sign-in",
        "second_factor.reset" => "reset the two-step sign-in of an organizer or reviewer",
        "session.created" => "added a session to the draft",
        "session.updated" => "changed a session in the draft",
        "session.cancelled" => "cancelled a session in the draft",
        "session.scheduled" => "brought a cancelled session back into the draft",
        "team.created" => "added a team",
        "team.updated" => "changed a team",
        "team.suspended" => "suspended a team",
        "team.reinstated" => "reinstated a team",
        "teams.imported" => "imported the team registry",
        _ => return None,
    })
}

/// Who acted, by actor id, and who each entry is about, by subject (`user N`,
/// `registration N`), as "Name <email>" while the account exists: three queries a page.
fn people_of(
    c: &mut crate::db::DbConnection,
    entries: &[audit::AuditEntry],
) -> diesel::QueryResult<(BTreeMap<i64, String>, BTreeMap<String, String>)> {
    let subject_id = |e: &audit::AuditEntry, kind: &str| {
        e.subject.split_once(' ').filter(|(k, _)| *k == kind).and_then(|(_, id)| id.parse::<i64>().ok())
    };
    let registrations: Vec<i64> = entries.iter().filter_map(|e| subject_id(e, "registration")).collect();
    let owners: BTreeMap<i64, i64> = registration::owners(c, &registrations)?.into_iter().collect();
    let about_user = |e: &audit::AuditEntry| {
        subject_id(e, "user").or_else(|| subject_id(e, "registration").and_then(|r| owners.get(&r).copied()))
    };
    let mut ids: Vec<i64> = entries.iter().filter_map(|e| e.actor_id).collect();
    ids.extend(entries.iter().filter_map(about_user));
    let labels = user::labels(c, &ids)?;
    let about = entries
        .iter()
        .filter_map(|e| Some((e.subject.clone(), labels.get(&about_user(e)?)?.clone())))
        .collect();
    Ok((labels, about))
}

#[cfg(test)]
mod tests {
    use super::in_words;

    #[test]
    fn codes_read_as_words_and_unknown_codes_stay_codes() {
        assert_eq!(in_words("organizer.invitation_revoked"), Some("revoked an organizer invitation"));
        assert_eq!(in_words("registration.rejected"), Some("rejected a registration"));
        assert_eq!(in_words("something.new"), None);
    }
}
