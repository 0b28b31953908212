//! The browser family of a `User-Agent` header: what the security log keeps instead of the
//! raw string, which is long, fingerprints a device and can carry anything its sender typed.

/// The families the security log names; anything else is "other".
pub fn family(user_agent: &str) -> &'static str {
    // Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
    let has = |marker: &str| user_agent.contains(marker);
    if has("Edg/") || has("Edge/") || has("EdgA/") || has("EdgiOS/") {
        "Edge"
    } else if has("OPR/") || has("Opera") {
        "Opera"
    } else if has("Firefox/") || has("FxiOS/") {
        "Firefox"
    } else if has("Chrome/") || has("CriOS/") || has("Chromium/") {
        "Chrome"
    } else if has("Safari/") && has("Version/") {
        "Safari"
    } else {
        "other"
    }
}

#[cfg(test)]
mod tests {
    use super::family;

    #[test]
    fn common_desktop_browsers_are_named() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                      Chrome/131.0.0.0 Safari/537.36";
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                    Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70";
        let safari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) \
                      Version/18.1 Safari/605.1.15";
        let opera = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                     Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0";
        assert_eq!(family(firefox), "Firefox");
        assert_eq!(family(chrome), "Chrome");
        assert_eq!(family(edge), "Edge", "Edge also says Chrome");
        assert_eq!(family(safari), "Safari");
        assert_eq!(family(opera), "Opera", "Opera also says Chrome");
    }

    #[test]
    fn mobile_browsers_on_ios_are_named_by_their_brand() {
        let firefox_ios = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 \
                           (KHTML, like Gecko) FxiOS/132.0 Mobile/15E148 Safari/605.1.15";
        let chrome_ios = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 \
                          (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1";
        let safari_ios = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 \
                          (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
        assert_eq!(family(firefox_ios), "Firefox");
        assert_eq!(family(chrome_ios), "Chrome");
        assert_eq!(family(safari_ios), "Safari");
    }

    #[test]
    fn anything_else_is_other_and_never_echoed() {
        assert_eq!(family(""), "other");
        assert_eq!(family("curl/8.5.0"), "other");
        assert_eq!(family("<script>alert(1)</script> password=hunter2"), "other");
        assert_eq!(family("Mozilla/5.0 (compatible; Googlebot/2.1)"), "other");
    }
}
