//! The two-step setup page shows its otpauth URI as a QR code: an inline SVG without
//! style attributes that an independent decoder (rqrr) reads back as the URI of the key
//! written on the page. The page holds a secret, so no cache may keep it.

use csirt_meet::domain::totp::{self, TotpSecret};

use crate::{fixtures::start_enrollment, helpers::spawn_app};

/// Screen pixels per module when the SVG is drawn for the decoder.
const SCALE: usize = 6;

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).map(|i| i + start.len()).unwrap_or_else(|| panic!("{start} is on the page"));
    let to = text[from..].find(end).unwrap_or_else(|| panic!("{end} follows {start}"));
    &text[from..from + to]
}

fn attribute(tag: &str, name: &str) -> usize {
    between(tag, &format!(" {name}=\""), "\"").parse().unwrap_or_else(|_| panic!("{name} is a number: {tag}"))
}

/// The dark modules of the SVG as a grid of `size × size` (quiet zone included).
fn modules(svg: &str) -> (usize, Vec<Vec<bool>>) {
    let view_box = between(svg, "viewBox=\"", "\"");
    let size: usize = view_box.split(' ').nth(2).and_then(|s| s.parse().ok()).expect("viewBox 0 0 N N");
    let mut grid = vec![vec![false; size]; size];
    let dark = between(svg, "<g fill=\"#000000\">", "</g>");
    for tag in dark.split("<rect").skip(1) {
        let (x, y) = (attribute(tag, "x"), attribute(tag, "y"));
        let (w, h) = (attribute(tag, "width"), attribute(tag, "height"));
        for row in &mut grid[y..y + h] {
            row[x..x + w].iter_mut().for_each(|m| *m = true);
        }
    }
    (size, grid)
}

#[tokio::test]
async fn the_setup_page_shows_a_qr_code_of_the_key_it_writes_out_and_is_never_cached() {
    let app = spawn_app().await;
    let member = app.login_as_member().await;
    let res = start_enrollment(&app, &app.client, crate::helpers::PASSWORD).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store", "the page holds the secret");
    let page = res.text().await.expect("body");
    let secret = between(&page, "id=\"totp-secret\">", "<").to_owned();
    assert_eq!(secret.len(), 32, "the key stays on the page for people who type it");

    let svg = format!("<svg{}</svg>", between(&page, "<svg", "</svg>"));
    assert!(!svg.contains("style"), "the CSP forbids inline styles: {svg}");
    assert!(svg.contains("role=\"img\"") && svg.contains("aria-label=\""));
    assert!(svg.contains("<title>QR code with the setup address for your authenticator app</title>"));

    let (size, grid) = modules(&svg);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(size * SCALE, size * SCALE, |x, y| {
        if grid[y / SCALE][x / SCALE] { 0 } else { 255 }
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the picture");
    let (_, decoded) = grids[0].decode().expect("the code decodes");

    let uri = url::Url::parse(&decoded).expect("a URI");
    assert_eq!((uri.scheme(), uri.host_str()), ("otpauth", Some("totp")));
    let account = format!("/NatCSIRT%20meeting:{}", member.email.replace('@', "%40"));
    assert_eq!(uri.path(), account, "issuer and account name the key in the app");
    let query: Vec<(String, String)> = uri.query_pairs().into_owned().collect();
    let value = |key: &str| query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    assert_eq!(value("secret"), Some(secret.as_str()), "the code holds the key written on the page");
    assert_eq!(value("issuer"), Some("NatCSIRT meeting"));
    let written = page.replace("&#x2F;", "/").replace("&amp;", "&");
    assert!(written.contains(&decoded), "the page also writes the address out");
}

#[tokio::test]
async fn a_wrong_code_shows_the_same_qr_code_again_and_is_not_cached_either() {
    let app = spawn_app().await;
    app.login_as_member().await;
    let res = start_enrollment(&app, &app.client, crate::helpers::PASSWORD).await;
    let first = res.text().await.expect("body");
    let secret = TotpSecret::from_base32(between(&first, "id=\"totp-secret\">", "<")).expect("a key");
    let now = app.clock.now().timestamp();
    let accepted: Vec<String> = [-30, 0, 30].iter().map(|d| totp::code_at(&secret, now + d)).collect();
    let wrong =
        ["000000", "111111", "222222", "333333"].into_iter().find(|c| !accepted.iter().any(|a| a == c));
    let res = app.post_form("/me/second-factor", &[("code", wrong.expect("a wrong code"))]).await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let again = res.text().await.expect("body");
    assert_eq!(between(&again, "<svg", "</svg>"), between(&first, "<svg", "</svg>"), "the same key");
}
