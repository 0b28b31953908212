//! Logging: tracing to standard error, filtered by `log.filter` or `RUST_LOG`.

use std::io::IsTerminal as _;

use tracing_subscriber::{EnvFilter, fmt::MakeWriter};

/// Installs the global subscriber once; later calls (tests) are no-ops.
pub fn init(filter: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(filter));
    init_with(filter, std::io::stderr, std::io::stderr().is_terminal());
}

/// The same log lines written elsewhere: the TLP canary test reads what the server logs at
/// debug level. Returns false when a global subscriber was already installed.
pub fn init_with<W>(filter: EnvFilter, writer: W, ansi: bool) -> bool
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    // actix-web's extractors log the raw request path at debug level when a part of it
    // does not parse, and a path may hold a secret address (a feed's token): held at info
    // whatever the filter, so that the log never holds a raw path.
    let filter = filter.add_directive("actix_web::types=info".parse().expect("a valid directive"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).with_ansi(ansi).try_init().is_ok()
}
