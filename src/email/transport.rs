//! Where built messages go: an SMTP server, `.eml` files, or (in tests) memory.

use std::{
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use anyhow::Context as _;
use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    transport::smtp::{PoolConfig, authentication::Credentials},
};

use crate::config::{MailSettings, SmtpSecurity, TransportKind};

#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
    /// Keeps the formatted messages, for tests that read what was sent.
    Memory(Arc<Mutex<Vec<Vec<u8>>>>),
}

/// Why a delivery failed, and whether trying again can help.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("temporary failure: {0}")]
    Temporary(String),
    #[error("permanent failure: {0}")]
    Permanent(String),
}

impl Transport {
    pub fn from_settings(settings: &MailSettings) -> anyhow::Result<Self> {
        match settings.transport {
            TransportKind::File => {
                std::fs::create_dir_all(&settings.file_dir)
                    .with_context(|| format!("creating the mail folder {}", settings.file_dir.display()))?;
                Ok(Self::File(AsyncFileTransport::new(&settings.file_dir)))
            }
            TransportKind::Smtp => Self::smtp(settings),
        }
    }

    fn smtp(settings: &MailSettings) -> anyhow::Result<Self> {
        let smtp = &settings.smtp;
        let builder = match smtp.security {
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
            SmtpSecurity::Starttls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host).context("mail.smtp.host")?
            }
            SmtpSecurity::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host).context("mail.smtp.host")?
            }
        };
        let mut builder = builder
            .port(smtp.port)
            .timeout(Some(Duration::from_secs(smtp.timeout_secs)))
            .pool_config(PoolConfig::new().max_size(smtp.pool_size));
        if !smtp.username.is_empty() {
            builder = builder.credentials(Credentials::new(smtp.username.clone(), smtp.password.clone()));
        }
        Ok(Self::Smtp(builder.build()))
    }

    pub fn memory() -> Self {
        Self::Memory(Arc::default())
    }

    /// Every message the memory transport kept (empty for the others).
    pub fn kept(&self) -> Vec<Vec<u8>> {
        match self {
            Self::Memory(kept) => kept.lock().unwrap_or_else(PoisonError::into_inner).clone(),
            _ => Vec::new(),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::Smtp(_) => "smtp",
            Self::File(_) => "file",
            Self::Memory(_) => "memory",
        }
    }

    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        match self {
            Self::Smtp(t) => t.send(message).await.map(drop).map_err(|e| {
                let text = crate::error::chain(&e);
                if e.is_permanent() { SendError::Permanent(text) } else { SendError::Temporary(text) }
            }),
            Self::File(t) => {
                t.send(message).await.map(drop).map_err(|e| SendError::Temporary(crate::error::chain(&e)))
            }
            Self::Memory(kept) => {
                kept.lock().unwrap_or_else(PoisonError::into_inner).push(message.formatted());
                Ok(())
            }
        }
    }
}
