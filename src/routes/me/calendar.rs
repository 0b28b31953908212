//! `/me/calendar`: for each approved registration, the private feed (made or rotated here;
//! its address is shown once, since only its hash is kept), what the feed holds and how
//! session invites arrive; and the schedule address for conference apps (issue 18), a
//! secret of its own made and replaced the same way.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::{
    auth::guard::SignedIn,
    db,
    domain::states::{FeedScope, InviteChoice},
    domain::{registration::Status, token::Token},
    error::AppError,
    models::{
        audit,
        calendar_settings::{self, CalendarSettings},
        feed_token,
        registration::{self, Registration},
        schedule_token,
    },
    render::{Layout, page, see_other},
    routes::confirm::{self, Ask, Confirm},
    state::AppState,
};

/// The three ways to subscribe (docs/CALENDAR.md F7).
#[derive(Serialize)]
pub struct FeedLinks {
    pub https: String,
    pub webcal: String,
    pub google: String,
}

pub fn feed_links(public_url: &url::Url, token: &str) -> FeedLinks {
    feed_links_at(public_url, &format!("/feeds/{token}.ics"))
}

/// The three ways to subscribe to the feed at `path` (an attendee's or an organizer's).
pub fn feed_links_at(public_url: &url::Url, path: &str) -> FeedLinks {
    let https = public_url.join(path).map(String::from).unwrap_or_default();
    let webcal = format!("webcal://{}", https.split_once("://").map_or("", |(_, rest)| rest));
    let cid: String = url::form_urlencoded::byte_serialize(webcal.as_bytes()).collect();
    FeedLinks { google: format!("https://calendar.google.com/calendar/r?cid={cid}"), https, webcal }
}

/// The schedule files for conference apps behind one secret address.
#[derive(Serialize)]
pub struct ScheduleLinks {
    pub xml: String,
    pub json: String,
}

pub fn schedule_links(public_url: &url::Url, token: &str) -> ScheduleLinks {
    let file = |name: &str| {
        public_url.join(&format!("/schedules/{token}/{name}")).map(String::from).unwrap_or_default()
    };
    ScheduleLinks { xml: file("schedule.xml"), json: file("schedule.json") }
}

/// A secret address just made, shown once on the page that answers the form.
enum Fresh {
    Feed(i64, Token),
    Schedule(i64, Token),
}

#[derive(Serialize)]
struct Row {
    registration_id: i64,
    meeting: String,
    feed_since: Option<String>,
    settings: CalendarSettings,
    links: Option<FeedLinks>,
    schedule_since: Option<String>,
    schedule: Option<ScheduleLinks>,
}

#[derive(Serialize)]
struct CalendarPage {
    title: &'static str,
    layout: Layout,
    rows: Vec<Row>,
    scopes: [FeedScope; 2],
    invite_choices: [InviteChoice; 3],
}

/// The viewer's approved registrations, with their meeting's title.
async fn approved(state: &AppState, user_id: i64) -> Result<Vec<(Registration, String)>, AppError> {
    let rows = state.db.query(move |c| registration::for_user(c, user_id)).await?;
    Ok(rows
        .into_iter()
        .filter(|(r, ..)| r.status == Status::Approved)
        .map(|(r, m, _)| (r, m.title))
        .collect())
}

async fn render(
    state: &AppState,
    layout: Layout,
    who: &SignedIn,
    fresh: Option<Fresh>,
) -> Result<HttpResponse, AppError> {
    let public_url = state.settings.public_url();
    let since = |at: chrono::NaiveDateTime| at.format("%-d %B %Y, %H:%M UTC").to_string();
    let mut rows = Vec::new();
    for (r, meeting) in approved(state, who.0.user.id).await? {
        let id = r.id;
        let (token, schedule, settings) = state
            .db
            .query(move |c| {
                Ok((
                    feed_token::active_for(c, id)?,
                    schedule_token::active_for(c, id)?,
                    calendar_settings::get(c, id)?,
                ))
            })
            .await?;
        let links = match &fresh {
            Some(Fresh::Feed(rid, t)) if *rid == id => Some(feed_links(&public_url, t.as_str())),
            _ => None,
        };
        let schedule_fresh = match &fresh {
            Some(Fresh::Schedule(rid, t)) if *rid == id => Some(schedule_links(&public_url, t.as_str())),
            _ => None,
        };
        rows.push(Row {
            registration_id: id,
            meeting,
            feed_since: token.map(|t| since(t.created_at)),
            settings,
            links,
            schedule_since: schedule.map(|t| since(t.created_at)),
            schedule: schedule_fresh,
        });
    }
    let data = CalendarPage {
        title: "My calendar",
        layout,
        rows,
        scopes: FeedScope::ALL,
        invite_choices: InviteChoice::ALL,
    };
    page(&state.tera, "pages/me/calendar.html", &data)
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
) -> Result<HttpResponse, AppError> {
    render(&state, layout, &who, None).await
}

/// The registration of the path, when it is the viewer's and approved.
async fn own_approved(state: &AppState, who: &SignedIn, id: i64) -> Result<Registration, AppError> {
    let r = state.db.query(move |c| registration::find(c, id)).await?;
    if r.user_id != who.0.user.id || r.status != Status::Approved {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

/// Makes a new feed address (the old one, if any, stops working) and shows it once. The
/// answer is the page itself, not a redirect, so the token never sits in a URL.
pub async fn new_feed(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<i64>,
    form: web::Form<Confirm>,
) -> Result<HttpResponse, AppError> {
    let r = own_approved(&state, &who, path.into_inner()).await?;
    let id = r.id;
    // Replacing a working address breaks subscriptions, so that asks first; a first one does not.
    if !form.given() && state.db.query(move |c| feed_token::active_for(c, id)).await?.is_some() {
        return confirm::ask(
            &state,
            layout,
            Ask {
                title: "Make a new feed address?".into(),
                happens: "You get a new address to subscribe with. The old address stops working at once."
                    .into(),
                receives: "Calendars subscribed with the old address stop updating until you subscribe them again with the new one."
                    .into(),
                action: format!("/me/calendar/{id}/feed"),
                button: "Make a new address",
                back: "/me/calendar".into(),
                ..Ask::default()
            },
        );
    }
    let token = Token::generate();
    let (hash, now, actor, id) = (token.hash(), state.clock.now_naive(), who.0.user.id, r.id);
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                feed_token::replace(c, id, &hash, now)?;
                audit::record(c, Some(actor), "feed.rotated", &format!("registration/{id}"), "", now)
            })
        })
        .await?;
    // Shown once; like every page of a session it is not stored (middleware::cache).
    render(&state, layout, &who, Some(Fresh::Feed(r.id, token))).await
}

/// Makes a new schedule address for conference apps (the old one, if any, stops working)
/// and shows it once, like the feed's: the answer is the page, not a redirect.
pub async fn new_schedule(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<i64>,
    form: web::Form<Confirm>,
) -> Result<HttpResponse, AppError> {
    let r = own_approved(&state, &who, path.into_inner()).await?;
    let id = r.id;
    if !form.given() && state.db.query(move |c| schedule_token::active_for(c, id)).await?.is_some() {
        return confirm::ask(
            &state,
            layout,
            Ask {
                title: "Make a new schedule address?".into(),
                happens: "You get a new address for conference apps. The old address stops working at once."
                    .into(),
                receives: "Apps that load the schedule from the old address stop updating until you give them the new one."
                    .into(),
                action: format!("/me/calendar/{id}/schedule"),
                button: "Make a new address",
                back: "/me/calendar".into(),
                ..Ask::default()
            },
        );
    }
    let token = Token::generate();
    let (hash, now, actor) = (token.hash(), state.clock.now_naive(), who.0.user.id);
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                schedule_token::replace(c, id, &hash, now)?;
                audit::record(c, Some(actor), "schedule.rotated", &format!("registration/{id}"), "", now)
            })
        })
        .await?;
    render(&state, layout, &who, Some(Fresh::Schedule(id, token))).await
}

#[derive(Deserialize)]
pub struct ChoicesForm {
    feed_scope: String,
    session_invites: String,
}

pub async fn save_choices(
    state: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<i64>,
    form: web::Form<ChoicesForm>,
) -> Result<HttpResponse, AppError> {
    let r = own_approved(&state, &who, path.into_inner()).await?;
    let form = form.into_inner();
    let (Ok(scope), Ok(invites)) =
        (form.feed_scope.parse::<FeedScope>(), form.session_invites.parse::<InviteChoice>())
    else {
        return Ok(HttpResponse::BadRequest().body("Choose one of the offered options."));
    };
    let (now, id) = (state.clock.now_naive(), r.id);
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                let mut s = calendar_settings::get(c, id)?;
                if s.feed_scope != scope {
                    s.feed_changed_at = s.feed_changed_at.max(now);
                }
                s.feed_scope = scope;
                s.session_invites = invites;
                calendar_settings::save(c, &s)
            })
        })
        .await?;
    Ok(see_other("/me/calendar?done=calendar-saved"))
}
