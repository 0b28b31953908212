//! A real SMTP server in the test process (mailin-embedded), keeping what it accepts.

use std::{
    net::{IpAddr, TcpListener},
    sync::{
        Arc, Condvar, Mutex, PoisonError,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::Duration,
};

use mailin_embedded::{Handler, Response, Server, response};

#[derive(Default)]
struct Shared {
    accepted: Mutex<Vec<Vec<u8>>>,
    arrived: Condvar,
    reject: AtomicBool,
    /// While `true`, each message waits at the end of DATA, unanswered (in flight).
    hold: Mutex<Held>,
    /// Signals a change of `hold`: a message held, or the hold turned off.
    held_changed: Condvar,
    /// SMTP sessions greeted (EHLO or HELO): the connections a client opened.
    sessions: AtomicUsize,
    /// Messages that reached the end of DATA, accepted or not.
    ended: AtomicUsize,
    /// The message (counted from 1 by `ended`) whose end of DATA is answered with 421 and
    /// the connection closed, the message not accepted; 0 for none.
    drop_at: AtomicUsize,
}

#[derive(Default)]
struct Held {
    holding: bool,
    waiting: usize,
}

#[derive(Clone)]
struct Session {
    shared: Arc<Shared>,
    data: Vec<u8>,
}

impl Handler for Session {
    fn helo(&mut self, _ip: IpAddr, _domain: &str) -> Response {
        self.shared.sessions.fetch_add(1, Ordering::SeqCst);
        response::OK
    }

    // Refusals come at RCPT: mailin stays in its DATA state after refusing at the end of
    // DATA, so it could not answer the client's next command.
    fn rcpt(&mut self, _to: &str) -> Response {
        if self.shared.reject.load(Ordering::SeqCst) {
            return Response::custom(550, "5.7.1 Recipient refused by the test's policy".into());
        }
        response::OK
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, _to: &[String]) -> Response {
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let ended = self.shared.ended.fetch_add(1, Ordering::SeqCst) + 1;
        if ended == self.shared.drop_at.load(Ordering::SeqCst) {
            self.data.clear();
            return response::NO_SERVICE;
        }
        let mut held = self.shared.hold.lock().unwrap_or_else(PoisonError::into_inner);
        if held.holding {
            held.waiting += 1;
            self.shared.held_changed.notify_all();
            held = self
                .shared
                .held_changed
                .wait_while(held, |h| h.holding)
                .unwrap_or_else(PoisonError::into_inner);
            held.waiting -= 1;
        }
        drop(held);
        self.shared
            .accepted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(std::mem::take(&mut self.data));
        self.shared.arrived.notify_all();
        response::OK
    }
}

pub struct SmtpSink {
    pub port: u16,
    shared: Arc<Shared>,
}

impl SmtpSink {
    pub fn start() -> Self {
        Self::start_on(TcpListener::bind("127.0.0.1:0").expect("bind a free port"))
    }

    /// Starts on `port`, e.g. one the application already failed to reach.
    pub fn start_on_port(port: u16) -> Self {
        Self::start_on(TcpListener::bind(("127.0.0.1", port)).expect("bind the port again"))
    }

    fn start_on(listener: TcpListener) -> Self {
        let port = listener.local_addr().expect("address").port();
        let shared = Arc::new(Shared::default());
        let mut server = Server::new(Session { shared: shared.clone(), data: Vec::new() });
        server.with_name("sink.test").with_num_threads(8).with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        Self { port, shared }
    }

    /// A port where nothing listens (yet).
    pub fn unused_port() -> u16 {
        TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("address").port()
    }

    /// Makes the server refuse every recipient with 550.
    pub fn reject_everything(&self, reject: bool) {
        self.shared.reject.store(reject, Ordering::SeqCst);
    }

    /// Answers the end of DATA of the `nth` message to arrive (from 1) with 421 and closes
    /// its connection, without accepting the message: a connection lost mid-batch.
    pub fn drop_connection_at(&self, nth: usize) {
        self.shared.drop_at.store(nth, Ordering::SeqCst);
    }

    /// How many SMTP sessions clients opened (each greets with EHLO once, without TLS).
    pub fn sessions(&self) -> usize {
        self.shared.sessions.load(Ordering::SeqCst)
    }

    /// Blocks until `count` messages have arrived (woken by each arrival), or `limit` passed.
    pub fn wait_for(&self, count: usize, limit: Duration) -> Vec<Vec<u8>> {
        let accepted = self.shared.accepted.lock().unwrap_or_else(PoisonError::into_inner);
        let (accepted, _) = self
            .shared
            .arrived
            .wait_timeout_while(accepted, limit, |a| a.len() < count)
            .unwrap_or_else(PoisonError::into_inner);
        accepted.clone()
    }

    /// While `hold` is on, messages stay in flight: the end of their DATA is not
    /// answered (nor counted as accepted) until it is turned off.
    pub fn hold(&self, hold: bool) {
        self.shared.hold.lock().unwrap_or_else(PoisonError::into_inner).holding = hold;
        self.shared.held_changed.notify_all();
    }

    /// Blocks until `count` messages are held in flight (woken by each), or `limit` passed;
    /// returns how many are.
    pub fn wait_held(&self, count: usize, limit: Duration) -> usize {
        let held = self.shared.hold.lock().unwrap_or_else(PoisonError::into_inner);
        let (held, _) = self
            .shared
            .held_changed
            .wait_timeout_while(held, limit, |h| h.waiting < count)
            .unwrap_or_else(PoisonError::into_inner);
        held.waiting
    }

    pub fn accepted(&self) -> Vec<Vec<u8>> {
        self.shared.accepted.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}
