//! The proposal form as the proposer fills it in, read from its pairs (co-speakers repeat
//! their key), and its parse against the call's choices: the call's kinds, the meeting's
//! tracks, the durations offered, the five labels and the people who may be chosen. A
//! refused value gets its message beside its field; nothing is written.

use serde::Serialize;

use crate::{
    domain::{
        email::Email,
        proposal::{self, ProposalError},
        tlp::Tlp,
    },
    models::{
        agenda::track::Track,
        proposal::{Proposal, ProposalFields, speakers::Candidate},
    },
    routes::form_errors::FormErrors,
};

#[derive(Serialize, Default, Clone, Debug)]
pub struct ProposalForm {
    pub title: String,
    pub abstract_text: String,
    pub kind: String,
    pub track: String,
    pub minutes: String,
    pub tlp: String,
    /// Registration ids of the co-speakers chosen from the list.
    pub speakers: Vec<String>,
    /// An address typed in instead of choosing from the list.
    pub speaker_email: String,
}

/// What a valid form stores.
pub struct Parsed {
    pub fields: ProposalFields,
    pub chosen: Vec<i64>,
    pub email: Option<Email>,
}

impl ProposalForm {
    pub fn blank() -> Self {
        ProposalForm { tlp: Tlp::DEFAULT.as_str().into(), minutes: "30".into(), ..Self::default() }
    }

    pub fn of(p: &Proposal, chosen: Vec<i64>) -> Self {
        ProposalForm {
            title: p.title.clone(),
            abstract_text: p.abstract_text.clone(),
            kind: p.kind.clone(),
            track: p.track_id.map(|t| t.to_string()).unwrap_or_default(),
            minutes: p.minutes.to_string(),
            tlp: p.tlp.as_str().into(),
            speakers: chosen.iter().map(i64::to_string).collect(),
            speaker_email: String::new(),
        }
    }

    /// The form from its body's pairs; unknown keys (the CSRF token) are skipped.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = ProposalForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "title" => form.title = value,
                "abstract_text" => form.abstract_text = value,
                "kind" => form.kind = value,
                "track" => form.track = value,
                "minutes" => form.minutes = value,
                "tlp" => form.tlp = value,
                "speakers" => form.speakers.push(value),
                "speaker_email" => form.speaker_email = value,
                _ => {}
            }
        }
        form
    }

    /// The fields to store, or every problem in the order of the form.
    pub fn parse(
        &self,
        kinds: &[String],
        tracks: &[Track],
        candidates: &[Candidate],
    ) -> Result<Parsed, FormErrors> {
        let mut errors = FormErrors::default();
        let mut note = |id: &'static str, e: ProposalError| errors.field(id, e.to_string());
        let title = proposal::parse_title(&self.title).map_err(|e| note("title", e)).ok();
        let abstract_text =
            proposal::parse_abstract(&self.abstract_text).map_err(|e| note("abstract_text", e)).ok();
        let kind = proposal::parse_kind(&self.kind, kinds).map_err(|e| note("kind", e)).ok();
        let track = match self.track.trim() {
            "" => Some(None),
            raw => {
                let found = raw.parse::<i64>().ok().filter(|id| tracks.iter().any(|t| t.id == *id));
                if found.is_none() {
                    errors.field("track", "Choose one of the meeting's tracks, or no preference.");
                }
                found.map(Some)
            }
        };
        let mut note = |id: &'static str, e: ProposalError| errors.field(id, e.to_string());
        let minutes = proposal::parse_minutes(&self.minutes).map_err(|e| note("minutes", e)).ok();
        let tlp = proposal::parse_label(&self.tlp).map_err(|e| note("tlp", e)).ok();
        let mut chosen = Vec::new();
        for raw in &self.speakers {
            match raw.parse::<i64>().ok().filter(|id| candidates.iter().any(|c| c.registration_id == *id)) {
                Some(id) if !chosen.contains(&id) => chosen.push(id),
                Some(_) => {}
                None => errors.field(
                    "speakers",
                    "Choose co-speakers from the list: one of those chosen cannot be chosen.",
                ),
            }
        }
        let email = match self.speaker_email.trim() {
            "" => None,
            raw => match Email::parse(raw) {
                Ok(e) => Some(e),
                Err(_) => {
                    errors.field(
                        "speaker_email",
                        "Enter a co-speaker's address such as name@team.example, or leave it empty.",
                    );
                    None
                }
            },
        };
        match (title, abstract_text, kind, track, minutes, tlp) {
            (Some(title), Some(abstract_text), Some(kind), Some(track_id), Some(minutes), Some(tlp))
                if errors.is_empty() =>
            {
                Ok(Parsed {
                    fields: ProposalFields { title, abstract_text, kind, track_id, minutes, tlp },
                    chosen,
                    email,
                })
            }
            _ => Err(errors),
        }
    }
}
