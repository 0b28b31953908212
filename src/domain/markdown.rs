//! Markdown that organizers write for attendees (a meeting's practical information): what
//! may be saved, and how it becomes HTML.
//!
//! Two lines of defence. On save, [`check`] refuses raw HTML, links that are not http(s),
//! mailto or an address on this site, and images from anywhere but this site, so what is
//! stored is plain Markdown. On every read, [`to_html`] renders with pulldown-cmark and
//! sanitises the result with ammonia (the same link and image rules, no scripts, no style
//! attributes), so a row that got past the first line (an older version, a hand-made
//! row) still renders harmless. The Content-Security-Policy stays as strict as for every
//! page: no inline script or style, images from the app only.

use std::{borrow::Cow, collections::HashSet, sync::LazyLock};

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};
use url::{ParseError, Url};

use super::text::{self, TextError};

/// The longest text accepted, in characters: pages of practical information, not a book.
pub const MAX_CHARS: usize = 20_000;

/// How much of a refused link or HTML the message quotes.
const QUOTED_CHARS: usize = 60;

/// Why a Markdown text was refused, worded for the organizer who wrote it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkdownError {
    #[error(transparent)]
    Text(#[from] TextError),
    #[error("Write at most {MAX_CHARS} characters; this text has {0}.")]
    TooLong(usize),
    #[error(
        "Line {line}: remove the HTML “{html}”. Write Markdown only: # for a heading, - for a \
         list, [text](https://…) for a link."
    )]
    RawHtml { line: usize, html: String },
    #[error(
        "Line {line}: the link “{dest}” cannot be used. A link starts with https://, http:// or \
         mailto:, or is an address on this site like /me."
    )]
    Link { line: usize, dest: String },
    #[error(
        "Line {line}: the image “{dest}” is not on this site. Images can only come from this \
         site, with an address like /assets/venue-map.png; link to other images instead."
    )]
    Image { line: usize, dest: String },
}

/// The Markdown features pages use: CommonMark with tables and strikethrough. Heading
/// attributes (`{#id .class}`), footnotes, math and wiki links stay off.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// The text as it will be stored (line breaks made `\n` by the multi-line input rule), or
/// the first thing in it that cannot be saved.
pub fn check(raw: &str) -> Result<String, MarkdownError> {
    let text = text::multi_line(raw)?;
    let length = text.chars().count();
    if length > MAX_CHARS {
        return Err(MarkdownError::TooLong(length));
    }
    for (event, range) in Parser::new_ext(&text, options()).into_offset_iter() {
        let line = text[..range.start].matches('\n').count() + 1;
        match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                return Err(MarkdownError::RawHtml { line, html: quoted(html.trim()) });
            }
            // `<someone@cert.example>`: the renderer makes it a mailto link.
            Event::Start(Tag::Link { link_type: LinkType::Email, .. }) => {}
            Event::Start(Tag::Link { dest_url, .. }) if !is_allowed_link(&dest_url) => {
                return Err(MarkdownError::Link { line, dest: quoted(&dest_url) });
            }
            Event::Start(Tag::Image { dest_url, .. }) if !is_own_image(&dest_url) => {
                return Err(MarkdownError::Image { line, dest: quoted(&dest_url) });
            }
            _ => {}
        }
    }
    Ok(text)
}

/// The first characters of `s`, as a message quotes them.
fn quoted(s: &str) -> String {
    let mut out: String = s.chars().take(QUOTED_CHARS).collect();
    if s.chars().count() > QUOTED_CHARS {
        out.push('…');
    }
    out
}

/// The schemes a link may have.
const LINK_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// A link to the web or an address, or a relative one (a page of this site). Browsers
/// drop tabs and line breaks inside a scheme (`java\tscript:`) and ignore its case, and so
/// does the URL parser this asks.
pub fn is_allowed_link(dest: &str) -> bool {
    match Url::parse(dest) {
        Ok(url) => LINK_SCHEMES.contains(&url.scheme()),
        Err(e) => e == ParseError::RelativeUrlWithoutBase,
    }
}

/// An image address that stays on this site: relative, without a scheme of its own
/// (`data:`, `https:`), and not leaving the host once resolved (`//elsewhere.example/x`,
/// `/\elsewhere.example/x`).
pub fn is_own_image(src: &str) -> bool {
    static BASE: LazyLock<Option<Url>> = LazyLock::new(|| Url::parse("https://this-site.invalid/").ok());
    let Some(base) = BASE.as_ref() else { return false };
    !src.trim().is_empty()
        && matches!(Url::parse(src), Err(ParseError::RelativeUrlWithoutBase))
        && base.join(src).is_ok_and(|u| u.origin() == base.origin())
}

/// The sanitiser every rendering goes through: ammonia's defaults (no script, no style,
/// no event handlers) with only the link schemes above and only this site's images.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(HashSet::from(LINK_SCHEMES)).attribute_filter(|element, attribute, value| {
        match (element, attribute) {
            ("img", "src") if !is_own_image(value) => None,
            _ => Some(Cow::Borrowed(value)),
        }
    });
    b
});

/// One level down (`#` becomes `<h2>`): the page's own title is its one `<h1>`.
fn below_title(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// Stored Markdown as HTML a page may include as it is: rendered (headings under the
/// page's title), then sanitised.
pub fn to_html(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: below_title(level), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(below_title(level))),
        other => other,
    });
    let mut rendered = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut rendered, events);
    SANITISER.clean(&rendered).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn refused(raw: &str) -> MarkdownError {
        check(raw).expect_err(raw)
    }

    #[test]
    fn headings_lists_links_and_an_image_of_this_site_are_saved_and_rendered() {
        let raw = "# Venue\r\n\r\nHotel Example, Main Street 1. [Map](https://www.openstreetmap.org/?mlat=39.7)\r\n\r\n\
                   ## Hotels\r\n\r\n- Hotel One\r\n- Hotel Two\r\n\r\n1. Register\r\n2. Come\r\n\r\n\
                   Visa letters: [write to us](mailto:visa@cert.example) or <team@cert.example>.\r\n\r\n\
                   ![Floor plan](/assets/floor-plan.png) See also [your registration](/me) and [the agenda](../agenda).\r\n\r\n\
                   Wi-Fi `NatCSIRT <guest>`, password on your badge.";
        let text = check(raw).expect("plain Markdown is saved");
        assert!(!text.contains('\r'), "line breaks are stored as \\n");
        let html = to_html(&text);
        for part in [
            // One level down: the page's title is its one <h1>.
            "<h2>Venue</h2>",
            "<h3>Hotels</h3>",
            "<li>Hotel One</li>",
            "<ol>",
            r#"<a href="https://www.openstreetmap.org/?mlat=39.7" rel="noopener noreferrer">Map</a>"#,
            r#"<a href="mailto:visa@cert.example" rel="noopener noreferrer">write to us</a>"#,
            r#"<a href="mailto:team@cert.example" rel="noopener noreferrer">team@cert.example</a>"#,
            r#"<img src="/assets/floor-plan.png" alt="Floor plan">"#,
            r#"<a href="/me" rel="noopener noreferrer">"#,
            r#"<a href="../agenda" rel="noopener noreferrer">"#,
            "<code>NatCSIRT &lt;guest&gt;</code>",
        ] {
            assert!(html.contains(part), "{part} in {html}");
        }
    }

    #[test]
    fn a_table_renders_without_style_attributes() {
        let text = check("| Hotel | Price |\n| :--- | ---: |\n| One | 120 |").expect("a table is saved");
        let html = to_html(&text);
        assert!(html.contains("<table>") && html.contains("<td>120</td>"), "{html}");
        assert!(!html.contains("style"), "pulldown-cmark's alignment styles are removed: {html}");
    }

    #[test]
    fn raw_html_is_refused_with_its_line() {
        for (raw, line) in [
            ("<script>alert(1)</script>", 1),
            ("Dinner at 19:00\n\n<script src=https://evil.example/x.js></script>", 3),
            ("Bring your <b>badge</b>.", 1),
            ("Map: <img src=x onerror=alert(1)>", 1),
            ("<div style=\"color:red\">Wi-Fi</div>", 1),
            ("<!-- a note -->", 1),
            ("<iframe src=https://maps.example></iframe>", 1),
        ] {
            match refused(raw) {
                MarkdownError::RawHtml { line: l, .. } => assert_eq!(l, line, "{raw}"),
                other => panic!("{raw}: {other:?}"),
            }
        }
        let message = refused("x\n\n<script>alert(1)</script>").to_string();
        assert!(message.starts_with("Line 3: remove the HTML “<script>alert(1)</script>”"), "{message}");
    }

    #[test]
    fn links_with_other_schemes_are_refused() {
        for raw in [
            "[Map](javascript:alert(1))",
            "[Map](JavaScript:alert(1))",
            "[Map](jav&#x61;script:alert(1))",
            "[Map](javascript&colon;alert(1))",
            "<javascript:alert(1)>",
            "[Map][m]\n\n[m]: javascript:alert(1)",
            "[Map](data:text/html;base64,PHNjcmlwdD4=)",
            "[Map](vbscript:msgbox)",
            "[Files](file:///etc/passwd)",
            "[Files](ftp://files.example/)",
            "[Call](tel:+1555)",
            "[Bad](http://[::1)",
        ] {
            assert!(matches!(refused(raw), MarkdownError::Link { .. }), "{raw}");
        }
        let message = refused("[Map](javascript:alert(1))").to_string();
        assert!(message.contains("“javascript:alert(1)”") && message.contains("https://"), "{message}");
    }

    #[test]
    fn images_from_anywhere_but_this_site_are_refused() {
        for raw in [
            "![map](https://maps.example/venue.png)",
            "![map](http://maps.example/venue.png)",
            "![map](//maps.example/venue.png)",
            r"![map](/\maps.example/venue.png)",
            // `\\` is one escaped backslash in Markdown: this address starts with two.
            r"![map](\\\\maps.example/venue.png)",
            "![pixel](data:image/png;base64,iVBORw0KGgo=)",
            "![x](javascript:alert(1))",
            "![empty]()",
            "![map][m]\n\n[m]: https://maps.example/venue.png",
        ] {
            assert!(matches!(refused(raw), MarkdownError::Image { .. }), "{raw}");
        }
    }

    #[test]
    fn text_the_input_rule_refuses_or_too_much_of_it_is_refused() {
        assert!(matches!(refused("Wi-Fi\u{202e}drowssap"), MarkdownError::Text(_)));
        assert!(matches!(refused("nul\u{0}"), MarkdownError::Text(_)));
        let long = "a".repeat(MAX_CHARS + 1);
        assert_eq!(refused(&long), MarkdownError::TooLong(MAX_CHARS + 1));
        assert!(check(&"a".repeat(MAX_CHARS)).is_ok());
    }

    #[test]
    fn a_long_refused_link_is_quoted_short() {
        let raw = format!("[x](data:{})", "A".repeat(500));
        let message = refused(&raw).to_string();
        assert!(message.contains(&format!("“data:{}…”", "A".repeat(QUOTED_CHARS - 5))), "{message}");
        assert!(message.chars().count() < 250, "{message}");
    }

    /// What a stored row holds if it never went through `check` (an older version, a row
    /// made by hand): the sanitiser alone must make it harmless.
    #[test]
    fn rendering_stored_text_that_was_never_checked_is_harmless() {
        let stored = "# Dinner\n\n<script>alert(document.cookie)</script>\n\n\
                      <p style=\"color:red\" onclick=\"alert(1)\">Bring a <b>badge</b></p>\n\n\
                      [Map](javascript:alert(1)) [Data](data:text/html,x) ![spy](https://evil.example/p.gif) \
                      ![pixel](data:image/png;base64,AAAA) ![plan](/assets/plan.png)\n\n\
                      <img src=x onerror=alert(1)><iframe src=https://evil.example></iframe>\
                      <a href=\"vbscript:x\">v</a><style>body{display:none}</style>";
        let html = to_html(stored);
        let lower = html.to_lowercase();
        for bad in [
            "<script",
            "alert(document",
            "style",
            "onclick",
            "onerror",
            "javascript:",
            "data:",
            "evil.example",
            "<iframe",
            "vbscript",
        ] {
            assert!(!lower.contains(bad), "{bad} in {html}");
        }
        assert!(html.contains("<h2>Dinner</h2>") && html.contains("<b>badge</b>"), "{html}");
        assert!(html.contains(r#"<img src="/assets/plan.png" alt="plan">"#), "{html}");
    }

    #[test]
    fn the_image_rule_resolves_the_address_as_a_browser_would() {
        for ok in ["/assets/plan.png", "plan.png", "../assets/plan.png", "/assets/plan.png?v=2#top"] {
            assert!(is_own_image(ok), "{ok}");
        }
        for bad in ["", " ", "//x.example/p.png", "/\\x.example/p.png", "https://x.example/p.png", "data:,x"]
        {
            assert!(!is_own_image(bad), "{bad:?}");
        }
    }
}
