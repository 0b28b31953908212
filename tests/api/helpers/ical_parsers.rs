//! Independent parsers of our calendar output (docs/CALENDAR.md "How it is checked"):
//! Thunderbird's ical.js (npm) and Python icalendar read each feed or invite a test
//! produces, must both accept it, and must agree with each other on every event. The
//! structural checks of S1–S5 (`calendar::conformance`) run first, installed parsers or
//! not.
//!
//! `.ci/parsers-setup` installs the parsers; with `CSIRT_MEET_REQUIRE_PARSERS=1` (as CI
//! sets) a missing one is a failure, otherwise a plain `cargo test` skips it with a notice.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use csirt_meet::calendar::conformance;
use serde::Deserialize;

/// One VEVENT as a parser read it: instants as `YYYY-MM-DDTHH:MM:SSZ` in UTC, dates of
/// all-day events as `YYYY-MM-DD` (the end exclusive, as written).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ParsedEvent {
    pub uid: String,
    pub sequence: i64,
    pub start: String,
    pub end: String,
    pub all_day: bool,
    pub summary: String,
    pub status: Option<String>,
    /// The calendar's METHOD (the same for every event of one object).
    pub method: Option<String>,
}

/// A whole calendar as a parser read it: the names of the VCALENDAR's own properties
/// (upper case, sorted, once each) and its events.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ParsedCalendar {
    pub calendar: Vec<String>,
    pub events: Vec<ParsedEvent>,
}

/// Both parsers' reading of `ics`'s events: see [`read_with_parsers`].
pub fn check_with_parsers(ics: &str) -> Vec<ParsedEvent> {
    read_with_parsers(ics).map(|read| read.events).unwrap_or_default()
}

/// Both parsers' reading of `ics`, after asserting that it conforms to S1–S5, that each
/// parser accepted it and that they agree. `None` when neither is installed and the
/// parsers are not required.
pub fn read_with_parsers(ics: &str) -> Option<ParsedCalendar> {
    let problems = conformance::problems(ics);
    assert!(problems.is_empty(), "{problems:#?}\n{ics}");
    let parsers = available();
    if parsers.len() < 2 {
        let missing = missing_names(parsers);
        assert!(
            std::env::var("CSIRT_MEET_REQUIRE_PARSERS").as_deref() != Ok("1"),
            "CSIRT_MEET_REQUIRE_PARSERS=1 but {missing} not installed: run .ci/parsers-setup"
        );
        eprintln!("notice: iCalendar parser check skipped for {missing} (install with .ci/parsers-setup)");
    }
    let file = tempfile::Builder::new().suffix(".ics").tempfile().expect("a temporary file");
    std::fs::write(file.path(), ics).expect("writing the .ics");
    let mut readings = parsers.iter().map(|parser| (parser.name, parser.read(file.path())));
    let (first_name, first) = readings.next()?;
    for (name, other) in readings {
        assert_eq!(first, other, "{first_name} and {name} read this differently:\n{ics}");
    }
    Some(first)
}

struct Parser {
    name: &'static str,
    program: PathBuf,
    script: PathBuf,
}

impl Parser {
    fn read(&self, ics: &Path) -> ParsedCalendar {
        let output = Command::new(&self.program)
            .arg(&self.script)
            .arg(ics)
            .output()
            .unwrap_or_else(|e| panic!("running {}: {e}", self.name));
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{} rejected the calendar: {stderr}", self.name);
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{} printed {stdout:?}: {e}", self.name))
    }
}

fn parsers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parsers")
}

/// The Python of the parsers' venv (`.ci/parsers-setup`), if it can import `module`.
pub fn venv_python_with(module: &str) -> Option<PathBuf> {
    let python = venv().join("bin/python");
    let ready = Command::new(&python).args(["-c", &format!("import {module}")]).output();
    ready.is_ok_and(|o| o.status.success()).then_some(python)
}

fn venv() -> PathBuf {
    match std::env::var_os("CSIRT_MEET_PARSERS_VENV") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/csirt-meet/venv"),
    }
}

/// The installed parsers, found once per test binary.
fn available() -> &'static [Parser] {
    static FOUND: OnceLock<Vec<Parser>> = OnceLock::new();
    FOUND.get_or_init(|| {
        let dir = parsers_dir();
        let mut found = Vec::new();
        let node_ready = dir.join("node_modules/ical.js/package.json").is_file()
            && Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
        if node_ready {
            found.push(Parser { name: "ical.js", program: "node".into(), script: dir.join("ical-js.mjs") });
        }
        let python = venv().join("bin/python");
        let python_ready =
            Command::new(&python).args(["-c", "import icalendar"]).output().is_ok_and(|o| o.status.success());
        if python_ready {
            found.push(Parser { name: "icalendar", program: python, script: dir.join("icalendar_json.py") });
        }
        found
    })
}

fn missing_names(found: &[Parser]) -> String {
    let missing: Vec<&str> =
        ["ical.js", "icalendar"].into_iter().filter(|name| !found.iter().any(|p| p.name == *name)).collect();
    missing.join(" and ")
}
