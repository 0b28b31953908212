use crate::helpers::{spawn_app, spawn_app_with};

fn assert_security_headers(res: &reqwest::Response) {
    let h = res.headers();
    let csp = h["content-security-policy"].to_str().expect("ascii");
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert_eq!(h["x-frame-options"], "DENY");
}

#[tokio::test]
async fn pages_assets_and_errors_carry_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/", "/assets/style.css", "/healthz", "/no/such/page"] {
        let res = app.get(path).await;
        assert_security_headers(&res);
        assert!(res.headers().get("strict-transport-security").is_none(), "no HSTS over http");
    }
}

#[tokio::test]
async fn hsts_is_sent_when_the_public_url_is_https() {
    let app = spawn_app_with(|s| s.server.public_url = "https://meet.example.org".into(), |_| {}).await;
    for path in ["/", "/no/such/page"] {
        let res = app.get(path).await;
        assert_security_headers(&res);
        let hsts = res.headers()["strict-transport-security"].to_str().expect("ascii");
        assert!(hsts.starts_with("max-age="), "{hsts}");
    }
}

#[tokio::test]
async fn assets_are_cacheable() {
    let app = spawn_app().await;
    let res = app.get("/assets/style.css").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "public, max-age=3600");
    assert!(res.headers().contains_key("etag"));
}

#[tokio::test]
async fn the_home_page_says_what_the_service_is() {
    let app = spawn_app().await;
    let body = app.get("/").await.text().await.expect("body");
    assert!(body.contains("CSIRTs with National Responsibility"));
    assert!(body.contains("Invitation only"));
    assert!(body.contains("/assets/style.css"));
    assert!(!body.contains("style="), "no inline styles (CSP)");
}

#[tokio::test]
async fn the_favicon_answers_where_browsers_ask_for_it_and_every_page_links_it() {
    let app = spawn_app().await;
    let asset = app.get("/assets/favicon.svg").await;
    assert_eq!(asset.status(), 200);
    assert_eq!(asset.headers()["content-type"], "image/svg+xml");
    let drawing = asset.text().await.expect("svg");

    let res = app.get("/favicon.ico").await;
    assert_eq!(res.status(), 200, "no redirect, no 404 in the log");
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert_eq!(res.headers()["cache-control"], "public, max-age=86400");
    assert!(res.headers().get("set-cookie").is_none(), "a publicly cached answer sets no cookie");
    assert_security_headers(&res);
    let body = res.text().await.expect("svg");
    assert!(body.starts_with("<svg") && body.contains("viewBox"), "{body}");
    assert_eq!(body, drawing, "the same drawing at both addresses");

    let home = app.get("/").await.text().await.expect("body");
    assert!(home.contains(r#"<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">"#));
}
