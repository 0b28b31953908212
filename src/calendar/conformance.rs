//! Structural checks of S1, S3, S4 and S5 on any iCalendar text, for the tests: the unit
//! tests here and the integration suite run every feed and invite they produce through
//! [`problems`]. A reader, not a parser: it knows only the shapes this module writes.

/// One unfolded content line: name, parameters as written (quotes kept), value.
pub struct Line {
    pub name: String,
    pub params: Vec<(String, String)>,
    pub value: String,
}

/// Every breach of S1 (CRLF, 75 octets), S3 (quoting), S4 (VERSION, PRODID, one UID and
/// DTSTAMP per VEVENT, not DTEND with DURATION) and S5 (UTC or DATE, no TZID), and any
/// VALARM; empty when there is none.
pub fn problems(ics: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut check = |ok: bool, problem: String| {
        if !ok {
            found.push(problem);
        }
    };
    check(ics.ends_with("\r\n"), "the last line does not end in CRLF".into());
    check(!ics.replace("\r\n", "").contains(['\r', '\n']), "a bare CR or LF".into());
    for physical in ics.trim_end_matches("\r\n").split("\r\n") {
        check(physical.len() <= 75, format!("{} octets: {physical:?}", physical.len()));
    }
    let lines = content_lines(ics);
    check(lines.iter().filter(|l| l.name == "VERSION" && l.value == "2.0").count() == 1, "VERSION".into());
    check(count(&lines, "PRODID") == 1, "not exactly one PRODID".into());
    check(!lines.iter().any(|l| l.name == "BEGIN" && l.value == "VALARM"), "a VALARM".into());
    for line in &lines {
        for (key, value) in &line.params {
            let quoted = value.strip_prefix('"').and_then(|v| v.strip_suffix('"'));
            let ok = match quoted {
                Some(inner) => !inner.contains('"'),
                None => !value.contains([':', ';', ',', '"']),
            };
            check(ok, format!("{} parameter {key}={value} badly quoted", line.name));
        }
    }
    for vevent in vevents(&lines) {
        let uid = value(vevent, "UID");
        check(count(vevent, "UID") == 1, format!("VEVENT {uid}: not exactly one UID"));
        check(count(vevent, "DTSTAMP") == 1, format!("VEVENT {uid}: not exactly one DTSTAMP"));
        check(is_utc(&value(vevent, "DTSTAMP")), format!("VEVENT {uid}: DTSTAMP not in UTC"));
        let both = count(vevent, "DTEND") > 0 && count(vevent, "DURATION") > 0;
        check(!both, format!("VEVENT {uid}: DTEND and DURATION"));
        check(count(vevent, "DTSTART") == 1, format!("VEVENT {uid}: not exactly one DTSTART"));
        let all_day = vevent.iter().any(|l| l.name == "DTSTART" && is_date_typed(l));
        for line in vevent.iter().filter(|l| l.name == "DTSTART" || l.name == "DTEND") {
            let ok = if all_day {
                is_date_typed(line) && line.value.len() == 8 && line.value.bytes().all(|b| b.is_ascii_digit())
            } else {
                is_utc(&line.value) && line.params.is_empty()
            };
            check(ok, format!("VEVENT {uid}: {} {:?} is neither UTC nor a DATE", line.name, line.value));
        }
    }
    found
}

/// Unfolds `ics` and splits it into content lines.
pub fn content_lines(ics: &str) -> Vec<Line> {
    let unfolded = ics.replace("\r\n ", "");
    unfolded.split("\r\n").filter(|l| !l.is_empty()).map(parse_line).collect()
}

/// Splits at the first `:` outside double quotes, and the parameters at `;` likewise.
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
    let params = bounds[1..]
        .windows(2)
        .map(|w| {
            let param = &line[w[0] + 1..w[1]];
            let (key, value) = param.split_once('=').unwrap_or((param, ""));
            (key.to_owned(), value.to_owned())
        })
        .collect();
    Line { name: line[..bounds[1]].to_owned(), params, value: line.get(colon + 1..).unwrap_or("").to_owned() }
}

/// The content lines of each VEVENT, BEGIN and END included.
pub fn vevents(lines: &[Line]) -> Vec<&[Line]> {
    let mut out = vec![];
    let mut start = None;
    for (i, line) in lines.iter().enumerate() {
        match (line.name.as_str(), line.value.as_str()) {
            ("BEGIN", "VEVENT") => start = Some(i),
            ("END", "VEVENT") => out.extend(start.take().map(|s| &lines[s..=i])),
            _ => {}
        }
    }
    out
}

pub fn count(lines: &[Line], name: &str) -> usize {
    lines.iter().filter(|l| l.name == name).count()
}

/// The value of the first `name` line, or "" when there is none.
pub fn value(lines: &[Line], name: &str) -> String {
    lines.iter().find(|l| l.name == name).map(|l| l.value.clone()).unwrap_or_default()
}

pub fn param_of(line: &Line, key: &str) -> Option<String> {
    line.params.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

fn is_date_typed(line: &Line) -> bool {
    line.params.len() == 1 && param_of(line, "VALUE").as_deref() == Some("DATE")
}

fn is_utc(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 16 && b[8] == b'T' && b[15] == b'Z' && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit)
}

#[cfg(test)]
pub(crate) fn assert_conforms(ics: &str) {
    let problems = problems(ics);
    assert!(problems.is_empty(), "{problems:#?}\n{ics}");
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:u\r\n\
        DTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260102\r\nDTEND;VALUE=DATE:20260103\r\n\
        ATTENDEE;CN=\"Doe, Jane\":mailto:j@x.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn a_conforming_calendar_has_no_problems() {
        assert_eq!(problems(GOOD), Vec::<String>::new());
    }

    #[test]
    fn each_kind_of_breach_is_found() {
        let breaches = [
            GOOD.trim_end_matches("\r\n").to_owned(),
            GOOD.replace("VERSION:2.0\r\n", "VERSION:2.0\n"),
            GOOD.replace("CN=\"Doe, Jane\"", "CN=Doe, Jane"),
            GOOD.replace("DTSTAMP:20260101T000000Z\r\n", ""),
            GOOD.replace("UID:u\r\n", "UID:u\r\nUID:v\r\n"),
            GOOD.replace("DTSTART;VALUE=DATE:20260102", "DTSTART:20260102T000000"),
            GOOD.replace("DTSTART;VALUE=DATE:20260102", "DTSTART;TZID=Europe/Copenhagen:20260102T000000Z"),
            GOOD.replace("DTEND;VALUE=DATE:20260103", "DTEND;VALUE=DATE:20260103\r\nDURATION:P1D"),
            GOOD.replace("UID:u", &format!("UID:{}", "u".repeat(80))),
            GOOD.replace("END:VEVENT", "BEGIN:VALARM\r\nEND:VALARM\r\nEND:VEVENT"),
        ];
        for bad in breaches {
            assert!(!problems(&bad).is_empty(), "not caught:\n{bad}");
        }
    }
}
