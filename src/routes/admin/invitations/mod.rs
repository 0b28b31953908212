//! `/admin/meetings/{slug}/invitations`: invite a recognized team's contacts to a meeting
//! with an optional personal note, see each invitation's state, resend (`resend`) or
//! revoke one that is not used yet. An address outside the team's confirmed domains is
//! sent only after the organizer ticks a box naming it (the review flags it too).

mod resend;

pub use resend::resend;

use actix_web::{HttpResponse, web};
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::{
    auth::guard::Organizer,
    db,
    domain::states::TeamStatus,
    domain::{colocation::DateRange, email::Email, evidence::DomainFit, invitation_note, token::Token},
    error::AppError,
    models::{
        audit,
        invitation::{self, NewInvitation},
        meeting::{self, Meeting},
        outbox::{self, NewOutboxRow},
        team,
    },
    render::{Layout, page_with_status, see_other},
    routes::{
        confirm::{self, Ask, Confirm},
        form_errors::FormErrors,
    },
    state::AppState,
};

const INVITATION_DAYS: i64 = 30;

#[derive(Serialize)]
struct Row {
    id: i64,
    team: String,
    email: String,
    state: &'static str,
    expires_at: String,
}

#[derive(Serialize)]
struct InvitationsPage {
    title: String,
    layout: Layout,
    meeting: Meeting,
    teams: Vec<(i64, String)>,
    invitations: Vec<Row>,
    errors: FormErrors,
    team: String,
    emails: String,
    note: String,
    max_note: usize,
    /// Addresses outside the team's confirmed domains, to be confirmed by a tick.
    outside: Vec<String>,
    days: i64,
}

#[derive(Deserialize, Default)]
pub struct InviteForm {
    #[serde(default)]
    pub(crate) team: String,
    #[serde(default)]
    pub(crate) emails: String,
    /// The organizer's personal note, the same for every address of the form.
    #[serde(default)]
    pub(crate) note: String,
    /// The outside addresses the organizer confirmed (the ticked box's value: the
    /// addresses the warning named, separated by spaces).
    #[serde(default)]
    pub(crate) outside: String,
}

#[derive(Serialize)]
struct InvitationMail<'a> {
    meeting: &'a str,
    city: &'a str,
    /// The meeting's days ("Sat 20 June – Mon 22 June 2026").
    dates: String,
    team: &'a str,
    link: String,
    days: i64,
    /// When the link stops working.
    expires: String,
    /// The organizer's note, line by line; empty for none.
    note: Vec<&'a str>,
}

/// The invitation email to `to` for a new link `token`, valid until `expires_at`.
fn invitation_mail(
    state: &AppState,
    m: &Meeting,
    team: &str,
    to: &str,
    (token, expires_at): (&Token, NaiveDateTime),
    note: &str,
) -> Result<NewOutboxRow, AppError> {
    let dates = DateRange::new(m.first_day, m.last_day)
        .map(|r| r.to_string())
        .unwrap_or_else(|_| m.first_day.format("%a %-d %B %Y").to_string());
    let data = InvitationMail {
        meeting: &m.title,
        city: &m.city,
        dates,
        team,
        link: state.settings.link(&format!("/invitations/{}", token.as_str())),
        days: INVITATION_DAYS,
        expires: expires_at.format("%a %-d %B %Y, %H:%M UTC").to_string(),
        note: note.lines().collect(),
    };
    state.mail(to, "invitation", &data, format!("invitation:{}", token.hash()))
}

/// "CERT Austria's confirmed domains are cert.at", for the outside-address warnings.
fn team_domains_in_words(team: &str, domains: &[(String, bool)]) -> String {
    let confirmed: Vec<&str> = domains.iter().filter(|d| d.1).map(|d| d.0.as_str()).collect();
    if confirmed.is_empty() {
        format!("{team} has no confirmed email domain")
    } else {
        format!("{team}'s confirmed domains are {}", confirmed.join(", "))
    }
}

async fn render(
    state: &AppState,
    layout: Layout,
    slug: String,
    errors: FormErrors,
    form: InviteForm,
    outside: Vec<String>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now_naive();
    let (m, teams, rows) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let teams = team::list(c, "", None)?;
            let rows = invitation::for_meeting(c, m.id)?;
            Ok((m, teams, rows))
        })
        .await?;
    let teams = teams
        .into_iter()
        .filter(|t| t.status == TeamStatus::Recognized)
        .map(|t| (t.id, format!("{} ({})", t.name, t.country_code)))
        .collect();
    let invitations = rows
        .into_iter()
        .map(|(i, team)| Row {
            id: i.id,
            state: i.state(now),
            expires_at: i.expires_at.format("%a %-d %b %Y, %H:%M UTC").to_string(),
            email: i.email,
            team,
        })
        .collect();
    let status = errors.status();
    let data = InvitationsPage {
        title: format!("Invitations · {}", m.title),
        layout,
        meeting: m,
        teams,
        invitations,
        errors,
        team: form.team,
        emails: form.emails,
        note: form.note,
        max_note: invitation_note::MAX_NOTE,
        outside,
        days: INVITATION_DAYS,
    };
    page_with_status(status, &state.tera, "pages/admin/invitations.html", &data)
}

pub async fn list(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    render(&state, layout, path.into_inner(), FormErrors::default(), InviteForm::default(), Vec::new()).await
}

/// An invitation form that passed every check: what `send` needs.
pub(crate) struct Checked {
    pub team: team::Team,
    pub addresses: Vec<Email>,
    /// The addresses outside the team's confirmed domains (each confirmed by the form).
    pub outside: Vec<String>,
    pub note: String,
}

/// Checks an invitation form as the page and the API both read it: a recognized team, at
/// least one valid address, a note by the note's rule, and every address outside the
/// team's confirmed domains confirmed. The inner error: the messages, and the outside
/// addresses still to confirm (empty unless that is what is missing).
pub(crate) async fn check(
    state: &AppState,
    form: &InviteForm,
) -> Result<Result<Checked, (FormErrors, Vec<String>)>, AppError> {
    let mut errors = FormErrors::default();
    let mut bad_addresses = Vec::new();
    let chosen = match form.team.trim().parse::<i64>() {
        Ok(id) => state.db.query(move |c| team::find(c, id)).await.ok(),
        Err(_) => None,
    }
    .filter(|t| t.status == TeamStatus::Recognized);
    if chosen.is_none() {
        errors.field("team", "Choose a recognized team.");
    }
    let mut addresses: Vec<Email> = Vec::new();
    for raw in form.emails.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        if raw.is_empty() {
            continue;
        }
        match Email::parse(raw) {
            Ok(e) if !addresses.contains(&e) => addresses.push(e),
            Ok(_) => {}
            Err(e) => bad_addresses.push(format!("{raw}: {e}")),
        }
    }
    if !bad_addresses.is_empty() {
        errors.field("emails", bad_addresses.join(" "));
    } else if addresses.is_empty() {
        errors.field("emails", "Enter at least one email address.");
    }
    let note = invitation_note::parse(&form.note).unwrap_or_else(|e| {
        errors.field("note", e.to_string());
        String::new()
    });
    let (Some(chosen), true) = (chosen, errors.is_empty()) else {
        return Ok(Err((errors, Vec::new())));
    };
    let team_id = chosen.id;
    let domains: Vec<(String, bool)> = state
        .db
        .query(move |c| team::stored_domains(c, team_id))
        .await?
        .into_iter()
        .map(|d| (d.domain, d.confirmed))
        .collect();
    let outside: Vec<String> = addresses
        .iter()
        .filter(|a| DomainFit::of(a.domain(), &domains) != DomainFit::Team)
        .map(|a| a.as_str().to_owned())
        .collect();
    let confirmed: Vec<&str> = form.outside.split_whitespace().collect();
    if outside.iter().any(|a| !confirmed.contains(&a.as_str())) {
        let theirs = team_domains_in_words(&chosen.name, &domains);
        errors.field(
            "outside",
            format!(
                "{} {} outside the team's domains ({theirs}). Check that {} to the team, then confirm \
                 that you checked and send again. The review will flag {}.",
                outside.join(", "),
                if outside.len() == 1 { "is" } else { "are" },
                if outside.len() == 1 { "it belongs" } else { "they belong" },
                if outside.len() == 1 { "the registration" } else { "their registrations" },
            ),
        );
        return Ok(Err((errors, outside)));
    }
    Ok(Ok(Checked { team: chosen, addresses, outside, note }))
}

/// Sends one invitation per address: each its own token, email and audit row, all in one
/// transaction.
pub async fn create(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<String>,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, form) = (path.into_inner(), form.into_inner());
    let lookup = slug.clone();
    let m = state.db.query(move |c| meeting::by_slug(c, &lookup)).await?;
    let checked = match check(&state, &form).await? {
        Ok(checked) => checked,
        Err((errors, outside)) => return render(&state, layout, slug, errors, form, outside).await,
    };
    let Checked { team, addresses, outside, note } = checked;
    send(&state, &m, &team, addresses, &outside, &note, (who.0.user.id, None)).await?;
    Ok(see_other(&format!("/admin/meetings/{slug}/invitations?done=invitations-sent")))
}

/// Sends one invitation to the meeting `m` per address of the team `chosen`, with the
/// organizer's `note`: each its own token, email and audit row, all in one transaction.
/// `outside` names the addresses outside the team's domains that the organizer confirmed.
pub(crate) async fn send(
    state: &AppState,
    m: &Meeting,
    chosen: &team::Team,
    addresses: Vec<Email>,
    outside: &[String],
    note: &str,
    (actor, via): (i64, Option<String>),
) -> Result<(), AppError> {
    let (now, team_id, outside) = (state.clock.now_naive(), chosen.id, outside.to_vec());
    let expires_at = now + Duration::days(INVITATION_DAYS);
    let note = note.to_owned();
    let mut queued = Vec::new();
    for address in addresses {
        let token = Token::generate();
        let mail = invitation_mail(state, m, &chosen.name, address.as_str(), (&token, expires_at), &note)?;
        queued.push((address, token.hash(), mail));
    }
    let meeting_id = m.id;
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                for (address, hash, mail) in &queued {
                    let mut detail = if outside.iter().any(|o| o == address.as_str()) {
                        format!("{}, outside the team's domains (confirmed)", address.domain())
                    } else {
                        address.domain().to_owned()
                    };
                    if let Some(via) = &via {
                        detail.push_str(&format!(" ({via})"));
                    }
                    invitation::insert(
                        c,
                        &NewInvitation {
                            meeting_id,
                            team_id,
                            email: address.as_str(),
                            token_hash: hash,
                            expires_at,
                            sent_by: Some(actor),
                            created_at: now,
                            note: &note,
                        },
                    )?;
                    outbox::enqueue(c, mail)?;
                    let subject = format!("meeting {meeting_id} team {team_id}");
                    audit::record(c, Some(actor), "invitation.sent", &subject, &detail, now)?;
                }
                Ok(())
            })
        })
        .await?;
    state.mail_queued();
    Ok(())
}

/// Revokes an invitation, after a confirmation page that names its address.
pub async fn revoke(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<Confirm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    if !form.given() {
        let lookup = slug.clone();
        let (m, i) = state
            .db
            .query(move |c| {
                let m = meeting::by_slug(c, &lookup)?;
                let i = invitation::find(c, id)?;
                if i.meeting_id != m.id {
                    return Err(diesel::result::Error::NotFound);
                }
                Ok((m, i))
            })
            .await?;
        return confirm::ask(
            &state,
            layout,
            Ask::revoke_invitation(
                format!("Revoke the invitation for {}?", i.email),
                format!("/admin/meetings/{}/invitations/{id}/revoke", m.slug),
                format!("/admin/meetings/{}/invitations", m.slug),
            ),
        );
    }
    let (actor, now, lookup) = (who.0.user.id, state.clock.now_naive(), slug.clone());
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                let m = meeting::by_slug(c, &lookup)?;
                if !invitation::revoke(c, m.id, id, now)? {
                    return Err(diesel::result::Error::NotFound);
                }
                audit::record(c, Some(actor), "invitation.revoked", &format!("invitation {id}"), "", now)?;
                Ok(())
            })
        })
        .await?;
    Ok(see_other(&format!("/admin/meetings/{slug}/invitations?done=invitation-revoked")))
}
