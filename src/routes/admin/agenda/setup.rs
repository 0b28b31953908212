//! The agenda's tracks and rooms: add and edit, from the editor page.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{editor, meeting_and_zone};
use crate::{
    auth::guard::{Organizer, see_other},
    db,
    domain::{agenda::Colour, text},
    error::AppError,
    models::{
        agenda::{
            room::{self, RoomFields},
            track::{self, TrackFields},
        },
        audit,
    },
    render::Layout,
    startup::AppState,
};

#[derive(Deserialize)]
pub struct TrackForm {
    name: String,
    colour: String,
    description: String,
    position: String,
}

#[derive(Deserialize)]
pub struct RoomForm {
    name: String,
    capacity: String,
    position: String,
}

fn name(raw: &str, what: &str, errors: &mut Vec<String>) -> String {
    let name = match text::single_line(raw) {
        Ok(name) => name,
        Err(e) => {
            errors.push(format!("The {what} name: {e}"));
            return raw.trim().to_owned();
        }
    };
    if name.is_empty() || name.chars().count() > 80 {
        errors.push(format!("Enter a {what} name of at most 80 characters."));
    }
    name
}

fn number(raw: &str, what: &str, max: i32, errors: &mut Vec<String>) -> i32 {
    match raw.trim().parse::<i32>() {
        Ok(n) if (0..=max).contains(&n) => n,
        _ => {
            errors.push(format!("Enter the {what} as a whole number from 0 to {max}."));
            0
        }
    }
}

impl TrackForm {
    fn parse(&self) -> Result<TrackFields, Vec<String>> {
        let mut errors = Vec::new();
        let name = name(&self.name, "track", &mut errors);
        let position = number(&self.position, "order", 99, &mut errors);
        let colour =
            self.colour.parse::<Colour>().map_err(|_| errors.push("Choose one of the colours.".into())).ok();
        let description = text::multi_line(&self.description).unwrap_or_else(|e| {
            errors.push(format!("The track's description: {e}"));
            String::new()
        });
        if description.chars().count() > 500 {
            errors.push("Keep the track's description under 500 characters.".into());
        }
        match colour {
            Some(colour) if errors.is_empty() => Ok(TrackFields { name, colour, description, position }),
            _ => Err(errors),
        }
    }
}

impl RoomForm {
    fn parse(&self) -> Result<RoomFields, Vec<String>> {
        let mut errors = Vec::new();
        let name = name(&self.name, "room", &mut errors);
        let capacity = number(&self.capacity, "capacity", 10_000, &mut errors);
        let position = number(&self.position, "order", 99, &mut errors);
        errors.is_empty().then_some(RoomFields { name, capacity, position }).ok_or(errors)
    }
}

/// What a tracks or rooms form saves: the table's name in messages, the fields, and how
/// to check the name and write the row.
enum Change {
    Track(Option<i64>, TrackFields),
    Room(Option<i64>, RoomFields),
}

async fn apply(
    state: &AppState,
    layout: Layout,
    who: Organizer,
    slug: String,
    change: Result<Change, Vec<String>>,
) -> Result<HttpResponse, AppError> {
    let change = match change {
        Ok(change) => change,
        Err(errors) => return editor(state, layout, slug, errors).await,
    };
    let (m, _) = meeting_and_zone(state, slug).await?;
    let (id, actor, now, meeting_slug) = (m.id, who.0.user.id, state.clock.now_naive(), m.slug.clone());
    let taken = state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                let (taken, action, name) = match &change {
                    Change::Track(except, f) => {
                        (track::name_taken(c, id, &f.name, *except)?, "track.saved", &f.name)
                    }
                    Change::Room(except, f) => {
                        (room::name_taken(c, id, &f.name, *except)?, "room.saved", &f.name)
                    }
                };
                if taken {
                    return Ok(true);
                }
                let written = match &change {
                    Change::Track(None, f) => track::insert(c, id, f)?,
                    Change::Track(Some(t), f) => track::update(c, id, *t, f)?,
                    Change::Room(None, f) => room::insert(c, id, f)?,
                    Change::Room(Some(r), f) => room::update(c, id, *r, f)?,
                };
                if written == 0 {
                    return Err(diesel::result::Error::NotFound);
                }
                audit::record(c, Some(actor), action, &meeting_slug, name, now)?;
                Ok(false)
            })
        })
        .await?;
    if taken {
        return editor(
            state,
            layout,
            m.slug,
            vec!["Another track or room of this meeting has that name.".into()],
        )
        .await;
    }
    Ok(see_other(&format!("/admin/meetings/{}/agenda?done=agenda-setup-saved", m.slug)))
}

pub async fn add_track(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<String>,
    form: web::Form<TrackForm>,
) -> Result<HttpResponse, AppError> {
    apply(&state, layout, who, path.into_inner(), form.parse().map(|f| Change::Track(None, f))).await
}

pub async fn edit_track(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<TrackForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    apply(&state, layout, who, slug, form.parse().map(|f| Change::Track(Some(id), f))).await
}

pub async fn add_room(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<String>,
    form: web::Form<RoomForm>,
) -> Result<HttpResponse, AppError> {
    apply(&state, layout, who, path.into_inner(), form.parse().map(|f| Change::Room(None, f))).await
}

pub async fn edit_room(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<RoomForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    apply(&state, layout, who, slug, form.parse().map(|f| Change::Room(Some(id), f))).await
}
