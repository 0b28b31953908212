//! The built binary as a person runs it: `csirt_meet()` for one command, `serve_with` for a
//! running server whose log lines a test waits for.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::Duration,
};

use super::TestDatabase;

/// The built binary, run from the project folder with a random port.
pub fn csirt_meet() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_csirt-meet"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_LOG")
        .env_remove("DATABASE_URL")
        .env("CSIRT_MEET__SERVER__PORT", "0")
        .env("CSIRT_MEET__LOG__FILTER", "info");
    cmd
}

/// A running `csirt-meet serve` and every line it wrote to standard error.
pub struct Served {
    pub child: Child,
    pub port: u16,
    lines: mpsc::Receiver<String>,
    pub seen: Vec<String>,
}

pub fn serve_with(db: &TestDatabase, env: &[(&str, &str)]) -> Served {
    let mut child = csirt_meet()
        .arg("serve")
        .envs(env.iter().copied())
        .env("DATABASE_URL", db.url())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("starts");
    let stderr = child.stderr.take().expect("piped");
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut served = Served { child, port: 0, lines, seen: Vec::new() };
    let line = served.wait_for("listening");
    let port = line.split("port=").nth(1).and_then(|r| r.split_whitespace().next());
    served.port = port.and_then(|p| p.parse().ok()).unwrap_or_else(|| panic!("no port in {line:?}"));
    // actix logs this once its accept loop runs; connections before it may be reset.
    served.wait_for("starting service");
    served
}

impl Served {
    pub fn wait_for(&mut self, needle: &str) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("no line with {needle:?}; saw:\n{}", self.seen.join("\n")));
            self.seen.push(line.clone());
            if line.contains(needle) {
                return line;
            }
        }
    }

    pub fn signal(&self, name: &str) {
        let ok = Command::new("kill")
            .args([format!("-{name}"), self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(ok.success());
    }
}
