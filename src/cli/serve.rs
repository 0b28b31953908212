//! `csirt-meet serve`: run the web application until SIGTERM or SIGINT, then stop
//! gracefully (actix stops SIGINT abruptly by itself, so signals are handled here).

use tokio::signal::unix::{SignalKind, signal};

use crate::{
    auth::setup::setup_token_if_needed, clock::Clock, config::Settings, privacy, startup::Application,
};

pub fn run(settings: Settings) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let public_url = settings.public_url();
        let setup_link = settings.auth.setup_link;
        let privacy_settings = settings.privacy.clone();
        crate::routes::security_txt::warn_if_expired(&settings, Clock::system().now());
        let app = Application::build(settings).await?;
        // Next to the outbox worker that `build` started: the daily privacy purge.
        actix_web::rt::spawn(privacy::run_daily(app.db(), privacy_settings, Clock::system()));
        tracing::info!(port = app.port(), %public_url, "listening; stop with Ctrl-C");
        if setup_link {
            print_setup_link(&app, &public_url).await?;
        }
        let handle = app.handle();
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        actix_web::rt::spawn(async move {
            let name = tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            };
            tracing::info!(signal = name, "graceful shutdown: finishing in-flight requests");
            handle.stop(true).await;
        });
        app.run_until_stopped().await?;
        tracing::info!("stopped");
        Ok(())
    })
}

/// Prints the first-run link on standard error, outside the request log (it carries a
/// token, and logs are shipped elsewhere).
async fn print_setup_link(app: &Application, public_url: &url::Url) -> anyhow::Result<()> {
    let now = Clock::system().now_naive();
    let token = app.db().query(move |c| setup_token_if_needed(c, now)).await?;
    if let Some(token) = token {
        let origin = public_url.origin().ascii_serialization();
        eprintln!(
            "\nNo organizer account exists yet. Create the first one here (valid 24 hours, works once):\n\n    {origin}/setup/{}\n",
            token.as_str()
        );
    }
    Ok(())
}
