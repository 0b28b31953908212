//! The attendee directory's contacts as a vCard 4.0 file (RFC 6350): one card per person
//! who opted in to share their address. Every value is escaped (`\`, `,`, `;`, line
//! breaks) so a name or team can never end a property or start another, and lines are
//! folded at 75 octets without splitting a UTF-8 character.

/// One person's card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub email: String,
    pub team: String,
    pub role: String,
    /// The OpenPGP fingerprint, when the person has a key.
    pub fingerprint: Option<String>,
}

/// The cards, one after another, each line ending in CRLF.
pub fn cards(contacts: &[Contact]) -> String {
    let mut out = String::new();
    for c in contacts {
        line(&mut out, "BEGIN:VCARD");
        line(&mut out, "VERSION:4.0");
        line(&mut out, &format!("FN:{}", escape(&c.name)));
        line(&mut out, &format!("EMAIL;TYPE=work:{}", escape(&c.email)));
        line(&mut out, &format!("ORG:{}", escape(&c.team)));
        if !c.role.trim().is_empty() {
            line(&mut out, &format!("TITLE:{}", escape(&c.role)));
        }
        if let Some(fingerprint) = &c.fingerprint {
            line(&mut out, &format!("NOTE:OpenPGP fingerprint {}", escape(fingerprint)));
        }
        line(&mut out, "END:VCARD");
    }
    out
}

/// A text value (RFC 6350, 3.4): backslash, comma and semicolon get a backslash, and every
/// line break (CRLF, CR or LF) becomes `\n`.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Appends `content` folded at 75 octets (RFC 6350, 3.2): each continuation starts with a
/// space, which counts within its line's 75.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(name: &str, team: &str) -> Contact {
        Contact {
            name: name.to_owned(),
            email: "ana@cert-at.example".to_owned(),
            team: team.to_owned(),
            role: "Analyst".to_owned(),
            fingerprint: None,
        }
    }

    /// The lines of a file, unfolded as a reader would (RFC 6350, 3.2).
    fn unfolded(file: &str) -> Vec<String> {
        file.replace("\r\n ", "").split("\r\n").filter(|l| !l.is_empty()).map(str::to_owned).collect()
    }

    #[test]
    fn hostile_values_are_escaped_and_never_start_a_property() {
        let file = cards(&[contact("Ana; Evil,\\ Name\r\nEMAIL:x@evil.example\nEND:VCARD", "CERT;AT,\rX")]);
        let lines = unfolded(&file);
        assert_eq!(lines[2], "FN:Ana\\; Evil\\,\\\\ Name\\nEMAIL:x@evil.example\\nEND:VCARD");
        assert_eq!(lines[4], "ORG:CERT\\;AT\\,\\nX");
        assert_eq!(lines.iter().filter(|l| l.starts_with("END:VCARD")).count(), 1);
        assert_eq!(lines.iter().filter(|l| l.starts_with("EMAIL")).count(), 1);
        assert!(!file.replace("\r\n", "").contains(['\r', '\n']));
    }

    #[test]
    fn a_card_has_the_version_name_address_team_role_and_fingerprint() {
        let mut c = contact("Ana Analyst", "CERT.at");
        c.fingerprint = Some("89AAB9F7865C4D64F2FAEF5113B76A67A51187B9".to_owned());
        let file = cards(&[c, contact("Bert", "CERT.at")]);
        assert!(file.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana Analyst\r\n"));
        assert!(file.contains("EMAIL;TYPE=work:ana@cert-at.example\r\nORG:CERT.at\r\nTITLE:Analyst\r\n"));
        assert!(file.contains("NOTE:OpenPGP fingerprint 89AAB9F7865C4D64F2FAEF5113B76A67A51187B9\r\n"));
        assert_eq!(file.matches("BEGIN:VCARD").count(), 2);
        assert!(file.ends_with("END:VCARD\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let name = "Ängström ".repeat(20);
        let file = cards(&[contact(&name, "CERT.at")]);
        for l in file.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert!(unfolded(&file).contains(&format!("FN:{name}")));
    }

    #[test]
    fn no_contacts_make_an_empty_file() {
        assert_eq!(cards(&[]), "");
    }
}
