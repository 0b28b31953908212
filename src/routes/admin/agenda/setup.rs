//! The agenda's tracks and rooms: add and edit, from the editor page.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::{editor, meeting_and_zone};
use crate::{
    auth::guard::{Organizer, see_other},
    db,
    domain::{agenda::Colour, text},
    error::AppError,
    models::{
        agenda::{
            room::{self, Room, RoomFields},
            track::{self, Track, TrackFields},
        },
        audit,
    },
    render::Layout,
    routes::form_errors::FormErrors,
    startup::AppState,
};

/// A track's form as typed (also what the editor shows in it).
#[derive(Deserialize, Serialize, Default)]
pub struct TrackForm {
    name: String,
    colour: String,
    description: String,
    position: String,
}

/// A room's form as typed (also what the editor shows in it).
#[derive(Deserialize, Serialize, Default)]
pub struct RoomForm {
    name: String,
    capacity: String,
    position: String,
}

fn name(raw: &str, what: &str, errors: &mut FormErrors) -> String {
    let name = match text::single_line(raw) {
        Ok(name) => name,
        Err(e) => {
            errors.field("name", format!("The {what} name: {e}"));
            return raw.trim().to_owned();
        }
    };
    if name.is_empty() || name.chars().count() > 80 {
        errors.field("name", format!("Enter a {what} name of at most 80 characters."));
    }
    name
}

fn number(raw: &str, id: &'static str, what: &str, max: i32, errors: &mut FormErrors) -> i32 {
    match raw.trim().parse::<i32>() {
        Ok(n) if (0..=max).contains(&n) => n,
        _ => {
            errors.field(id, format!("Enter the {what} as a whole number from 0 to {max}."));
            0
        }
    }
}

impl TrackForm {
    /// A track's form filled with what is stored; the form to add one proposes the next
    /// position.
    pub(super) fn of(t: &Track) -> Self {
        let (name, colour, description) = (t.name.clone(), t.colour.clone(), t.description.clone());
        TrackForm { name, colour, description, position: t.position.to_string() }
    }

    pub(super) fn blank(count: usize) -> Self {
        TrackForm { position: (count + 1).to_string(), ..TrackForm::default() }
    }

    /// The fields, or every problem found, in the order of the form.
    fn parse(&self) -> Result<TrackFields, FormErrors> {
        let mut errors = FormErrors::default();
        let name = name(&self.name, "track", &mut errors);
        if self.colour.parse::<Colour>().is_err() {
            errors.field("colour", "Choose one of the colours.");
        }
        let description = text::multi_line(&self.description).unwrap_or_else(|e| {
            errors.field("description", format!("The track's description: {e}"));
            String::new()
        });
        if description.chars().count() > 500 {
            errors.field("description", "Keep the track's description under 500 characters.");
        }
        let position = number(&self.position, "position", "order", 99, &mut errors);
        let colour = self.colour.clone();
        errors.is_empty().then_some(TrackFields { name, colour, description, position }).ok_or(errors)
    }
}

impl RoomForm {
    pub(super) fn of(r: &Room) -> Self {
        let (capacity, position) = (r.capacity.to_string(), r.position.to_string());
        RoomForm { name: r.name.clone(), capacity, position }
    }

    pub(super) fn blank(count: usize) -> Self {
        RoomForm { capacity: "50".into(), position: (count + 1).to_string(), ..RoomForm::default() }
    }

    fn parse(&self) -> Result<RoomFields, FormErrors> {
        let mut errors = FormErrors::default();
        let name = name(&self.name, "room", &mut errors);
        let capacity = number(&self.capacity, "capacity", "capacity", 10_000, &mut errors);
        let position = number(&self.position, "position", "order", 99, &mut errors);
        errors.is_empty().then_some(RoomFields { name, capacity, position }).ok_or(errors)
    }
}

/// A form of the editor page that comes back with its messages: which one (a new or
/// existing track or room, or the release), and what was typed in it.
pub(crate) enum Typed {
    Track(Option<i64>, TrackForm),
    Room(Option<i64>, RoomForm),
    Release(String),
}

impl Typed {
    /// The start of the ids of the form's controls on the editor page.
    fn prefix(&self) -> String {
        match self {
            Typed::Track(None, _) => "new-track".into(),
            Typed::Track(Some(id), _) => format!("track-{id}"),
            Typed::Room(None, _) => "new-room".into(),
            Typed::Room(Some(id), _) => format!("room-{id}"),
            Typed::Release(_) => "release".into(),
        }
    }

    /// The editor page again with `errors` (noted by field name) beside this form's controls.
    pub(crate) async fn refused(
        self,
        state: &AppState,
        layout: Layout,
        slug: String,
        errors: FormErrors,
    ) -> Result<HttpResponse, AppError> {
        let errors = errors.prefixed(&self.prefix());
        editor(state, layout, slug, errors, Some(self)).await
    }
}

/// What a tracks or rooms form saves.
enum Change {
    Track(Option<i64>, TrackFields),
    Room(Option<i64>, RoomFields),
}

impl Change {
    fn track(id: Option<i64>, form: TrackForm) -> (Result<Change, FormErrors>, Typed) {
        (form.parse().map(|f| Change::Track(id, f)), Typed::Track(id, form))
    }

    fn room(id: Option<i64>, form: RoomForm) -> (Result<Change, FormErrors>, Typed) {
        (form.parse().map(|f| Change::Room(id, f)), Typed::Room(id, form))
    }
}

/// Saves a parsed change unless its name is taken; else shows `typed` again.
async fn apply(
    state: &AppState,
    layout: Layout,
    who: Organizer,
    slug: String,
    (parsed, typed): (Result<Change, FormErrors>, Typed),
) -> Result<HttpResponse, AppError> {
    let change = match parsed {
        Ok(change) => change,
        Err(errors) => return typed.refused(state, layout, slug, errors).await,
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
        let mut errors = FormErrors::default();
        errors.field("name", "Another track or room of this meeting has that name.");
        return typed.refused(state, layout, m.slug, errors).await;
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
    apply(&state, layout, who, path.into_inner(), Change::track(None, form.into_inner())).await
}

pub async fn edit_track(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<TrackForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    apply(&state, layout, who, slug, Change::track(Some(id), form.into_inner())).await
}

pub async fn add_room(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<String>,
    form: web::Form<RoomForm>,
) -> Result<HttpResponse, AppError> {
    apply(&state, layout, who, path.into_inner(), Change::room(None, form.into_inner())).await
}

pub async fn edit_room(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<RoomForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    apply(&state, layout, who, slug, Change::room(Some(id), form.into_inner())).await
}
