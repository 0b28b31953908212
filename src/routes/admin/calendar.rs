//! `/admin/meetings/{slug}/calendar`: an organizer's own calendar of the meeting's released
//! agenda (issue 18, point 5). Organizers have no registration, so their feed has a token
//! of its own kind (`models::organizer_feed_token`), one per organizer and meeting, made
//! and replaced here; its address is shown once (only its hash is kept), as on an
//! attendee's `/me/calendar`. The page also links each day's `.ics` download.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::{
    auth::guard::Organizer,
    db,
    domain::token::Token,
    error::AppError,
    models::{audit, meeting, organizer_feed_token},
    render::{Layout, page},
    routes::{
        confirm::{self, Ask, Confirm},
        me::calendar::{FeedLinks, feed_links_at},
    },
    state::AppState,
};

#[derive(Serialize)]
struct Day {
    date: String,
    label: String,
}

#[derive(Serialize)]
struct CalendarPage {
    title: String,
    layout: Layout,
    slug: String,
    meeting: String,
    feed_since: Option<String>,
    links: Option<FeedLinks>,
    days: Vec<Day>,
}

async fn render(
    state: &AppState,
    layout: Layout,
    who: &Organizer,
    slug: String,
    fresh: Option<Token>,
) -> Result<HttpResponse, AppError> {
    let user_id = who.0.user.id;
    let (m, token) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let token = organizer_feed_token::active_for(c, user_id, m.id)?;
            Ok((m, token))
        })
        .await?;
    let public_url = state.settings.public_url();
    let days = m
        .first_day
        .iter_days()
        .take_while(|d| *d <= m.last_day)
        .map(|d| Day { date: d.to_string(), label: d.format("%A %-d %B %Y").to_string() })
        .collect();
    let data = CalendarPage {
        title: format!("My calendar of {}", m.title),
        layout,
        slug: m.slug.clone(),
        meeting: m.title.clone(),
        feed_since: token.map(|t| t.created_at.format("%-d %B %Y, %H:%M UTC").to_string()),
        links: fresh.map(|t| feed_links_at(&public_url, &format!("/feeds/organizer/{}.ics", t.as_str()))),
        days,
    };
    page(&state.tera, "pages/admin/calendar.html", &data)
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    render(&state, layout, &who, path.into_inner(), None).await
}

/// Makes the organizer's feed address for the meeting (the old one, if any, stops
/// working) and shows it once: the answer is the page, not a redirect.
pub async fn new_feed(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<String>,
    form: web::Form<Confirm>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let user_id = who.0.user.id;
    let found = slug.clone();
    let (m, active) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &found)?;
            let active = organizer_feed_token::active_for(c, user_id, m.id)?;
            Ok((m, active))
        })
        .await?;
    if !form.given() && active.is_some() {
        return confirm::ask(
            &state,
            layout,
            Ask {
                title: "Make a new feed address?".into(),
                happens: "You get a new address to subscribe with. The old address stops working at once.".into(),
                receives: "Calendars subscribed with the old address stop updating until you subscribe them again with the new one."
                    .into(),
                action: format!("/admin/meetings/{slug}/calendar/feed"),
                button: "Make a new address",
                back: format!("/admin/meetings/{slug}/calendar"),
                ..Ask::default()
            },
        );
    }
    let token = Token::generate();
    let (hash, now, meeting_id) = (token.hash(), state.clock.now_naive(), m.id);
    let subject = format!("meeting {}", m.slug);
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                organizer_feed_token::replace(c, user_id, meeting_id, &hash, now)?;
                audit::record(c, Some(user_id), "organizer_feed.rotated", &subject, "", now)
            })
        })
        .await?;
    render(&state, layout, &who, slug, Some(token)).await
}
