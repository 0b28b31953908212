//! Where a pick form sends the attendee back to (its `back` field): decided before the
//! pick is written, so a forged target can neither fail the redirect after the write nor
//! lead off this meeting's agenda.

/// The page to return to: `back` when it is `/meetings/{slug}/agenda` with only its own
/// filters or one session's page of this meeting, else the agenda itself.
pub fn back_target(slug: &str, back: &str) -> String {
    known_target(slug, back).unwrap_or_else(|| format!("/meetings/{slug}/agenda"))
}

/// `back` without its fragment if it is a known page of this meeting's agenda; `None` for
/// anything else, including line breaks, `//`, backslashes, non-ASCII and other meetings.
fn known_target(slug: &str, back: &str) -> Option<String> {
    let back = back.split('#').next().unwrap_or_default();
    let agenda = format!("/meetings/{slug}/agenda");
    if back.is_empty() {
        return Some(agenda);
    }
    if !back.bytes().all(|b| b.is_ascii_graphic()) || back.contains("//") || back.contains('\\') {
        return None;
    }
    let (path, query) = back.split_once('?').unwrap_or((back, ""));
    let fine = if path == agenda {
        url::form_urlencoded::parse(query.as_bytes()).all(|(k, _)| matches!(&*k, "day" | "track" | "mine"))
    } else {
        let session = path.strip_prefix(&format!("/meetings/{slug}/sessions/"));
        query.is_empty() && session.is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
    };
    fine.then(|| back.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_agenda_with_its_filters_and_a_session_page_are_targets() {
        for back in [
            "/meetings/m-1/agenda",
            "/meetings/m-1/agenda?day=2026-06-20&track=Red+Team%C3%A9&mine=1",
            "/meetings/m-1/sessions/42",
        ] {
            assert_eq!(back_target("m-1", back), back, "{back}");
        }
        assert_eq!(back_target("m-1", ""), "/meetings/m-1/agenda");
        assert_eq!(back_target("m-1", "/meetings/m-1/sessions/4#s-4"), "/meetings/m-1/sessions/4");
    }

    #[test]
    fn anything_else_leads_to_the_agenda() {
        for back in [
            "/meetings/m-1/agenda\r\nSet-Cookie: x=1",
            "/meetings/m-1/agenda?day=1\n",
            "/meetings/m-1/agenda?next=//evil.example",
            "/meetings/m-1//agenda",
            "//evil.example/meetings/m-1/agenda",
            "https://evil.example/meetings/m-1/agenda",
            "/meetings/m-1/agenda?day=é",
            "/meetings/m-1/agenda?redirect=1",
            "/meetings/m-2/agenda",
            "/meetings/m-1/sessions/4/../../../admin",
            "/meetings/m-1/sessions/",
            "/meetings/m-1/attendees",
            "/meetings/m-1\\agenda",
        ] {
            assert_eq!(known_target("m-1", back), None, "{back:?}");
            assert_eq!(back_target("m-1", back), "/meetings/m-1/agenda");
        }
    }
}
