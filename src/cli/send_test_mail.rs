//! `csirt-meet send-test-mail ADDRESS`: queue one message and deliver it now.

use anyhow::{Context as _, bail};
use serde::Serialize;

use crate::{
    clock::Clock,
    config::Settings,
    domain::states::MailStatus,
    email::{self, Mail, transport::Transport},
    models::outbox,
    outbox::Worker,
    render,
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to send the test message
    pub address: String,
}

#[derive(Serialize)]
struct TestMail {
    public_url: String,
    sent_at: String,
}

pub fn run(settings: Settings, args: Args) -> anyhow::Result<()> {
    args.address
        .parse::<lettre::Address>()
        .with_context(|| format!("{:?} is not an email address", args.address))?;
    let db = super::open_database(&settings)?;
    let db_for_check = db.clone();
    let clock = Clock::system();
    let tera = render::load_templates(&settings.server.templates_dir)?;
    let data = TestMail {
        public_url: settings.public_url().to_string(),
        sent_at: clock.now().format("%a %-d %B %Y, %H:%M").to_string(),
    };
    let mail = Mail {
        to: args.address,
        rendered: email::render(&tera, "test", &data)?,
        calendar: None,
        idempotency_key: format!("test-mail:{}", uuid::Uuid::new_v4()),
    };
    let key = mail.idempotency_key.clone();
    let row = mail.into_row(&settings.mail, clock.now_naive());
    outbox::enqueue(&mut *db.get()?, &row)?;
    // The SMTP connections are opened and closed inside the runtime.
    let via = super::runtime()?.block_on(async {
        let transport = Transport::from_settings(&settings.mail)?;
        let via = transport.name();
        let worker = Worker::new(db, transport, settings.mail.clone(), clock);
        worker.drain_once().await?;
        Ok::<_, anyhow::Error>(via)
    })?;
    let test_mail = outbox::by_key(&mut *db_for_check.get()?, &key)?;
    if test_mail.status != MailStatus::Sent {
        let error = test_mail.last_error.unwrap_or_default();
        bail!("the test message was not sent ({}): {error}", test_mail.status);
    }
    match via {
        "file" => println!("Written to {} (file transport).", settings.mail.file_dir.display()),
        _ => println!("Accepted by the SMTP server {}:{}.", settings.mail.smtp.host, settings.mail.smtp.port),
    }
    Ok(())
}
