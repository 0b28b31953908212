//! The mail composer: what a producer of mail needs to turn a template triplet into an
//! outbox row (the templates, the mail settings, the public address for links, the
//! clock), so that code which queues mail takes this instead of the whole `AppState`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tera::Tera;

use super::{Mail, Rendered, render};
use crate::{
    clock::Clock,
    config::{MailSettings, Settings},
    models::outbox::NewOutboxRow,
};

#[derive(Clone)]
pub struct Composer {
    tera: Arc<Tera>,
    settings: MailSettings,
    /// `scheme://host[:port]` of `server.public_url`, for links in messages.
    origin: String,
    clock: Clock,
}

impl Composer {
    /// The composer of these settings: their mail section and their public address.
    pub fn new(tera: Arc<Tera>, settings: &Settings, clock: Clock) -> Self {
        Self { tera, settings: settings.mail.clone(), origin: settings.public_origin(), clock }
    }

    /// Renders `templates/email/<template>/`.
    pub fn render<T: Serialize>(&self, template: &str, data: &T) -> Result<Rendered, tera::Error> {
        render(&self.tera, template, data)
    }

    /// Renders `templates/email/<template>/` into an outbox row for `to`; the caller
    /// inserts it in its own transaction.
    pub fn mail<T: Serialize>(
        &self,
        to: &str,
        template: &str,
        data: &T,
        idempotency_key: String,
    ) -> Result<NewOutboxRow, tera::Error> {
        let rendered = self.render(template, data)?;
        Ok(self.row(Mail { to: to.to_owned(), rendered, calendar: None, idempotency_key }))
    }

    /// The outbox row of a message, its Message-ID fixed now.
    pub fn row(&self, mail: Mail) -> NewOutboxRow {
        mail.into_row(&self.settings, self.clock.now_naive())
    }

    pub fn settings(&self) -> &MailSettings {
        &self.settings
    }

    /// The public URL of a path such as `/meetings/x/agenda`.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}
