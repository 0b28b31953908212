//! `/me/calendar`: for each approved registration, the private feed (made or rotated here;
//! its address is shown once, since only its hash is kept), what the feed holds and how
//! session invites arrive; and the schedule address for conference apps (issue 18), a
//! secret of its own made and replaced the same way.

use actix_web::{HttpResponse, web};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::{
    auth::guard::SignedIn,
    db::{self, DbConnection},
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

/// The two secret addresses a person makes on this page: the calendar feed and the
/// schedule for conference apps. Each is replaced the same way.
#[derive(Clone, Copy)]
enum Address {
    Feed,
    Schedule,
}

impl Address {
    fn is_active(self, c: &mut DbConnection, registration: i64) -> diesel::QueryResult<bool> {
        Ok(match self {
            Address::Feed => feed_token::active_for(c, registration)?.is_some(),
            Address::Schedule => schedule_token::active_for(c, registration)?.is_some(),
        })
    }

    fn replace(
        self,
        c: &mut DbConnection,
        registration: i64,
        hash: &str,
        now: NaiveDateTime,
    ) -> diesel::QueryResult<()> {
        match self {
            Address::Feed => feed_token::replace(c, registration, hash, now),
            Address::Schedule => schedule_token::replace(c, registration, hash, now),
        }
    }

    fn audit_action(self) -> &'static str {
        match self {
            Address::Feed => "feed.rotated",
            Address::Schedule => "schedule.rotated",
        }
    }

    fn fresh(self, registration: i64, token: Token) -> Fresh {
        match self {
            Address::Feed => Fresh::Feed(registration, token),
            Address::Schedule => Fresh::Schedule(registration, token),
        }
    }

    /// Replacing a working address breaks what uses it, so that asks first.
    fn ask(self, registration: i64) -> Ask {
        let (title, happens, receives, path) = match self {
            Address::Feed => (
                "Make a new feed address?",
                "You get a new address to subscribe with. The old address stops working at once.",
                "Calendars subscribed with the old address stop updating until you subscribe them again with the new one.",
                "feed",
            ),
            Address::Schedule => (
                "Make a new schedule address?",
                "You get a new address for conference apps. The old address stops working at once.",
                "Apps that load the schedule from the old address stop updating until you give them the new one.",
                "schedule",
            ),
        };
        Ask {
            title: title.into(),
            happens: happens.into(),
            receives: receives.into(),
            action: format!("/me/calendar/{registration}/{path}"),
            button: "Make a new address",
            back: "/me/calendar".into(),
            ..Ask::default()
        }
    }
}

/// Makes a new address of `kind` (the old one, if any, stops working; a first one does not
/// ask) and shows it once. The answer is the page itself, not a redirect, so the token
/// never sits in a URL; like every page of a session it is not stored (middleware::cache).
async fn rotate(
    state: &AppState,
    layout: Layout,
    who: &SignedIn,
    registration: i64,
    confirmed: bool,
    kind: Address,
) -> Result<HttpResponse, AppError> {
    let id = own_approved(state, who, registration).await?.id;
    if !confirmed && state.db.query(move |c| kind.is_active(c, id)).await? {
        return confirm::ask(state, layout, kind.ask(id));
    }
    let token = Token::generate();
    let (hash, now, actor) = (token.hash(), state.clock.now_naive(), who.0.user.id);
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                kind.replace(c, id, &hash, now)?;
                audit::record(c, Some(actor), kind.audit_action(), &format!("registration {id}"), "", now)
            })
        })
        .await?;
    render(state, layout, who, Some(kind.fresh(id, token))).await
}

/// A new calendar feed address.
pub async fn new_feed(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<i64>,
    form: web::Form<Confirm>,
) -> Result<HttpResponse, AppError> {
    rotate(&state, layout, &who, path.into_inner(), form.given(), Address::Feed).await
}

/// A new schedule address for conference apps.
pub async fn new_schedule(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<i64>,
    form: web::Form<Confirm>,
) -> Result<HttpResponse, AppError> {
    rotate(&state, layout, &who, path.into_inner(), form.given(), Address::Schedule).await
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
