//! The schedule files for conference apps (issue 18): the rules of the c3voc schedule
//! schema that apps rely on, written out as checks ([`problems`]), and the reading of both
//! files by an app-like parser (`tests/parsers/frab_schedule.py`, Python's own XML and
//! JSON readers), which must accept them and find the same events in each.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// What is wrong with a schedule in the c3voc schedule.json layout (the JSON itself, or
/// the XML as the parser read it into that layout): required fields and their types,
/// formats (`HH:MM` durations and starts, ISO 8601 dates with an offset, UUID guids), days
/// numbered from 1, events in the room and on the day they say, unique ids and guids.
pub fn problems(doc: &Value) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut need = |ok: bool, what: String| {
        if !ok {
            wrong.push(what);
        }
    };
    let schedule = &doc["schedule"];
    need(schedule["version"].is_string(), "schedule.version is a string".into());
    let c = &schedule["conference"];
    for field in ["acronym", "title", "time_zone_name"] {
        need(c[field].as_str().is_some_and(|v| !v.is_empty()), format!("conference.{field} is given"));
    }
    for field in ["start", "end"] {
        need(
            c[field].as_str().is_some_and(is_date),
            format!("conference.{field} is YYYY-MM-DD: {}", c[field]),
        );
    }
    need(
        c["timeslot_duration"].as_str().is_some_and(is_hh_mm),
        format!("timeslot_duration is HH:MM: {}", c["timeslot_duration"]),
    );
    let zone = c["time_zone_name"].as_str().unwrap_or_default().parse::<chrono_tz::Tz>();
    need(zone.is_ok(), format!("time_zone_name is an IANA zone: {}", c["time_zone_name"]));
    let rooms: Vec<&Value> = c["rooms"].as_array().map(|r| r.iter().collect()).unwrap_or_default();
    let mut room_names = BTreeSet::new();
    for room in &rooms {
        need(room["name"].as_str().is_some_and(|n| !n.is_empty()), format!("a room has a name: {room}"));
        need(room["guid"].as_str().is_some_and(is_uuid), format!("a room's guid is a UUID: {room}"));
        room_names.insert(room["name"].as_str().unwrap_or_default().to_owned());
    }
    let days = c["days"].as_array().cloned().unwrap_or_default();
    need(
        c["daysCount"].as_u64() == Some(days.len() as u64),
        format!("daysCount {} is the number of days {}", c["daysCount"], days.len()),
    );
    let (mut ids, mut guids) = (BTreeSet::new(), BTreeSet::new());
    for (n, day) in days.iter().enumerate() {
        need(day["index"].as_u64() == Some(n as u64 + 1), format!("day {n} has index {}", n + 1));
        let date = day["date"].as_str().unwrap_or_default();
        need(is_date(date), format!("day {n}'s date is YYYY-MM-DD: {date}"));
        for field in ["day_start", "day_end"] {
            need(
                day[field].as_str().is_some_and(is_iso_with_offset),
                format!("day {n}'s {field} is ISO 8601 with an offset: {}", day[field]),
            );
        }
        let Some(by_room) = day["rooms"].as_object() else {
            need(false, format!("day {n}'s rooms is an object"));
            continue;
        };
        for (room, events) in by_room {
            need(room_names.contains(room), format!("room {room:?} of day {n} is in conference.rooms"));
            for e in events.as_array().cloned().unwrap_or_default() {
                let id = e["id"].as_i64();
                let what = format!("event {id:?}");
                need(id.is_some(), format!("{what}: id is a number"));
                need(id.is_none_or(|id| ids.insert(id)), format!("{what}: id is unique"));
                let guid = e["guid"].as_str().unwrap_or_default();
                need(is_uuid(guid), format!("{what}: guid is a UUID: {guid}"));
                need(guids.insert(guid.to_owned()), format!("{what}: guid is unique"));
                let start = e["date"].as_str().unwrap_or_default();
                need(is_iso_with_offset(start), format!("{what}: date is ISO 8601 with an offset: {start}"));
                need(start.starts_with(date), format!("{what}: date {start} is on its day {date}"));
                need(
                    e["start"].as_str().is_some_and(|s| is_hh_mm(s) && start.get(11..16) == Some(s)),
                    format!("{what}: start is HH:MM of its date: {}", e["start"]),
                );
                need(
                    e["duration"].as_str().is_some_and(is_hh_mm),
                    format!("{what}: duration is HH:MM: {}", e["duration"]),
                );
                need(e["room"].as_str() == Some(room.as_str()), format!("{what}: room is {room}"));
                for field in [
                    "slug",
                    "title",
                    "subtitle",
                    "track",
                    "type",
                    "language",
                    "abstract",
                    "description",
                    "recording_license",
                ] {
                    need(e[field].is_string(), format!("{what}: {field} is a string"));
                }
                for field in ["title", "type", "language", "slug"] {
                    need(
                        e[field].as_str().is_some_and(|v| !v.is_empty()),
                        format!("{what}: {field} is given"),
                    );
                }
                need(
                    e["url"].as_str().is_some_and(|u| u.starts_with("http://") || u.starts_with("https://")),
                    format!("{what}: url is absolute: {}", e["url"]),
                );
                need(e["do_not_record"].is_boolean(), format!("{what}: do_not_record is a boolean"));
                for field in ["persons", "links", "attachments"] {
                    need(e[field].is_array(), format!("{what}: {field} is a list"));
                }
                for p in e["persons"].as_array().cloned().unwrap_or_default() {
                    need(
                        p["public_name"].as_str().is_some_and(|n| !n.is_empty()),
                        format!("{what}: a person has a public_name"),
                    );
                }
            }
        }
    }
    wrong
}

fn is_date(s: &str) -> bool {
    s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

fn is_hh_mm(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5 && b[2] == b':' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit()) && b[3] < b'6'
}

/// ISO 8601 with an explicit offset (`2026-06-20T09:00:00-06:00`), never a bare local time.
fn is_iso_with_offset(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::parse_str(s).is_ok()
}

/// Every event of a schedule, day by day and room by room, as apps list them.
pub fn events(doc: &Value) -> Vec<Value> {
    let days = doc["schedule"]["conference"]["days"].as_array().cloned().unwrap_or_default();
    days.iter()
        .flat_map(|d| d["rooms"].as_object().cloned().unwrap_or_default().into_iter())
        .flat_map(|(_, events)| events.as_array().cloned().unwrap_or_default())
        .collect()
}

/// What an app shows of an event, the same whichever file it read.
pub fn shown(e: &Value) -> Value {
    let names: Vec<Value> = e["persons"]
        .as_array()
        .map(|p| p.iter().map(|p| p["public_name"].clone()).collect())
        .unwrap_or_default();
    serde_json::json!({
        "guid": e["guid"], "id": e["id"], "date": e["date"], "start": e["start"],
        "duration": e["duration"], "room": e["room"], "title": e["title"], "subtitle": e["subtitle"],
        "track": e["track"], "type": e["type"], "abstract": e["abstract"], "persons": names,
    })
}

/// Both files read by the app-like parser, after asserting that it accepted them, that
/// each reading keeps the schema's rules and that both hold the same events. Returns the
/// JSON file's reading. Without Python the parser's part is skipped with a notice (a
/// failure when `CSIRT_MEET_REQUIRE_PARSERS=1`); the rules are still checked on the JSON.
pub fn read_both(xml: &str, json: &str) -> Value {
    let own: Value = serde_json::from_str(json).expect("schedule.json is JSON");
    let wrong = problems(&own);
    assert!(wrong.is_empty(), "schedule.json breaks the schema's rules: {wrong:#?}\n{json}");
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| Command::new(p).arg("--version").output().is_ok_and(|o| o.status.success()));
    let Some(python) = python else {
        assert!(
            std::env::var("CSIRT_MEET_REQUIRE_PARSERS").as_deref() != Ok("1"),
            "CSIRT_MEET_REQUIRE_PARSERS=1 but no python3 to read the schedule files"
        );
        eprintln!("notice: schedule parser check skipped (no python3)");
        return own;
    };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (xml_path, json_path) = (dir.path().join("schedule.xml"), dir.path().join("schedule.json"));
    std::fs::write(&xml_path, xml).expect("writing the XML");
    std::fs::write(&json_path, json).expect("writing the JSON");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parsers/frab_schedule.py");
    let output =
        Command::new(python).arg(script).arg(&xml_path).arg(&json_path).output().expect("running python");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the app-like parser refused the schedule: {stderr}\n{xml}");
    let read: Value = serde_json::from_slice(&output.stdout).expect("the parser prints JSON");
    let wrong = problems(&read["xml"]);
    assert!(wrong.is_empty(), "schedule.xml breaks the schema's rules: {wrong:#?}\n{xml}");
    assert_eq!(read["json"], own, "Python reads the JSON as serde_json does");
    let (from_xml, from_json): (Vec<Value>, Vec<Value>) =
        (events(&read["xml"]).iter().map(shown).collect(), events(&own).iter().map(shown).collect());
    assert_eq!(from_xml, from_json, "the XML and the JSON hold the same events");
    assert_eq!(
        read["xml"]["schedule"]["conference"]["rooms"], own["schedule"]["conference"]["rooms"],
        "the same rooms"
    );
    own
}
