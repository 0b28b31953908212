//! The mail a proposal causes, queued in the caller's transaction: a co-speaker's request
//! to confirm, and a decision to every confirmed speaker. A proposal is named only as its
//! label lets it out (T1: `domain::proposal::name_outside`); subjects never name it, and
//! no mail carries the abstract.

use serde::Serialize;

use crate::{
    db::DbConnection,
    domain::{
        proposal::{Decision, name_outside},
        token::Token,
    },
    email::Composer,
    error::AppError,
    models::{
        meeting::Meeting,
        outbox,
        proposal::{Proposal, speakers},
        registration,
    },
};

#[derive(Serialize)]
struct SpeakerMail {
    name: String,
    proposer: String,
    meeting: String,
    proposal: String,
    link: String,
}

/// Adds `registration_id` as a co-speaker of `p` and mails them a link to confirm; does
/// nothing when they are one already.
pub(crate) fn ask_speaker(
    c: &mut DbConnection,
    mail: &Composer,
    (m, p): (&Meeting, &Proposal),
    registration_id: i64,
    by_address: bool,
) -> Result<(), AppError> {
    let token = Token::generate();
    let now = mail.now().naive_utc();
    if !speakers::add(c, p.id, registration_id, by_address, &token.hash(), now)? {
        return Ok(());
    }
    let (email, name) = registration::address_and_name(c, registration_id)?;
    let (_, proposer) = registration::address_and_name(c, p.registration_id)?;
    let data = SpeakerMail {
        name,
        proposer,
        meeting: m.title.clone(),
        proposal: name_outside(p.id, p.tlp, &p.title),
        link: mail.link(&format!("/speakers/{}", token.as_str())),
    };
    // The hash's start is random: a speaker removed and named again is asked again.
    let key = format!("proposal-speaker:{}:{registration_id}:{}", p.id, &token.hash()[..16]);
    outbox::enqueue(c, &mail.mail(&email, "proposal_speaker", &data, key).map_err(AppError::Render)?)?;
    Ok(())
}

#[derive(Serialize)]
struct DecisionMail {
    name: String,
    meeting: String,
    proposal: String,
    decision: &'static str,
    message: String,
    link: String,
}

/// Mails the decision and its message to the proposer and every confirmed co-speaker.
pub(crate) fn decision(
    c: &mut DbConnection,
    mail: &Composer,
    (m, p): (&Meeting, &Proposal),
    decision: Decision,
    message: &str,
) -> Result<usize, AppError> {
    let mut to = vec![p.registration_id];
    let confirmed = speakers::of_proposals(c, &[p.id])?.into_iter().filter(|s| s.confirmed_at.is_some());
    to.extend(confirmed.map(|s| s.registration_id));
    let now = mail.now().naive_utc();
    for registration_id in &to {
        let (email, name) = registration::address_and_name(c, *registration_id)?;
        let link = if *registration_id == p.registration_id {
            mail.link(&format!("/meetings/{}/proposals/{}", m.slug, p.id))
        } else {
            mail.link("/me")
        };
        let data = DecisionMail {
            name,
            meeting: m.title.clone(),
            proposal: name_outside(p.id, p.tlp, &p.title),
            decision: decision.as_str(),
            message: message.to_owned(),
            link,
        };
        let key = format!(
            "proposal-decision:{}:{}:{registration_id}:{}",
            p.id,
            decision.as_str(),
            now.and_utc().timestamp_micros()
        );
        outbox::enqueue(c, &mail.mail(&email, "proposal_decision", &data, key).map_err(AppError::Render)?)?;
    }
    Ok(to.len())
}
