//! `/me/registrations/{id}`: one of my registrations. The details (role, dietary and
//! accessibility needs, consent to be listed, answers to the meeting's questions) change
//! until the meeting's first day begins in the meeting's zone; an approved attendee chooses
//! the name on their badge; the page also explains withdrawing and offers it. A waitlisted
//! person sees their place on the team's waitlist; an offered one the offer's deadline in
//! the meeting's zone and its answers (`offer`). An offer past its deadline is ended here
//! when the page is read, should the worker's sweep not have come yet.

use actix_web::{HttpResponse, http::StatusCode, web};
use chrono::NaiveDateTime;
use diesel::QueryResult;
use serde::Serialize;

use crate::{
    attendance::offers,
    auth::guard::SignedIn,
    db::{self, DbConnection},
    domain::{
        badge_name, local_time,
        registration::{self as rules, Status},
    },
    error::AppError,
    models::{
        answer, audit,
        meeting::{self, Meeting},
        question::{self, Question},
        registration::{self, Registration},
        team, waitlist,
    },
    render::{Layout, page_with_status, see_other},
    routes::{
        form_errors::FormErrors,
        public::{
            answers::{self, Control, Given, Typed},
            details::RegisterForm,
        },
    },
    state::AppState,
};

/// A registration of the signed-in person, with its meeting and team name, the meeting's
/// questions (retired ones too) and the registration's answers.
pub(super) struct Mine {
    pub(super) r: Registration,
    pub(super) m: Meeting,
    pub(super) team: String,
    pub(super) status: Status,
    /// The account's name: the badge's name unless the attendee chose another.
    pub(super) name: String,
    pub(super) questions: Vec<Question>,
    pub(super) answers: Vec<(i64, String)>,
    /// Where a waitlisted registration stands on its team's waitlist (1 is next).
    pub(super) position: Option<i64>,
}

impl Mine {
    /// The questions the form asks now.
    fn asked(&self) -> Vec<Question> {
        self.questions.iter().filter(|q| !q.is_retired()).cloned().collect()
    }
}

/// The registration `id` if it is `user_id`'s; anyone else's is "not found". An offer on it
/// whose deadline has passed is ended first.
pub(super) async fn load(state: &AppState, user_id: i64, id: i64) -> Result<Mine, AppError> {
    let read = move |c: &mut db::DbConnection| {
        let r = registration::find(c, id)?;
        if r.user_id != user_id {
            return Err(diesel::result::Error::NotFound);
        }
        let m = meeting::find(c, r.meeting_id)?;
        let t = team::find(c, r.team_id)?;
        let (_, name) = registration::address_and_name(c, id)?;
        let questions = question::for_meeting(c, m.id)?;
        let answers = answer::for_registration(c, id)?;
        let position = match r.status {
            Status::Waitlisted => Some(waitlist::position(c, &r)?),
            _ => None,
        };
        Ok((r, m, t.name, name, questions, answers, position))
    };
    let mut read_now = state.db.query(read).await?;
    if read_now.0.status == Status::Offered
        && rules::offer_expired(read_now.0.offer_expires_at, state.clock.now_naive())
    {
        let composer = state.composer.clone();
        state.db.run(move |c| db::transaction(c, |c| offers::expire(c, &composer, id))).await?;
        state.mail_queued();
        read_now = state.db.query(read).await?;
    }
    let (r, m, team, name, questions, answers, position) = read_now;
    let status = r.status;
    Ok(Mine { r, m, team, status, name, questions, answers, position })
}

/// The page's forms: the details (`details`, with the answers as `typed`), and the badge
/// name as typed when it was refused (`None`: as stored).
pub(super) struct Forms {
    pub(super) details: RegisterForm,
    pub(super) typed: Typed,
    pub(super) badge_name: Option<String>,
}

impl Forms {
    /// The forms filled with what is stored.
    pub(super) fn stored(mine: &Mine) -> Self {
        Forms {
            details: stored_form(&mine.r),
            typed: Typed::stored(&mine.questions, &mine.answers),
            badge_name: None,
        }
    }
}

/// Whether the details may still change now (see [`rules::details_editable`]).
pub(super) fn editable(state: &AppState, mine: &Mine) -> Result<bool, AppError> {
    let zone = local_time::parse_zone(&mine.m.time_zone).map_err(|e| AppError::Unexpected(e.into()))?;
    let today = local_time::to_local(state.clock.now_naive(), zone).date();
    Ok(rules::details_editable(mine.status, today, mine.m.first_day))
}

#[derive(Serialize)]
struct DetailsPage {
    title: String,
    layout: Layout,
    id: i64,
    meeting: String,
    team: String,
    status: &'static str,
    next: &'static str,
    first_day: String,
    editable: bool,
    can_withdraw: bool,
    approved: bool,
    position: Option<i64>,
    /// The open offer's deadline in the meeting's zone, while the status is `offered`.
    offer_deadline: Option<String>,
    errors: FormErrors,
    form: RegisterForm,
    /// The questions asked now, filled with the stored or typed answers.
    questions: Vec<Control>,
    /// The stored answers as read: all of them when the details no longer change, else
    /// those to questions no longer asked.
    answers: Vec<Given>,
    /// The badge name field, for an approved attendee.
    badge: Option<Badge>,
    /// The two opt-ins (`sharing`), off until the person ticks them.
    share_contact: bool,
    mailing_list: bool,
}

#[derive(Serialize)]
struct Badge {
    value: String,
    hint: String,
    shown: String,
}

pub(super) fn render(
    state: &AppState,
    layout: Layout,
    status: StatusCode,
    mine: &Mine,
    errors: FormErrors,
    forms: Forms,
) -> Result<HttpResponse, AppError> {
    let editable = editable(state, mine)?;
    let shown: Vec<Question> =
        mine.questions.iter().filter(|q| !editable || q.is_retired()).cloned().collect();
    let approved = mine.status == Status::Approved;
    let badge = approved.then(|| {
        let stored = mine.r.badge_name.clone();
        Badge {
            shown: badge_name::shown(stored.as_deref(), &mine.name).to_owned(),
            value: forms.badge_name.or(stored).unwrap_or_default(),
            hint: format!(
                "Leave it empty to print your name as on your account: {}. At most {} characters.",
                mine.name,
                badge_name::MAX_CHARS
            ),
        }
    });
    let data = DetailsPage {
        title: format!("Your registration for {}", mine.m.title),
        layout,
        id: mine.r.id,
        meeting: mine.m.title.clone(),
        team: mine.team.clone(),
        status: mine.status.label(),
        next: mine.status.next_step(),
        first_day: mine.m.first_day.format("%A %-d %B %Y").to_string(),
        editable,
        can_withdraw: rules::withdraw(mine.status).is_ok(),
        approved,
        position: mine.position,
        offer_deadline: (mine.status == Status::Offered)
            .then(|| mine.r.offer_expires_at.map(|d| offers::deadline_text(&mine.m, d)))
            .flatten(),
        errors,
        form: forms.details,
        questions: answers::controls(&mine.asked(), &forms.typed),
        answers: answers::given(&shown, &mine.answers),
        badge,
        share_contact: mine.r.share_contact,
        mailing_list: mine.r.mailing_list,
    };
    page_with_status(status, &state.tera, "pages/me/registration.html", &data)
}

fn stored_form(r: &Registration) -> RegisterForm {
    RegisterForm {
        role_title: r.role_title.clone(),
        dietary: r.dietary.clone(),
        accessibility: r.accessibility.clone(),
        consent_listed: r.consent_listed.then(|| "yes".to_owned()),
        ..RegisterForm::default()
    }
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let mine = load(&state, who.0.user.id, path.into_inner()).await?;
    let forms = Forms::stored(&mine);
    render(&state, layout, StatusCode::OK, &mine, FormErrors::default(), forms)
}

pub async fn update(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let user_id = who.0.user.id;
    let mine = load(&state, user_id, path.into_inner()).await?;
    if !editable(&state, &mine)? {
        let mut errors = FormErrors::default();
        errors.form(
            "Your details can no longer be changed here: the meeting has started or the registration is \
             closed. Write to the organizers if something changed.",
        );
        return render(&state, layout, StatusCode::UNPROCESSABLE_ENTITY, &mine, errors, Forms::stored(&mine));
    }
    let (mut form, typed) = answers::read(form.into_inner())?;
    form.normalize();
    let mut errors = FormErrors::default();
    form.check_details(&mut errors);
    let given = answers::check(&mine.asked(), &typed, &mut errors);
    if !errors.is_empty() {
        let forms = Forms { details: form, typed, badge_name: None };
        return render(&state, layout, StatusCode::UNPROCESSABLE_ENTITY, &mine, errors, forms);
    }
    // The answers themselves stay out of the log: they may be health data.
    save(&state, user_id, &mine, "registration.details_changed", "details-saved", move |c, id, now| {
        let details = registration::Details {
            role_title: &form.role_title,
            dietary: &form.dietary,
            accessibility: &form.accessibility,
            consent_listed: form.consent(),
        };
        let changed = registration::update_details(c, id, &details, now)?;
        answer::save(c, id, &given, now)?;
        Ok(changed)
    })
    .await
}

/// One change the attendee makes to their registration: `write`, then the audit row
/// `action` (naming the registration, never the answers) in the same transaction, then
/// back to the page with the message `done`.
pub(super) async fn save(
    state: &AppState,
    user_id: i64,
    mine: &Mine,
    action: &'static str,
    done: &str,
    write: impl FnOnce(&mut DbConnection, i64, NaiveDateTime) -> QueryResult<usize> + Send + 'static,
) -> Result<HttpResponse, AppError> {
    let (id, now) = (mine.r.id, state.clock.now_naive());
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                write(c, id, now)?;
                audit::record(c, Some(user_id), action, &format!("registration {id}"), "", now)
            })
        })
        .await?;
    Ok(see_other(&format!("/me/registrations/{id}?done={done}")))
}
