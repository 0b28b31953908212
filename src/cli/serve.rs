//! `csirt-meet serve`: run the web application until SIGTERM or SIGINT, then stop
//! gracefully (actix stops SIGINT abruptly by itself, so signals are handled here).

use tokio::signal::unix::{SignalKind, signal};

use crate::{config::Settings, startup::Application};

pub fn run(settings: Settings) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let public_url = settings.public_url();
        let app = Application::build(settings).await?;
        tracing::info!(port = app.port(), %public_url, "listening; stop with Ctrl-C");
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
