//! GET, POST `/meetings/{slug}/sessions/{id}/materials`: the form to share a file on a
//! session's page, and the upload. The body is `multipart/form-data` read as it arrives
//! (the CSRF token first, `auth::multipart_csrf`; then the label; then the file): the file
//! goes to the database in chunks of `SNIFF_BYTES`, so no more than one chunk of it is
//! ever in memory. Its kind is decided from the first chunk before anything is written;
//! a refusal found later (too large, not text after all) deletes what was written. Either
//! way the person gets the form again with the reason, and nothing is kept.

use actix_multipart::{Field, Multipart};
use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web::{self, Bytes, BytesMut},
};
use futures_util::StreamExt as _;
use serde::Serialize;

use super::place;
use crate::{
    auth::guard::SignedIn,
    domain::{
        material::{self as rule, ACCEPTED, FileKind, Refusal, SNIFF_BYTES, TextCheck},
        tlp::{self, Tlp},
    },
    error::AppError,
    middleware::OwnErrorPage,
    models::{audit, material},
    render::{Layout, page_with_status, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

#[derive(Serialize)]
struct FormPage {
    title: String,
    heading: String,
    layout: Layout,
    slug: String,
    session_id: i64,
    labels: Vec<&'static str>,
    tlp: &'static str,
    accepted: &'static str,
    max_size: String,
    errors: FormErrors,
}

fn form_page(
    state: &AppState,
    layout: Layout,
    slug: String,
    p: &super::Place,
    tlp: Tlp,
    errors: FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let page = FormPage {
        // Browsers keep page titles in their history: T1.
        title: format!("Share a file: {}", tlp::title_outside(p.tlp, &p.title)),
        heading: p.title.clone(),
        layout,
        slug,
        session_id: p.session_id,
        labels: Tlp::ALL.iter().map(|t| t.as_str()).collect(),
        tlp: tlp.as_str(),
        accepted: ACCEPTED,
        max_size: rule::human_size(state.settings.materials.max_bytes as i64),
        errors,
    };
    let mut res = page_with_status(status, &state.tera, "pages/agenda/materials.html", &page)?;
    // A 413 is answered with the form and its message, not the generic error page.
    res.extensions_mut().insert(OwnErrorPage);
    Ok(res)
}

/// The session a file is shared on, for someone who may read its page and upload to it
/// (`material::may_upload`): `Ok(Err(page))` is the reader's refusal, and anyone else
/// who reads the page is forbidden.
async fn uploader_place(
    state: &web::Data<AppState>,
    layout: Layout,
    who: &SignedIn,
    slug: String,
    id: i64,
) -> Result<Result<super::Place, HttpResponse>, AppError> {
    let user = who.0.user.clone();
    match place(state, layout, who, slug, id, move |c, _| material::may_upload(c, &user, id)).await? {
        Ok((p, true)) => Ok(Ok(p)),
        Ok((_, false)) => Err(AppError::Forbidden),
        Err(refused) => Ok(Err(refused)),
    }
}

pub async fn form(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = match uploader_place(&state, layout.clone(), &who, slug.clone(), id).await? {
        Ok(p) => p,
        Err(refused) => return Ok(refused),
    };
    let tlp = p.tlp;
    form_page(&state, layout, slug, &p, tlp, FormErrors::default(), StatusCode::OK)
}

/// How much more of a refused body is read (and dropped) so the browser gets the answer
/// rather than a broken connection.
const DRAIN_LIMIT: u64 = 64 * 1024 * 1024;

/// Slack for the form's other parts when the declared length is compared with the limit.
const FORM_OVERHEAD: u64 = 64 * 1024;

pub async fn submit(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<(String, i64)>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = match uploader_place(&state, layout.clone(), &who, slug.clone(), id).await? {
        Ok(p) => p,
        Err(refused) => return Ok(refused),
    };
    let max = state.settings.materials.max_bytes;
    let refuse = |tlp: Tlp, r: Refusal| {
        let status = if matches!(r, Refusal::TooLarge(_)) {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let mut errors = FormErrors::default();
        errors.field("file", r.to_string());
        form_page(&state, layout.clone(), slug.clone(), &p, tlp, errors, status)
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max + FORM_OVERHEAD) {
        return refuse(p.tlp, Refusal::TooLarge(rule::human_size(max as i64)));
    }

    let mut parts = Multipart::new(req.headers(), payload);
    let mut tlp = p.tlp;
    let mut bad_label = false;
    let mut outcome = None;
    while let Some(part) = parts.next().await {
        let Ok(mut part) = part else { break };
        match part.name() {
            Some("tlp") if outcome.is_none() => match small(&mut part).await.and_then(|v| v.parse().ok()) {
                Some(t) => tlp = t,
                None => bad_label = true,
            },
            Some("file") if outcome.is_none() && !bad_label => {
                let raw = file_name_of(&part);
                let who = who.0.user.id;
                outcome = Some(receive(&state, &mut part, id, who, &raw, tlp, max).await?);
            }
            _ => drain(&mut part).await,
        }
    }
    if bad_label {
        let mut errors = FormErrors::default();
        errors.field("tlp", "Choose one of the five TLP labels.");
        return form_page(&state, layout, slug, &p, tlp, errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    match outcome {
        None => refuse(tlp, Refusal::NoFile),
        Some(Err(r)) => refuse(tlp, r),
        Some(Ok(_)) => {
            Ok(see_other(&format!("/meetings/{slug}/sessions/{id}?done=material-added#materials")))
        }
    }
}

/// The file name the browser sent: RFC 5987's `filename*` (decoded) when given, else
/// `filename`.
fn file_name_of(part: &Field) -> String {
    let d = part.content_disposition();
    let extended =
        d.and_then(|d| d.get_filename_ext()).map(|v| String::from_utf8_lossy(&v.value).into_owned());
    extended.or_else(|| d.and_then(|d| d.get_filename()).map(str::to_owned)).unwrap_or_default()
}

/// A short text part (the label), read to its end; `None` past 64 bytes or when not UTF-8.
async fn small(part: &mut Field) -> Option<String> {
    let (mut value, mut fits) = (Vec::new(), true);
    while let Some(chunk) = part.next().await {
        let chunk = chunk.ok()?;
        fits &= value.len() + chunk.len() <= 64;
        if fits {
            value.extend_from_slice(&chunk);
        }
    }
    fits.then_some(())?;
    String::from_utf8(value).ok()
}

/// Reads what is left of a part not read to its end yet (a field polled after its end
/// panics), dropping it, up to [`DRAIN_LIMIT`].
async fn drain(part: &mut Field) {
    let mut read = 0u64;
    while let Some(Ok(chunk)) = part.next().await {
        read += chunk.len() as u64;
        if read > DRAIN_LIMIT {
            return;
        }
    }
}

/// An upload in progress: the row once the first chunk decided the kind.
struct Upload {
    id: Option<i64>,
    kind: FileKind,
    chunks: i32,
    text: TextCheck,
}

/// Streams the file part into the database. `Ok(Err(refusal))`: refused, nothing kept.
async fn receive(
    state: &AppState,
    part: &mut Field,
    session_id: i64,
    by: i64,
    raw_name: &str,
    tlp: Tlp,
    max: u64,
) -> Result<Result<i64, Refusal>, AppError> {
    let name = match rule::file_name(raw_name) {
        Ok(n) => n,
        Err(r) => return Ok(Err(r)),
    };
    let mut up = Upload { id: None, kind: name.claimed, chunks: 0, text: TextCheck::default() };
    let mut buf = BytesMut::with_capacity(SNIFF_BYTES);
    let mut total = 0u64;
    let mut ended = false;
    let result = async {
        loop {
            let Some(chunk) = part.next().await else {
                ended = true;
                break;
            };
            let Ok(chunk) = chunk else {
                ended = true;
                return Ok(Err(Refusal::Incomplete));
            };
            total += chunk.len() as u64;
            if total > max {
                return Ok(Err(Refusal::TooLarge(rule::human_size(max as i64))));
            }
            let mut rest = &chunk[..];
            while !rest.is_empty() {
                let take = (SNIFF_BYTES - buf.len()).min(rest.len());
                buf.extend_from_slice(&rest[..take]);
                rest = &rest[take..];
                if buf.len() == SNIFF_BYTES
                    && let Err(r) =
                        store(state, &mut up, buf.split().freeze(), session_id, by, &name.name, tlp).await?
                {
                    return Ok(Err(r));
                }
            }
        }
        if total == 0 {
            return Ok(Err(Refusal::Empty));
        }
        if !buf.is_empty()
            && let Err(r) =
                store(state, &mut up, buf.split().freeze(), session_id, by, &name.name, tlp).await?
        {
            return Ok(Err(r));
        }
        if up.kind == FileKind::Txt && !up.text.finish() {
            return Ok(Err(Refusal::NotText));
        }
        let Some(id) = up.id else { return Ok(Err(Refusal::Empty)) };
        let (size, chunks, now) = (total as i64, up.chunks, state.clock.now_naive());
        state
            .db
            .query(move |c| {
                crate::db::transaction(c, |c| {
                    material::finish(c, id, size, chunks, now)?;
                    let detail = format!("session {session_id}, {tlp}");
                    audit::record(c, Some(by), "material.uploaded", &format!("material/{id}"), &detail, now)
                })
            })
            .await?;
        Ok::<_, AppError>(Ok(id))
    }
    .await;
    if !matches!(result, Ok(Ok(_))) {
        if !ended {
            drain(part).await;
        }
        if let Some(id) = up.id {
            // Nothing of a refused upload is kept; a failure here leaves a row no one sees,
            // removed by a later upload (`material::begin`).
            if let Err(e) = state.db.query(move |c| material::delete(c, id)).await {
                tracing::warn!(error = %e, material = id, "a refused upload could not be removed");
            }
        }
    }
    result
}

/// Stores one chunk; the first decides the kind and begins the row.
async fn store(
    state: &AppState,
    up: &mut Upload,
    bytes: Bytes,
    session_id: i64,
    by: i64,
    name: &str,
    tlp: Tlp,
) -> Result<Result<(), Refusal>, AppError> {
    let id = match up.id {
        Some(id) => id,
        None => {
            let kind = match rule::decide(up.kind, rule::sniff(&bytes)) {
                Ok(k) => k,
                Err(r) => return Ok(Err(r)),
            };
            let (name, now) = (name.to_owned(), state.clock.now_naive());
            let id = state
                .db
                .query(move |c| {
                    crate::db::transaction(c, |c| material::begin(c, session_id, by, &name, kind, tlp, now))
                })
                .await?;
            up.id = Some(id);
            up.kind = kind;
            id
        }
    };
    if up.kind == FileKind::Txt {
        up.text.feed(&bytes);
    }
    let position = up.chunks;
    state.db.query(move |c| material::append(c, id, position, &bytes)).await?;
    up.chunks += 1;
    Ok(Ok(()))
}
