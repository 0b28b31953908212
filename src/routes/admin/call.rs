//! `/admin/meetings/{slug}/call`: the meeting's call for contributions: when it opens and
//! closes (entered and shown on the meeting's wall clocks, stored UTC), whether people
//! whose registration waits for review may propose, and the kinds offered (renamed or
//! added one per line; proposals keep the kind they were made with).

use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::{
    auth::guard::Organizer,
    db,
    domain::{
        local_time::{parse_zone, to_local, to_utc},
        proposal::{self, DEFAULT_KINDS, ProposalError},
    },
    error::AppError,
    models::{
        audit,
        meeting::{self, Meeting},
        proposal::call::{self, Call, CallFields},
    },
    render::{Layout, page_with_status, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

#[derive(Deserialize, Serialize, Default, Clone, Debug)]
pub struct CallForm {
    #[serde(default)]
    opens_date: String,
    #[serde(default)]
    opens_time: String,
    #[serde(default)]
    closes_date: String,
    #[serde(default)]
    closes_time: String,
    #[serde(default)]
    pending_may_propose: Option<String>,
    #[serde(default)]
    kinds: String,
}

impl CallForm {
    fn of(call: Option<&Call>, zone: chrono_tz::Tz) -> Self {
        let Some(c) = call else {
            return CallForm {
                opens_time: "00:00".into(),
                closes_time: "23:59".into(),
                kinds: DEFAULT_KINDS.join("\n"),
                ..Self::default()
            };
        };
        let (opens, closes) = (to_local(c.opens_at, zone), to_local(c.closes_at, zone));
        CallForm {
            opens_date: opens.date().to_string(),
            opens_time: opens.time().format("%H:%M").to_string(),
            closes_date: closes.date().to_string(),
            closes_time: closes.time().format("%H:%M").to_string(),
            pending_may_propose: c.pending_may_propose.then(|| "yes".into()),
            kinds: c.kinds.clone(),
        }
    }

    /// The call to store, or every problem in the order of the form.
    fn parse(&self, zone: chrono_tz::Tz) -> Result<CallFields, FormErrors> {
        let mut errors = FormErrors::default();
        let mut instant = |date_id: &'static str, time_id: &'static str, date: &str, time: &str| {
            let Ok(date) = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d") else {
                errors.field(date_id, "Enter the date as YYYY-MM-DD, like 2026-03-01.");
                return None;
            };
            let Ok(time) = NaiveTime::parse_from_str(time.trim(), "%H:%M") else {
                errors.field(time_id, "Enter the time on a 24-hour clock, like 09:00.");
                return None;
            };
            to_utc(date, time, zone).map_err(|e| errors.field(time_id, e.to_string())).ok()
        };
        let opens = instant("opens_date", "opens_time", &self.opens_date, &self.opens_time);
        let closes = instant("closes_date", "closes_time", &self.closes_date, &self.closes_time);
        if let (Some(o), Some(c)) = (opens, closes)
            && c <= o
        {
            errors.field("closes_date", ProposalError::ClosesBeforeOpening.to_string());
        }
        let kinds = proposal::parse_kinds(&self.kinds).map_err(|e| errors.field("kinds", e.to_string())).ok();
        match (opens, closes, kinds) {
            (Some(opens_at), Some(closes_at), Some(kinds)) if errors.is_empty() => Ok(CallFields {
                opens_at,
                closes_at,
                pending_may_propose: self.pending_may_propose.is_some(),
                kinds,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Serialize)]
struct CallPage {
    title: String,
    layout: Layout,
    meeting: String,
    slug: String,
    zone: String,
    exists: bool,
    form: CallForm,
    errors: FormErrors,
}

async fn load(state: &AppState, slug: String) -> Result<(Meeting, Option<Call>, chrono_tz::Tz), AppError> {
    let (m, call) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let call = call::of_meeting(c, m.id)?;
            Ok((m, call))
        })
        .await?;
    let zone = parse_zone(&m.time_zone).map_err(|e| AppError::Unexpected(e.into()))?;
    Ok((m, call, zone))
}

fn render(
    state: &AppState,
    layout: Layout,
    (m, call): (Meeting, Option<Call>),
    form: CallForm,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let data = CallPage {
        title: format!("Call for contributions · {}", m.title),
        layout,
        zone: m.time_zone.clone(),
        exists: call.is_some(),
        meeting: m.title,
        slug: m.slug,
        form,
        errors,
    };
    page_with_status(data.errors.status(), &state.tera, "pages/admin/call.html", &data)
}

pub async fn form(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (m, call, zone) = load(&state, path.into_inner()).await?;
    let form = CallForm::of(call.as_ref(), zone);
    render(&state, layout, (m, call), form, FormErrors::default())
}

pub async fn save(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<String>,
    form: web::Form<CallForm>,
) -> Result<HttpResponse, AppError> {
    let (m, call, zone) = load(&state, path.into_inner()).await?;
    let form = form.into_inner();
    let fields = match form.parse(zone) {
        Ok(fields) => fields,
        Err(errors) => return render(&state, layout, (m, call), form, errors),
    };
    let (actor, now, meeting_id, slug) = (who.0.user.id, state.clock.now_naive(), m.id, m.slug.clone());
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                call::save(c, meeting_id, &fields, actor, now)?;
                let detail = format!("{} to {} UTC", fields.opens_at, fields.closes_at);
                audit::record(c, Some(actor), "call.saved", &slug, &detail, now)
            })
        })
        .await?;
    Ok(see_other(&format!("/admin/meetings/{}/proposals?done=call-saved", m.slug)))
}
