//! Materials of a session (issue 17, point 4): who uploads, what is let in, how the bytes
//! are kept (in the database, on both backends) and served (attachment, nosniff, sandbox),
//! who downloads, which downloads are audited, and who deletes.

use csirt_meet::{
    db::schema::material_chunks,
    domain::{material::FileKind, registration::Status, tlp::Tlp},
    models::{audit, material},
};
use diesel::prelude::*;

use crate::{
    fixtures::{
        AgendaFixture, Registration, audit_actions, material_rows, signed_in_attendee, speakers_of_session,
        upload, upload_body,
    },
    helpers::{assert_field_error, new_client, refused_with},
};

const SANDBOXED: &str = "sandbox; default-src 'none'; frame-ancestors 'none'";

/// A small real-looking PDF.
fn pdf() -> Vec<u8> {
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".to_vec()
}

/// A published AMBER talk, and a speaker of it held as an account: an approved attendee,
/// signed in on their own client.
struct Stage {
    fx: AgendaFixture,
    session: i64,
    speaker: reqwest::Client,
    speaker_id: i64,
}

impl Stage {
    async fn new() -> Self {
        Self::with(|_| {}).await
    }

    async fn with(tweak: impl FnOnce(&mut csirt_meet::config::Settings)) -> Self {
        let fx = AgendaFixture::set_up_with(tweak).await;
        let session = csirt_meet_session(&fx, "Lessons from a ransomware case").await;
        fx.publish("First program").await;
        let (user, speaker, registration) = signed_in_attendee(
            &fx.app,
            fx.meeting.id,
            fx.team,
            "sam@cert-at.example",
            Registration::new(Status::Approved),
        )
        .await;
        speakers_of_session(&fx.app, session, &[registration]).await;
        Self { fx, session, speaker, speaker_id: user.id }
    }

    fn path(&self) -> String {
        format!("/meetings/{}/sessions/{}/materials", self.fx.meeting.slug, self.session)
    }

    fn page(&self) -> String {
        format!("/meetings/{}/sessions/{}", self.fx.meeting.slug, self.session)
    }

    async fn person(&self, email: &str, status: Status) -> reqwest::Client {
        self.fx.attendee(email, status).await
    }

    /// The id of the only stored material.
    async fn only_material(&self) -> i64 {
        let session = self.session;
        let listed = self.fx.app.db.query(move |c| material::listed(c, session)).await.expect("listed");
        assert_eq!(listed.len(), 1, "one file is listed");
        listed[0].id
    }
}

async fn csirt_meet_session(fx: &AgendaFixture, title: &str) -> i64 {
    crate::fixtures::add_session_row(&fx.app, fx.meeting.id, fx.talk(title)).await
}

#[tokio::test]
async fn a_speaker_shares_red_slides_and_an_approved_attendee_downloads_them_audited() {
    let st = Stage::new().await;
    let app = &st.fx.app;
    let res = upload(app, &st.speaker, &st.path(), "Résumé slides.pdf", "TLP:RED", &pdf()).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap_or_default());
    assert!(res.headers()["location"].to_str().expect("ascii").contains("done=material-added"));

    let ana = st.person("ana@cert-at.example", Status::Approved).await;
    let page = app.page_with(&ana, &st.page()).await;
    let id = st.only_material().await;
    assert!(page.contains("Résumé slides.pdf"), "the name is listed: {page}");
    assert!(page.contains(&format!("/materials/{id}\"")), "linked");
    assert!(page.contains("TLP:RED") && page.contains("bytes"), "label and size");
    assert!(page.contains("shared by"), "the uploader");
    assert!(!page.contains("/delete\""), "Ana may delete nothing");
    assert!(page.contains(r#"<ul class="materials">"#), "{page}");
    let css = app.get("/assets/style.css").await.text().await.expect("the stylesheet");
    assert!(css.contains("ul.materials {") && css.contains("ul.materials > li {"), "the list has its style");

    let res = ana.get(app.url(&format!("{}/{id}", st.path()))).send().await.expect("sent");
    assert_eq!(res.status(), 200);
    let h = |name: &str| res.headers()[name].to_str().expect("ascii").to_owned();
    assert_eq!(h("content-type"), "application/pdf");
    assert_eq!(
        h("content-disposition"),
        "attachment; filename=\"R_sum_ slides.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%20slides.pdf"
    );
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert_eq!(h("content-security-policy"), SANDBOXED, "the handler's stricter policy stands");
    assert_eq!(h("content-length"), pdf().len().to_string());
    assert_eq!(res.bytes().await.expect("body").as_ref(), pdf().as_slice());

    let rows = app.db.query(|c| audit::recent(c, 50)).await.expect("audit");
    let download = rows.iter().find(|r| r.action == "material.downloaded").expect("the download is audited");
    assert_eq!(download.subject, format!("material/{id}"));
    assert!(download.detail.contains("TLP:RED") && !download.detail.contains("slides"), "{download:?}");
    assert_ne!(download.actor_id, Some(st.speaker_id), "Ana, not the speaker");
    assert!(audit_actions(app).await.contains(&"material.uploaded".to_owned()));

    // The session page keeps the site's policy.
    let res = ana.get(app.url(&st.page())).send().await.expect("sent");
    assert!(
        res.headers()["content-security-policy"].to_str().expect("ascii").starts_with("default-src 'self'")
    );
}

#[tokio::test]
async fn a_clear_file_is_not_audited_and_head_writes_nothing() {
    let st = Stage::new().await;
    let app = &st.fx.app;
    assert_eq!(
        upload(app, &st.speaker, &st.path(), "notes.txt", "TLP:CLEAR", b"plain notes\n").await.status(),
        303
    );
    let id = st.only_material().await;
    let res = st.speaker.get(app.url(&format!("{}/{id}", st.path()))).send().await.expect("sent");
    assert_eq!(res.headers()["content-type"], "text/plain; charset=utf-8");
    assert_eq!(res.text().await.expect("body"), "plain notes\n");
    assert!(!audit_actions(app).await.contains(&"material.downloaded".to_owned()));

    assert_eq!(
        upload(app, &st.speaker, &st.path(), "amber.txt", "TLP:AMBER", b"amber\n").await.status(),
        303
    );
    let session = st.session;
    let amber = app.db.query(move |c| material::listed(c, session)).await.expect("listed")[1].id;
    let res = st.speaker.head(app.url(&format!("{}/{amber}", st.path()))).send().await.expect("sent");
    assert_eq!(res.status(), 200);
    assert!(!audit_actions(app).await.contains(&"material.downloaded".to_owned()), "HEAD is not a download");
}

#[tokio::test]
async fn waitlisted_pending_and_outside_people_cannot_download() {
    let st = Stage::new().await;
    let app = &st.fx.app;
    assert_eq!(upload(app, &st.speaker, &st.path(), "slides.pdf", "TLP:RED", &pdf()).await.status(), 303);
    let file = format!("{}/{}", st.path(), st.only_material().await);
    for (email, status) in
        [("wait@cert-at.example", Status::Waitlisted), ("pend@cert-at.example", Status::Pending)]
    {
        let client = st.person(email, status).await;
        let res = client.get(app.url(&file)).send().await.expect("sent");
        assert_eq!(res.status(), 403, "{status:?}");
        let body = res.text().await.expect("body");
        assert!(!body.contains("%PDF") && !body.contains("slides.pdf"), "{status:?}: {body}");
    }
    let res = new_client().get(app.url(&file)).send().await.expect("sent");
    assert_eq!(res.status(), 303, "anonymous: sign in first");
    let approved = st.person("ok@cert-at.example", Status::Approved).await;
    assert_eq!(approved.get(app.url(&file)).send().await.expect("sent").status(), 200);
    let downloads = audit_actions(app).await.iter().filter(|a| *a == "material.downloaded").count();
    assert_eq!(downloads, 1, "only the approved attendee's download happened");
}

#[tokio::test]
async fn only_speakers_and_organizers_may_upload() {
    let st = Stage::new().await;
    let app = &st.fx.app;
    let other = st.person("other@cert-at.example", Status::Approved).await;
    assert_eq!(other.get(app.url(&st.path())).send().await.expect("sent").status(), 403);
    assert_eq!(upload(app, &other, &st.path(), "slides.pdf", "TLP:GREEN", &pdf()).await.status(), 403);
    assert!(!app.page_with(&other, &st.page()).await.contains("Share a file"));
    assert_eq!(material_rows(app).await, (0, 0), "nothing written");

    let form = app.page_with(&st.speaker, &st.path()).await;
    assert!(form.contains("enctype=\"multipart/form-data\""), "{form}");
    let token_at = form.find("name=\"csrf_token\"").expect("token");
    assert!(token_at < form.find("name=\"tlp\"").expect("label"), "the token is the first field");
    assert!(form.contains("<option value=\"TLP:AMBER\" selected>"), "the session's label by default");
    assert!(app.page_with(&st.speaker, &st.page()).await.contains("Share a file"));

    // Organizers may for any session.
    let res = upload(app, &app.client, &st.path(), "agenda.docx", "TLP:GREEN", &docx()).await;
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn my_data_export_lists_what_i_uploaded_without_the_bytes_or_a_red_name() {
    let st = Stage::new().await;
    let app = &st.fx.app;
    for (name, label) in [("Public notes.pdf", "TLP:GREEN"), ("RED-ONLY-plan.pdf", "TLP:RED")] {
        assert_eq!(upload(app, &st.speaker, &st.path(), name, label, &pdf()).await.status(), 303, "{name}");
    }
    let res = upload(app, &app.client, &st.path(), "organizer-file.pdf", "TLP:GREEN", &pdf()).await;
    assert_eq!(res.status(), 303, "someone else's file");

    let export = app.page_with(&st.speaker, "/me/privacy/data.json").await;
    let json: serde_json::Value = serde_json::from_str(&export).expect("JSON");
    let files = json["materials"].as_array().expect("materials");
    assert_eq!(files.len(), 2, "my two files, not the organizer's: {export}");
    let session = format!("{}/session/{}", st.fx.meeting.slug, st.session);
    for (file, name, label) in
        [(&files[0], Some("Public notes.pdf"), "TLP:GREEN"), (&files[1], None, "TLP:RED")]
    {
        assert_eq!(file["session"], session.as_str(), "named by reference: {file}");
        assert_eq!(file["file_name"].as_str(), name, "T1: a RED file's name stays in: {file}");
        assert_eq!(file["tlp"], label);
        assert_eq!(file["byte_size"].as_u64(), Some(pdf().len() as u64));
        assert!(file["uploaded_at"].is_string(), "{file}");
    }
    for absent in ["RED-ONLY", "organizer-file", "%PDF", "Lessons from a ransomware case"] {
        assert!(!export.contains(absent), "{absent} is not in the export: {export}");
    }
}

/// An Office Open XML word-processing file's first entries.
fn docx() -> Vec<u8> {
    zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("_rels/.rels", b"<R/>"),
        ("word/document.xml", b"<w:document/>"),
    ])
}

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, data) in entries {
        out.extend_from_slice(b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0");
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
    }
    out
}

#[tokio::test]
async fn bad_files_are_refused_with_a_message_and_nothing_is_written() {
    let st = Stage::with(|s| s.materials.max_bytes = 300 * 1024).await;
    let app = &st.fx.app;
    let mut elf = b"\x7fELF\x02\x01\x01\0".to_vec();
    elf.resize(4096, 0);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("tool.pdf", elf.clone(), "This file&#x27;s content is not one that can be shared here"),
        ("slides.docx", pdf(), "name ends in .docx but its content is PDF"),
        ("archive.pptx", docx(), "name ends in .pptx but its content is Word document"),
        ("empty.pdf", Vec::new(), "The file is empty"),
        ("tool.exe", elf, "Only these files can be shared"),
        ("latin1.txt", b"caf\xe9\n".to_vec(), "not plain text"),
        // More than one stored chunk of text, then a bad byte: what was written goes again.
        ("long.txt", [vec![b'a'; 270 * 1024], b"\xff".to_vec()].concat(), "not plain text"),
    ];
    for (name, bytes, message) in cases {
        let res = upload(app, &st.speaker, &st.path(), name, "TLP:GREEN", &bytes).await;
        let page = refused_with(res, &[("file", message)]).await;
        assert!(page.contains("enctype=\"multipart/form-data\""), "{name}: the form again");
        assert_eq!(material_rows(app).await, (0, 0), "{name}: nothing written");
    }
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_with_413_and_nothing_is_written() {
    let st = Stage::with(|s| s.materials.max_bytes = 300 * 1024).await;
    let app = &st.fx.app;
    // Past the limit after one chunk is stored (the declared length is within the slack).
    let res = upload(app, &st.speaker, &st.path(), "big.txt", "TLP:GREEN", &vec![b'x'; 320 * 1024]).await;
    assert_eq!(res.status(), 413);
    let page = res.text().await.expect("body");
    assert_field_error(&page, "file", "The file is larger than 300 KiB");
    assert_eq!(material_rows(app).await, (0, 0));
    // Far past it: refused from the declared length.
    let res = upload(app, &st.speaker, &st.path(), "bigger.txt", "TLP:GREEN", &vec![b'x'; 600 * 1024]).await;
    assert_eq!(res.status(), 413);
    assert_eq!(material_rows(app).await, (0, 0));
}

#[tokio::test]
async fn file_names_with_line_breaks_or_folders_are_refused() {
    let st = Stage::new().await;
    let app = &st.fx.app;
    let token = app.csrf(&st.speaker).await;
    for disposition in [
        "filename*=UTF-8''evil%0D%0AX-Injected%3A%201.pdf",
        "filename=\"../../etc/slides.pdf\"",
        "filename=\"C:\\\\Users\\\\sam\\\\slides.pdf\"",
        "filename*=UTF-8''gpj%E2%80%AEfdp.pdf",
    ] {
        let (ct, body) = upload_body(Some(&token), false, Some("TLP:GREEN"), disposition, &pdf());
        let res = st.speaker.post(app.url(&st.path())).header("content-type", ct).body(body).send().await;
        refused_with(res.expect("sent"), &[("file", "The file name may not hold a folder")]).await;
        assert_eq!(material_rows(app).await, (0, 0), "{disposition}");
    }
}

#[tokio::test]
async fn an_upload_without_the_token_first_is_refused() {
    let st = Stage::new().await;
    let app = &st.fx.app;
    let token = app.csrf(&st.speaker).await;
    for (token, last) in [(None, false), (Some(token.as_str()), true), (Some("wrong"), false)] {
        let (ct, body) = upload_body(token, last, Some("TLP:GREEN"), "filename=\"slides.pdf\"", &pdf());
        let res = st.speaker.post(app.url(&st.path())).header("content-type", ct).body(body).send().await;
        assert_eq!(res.expect("sent").status(), 403, "{token:?} last={last}");
    }
    assert_eq!(material_rows(app).await, (0, 0));
}

#[tokio::test]
async fn every_byte_value_round_trips_through_the_database_and_the_download() {
    let st = Stage::new().await;
    let app = &st.fx.app;
    // Straight through the model: one chunk of every byte value.
    let all: Vec<u8> = (0..=255u8).collect();
    let (session, by, now, stored) = (st.session, st.speaker_id, app.clock.now_naive(), all.clone());
    let back = app
        .db
        .query(move |c| {
            let id = material::begin(c, session, by, "bytes.zip", FileKind::Zip, Tlp::Green, now)?;
            material::append(c, id, 0, &stored)?;
            let back = material::chunk(c, id, 0)?;
            material::delete(c, id)?;
            Ok(back)
        })
        .await
        .expect("stored and read");
    assert_eq!(back, all);

    // Through the pages: a ZIP of three chunks whose content holds every byte value.
    let mut archive = zip(&[("sample.bin", &all)]);
    while archive.len() < 600 * 1024 {
        archive.extend((0..=255u8).rev());
    }
    let res = upload(app, &st.speaker, &st.path(), "sample.zip", "TLP:AMBER", &archive).await;
    assert_eq!(res.status(), 303);
    let chunks = app.db.query(|c| material_chunks::table.count().get_result::<i64>(c)).await.expect("count");
    assert_eq!(chunks, 3, "kept as rows of 256 KiB");
    let id = st.only_material().await;
    let res = st.speaker.get(app.url(&format!("{}/{id}", st.path()))).send().await.expect("sent");
    assert_eq!(res.headers()["content-type"], "application/zip");
    assert_eq!(res.bytes().await.expect("body").as_ref(), archive.as_slice());
}

#[tokio::test]
async fn the_uploader_and_organizers_delete_after_confirming_and_others_cannot() {
    let st = Stage::new().await;
    let app = &st.fx.app;
    assert_eq!(upload(app, &st.speaker, &st.path(), "slides.pdf", "TLP:RED", &pdf()).await.status(), 303);
    let id = st.only_material().await;
    let delete = format!("{}/{id}/delete", st.path());
    let other = st.person("other@cert-at.example", Status::Approved).await;
    assert_eq!(app.post_form_with(&other, &delete, &[("confirm", "yes")]).await.status(), 403);

    let page = app.page_with(&st.speaker, &st.page()).await;
    assert!(page.contains(&format!("action=\"{delete}\"")), "the uploader sees a delete button");
    let res = app.post_form_with(&st.speaker, &delete, &[]).await;
    assert_eq!(res.status(), 200, "asks first");
    let ask = res.text().await.expect("body");
    assert!(ask.contains("name=\"confirm\" value=\"yes\""));
    let title = ask.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).expect("title");
    assert!(!title.contains("slides.pdf"), "a RED file's name stays out of the title: {title}");
    assert_eq!(material_rows(app).await.0, 1, "nothing deleted yet");

    let res = app.post_form_with(&st.speaker, &delete, &[("confirm", "yes")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(material_rows(app).await, (0, 0), "the file and its bytes are gone");
    assert!(audit_actions(app).await.contains(&"material.deleted".to_owned()));

    // An organizer deletes anyone's.
    assert_eq!(upload(app, &st.speaker, &st.path(), "again.pdf", "TLP:RED", &pdf()).await.status(), 303);
    let id = st.only_material().await;
    let res = app.post_form(&format!("{}/{id}/delete", st.path()), &[("confirm", "yes")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(material_rows(app).await, (0, 0));
}
