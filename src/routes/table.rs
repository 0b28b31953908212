//! The route table as data: [`route_table!`] turns one declaration into both the
//! `configure` function the app registers and the `TABLE` constant the guard matrix test
//! reads, so a route cannot be served without the test knowing of it.
//!
//! Each path is one actix resource: a method it does not serve answers 405 (not 404), and
//! every `get` also answers HEAD with the same handler (RFC 9110). A handler that makes a
//! bookkeeping write on GET skips it for HEAD ([`is_head`]).

use actix_web::{HttpRequest, http::Method};

/// A method a route serves (HEAD comes with every GET).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
}

/// One path of the table: what it serves and the scope guard in front of its handlers
/// (`"none"` for the public routes; handlers may check more, such as agenda access).
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub path: &'static str,
    pub verbs: &'static [Verb],
    pub guard: &'static str,
}

/// HEAD runs the GET handler; it must answer the same without writing anything.
pub fn is_head(req: &HttpRequest) -> bool {
    req.method() == Method::HEAD
}

/// See [`crate::routes`] for the syntax.
macro_rules! route_table {
    (
        public { $($ppath:literal => $($pverb:ident($phandler:path)),+ ;)* }
        $(
            scope $prefix:literal guarded by $guard:path {
                $($path:literal => $($verb:ident($handler:path)),+ $([$data:expr])? ;)*
            }
        )*
    ) => {
        /// Every path the app serves, in registration order.
        pub const TABLE: &[$crate::routes::table::Route] = &[
            $($crate::routes::table::Route {
                path: $ppath,
                verbs: &[$(route_table!(@verb $pverb)),+],
                guard: "none",
            },)*
            $($($crate::routes::table::Route {
                path: concat!($prefix, $path),
                verbs: &[$(route_table!(@verb $verb)),+],
                guard: stringify!($guard),
            },)*)*
        ];

        /// Registers [`TABLE`]: each path a resource, each scope behind its guard.
        pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
            $({
                let resource = actix_web::web::resource($ppath);
                $(let resource = route_table!(@route resource, $pverb, $phandler);)+
                cfg.service(resource);
            })*
            $({
                let scope = actix_web::web::scope($prefix)
                    .wrap(actix_web::middleware::from_fn($guard));
                $(let scope = {
                    let resource = actix_web::web::resource($path) $(.app_data($data))?;
                    $(let resource = route_table!(@route resource, $verb, $handler);)+
                    scope.service(resource)
                };)*
                cfg.service(scope);
            })*
        }
    };
    (@verb get) => { $crate::routes::table::Verb::Get };
    (@verb post) => { $crate::routes::table::Verb::Post };
    (@route $resource:ident, get, $handler:path) => {
        $resource.route(actix_web::web::get().to($handler)).route(actix_web::web::head().to($handler))
    };
    (@route $resource:ident, post, $handler:path) => {
        $resource.route(actix_web::web::post().to($handler))
    };
}

pub(crate) use route_table;
