//! `POST /admin/meetings/{slug}/invitations/{id}/resend`: an open invitation (not used, not
//! revoked; expired is fine) gets a new link and a fresh expiry and is mailed again with
//! the same note. The old link stops working: only the new token's hash is kept. The
//! confirmation page says so, and names an address outside the team's confirmed domains,
//! so that pressing its button is the organizer's explicit confirmation of it.

use actix_web::{HttpResponse, web};
use chrono::Duration;

use super::{INVITATION_DAYS, InviteForm, invitation_mail, render, team_domains_in_words};
use crate::{
    auth::guard::Organizer,
    db,
    domain::{email::Email, evidence::DomainFit, token::Token},
    error::AppError,
    models::{
        audit,
        invitation::{self, Invitation},
        meeting::{self, Meeting},
        outbox, team,
    },
    render::{Layout, see_other},
    routes::{
        confirm::{self, Ask, Confirm},
        form_errors::FormErrors,
    },
    state::AppState,
};

pub async fn resend(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<Confirm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let lookup = slug.clone();
    let (m, i, team) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &lookup)?;
            let i = invitation::find(c, id)?;
            if i.meeting_id != m.id {
                return Err(diesel::result::Error::NotFound);
            }
            let t = team::find(c, i.team_id)?;
            let domains = team::stored_domains(c, t.id)?;
            Ok((m, i, (t.name, domains.into_iter().map(|d| (d.domain, d.confirmed)).collect::<Vec<_>>())))
        })
        .await?;
    let (team_name, domains) = team;
    if let Some(refusal) = refusal(&i) {
        let mut errors = FormErrors::default();
        errors.form(refusal);
        return render(&state, layout, slug, errors, InviteForm::default(), Vec::new()).await;
    }
    let domain = Email::parse(&i.email).map(|e| e.domain().to_owned()).unwrap_or_default();
    let outside = DomainFit::of(&domain, &domains) != DomainFit::Team;
    if !form.given() {
        let mut happens = format!(
            "A new link, valid {INVITATION_DAYS} days, goes to {} with the same note. The old link \
             stops working at once.",
            i.email
        );
        if outside {
            happens.push_str(&format!(
                " {} is outside the team's domains ({}): check that it belongs to the team before \
                 you resend. The review will flag the registration.",
                i.email,
                team_domains_in_words(&team_name, &domains)
            ));
        }
        return confirm::ask(
            &state,
            layout,
            Ask {
                title: format!("Resend the invitation for {}?", i.email),
                happens,
                receives: "The person receives the invitation email again, with the new link.".into(),
                quote: (!i.note.is_empty()).then(|| i.note.clone()),
                action: format!("/admin/meetings/{}/invitations/{id}/resend", m.slug),
                button: "Resend the invitation",
                back: format!("/admin/meetings/{}/invitations", m.slug),
                ..Ask::default()
            },
        );
    }
    let detail = if outside { format!("{domain}, outside the team's domains (confirmed)") } else { domain };
    send_again(&state, who, (&m, &i), &team_name, detail).await?;
    Ok(see_other(&format!("/admin/meetings/{slug}/invitations?done=invitation-resent")))
}

/// Why an invitation cannot be resent, for the organizer; `None` when it is open.
fn refusal(i: &Invitation) -> Option<String> {
    if i.used_at.is_some() {
        Some(format!(
            "The invitation for {} was used already: the person has registered. It cannot be resent.",
            i.email
        ))
    } else if i.revoked_at.is_some() {
        Some(format!(
            "The invitation for {} was revoked, so it cannot be resent. Invite the address again instead.",
            i.email
        ))
    } else {
        None
    }
}

/// The new link, its mail and the audit row, in one transaction.
async fn send_again(
    state: &AppState,
    who: Organizer,
    (m, i): (&Meeting, &Invitation),
    team_name: &str,
    detail: String,
) -> Result<(), AppError> {
    let (actor, now) = (who.0.user.id, state.clock.now_naive());
    let expires_at = now + Duration::days(INVITATION_DAYS);
    let token = Token::generate();
    let mail = invitation_mail(state, m, team_name, &i.email, (&token, expires_at), &i.note)?;
    let (meeting_id, id, hash) = (m.id, i.id, token.hash());
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                if !invitation::renew(c, meeting_id, id, &hash, expires_at)? {
                    return Err(diesel::result::Error::NotFound);
                }
                outbox::enqueue(c, &mail)?;
                audit::record(
                    c,
                    Some(actor),
                    "invitation.resent",
                    &format!("invitation {id}"),
                    &detail,
                    now,
                )?;
                Ok(())
            })
        })
        .await?;
    state.mail_queued();
    Ok(())
}
