//! Structural checks of S1, S3, S4 and S5 on any text this module writes, for the unit
//! tests: a test that builds a feed or an invite runs its output through [`assert_conforms`].

/// One unfolded content line: name, parameters as written, value.
pub(crate) struct Line {
    pub name: String,
    pub params: Vec<(String, String)>,
    pub value: String,
}

pub(crate) fn assert_conforms(ics: &str) {
    assert!(ics.ends_with("\r\n"), "the last line ends in CRLF");
    let without_crlf = ics.replace("\r\n", "");
    assert!(!without_crlf.contains(['\r', '\n']), "a bare CR or LF:\n{ics}");
    for physical in ics.trim_end_matches("\r\n").split("\r\n") {
        assert!(physical.len() <= 75, "{} octets: {physical:?}", physical.len());
    }
    let lines = content_lines(ics);
    assert_eq!(count(&lines, "VERSION"), 1);
    assert!(lines.iter().any(|l| l.name == "VERSION" && l.value == "2.0"));
    assert_eq!(count(&lines, "PRODID"), 1);
    assert!(!lines.iter().any(|l| l.name == "BEGIN" && l.value == "VALARM"), "no VALARM");
    for line in &lines {
        for (key, value) in &line.params {
            let inner = value.strip_prefix('"').and_then(|v| v.strip_suffix('"'));
            match inner {
                Some(inner) => assert!(!inner.contains('"'), "{key}={value}"),
                None => assert!(!value.contains([':', ';', ',', '"']), "unquoted {key}={value}"),
            }
        }
    }
    for vevent in vevents(&lines) {
        assert_eq!(count(vevent, "UID"), 1, "one UID per VEVENT");
        assert_eq!(count(vevent, "DTSTAMP"), 1, "one DTSTAMP per VEVENT");
        assert!(is_utc(&value(vevent, "DTSTAMP")), "DTSTAMP in UTC");
        assert!(!(count(vevent, "DTEND") > 0 && count(vevent, "DURATION") > 0), "DTEND and DURATION");
        let start = vevent.iter().find(|l| l.name == "DTSTART").expect("DTSTART");
        let all_day = start.params.iter().any(|(k, v)| k == "VALUE" && v == "DATE");
        for line in vevent.iter().filter(|l| l.name == "DTSTART" || l.name == "DTEND") {
            assert!(!line.params.iter().any(|(k, _)| k == "TZID"), "no TZID");
            if all_day {
                assert!(line.params.iter().any(|(k, v)| k == "VALUE" && v == "DATE"));
                assert!(line.value.len() == 8 && line.value.bytes().all(|b| b.is_ascii_digit()));
            } else {
                assert!(is_utc(&line.value), "timed values in UTC: {}", line.value);
            }
        }
    }
}

pub(crate) fn content_lines(ics: &str) -> Vec<Line> {
    let unfolded = ics.replace("\r\n ", "");
    unfolded.split("\r\n").filter(|l| !l.is_empty()).map(parse_line).collect()
}

/// Splits at the first `:` outside double quotes, then the parameters at `;` likewise.
fn parse_line(line: &str) -> Line {
    let mut in_quotes = false;
    let mut cuts = vec![];
    let mut colon = line.len();
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => cuts.push(i),
            ':' if !in_quotes => {
                colon = i;
                break;
            }
            _ => {}
        }
    }
    // Boundaries: the start, each `;`, the `:`; the name is the first piece.
    let bounds: Vec<usize> = [0].into_iter().chain(cuts).chain([colon]).collect();
    let name = line[..bounds[1]].to_owned();
    let params = bounds[1..]
        .windows(2)
        .map(|w| {
            let (key, value) = line[w[0] + 1..w[1]].split_once('=').expect("KEY=VALUE");
            (key.to_owned(), value.to_owned())
        })
        .collect();
    Line { name, params, value: line.get(colon + 1..).unwrap_or("").to_owned() }
}

pub(crate) fn vevents(lines: &[Line]) -> Vec<&[Line]> {
    let mut out = vec![];
    let mut start = None;
    for (i, line) in lines.iter().enumerate() {
        match (line.name.as_str(), line.value.as_str()) {
            ("BEGIN", "VEVENT") => start = Some(i),
            ("END", "VEVENT") => out.push(&lines[start.take().expect("BEGIN before END")..=i]),
            _ => {}
        }
    }
    out
}

pub(crate) fn count(lines: &[Line], name: &str) -> usize {
    lines.iter().filter(|l| l.name == name).count()
}

pub(crate) fn value(lines: &[Line], name: &str) -> String {
    lines.iter().find(|l| l.name == name).map(|l| l.value.clone()).unwrap_or_default()
}

pub(crate) fn param_of(line: &Line, key: &str) -> Option<String> {
    line.params.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

fn is_utc(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 16 && b[8] == b'T' && b[15] == b'Z' && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit)
}
