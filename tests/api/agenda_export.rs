//! The published agenda as CSV and JSON: organizers only, local times with their offset,
//! and only what T1 lets a file carry (the canary sweep in `tlp_canary.rs` checks the
//! same files against every planted string).

use csirt_meet::domain::{registration::Status, tlp::Tlp};

use crate::{
    fixtures::{AgendaFixture, add_session_row},
    helpers::{location, new_client},
};

const CSV: &str = "/admin/meetings/natcsirt-2026/agenda.csv";
const JSON: &str = "/admin/meetings/natcsirt-2026/agenda.json";

#[tokio::test]
async fn the_agenda_files_carry_local_times_and_only_what_each_label_lets_out() {
    let f = AgendaFixture::set_up().await;
    let (app, m) = (&f.app, f.meeting.id);
    let mut clear = f.talk("=Opening");
    clear.tlp = Tlp::Clear;
    clear.abstract_text = "Welcome words.".into();
    add_session_row(app, m, clear).await;
    let mut amber = f.talk("Sharing at scale");
    amber.abstract_text = "Amber abstract".into();
    amber.starts_at += chrono::Duration::hours(1);
    amber.ends_at += chrono::Duration::hours(1);
    add_session_row(app, m, amber).await;
    let mut red = f.talk("Red incident story");
    red.tlp = Tlp::Red;
    red.abstract_text = "Red abstract".into();
    red.room_id = Some(f.rooms[1]);
    red.starts_at += chrono::Duration::hours(2);
    red.ends_at += chrono::Duration::hours(2);
    add_session_row(app, m, red).await;

    let before: serde_json::Value = app.get(JSON).await.json().await.expect("JSON");
    assert_eq!(before["release"], serde_json::Value::Null, "nothing published yet");
    assert_eq!(before["sessions"].as_array().map(Vec::len), Some(0), "a draft never leaves");
    f.publish("First").await;

    let res = app.get(JSON).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-disposition"], "attachment; filename=\"natcsirt-2026-agenda.json\"");
    assert_eq!(res.headers()["cache-control"], "no-store");
    let agenda: serde_json::Value = res.json().await.expect("JSON");
    assert_eq!(agenda["time_zone"], "America/Denver");
    assert_eq!(agenda["release"], 1);
    let sessions = agenda["sessions"].as_array().expect("sessions");
    assert_eq!(sessions.len(), 3);
    let (clear, amber, red) = (&sessions[0], &sessions[1], &sessions[2]);
    assert_eq!(clear["starts"], "2026-06-20T09:00:00-06:00", "Denver's summer offset");
    assert_eq!(clear["ends"], "2026-06-20T10:00:00-06:00");
    assert_eq!((&clear["title"], &clear["abstract"]), (&"=Opening".into(), &"Welcome words.".into()));
    assert_eq!(clear["speakers"], serde_json::json!(["Ana Silva (CERT.br)"]));
    assert_eq!(amber["title"], "Sharing at scale");
    assert_eq!((&amber["abstract"], &amber["speakers"]), (&serde_json::Value::Null, &serde_json::json!([])));
    assert_eq!(red["title"], "TLP:RED session — details in the agenda");
    assert_eq!((&red["kind"], &red["abstract"]), (&serde_json::Value::Null, &serde_json::Value::Null));
    assert_eq!(
        (&red["room"], &red["tlp"], &red["starts"]),
        (&"Room B".into(), &"TLP:RED".into(), &"2026-06-20T11:00:00-06:00".into())
    );
    let json = serde_json::to_string(&agenda).expect("text");
    for secret in ["Amber abstract", "Red incident story", "Red abstract"] {
        assert!(!json.contains(secret), "{secret} left in the JSON");
    }

    let res = app.get(CSV).await;
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = res.text().await.expect("CSV");
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.expect("a row").iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[0][..3],
        ["2026-06-20T09:00:00-06:00", "2026-06-20T10:00:00-06:00", "'=Opening"],
        "a formula cell is neutralised"
    );
    assert_eq!(rows[0][8..], ["Ana Silva (CERT.br)", "Welcome words."]);
    assert_eq!(rows[1][8..], ["", ""], "AMBER: no speakers, no abstract");
    assert_eq!(rows[2][2], "TLP:RED session — details in the agenda");
    for secret in ["Amber abstract", "Red incident story", "Red abstract"] {
        assert!(!csv.contains(secret), "{secret} left in the CSV");
    }
}

#[tokio::test]
async fn only_organizers_download_the_agenda_files_and_the_meeting_page_links_them() {
    let f = AgendaFixture::set_up().await;
    let hub = f.app.get("/admin/meetings/natcsirt-2026").await.text().await.expect("page");
    assert!(hub.contains(CSV) && hub.contains(JSON), "the hub's exports link both files");
    let approved = f.attendee("ana@cert-at.example", Status::Approved).await;
    for path in [CSV, JSON] {
        let res = approved.get(f.app.url(path)).send().await.expect("sent");
        assert_eq!(res.status(), 403, "{path}: an attendee is no organizer");
        let res = new_client().get(f.app.url(path)).send().await.expect("sent");
        assert_eq!(location(&res), "/login", "{path}: anonymous visitors sign in first");
    }
}
