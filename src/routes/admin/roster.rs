//! `/admin/roster` and `/admin/roster.csv`: the roster for the community's channels
//! (issue 19, point 4). The approved attendees who opted in to the mailing list, of one
//! meeting (`?meeting=SLUG`, linked from its hub) or of the latest N meetings (`?last=N`,
//! default 1), one line per address however many meetings they opted in at; the page says
//! which meetings' opt-ins put each person there, the CSV holds email, name, team and
//! country, every cell neutralised against formulas. Organizers only.

use actix_web::{HttpResponse, http::StatusCode, web};
use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::{
    auth::guard::Organizer,
    domain::spreadsheet::neutralise,
    error::AppError,
    models::{
        meeting,
        roster::{self, Member},
    },
    render::{Layout, attachment, page_with_status},
    routes::form_errors::FormErrors,
    state::AppState,
};

/// The most meetings one roster spans.
const MAX_LAST: i64 = 50;

#[derive(Deserialize, Default)]
pub struct Scope {
    meeting: Option<String>,
    last: Option<String>,
}

#[derive(Serialize)]
struct RosterPage {
    title: &'static str,
    layout: Layout,
    errors: FormErrors,
    /// The query of this roster, for the CSV link.
    query: String,
    last: String,
    /// The meetings the roster spans: (slug, title).
    meetings: Vec<(String, String)>,
    members: Vec<Member>,
}

/// The roster for `scope`, or the message for a bad `last`.
async fn members(
    state: &AppState,
    scope: &Scope,
) -> Result<Result<(String, Vec<(String, String)>, Vec<Member>), String>, AppError> {
    let chosen = match (&scope.meeting, scope.last.as_deref().map(str::trim).filter(|l| !l.is_empty())) {
        (Some(slug), _) => Ok(slug.clone()),
        (None, None) => Err(1),
        (None, Some(last)) => match last.parse::<i64>() {
            Ok(n) if (1..=MAX_LAST).contains(&n) => Err(n),
            _ => return Ok(Err(format!("Give a whole number of meetings from 1 to {MAX_LAST}."))),
        },
    };
    // The slug as stored (a meeting was found) or the checked number: safe in a link.
    let query = match &chosen {
        Ok(slug) => format!("meeting={slug}"),
        Err(n) => format!("last={n}"),
    };
    let found = state
        .db
        .query(move |c| {
            let spans = match chosen {
                Ok(slug) => {
                    let m = meeting::by_slug(c, &slug)?;
                    vec![(m.id, m.slug, m.title)]
                }
                Err(n) => roster::last_meetings(c, n)?,
            };
            let ids: Vec<i64> = spans.iter().map(|(id, ..)| *id).collect();
            let members = roster::members(c, &ids)?;
            Ok((spans.into_iter().map(|(_, s, t)| (s, t)).collect::<Vec<_>>(), members))
        })
        .await?;
    Ok(Ok((query, found.0, found.1)))
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    scope: web::Query<Scope>,
) -> Result<HttpResponse, AppError> {
    let scope = scope.into_inner();
    let last = scope.last.clone().unwrap_or_default();
    let (status, errors, query, meetings, members) = match members(&state, &scope).await? {
        Ok((query, meetings, members)) => (StatusCode::OK, FormErrors::default(), query, meetings, members),
        Err(message) => {
            let mut errors = FormErrors::default();
            errors.field("last", message);
            (StatusCode::UNPROCESSABLE_ENTITY, errors, String::new(), Vec::new(), Vec::new())
        }
    };
    let data = RosterPage { title: "Mailing list roster", layout, errors, query, last, meetings, members };
    page_with_status(status, &state.tera, "pages/admin/roster.html", &data)
}

pub async fn csv(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    scope: web::Query<Scope>,
) -> Result<HttpResponse, AppError> {
    let scope = scope.into_inner();
    let Ok((_, _, members)) = members(&state, &scope).await? else {
        // The page says what is wrong with the number.
        return show(state, layout, who, web::Query(scope)).await;
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["email", "name", "team", "country"]).context("writing the roster header")?;
    for m in &members {
        let cells = [&m.email, &m.name, &m.team, &m.country];
        out.write_record(cells.iter().map(|c| neutralise(c))).context("writing a roster row")?;
    }
    let body = out.into_inner().context("finishing the roster CSV")?;
    Ok(attachment("text/csv; charset=utf-8", "mailing-list-roster.csv", body))
}
