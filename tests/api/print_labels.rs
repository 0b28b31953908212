//! What the agenda gives the printer (issue 13, point 3): the highest label of the whole
//! printout for the page margins (the browser suite reads the printed PDF), and each
//! day's highest label beside its heading.

use crate::{
    fixtures::{SLUG, add_session, approved_attendee, publish_agenda},
    helpers::spawn_app,
};

#[tokio::test]
async fn the_agenda_names_the_printouts_highest_label_and_each_days_own() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    add_session(&app, "Open talk", "TLP:CLEAR", "2026-06-20", ("09:00", "10:00"), "").await;
    add_session(&app, "Closed case", "TLP:RED", "2026-06-20", ("10:00", "11:00"), "").await;
    add_session(&app, "Green talk", "TLP:GREEN", "2026-06-21", ("09:00", "10:00"), "").await;
    add_session(&app, "Amber talk", "TLP:AMBER", "2026-06-21", ("10:00", "11:00"), "").await;
    publish_agenda(&app).await;
    let agenda = |query: &'static str| {
        let client = a.client.clone();
        let url = app.url(&format!("/meetings/{SLUG}/agenda{query}"));
        async move { client.get(url).send().await.expect("sent").text().await.expect("body") }
    };

    let page = agenda("").await;
    assert!(page.contains(r#"<body class="printout-tlp-red">"#), "the whole printout: {page}");
    assert!(page.contains(r#"<h2>Sat 20 June 2026 <span class="tlp tlp-red">TLP:RED</span></h2>"#), "{page}");
    assert!(
        page.contains(r#"<h2>Sun 21 June 2026 <span class="tlp tlp-amber">TLP:AMBER</span></h2>"#),
        "{page}"
    );

    // The printout is what the filters show: nothing picked, nothing printed, no label.
    let mine = agenda("?mine=1").await;
    assert!(mine.contains("<body>"), "{mine}");
    assert!(mine.contains("<h2>Sat 20 June 2026</h2>"), "{mine}");
}
