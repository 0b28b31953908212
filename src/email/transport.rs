//! Where built messages go: an SMTP server, `.eml` files, or (in tests) memory.

use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Context as _;
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};

use super::smtp::SmtpPool;
use crate::config::{MailSettings, TransportKind};

#[derive(Clone)]
pub enum Transport {
    Smtp(SmtpPool),
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

impl SendError {
    /// Sorts an SMTP failure by lettre's reading of the reply code (5xx is permanent).
    pub fn from_smtp(e: lettre::transport::smtp::Error) -> Self {
        let text = crate::error::chain(&e);
        if e.is_permanent() { Self::Permanent(text) } else { Self::Temporary(text) }
    }
}

impl Transport {
    pub fn from_settings(settings: &MailSettings) -> anyhow::Result<Self> {
        match settings.transport {
            TransportKind::File => {
                std::fs::create_dir_all(&settings.file_dir)
                    .with_context(|| format!("creating the mail folder {}", settings.file_dir.display()))?;
                Ok(Self::File(AsyncFileTransport::new(&settings.file_dir)))
            }
            TransportKind::Smtp => Ok(Self::Smtp(SmtpPool::new(&settings.smtp).context("mail.smtp.host")?)),
        }
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

    /// Closes the connections kept for the next message (SMTP); nothing for the others.
    pub async fn close_idle(&self) {
        if let Self::Smtp(pool) = self {
            pool.close_idle().await;
        }
    }

    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        match self {
            Self::Smtp(pool) => pool.send(message.envelope(), &message.formatted()).await,
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
