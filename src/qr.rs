//! QR codes as inline SVG for pages: the module matrix drawn as `<rect>`s, one per run of
//! dark modules in a row. Only presentation attributes (`fill`), never `style`, because
//! the Content-Security-Policy forbids inline styles; a `<title>` and `aria-label` say
//! what the picture is for people who cannot see it.

use std::fmt::Write as _;

use qrcode::{Color, EcLevel, QrCode, types::QrError};

/// The light border the standard asks for around the code, in modules.
const QUIET_ZONE: usize = 4;
/// Screen pixels per module: big enough for phone cameras at arm's length.
const PIXELS_PER_MODULE: usize = 4;

/// The SVG of a QR code holding `data`, described by `label` (plain text, escaped here).
pub fn svg(data: &str, label: &str) -> Result<String, QrError> {
    // Level M survives a smudged screen or glare and keeps an otpauth URI small.
    let code = QrCode::with_error_correction_level(data, EcLevel::M)?;
    let width = code.width();
    let size = width + 2 * QUIET_ZONE;
    let pixels = size * PIXELS_PER_MODULE;
    let label = escape(label);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         width=\"{pixels}\" height=\"{pixels}\" role=\"img\" aria-label=\"{label}\" \
         shape-rendering=\"crispEdges\"><title>{label}</title>\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#ffffff\"/><g fill=\"#000000\">"
    );
    for (y, row) in code.to_colors().chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            let start = x;
            while x < width && row[x] == Color::Dark {
                x += 1;
            }
            if x > start {
                let (left, top, run) = (start + QUIET_ZONE, y + QUIET_ZONE, x - start);
                let _ = write!(out, "<rect x=\"{left}\" y=\"{top}\" width=\"{run}\" height=\"1\"/>");
            } else {
                x += 1;
            }
        }
    }
    out.push_str("</g></svg>");
    Ok(out)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_svg_carries_no_style_and_describes_itself() {
        let svg = svg("otpauth://totp/x?secret=AAAA", "Setup code <for> \"Ana\"").expect("small enough");
        assert!(!svg.contains("style="), "the CSP forbids inline styles");
        assert!(svg.contains("role=\"img\" aria-label=\"Setup code &lt;for&gt; &quot;Ana&quot;\""));
        assert!(svg.contains("<title>Setup code &lt;for&gt; &quot;Ana&quot;</title>"));
        assert!(svg.matches("<rect ").count() > 20, "the dark modules are drawn");
    }

    #[test]
    fn data_too_long_for_any_qr_code_is_an_error() {
        assert!(svg(&"x".repeat(8000), "too long").is_err());
    }
}
