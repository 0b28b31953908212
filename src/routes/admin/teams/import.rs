//! `/admin/teams/import`: the registry from a CSV file, all rows or none.
//!
//! The file travels as the `csv` field of a plain urlencoded form (pasted, or read into the
//! box by `assets/team_import.js`): a multipart body would need the CSRF token in a header,
//! which a form without JavaScript cannot send.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use crate::models::team_registry::{ImportError, Imported, import_rows};
use crate::{
    auth::guard::Organizer,
    db::DbError,
    domain::team_import::{self, ImportReport},
    error::AppError,
    render::{Layout, page_with_status},
    state::AppState,
};

/// As much as the CSRF check reads of a request body.
const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// The body limit of this form (actix's default of 16 KiB is too small for a registry).
pub fn form_config() -> web::FormConfig {
    web::FormConfig::default().limit(FORM_LIMIT)
}

#[derive(Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    csv: String,
}

#[derive(Serialize)]
struct Refused {
    line: usize,
    short_name: String,
    reasons: Vec<String>,
}

#[derive(Serialize)]
struct Note {
    short_name: String,
    name: String,
    note: String,
}

#[derive(Serialize)]
struct ImportPage {
    title: &'static str,
    layout: Layout,
    csv: String,
    /// Set when the box was empty.
    empty: bool,
    missing_columns: Vec<String>,
    refused: Vec<Refused>,
    /// Set after a successful import: created, updated, and the notes on accepted rows.
    imported: Option<(usize, usize)>,
    notes: Vec<Note>,
    /// Teams whose email domain was taken from their website: it waits for confirmation
    /// on the team's page (short name, domain).
    derived: Vec<(String, String)>,
}

impl ImportPage {
    fn new(layout: Layout, csv: String) -> Self {
        ImportPage {
            title: "Import teams",
            layout,
            csv,
            empty: false,
            missing_columns: Vec::new(),
            refused: Vec::new(),
            imported: None,
            notes: Vec::new(),
            derived: Vec::new(),
        }
    }

    fn refused(mut self, report: ImportReport) -> Self {
        self.missing_columns = report.missing_columns;
        self.refused = report
            .refused
            .into_iter()
            .map(|r| Refused { line: r.line, short_name: r.short_name, reasons: r.reasons })
            .collect();
        self
    }
}

fn render(state: &AppState, status: StatusCode, data: &ImportPage) -> Result<HttpResponse, AppError> {
    page_with_status(status, &state.tera, "pages/admin/team_import.html", data)
}

pub async fn form(state: web::Data<AppState>, layout: Layout) -> Result<HttpResponse, AppError> {
    render(&state, StatusCode::OK, &ImportPage::new(layout, String::new()))
}

/// Imports the file and shows what happened. The report answers this POST directly
/// (no redirect): it lists the notes of this file, and posting the same file again only
/// updates the same teams.
pub async fn submit(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    form: web::Form<ImportForm>,
) -> Result<HttpResponse, AppError> {
    let csv = form.into_inner().csv;
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    if csv.trim().is_empty() {
        return render(&state, refused, &ImportPage { empty: true, ..ImportPage::new(layout, csv) });
    }
    let rows = match team_import::parse(csv.as_bytes(), &state.settings.registry.free_mail_domains) {
        Ok(rows) => rows,
        Err(report) => return render(&state, refused, &ImportPage::new(layout, csv).refused(report)),
    };
    let notes = rows
        .iter()
        .filter_map(|r| {
            let note = r.note.clone()?;
            Some(Note { short_name: r.short_name.clone(), name: r.name.clone(), note })
        })
        .collect();
    let derived = rows
        .iter()
        .filter(|r| r.domains_derived)
        .flat_map(|r| r.email_domains.iter().map(|d| (r.short_name.clone(), d.as_str().to_owned())))
        .collect();
    let (actor, now) = (who.0.user.id, state.clock.now_naive());
    let stored =
        state.db.run(move |c| Ok::<_, DbError>(import_rows(c, &rows, Some(actor), "web", now))).await?;
    match stored {
        Ok(Imported { created, updated }) => {
            let data = ImportPage {
                imported: Some((created, updated)),
                notes,
                derived,
                ..ImportPage::new(layout, String::new())
            };
            render(&state, StatusCode::OK, &data)
        }
        Err(ImportError::Refused(report)) => {
            render(&state, refused, &ImportPage::new(layout, csv).refused(report))
        }
        Err(ImportError::Database(e)) => Err(e.into()),
    }
}
