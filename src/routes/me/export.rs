//! GET `/me/privacy/data.json`: everything stored about me, as JSON: the account, my
//! registrations (with my answers to the meetings' questions, the survey's too, my ratings
//! of sessions and the proposals I made to
//! the call for contributions, under T1: a TLP:RED one by its number, an abstract only for
//! TLP:CLEAR and TLP:GREEN), the materials I uploaded (what they are, never their bytes; a
//! file name under T1 like a title), the audit rows about me and my security log (sign-ins and resets). Never the password hash, the second-factor
//! secret or any token hash: the export lists its fields one by one rather than
//! serializing the stored rows.

use actix_web::{HttpResponse, web};
use chrono::NaiveDateTime;
use serde::Serialize;

use crate::{
    auth::guard::SignedIn,
    domain::{
        material as material_rules,
        proposal::{self as proposal_rules, State},
        registration::Status,
        states::Role,
        tlp::{self, Tlp},
    },
    error::AppError,
    models::{
        answer,
        audit::{self, AuditEntry},
        checkin, feedback, material,
        proposal::{self, Proposal},
        question, registration,
        security_log::{self, SecurityEntry},
        user,
    },
    routes::public::answers::{self, Given},
    state::AppState,
};

#[derive(Serialize)]
struct Export {
    exported_at: NaiveDateTime,
    account: AccountExport,
    registrations: Vec<RegistrationExport>,
    materials: Vec<MaterialExport>,
    audit_log: Vec<AuditEntry>,
    security_log: Vec<SecurityEntry>,
}

#[derive(Serialize)]
struct AccountExport {
    id: i64,
    email: String,
    name: String,
    role: Role,
    email_verified_at: Option<NaiveDateTime>,
    two_step_sign_in_since: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
}

#[derive(Serialize)]
struct RegistrationExport {
    id: i64,
    meeting: String,
    meeting_first_day: chrono::NaiveDate,
    team: String,
    status: Status,
    role_title: String,
    badge_name: Option<String>,
    /// The meeting days the person was marked arrived at the door.
    arrived_on: Vec<chrono::NaiveDate>,
    dietary: String,
    accessibility: String,
    consent_listed: bool,
    answers: Vec<Given>,
    ratings: Vec<RatingExport>,
    decided_at: Option<NaiveDateTime>,
    reason: Option<String>,
    /// The proposals made with this registration, newest first.
    proposals: Vec<ProposalExport>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// A rating of a session: the session named by reference, as audit rows name it; the
/// comment only where the session's label lets its abstract out (T1: an export leaves the
/// app, and a comment is content under the session's label).
#[derive(Serialize)]
struct RatingExport {
    session: String,
    rating: i32,
    comment: Option<String>,
}

/// A file I uploaded to a session, named by reference as ratings name it. Its file name is
/// TLP content like a title (T1): left out when the file or its session is TLP:RED
/// (`material::name_outside`).
#[derive(Serialize)]
struct MaterialExport {
    session: String,
    file_name: Option<String>,
    tlp: Tlp,
    byte_size: i64,
    uploaded_at: NaiveDateTime,
}

impl From<material::Uploaded> for MaterialExport {
    fn from(m: material::Uploaded) -> Self {
        Self {
            session: format!("{}/session/{}", m.slug, m.session_id),
            file_name: material_rules::name_outside(&m.file_name, m.tlp, m.session_tlp).map(str::to_owned),
            tlp: m.tlp,
            byte_size: m.byte_size,
            uploaded_at: m.stored_at,
        }
    }
}

/// A proposal as a file that leaves the app may carry it (T1): the title, or for TLP:RED
/// its number; the abstract only for TLP:CLEAR and TLP:GREEN.
#[derive(Serialize)]
struct ProposalExport {
    id: i64,
    title: String,
    abstract_text: Option<String>,
    kind: String,
    minutes: i32,
    tlp: Tlp,
    state: State,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl From<Proposal> for ProposalExport {
    fn from(p: Proposal) -> Self {
        let out = tlp::outside(p.tlp, &p.title, &p.abstract_text);
        let title = match p.tlp {
            Tlp::Red => proposal_rules::name_outside(p.id, p.tlp, &p.title),
            _ => out.title.to_owned(),
        };
        Self {
            id: p.id,
            abstract_text: out.abstract_text.map(str::to_owned),
            title,
            kind: p.kind,
            minutes: p.minutes,
            tlp: p.tlp,
            state: p.state,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

pub async fn download(state: web::Data<AppState>, who: SignedIn) -> Result<HttpResponse, AppError> {
    let id = who.0.user.id;
    let (u, rows, entries, security, (arrivals, ratings, uploaded)) = state
        .db
        .query(move |c| {
            let u = user::find(c, id)?;
            let mut rows = Vec::new();
            for (r, m, team) in registration::for_user(c, id)? {
                let given =
                    answers::given(&question::all_for_meeting(c, m.id)?, &answer::for_registration(c, r.id)?);
                let made = proposal::of_registration(c, r.id)?;
                rows.push((r, m, team, (given, made)));
            }
            let mut subjects = vec![format!("user {id}")];
            subjects.extend(rows.iter().map(|(r, _, _, _)| format!("registration {}", r.id)));
            let security = security_log::for_user(c, id, None)?;
            let ids: Vec<i64> = rows.iter().map(|(r, ..)| r.id).collect();
            let arrivals = checkin::days_of(c, &ids)?;
            let ratings = feedback::of_registrations(c, &ids)?;
            let uploaded = material::uploaded_by(c, id)?;
            Ok((u, rows, audit::about(c, id, subjects)?, security, (arrivals, ratings, uploaded)))
        })
        .await?;
    let export = Export {
        exported_at: state.clock.now_naive(),
        account: AccountExport {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            email_verified_at: u.email_verified_at,
            two_step_sign_in_since: u.totp_enabled_at,
            created_at: u.created_at,
        },
        registrations: rows
            .into_iter()
            .map(|(r, m, team, (answers, made))| RegistrationExport {
                id: r.id,
                meeting: m.title,
                meeting_first_day: m.first_day,
                team,
                status: r.status,
                role_title: r.role_title,
                badge_name: r.badge_name,
                arrived_on: arrivals.iter().filter(|(reg, _)| *reg == r.id).map(|(_, day)| *day).collect(),
                dietary: r.dietary,
                accessibility: r.accessibility,
                consent_listed: r.consent_listed,
                answers,
                ratings: ratings
                    .iter()
                    .filter(|(reg, ..)| *reg == r.id)
                    .map(|(_, session, label, rating, comment)| RatingExport {
                        session: format!("{}/session/{session}", m.slug),
                        rating: *rating,
                        comment: tlp::outside(*label, "", comment).abstract_text.map(str::to_owned),
                    })
                    .collect(),
                decided_at: r.decided_at,
                reason: r.reason,
                proposals: made.into_iter().map(ProposalExport::from).collect(),
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
            .collect(),
        materials: uploaded.into_iter().map(MaterialExport::from).collect(),
        audit_log: entries,
        security_log: security,
    };
    let body = serde_json::to_string_pretty(&export).map_err(|e| AppError::Unexpected(e.into()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Content-Disposition", "attachment; filename=\"my-natcsirt-data.json\""))
        .body(body))
}
