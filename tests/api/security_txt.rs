//! `/.well-known/security.txt` (RFC 9116) from the `[security_txt]` settings.

use reqwest::{StatusCode, header};

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn without_a_configured_contact_there_is_no_security_txt() {
    let app = spawn_app().await;
    let res = app.get("/.well-known/security.txt").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.expect("body").contains("Page not found"), "the usual 404 page");
}

#[tokio::test]
async fn the_configured_contacts_expiry_and_policy_are_served_with_the_canonical_address() {
    let app = spawn_app_with(
        |s| {
            s.server.public_url = "https://meet.example.org".into();
            let t = &mut s.security_txt;
            t.contact = vec!["mailto:security@cert.example".into(), "https://cert.example/report".into()];
            t.expires = "2027-06-30T00:00:00Z".into();
            t.policy = "https://cert.example/disclosure".into();
            t.preferred_languages = "en, de".into();
        },
        |_| {},
    )
    .await;
    let res = app.get("/.well-known/security.txt").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "text/plain; charset=utf-8");
    assert!(res.headers().get(header::SET_COOKIE).is_none(), "an anonymous file sets no cookie");
    let body = res.text().await.expect("body");
    let fields: Vec<&str> = body.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        fields,
        [
            "Contact: mailto:security@cert.example",
            "Contact: https://cert.example/report",
            "Expires: 2027-06-30T00:00:00Z",
            "Policy: https://cert.example/disclosure",
            "Preferred-Languages: en, de",
            "Canonical: https://meet.example.org/.well-known/security.txt",
        ]
    );
}
