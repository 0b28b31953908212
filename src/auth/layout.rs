//! The page frame (`render::Layout`) as an extractor: the CSRF token and the person of
//! this request's session, and the message a redirect left (`?done=…`).

use actix_web::{FromRequest, HttpMessage as _, HttpRequest, dev::Payload};

use crate::{
    auth::session::{Csrf, CurrentSession},
    render::{Layout, ViewerNav},
};

impl FromRequest for Layout {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let ext = req.extensions();
        let csrf_token = ext.get::<Csrf>().map(|c| c.0.clone()).unwrap_or_default();
        let viewer = ext.get::<CurrentSession>().map(|s| ViewerNav {
            name: s.user.name.clone(),
            is_organizer: s.user.is_organizer(),
            is_reviewer: s.user.role == crate::domain::states::Role::Reviewer,
            signed_in: s.second_factor_done,
        });
        let done = url::form_urlencoded::parse(req.query_string().as_bytes()).find(|(k, _)| k == "done");
        std::future::ready(Ok(Layout::new(csrf_token, viewer, done.as_ref().map(|(_, v)| v.as_ref()))))
    }
}
