//! `/me/registrations/{id}`: one of my registrations. The details (role, dietary and
//! accessibility needs, consent to be listed, answers to the meeting's questions) change
//! until the meeting's first day begins in the meeting's zone; the page also explains
//! withdrawing and offers it.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::Serialize;

use crate::{
    auth::guard::SignedIn,
    db,
    domain::{
        local_time,
        registration::{self as rules, Status},
    },
    error::AppError,
    models::{
        answer, audit,
        meeting::{self, Meeting},
        question::{self, Question},
        registration::{self, Registration},
        team,
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
    pub(super) questions: Vec<Question>,
    pub(super) answers: Vec<(i64, String)>,
}

impl Mine {
    /// The form filled with what is stored.
    pub(super) fn stored(&self) -> (RegisterForm, Typed) {
        (stored_form(&self.r), Typed::stored(&self.questions, &self.answers))
    }

    /// The questions the form asks now.
    fn asked(&self) -> Vec<Question> {
        self.questions.iter().filter(|q| !q.is_retired()).cloned().collect()
    }
}

/// The registration `id` if it is `user_id`'s; anyone else's is "not found".
pub(super) async fn load(state: &AppState, user_id: i64, id: i64) -> Result<Mine, AppError> {
    let (r, m, team, questions, answers) = state
        .db
        .query(move |c| {
            let r = registration::find(c, id)?;
            if r.user_id != user_id {
                return Err(diesel::result::Error::NotFound);
            }
            let m = meeting::find(c, r.meeting_id)?;
            let t = team::find(c, r.team_id)?;
            let questions = question::for_meeting(c, m.id)?;
            Ok((r, m, t.name, questions, answer::for_registration(c, id)?))
        })
        .await?;
    let status = r.status;
    Ok(Mine { r, m, team, status, questions, answers })
}

/// Whether the details may still change now (see [`rules::details_editable`]).
fn editable(state: &AppState, mine: &Mine) -> Result<bool, AppError> {
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
    errors: FormErrors,
    form: RegisterForm,
    /// The questions asked now, filled with the stored or typed answers.
    questions: Vec<Control>,
    /// The stored answers as read: all of them when the details no longer change, else
    /// those to questions no longer asked.
    answers: Vec<Given>,
}

pub(super) fn render(
    state: &AppState,
    layout: Layout,
    status: StatusCode,
    mine: &Mine,
    errors: FormErrors,
    (form, typed): (RegisterForm, Typed),
) -> Result<HttpResponse, AppError> {
    let editable = editable(state, mine)?;
    let shown: Vec<Question> =
        mine.questions.iter().filter(|q| !editable || q.is_retired()).cloned().collect();
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
        approved: mine.status == Status::Approved,
        errors,
        form,
        questions: answers::controls(&mine.asked(), &typed),
        answers: answers::given(&shown, &mine.answers),
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
    render(&state, layout, StatusCode::OK, &mine, FormErrors::default(), mine.stored())
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
        return render(&state, layout, StatusCode::UNPROCESSABLE_ENTITY, &mine, errors, mine.stored());
    }
    let (mut form, typed) = answers::read(form.into_inner())?;
    form.normalize();
    let mut errors = FormErrors::default();
    form.check_details(&mut errors);
    let given = answers::check(&mine.asked(), &typed, &mut errors);
    if !errors.is_empty() {
        return render(&state, layout, StatusCode::UNPROCESSABLE_ENTITY, &mine, errors, (form, typed));
    }
    let (id, now) = (mine.r.id, state.clock.now_naive());
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                let details = registration::Details {
                    role_title: &form.role_title,
                    dietary: &form.dietary,
                    accessibility: &form.accessibility,
                    consent_listed: form.consent(),
                };
                registration::update_details(c, id, &details, now)?;
                answer::save(c, id, &given, now)?;
                // The answers themselves stay out of the log: they may be health data.
                audit::record(
                    c,
                    Some(user_id),
                    "registration.details_changed",
                    &format!("registration {id}"),
                    "",
                    now,
                )
            })
        })
        .await?;
    Ok(see_other(&format!("/me/registrations/{id}?done=details-saved")))
}
