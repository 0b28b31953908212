//! GET `/meetings/{slug}/sessions/{id}/materials/{material}`: one file, to those who may
//! read the session page. Always a download (`Content-Disposition: attachment`), never
//! sniffed (`nosniff`) and sandboxed should a browser open it in place
//! (`middleware::SANDBOXED`). A TLP:AMBER, TLP:AMBER+STRICT or TLP:RED file is audited
//! (who, when) before its first byte leaves; if the audit row cannot be written, the file is
//! not served. The bytes are read one stored chunk at a time as the response is sent.

use actix_web::{
    HttpResponse,
    body::SizedStream,
    http::header,
    web::{self, Bytes},
};
use futures_util::stream;

use super::place;
use crate::{
    auth::guard::SignedIn,
    domain::{material::content_disposition, tlp::Tlp},
    error::AppError,
    middleware::SANDBOXED,
    models::{audit, material},
    render::Layout,
    routes::table::is_head,
    state::AppState,
};

pub async fn file(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<(String, i64, i64)>,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (slug, id, material_id) = path.into_inner();
    let (_, found) =
        match place(&state, layout, &who, slug, id, move |c, _| material::find(c, id, material_id)).await? {
            Ok(found) => found,
            Err(refused) => return Ok(refused),
        };
    let m = found.ok_or(AppError::NotFound)?;
    if m.tlp >= Tlp::Amber && !is_head(&req) {
        let (by, now, label) = (who.0.user.id, state.clock.now_naive(), m.tlp);
        let detail = format!("session {id}, {label}");
        state
            .db
            .query(move |c| {
                audit::record(
                    c,
                    Some(by),
                    "material.downloaded",
                    &format!("material/{material_id}"),
                    &detail,
                    now,
                )
            })
            .await?;
    }
    let db = state.db.clone();
    let chunks = m.chunk_count;
    let body = stream::unfold(0i32, move |position| {
        let db = db.clone();
        async move {
            if position >= chunks {
                return None;
            }
            let read = db.query(move |c| material::chunk(c, material_id, position)).await;
            Some((read.map(Bytes::from).map_err(AppError::from), position + 1))
        }
    });
    let body: SizedStream<_> = SizedStream::new(m.byte_size as u64, Box::pin(body));
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, m.kind.mime()))
        .insert_header((header::CONTENT_DISPOSITION, content_disposition(&m.file_name, m.kind)))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CONTENT_SECURITY_POLICY, SANDBOXED))
        .body(body))
}
