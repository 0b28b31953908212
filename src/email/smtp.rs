//! SMTP delivery over sockets opened here, with TCP_NODELAY, kept open for the next message.
//!
//! lettre writes the end-of-data `.` as a small write of its own after the body. With
//! Nagle's algorithm on, the kernel holds that write until the server acknowledges the
//! body, and a server that delays its ACKs (the Linux default) does so only after about
//! 40 ms: once per message, which capped a connection near 20 messages per second. lettre
//! 0.11 never sets TCP_NODELAY and its transport opens its own sockets, so this module opens
//! the TCP stream, turns Nagle off, and hands the stream to lettre's
//! [`AsyncSmtpConnection`], which still speaks SMTP, STARTTLS and AUTH.
//!
//! At most `mail.smtp.pool_size` connections are open at once; a connection that sent a
//! message is parked for the next one, checked with NOOP before it is used again, and the
//! parked ones are closed with QUIT when a drain ends ([`SmtpPool::close_idle`]).

use std::{
    io,
    net::SocketAddr,
    pin::Pin,
    sync::{Arc, Mutex, PoisonError},
    task::{Context, Poll, ready},
    time::{Duration, Instant},
};

use futures_util::future::join_all;
use lettre::{
    address::Envelope,
    transport::smtp::{
        Error as SmtpError,
        authentication::{Credentials, DEFAULT_MECHANISMS},
        client::{AsyncSmtpConnection, AsyncTokioStream, TlsParameters},
        extension::ClientId,
    },
};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::TcpStream,
    sync::Semaphore,
};

use super::transport::SendError;
use crate::config::{SmtpSecurity, SmtpSettings};

/// A parked connection older than this is closed rather than checked and used: servers
/// end idle sessions after a few minutes (Postfix after 300 s), and one minute is lettre's
/// own pool default.
const IDLE_LIMIT: Duration = Duration::from_secs(60);

/// Connections to one SMTP server, at most `pool_size` at once. Clones share the pool.
#[derive(Clone)]
pub struct SmtpPool {
    inner: Arc<Inner>,
}

struct Inner {
    host: String,
    port: u16,
    security: Security,
    /// Bounds each connect: TCP, TLS, the greeting, EHLO, STARTTLS and AUTH (nothing of
    /// a message has been sent yet, so giving up there is always safe).
    timeout: Duration,
    credentials: Option<Credentials>,
    hello: ClientId,
    /// One permit per connection that may be open.
    slots: Semaphore,
    parked: Mutex<Vec<Parked>>,
}

enum Security {
    None,
    Starttls(TlsParameters),
    /// Implicit TLS from the first byte (SMTPS, port 465).
    Tls(TlsParameters),
}

struct Parked {
    conn: AsyncSmtpConnection,
    since: Instant,
}

impl SmtpPool {
    pub fn new(settings: &SmtpSettings) -> Result<Self, SmtpError> {
        let tls = || TlsParameters::new(settings.host.clone());
        let security = match settings.security {
            SmtpSecurity::None => Security::None,
            SmtpSecurity::Starttls => Security::Starttls(tls()?),
            SmtpSecurity::Tls => Security::Tls(tls()?),
        };
        let credentials = (!settings.username.is_empty())
            .then(|| Credentials::new(settings.username.clone(), settings.password.clone()));
        let size = settings.pool_size.max(1) as usize;
        Ok(Self {
            inner: Arc::new(Inner {
                host: settings.host.clone(),
                port: settings.port,
                security,
                timeout: Duration::from_secs(settings.timeout_secs),
                credentials,
                hello: ClientId::default(),
                slots: Semaphore::new(size),
                parked: Mutex::new(Vec::with_capacity(size)),
            }),
        })
    }

    /// Sends one message; `Ok` once the server accepted it. A connection that failed is
    /// dropped (lettre sends QUIT and closes it), never parked.
    pub async fn send(&self, envelope: &Envelope, message: &[u8]) -> Result<(), SendError> {
        let _slot = self.inner.slots.acquire().await.expect("the semaphore is never closed");
        let mut conn = self.inner.checkout().await?;
        let result = conn.send(envelope, message).await;
        if result.is_ok() && !conn.has_broken() {
            self.inner.parked().push(Parked { conn, since: Instant::now() });
        }
        result.map(drop).map_err(SendError::from_smtp)
    }

    /// Closes the parked connections (QUIT), so that no socket to the server stays open
    /// between drains.
    pub async fn close_idle(&self) {
        let parked = std::mem::take(&mut *self.inner.parked());
        join_all(parked.into_iter().map(|mut p| async move { p.conn.abort().await })).await;
    }
}

impl Inner {
    fn parked(&self) -> std::sync::MutexGuard<'_, Vec<Parked>> {
        self.parked.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A parked connection that still answers NOOP, or a new one.
    async fn checkout(&self) -> Result<AsyncSmtpConnection, SendError> {
        loop {
            let Some(Parked { mut conn, since }) = self.parked().pop() else { break };
            if since.elapsed() < IDLE_LIMIT
                && matches!(tokio::time::timeout(self.timeout, conn.test_connected()).await, Ok(true))
            {
                return Ok(conn);
            }
            conn.abort().await;
        }
        tokio::time::timeout(self.timeout, self.connect()).await.unwrap_or_else(|_| {
            Err(SendError::Temporary(format!(
                "no SMTP session with {}:{} within {} s",
                self.host,
                self.port,
                self.timeout.as_secs()
            )))
        })
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let tcp = open_socket(&self.host, self.port).await.map_err(|e| {
            SendError::Temporary(format!("could not connect to {}:{}: {e}", self.host, self.port))
        })?;
        let stream: Box<dyn AsyncTokioStream> = match &self.security {
            Security::Tls(tls) => Box::new(LettreTls::wrap(tcp, tls.clone()).await?),
            Security::None | Security::Starttls(_) => Box::new(tcp),
        };
        let mut conn = AsyncSmtpConnection::connect_with_transport(stream, &self.hello)
            .await
            .map_err(SendError::from_smtp)?;
        if let Security::Starttls(tls) = &self.security {
            conn.starttls(tls.clone(), &self.hello).await.map_err(SendError::from_smtp)?;
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(DEFAULT_MECHANISMS, credentials).await.map_err(SendError::from_smtp)?;
        }
        Ok(conn)
    }
}

/// The TCP connection to the server, with Nagle's algorithm off (see the module's doc).
async fn open_socket(host: &str, port: u16) -> io::Result<TcpStream> {
    let tcp = TcpStream::connect((host, port)).await?;
    tcp.set_nodelay(true)?;
    Ok(tcp)
}

/// Implicit TLS by lettre's own TLS code, so the certificate checks are those of its
/// transport, over a socket opened here. lettre reaches that code only through
/// `AsyncNetworkStream` (public, though deprecated as not meant to be); this adapts its
/// futures-io traits to the tokio ones that [`AsyncSmtpConnection`] takes.
#[allow(deprecated)]
#[derive(Debug)]
struct LettreTls(lettre::transport::smtp::client::AsyncNetworkStream);

#[allow(deprecated)]
impl LettreTls {
    async fn wrap(tcp: TcpStream, tls: TlsParameters) -> Result<Self, SendError> {
        use lettre::transport::smtp::client::AsyncNetworkStream;
        let mut stream = AsyncNetworkStream::use_existing_tokio1(Box::new(tcp));
        stream.upgrade_tls(tls).await.map_err(SendError::from_smtp)?;
        Ok(Self(stream))
    }
}

impl AsyncTokioStream for LettreTls {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.0.peer_addr()
    }
}

impl AsyncRead for LettreTls {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let read =
            ready!(futures_util::AsyncRead::poll_read(Pin::new(&mut self.0), cx, buf.initialize_unfilled()))?;
        buf.advance(read);
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for LettreTls {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        futures_util::AsyncWrite::poll_write(Pin::new(&mut self.0), cx, data)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        futures_util::AsyncWrite::poll_flush(Pin::new(&mut self.0), cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        futures_util::AsyncWrite::poll_close(Pin::new(&mut self.0), cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_socket_to_the_server_has_nagle_off() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let tcp = open_socket("127.0.0.1", port).await.expect("connects");
        assert!(tcp.nodelay().expect("reads the option"), "TCP_NODELAY is set");
    }
}
