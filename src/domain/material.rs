//! Files shared on a session's page (slides, papers, samples as an archive): which kinds
//! are let in, how the kind is told from the content (never from the name alone), the rule
//! a file name must pass, and the `Content-Disposition` a file is served with.

use super::{
    text,
    tlp::{self, Tlp},
    words::word_enum,
};

word_enum!(
    /// A kind of file the meeting accepts, named by its extension.
    FileKind, "a kind of file; use pdf, pptx, odp, docx, txt or zip" {
        Pdf => "pdf", "PDF";
        Pptx => "pptx", "PowerPoint";
        Odp => "odp", "OpenDocument presentation";
        Docx => "docx", "Word document";
        Txt => "txt", "plain text";
        Zip => "zip", "ZIP archive";
    }
);

impl FileKind {
    /// The media type a download is served with.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            FileKind::Odp => "application/vnd.oasis.opendocument.presentation",
            FileKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind::Txt => "text/plain; charset=utf-8",
            FileKind::Zip => "application/zip",
        }
    }

    /// The kind a file name's extension claims (any case), if it is one of ours.
    pub fn of_name(name: &str) -> Option<FileKind> {
        let (_, ext) = name.rsplit_once('.')?;
        FileKind::ALL.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(ext))
    }
}

/// What the upload form lists as accepted.
pub const ACCEPTED: &str = ".pdf, .pptx, .odp, .docx, .txt or .zip";

/// How many bytes from the start of a file decide its kind: one stored chunk.
pub const SNIFF_BYTES: usize = 256 * 1024;

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Kind(FileKind),
    /// No binary signature: text, if the whole file is UTF-8 without NUL ([`TextCheck`]).
    Text,
    /// A kind we refuse, by the extension its signature belongs to (`exe`, `elf`, `png`).
    Refused(&'static str),
}

/// The kind of a file from its first [`SNIFF_BYTES`] (or all of it when shorter). ZIP
/// containers are told apart by their entries: an OpenDocument file's first entry is an
/// uncompressed `mimetype` member naming its type; an Office Open XML file has
/// `[Content_Types].xml` and a `ppt/` or `word/` folder. Anything else in a ZIP is a ZIP.
/// Other signatures come from the `infer` crate; a text signature (HTML, XML, a script)
/// counts as text, served as `text/plain`.
pub fn sniff(prefix: &[u8]) -> Sniffed {
    if prefix.starts_with(b"PK\x03\x04") || prefix.starts_with(b"PK\x05\x06") {
        return Sniffed::Kind(zip_kind(prefix));
    }
    match infer::get(prefix) {
        Some(t) if t.mime_type() == "application/pdf" => Sniffed::Kind(FileKind::Pdf),
        Some(t) if t.matcher_type() == infer::MatcherType::Text => Sniffed::Text,
        Some(t) => Sniffed::Refused(t.extension()),
        None => Sniffed::Text,
    }
}

const ODP_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.presentation";

fn le16(b: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?) as usize)
}

fn le32(b: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize)
}

/// The names of the ZIP entries whose local headers lie in `buf`, and for the first one
/// its stored (uncompressed) content when it is short.
fn zip_entries(buf: &[u8]) -> (Vec<&[u8]>, Option<&[u8]>) {
    const HEADER: &[u8] = b"PK\x03\x04";
    let (mut names, mut first, mut at) = (Vec::new(), None, 0usize);
    while buf.get(at..at + 4) == Some(HEADER) {
        let (Some(flags), Some(method), Some(size), Some(name_len), Some(extra)) = (
            le16(buf, at + 6),
            le16(buf, at + 8),
            le32(buf, at + 18),
            le16(buf, at + 26),
            le16(buf, at + 28),
        ) else {
            break;
        };
        let name_at = at + 30;
        let Some(name) = buf.get(name_at..name_at + name_len) else { break };
        let data_at = name_at + name_len + extra;
        if names.is_empty() && method == 0 && size <= 200 {
            first = buf.get(data_at..data_at + size);
        }
        names.push(name);
        // With a data descriptor (flag bit 3) the size comes after the data: look for the
        // next header instead.
        let next = if flags & 0x08 != 0 || size == 0 {
            buf.get(data_at..).and_then(|rest| rest.windows(4).position(|w| w == HEADER)).map(|p| data_at + p)
        } else {
            Some(data_at + size)
        };
        match next {
            Some(n) if n > at => at = n,
            _ => break,
        }
    }
    (names, first)
}

fn zip_kind(buf: &[u8]) -> FileKind {
    let (names, first) = zip_entries(buf);
    if names.first() == Some(&&b"mimetype"[..]) && first == Some(ODP_MIMETYPE) {
        return FileKind::Odp;
    }
    if names.contains(&&b"[Content_Types].xml"[..]) {
        if names.iter().any(|n| n.starts_with(b"ppt/")) {
            return FileKind::Pptx;
        }
        if names.iter().any(|n| n.starts_with(b"word/")) {
            return FileKind::Docx;
        }
    }
    FileKind::Zip
}

/// Plain text checked as it streams in: valid UTF-8 (a character may be split between two
/// chunks) with no NUL byte.
#[derive(Debug, Default)]
pub struct TextCheck {
    /// The start of a character the last chunk ended in (at most 3 bytes).
    pending: Vec<u8>,
    failed: bool,
}

impl TextCheck {
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.failed {
            return;
        }
        let joined;
        let data = if self.pending.is_empty() {
            chunk
        } else {
            joined = [self.pending.as_slice(), chunk].concat();
            joined.as_slice()
        };
        let (valid, rest) = match std::str::from_utf8(data) {
            Ok(_) => (data, &[][..]),
            Err(e) if e.error_len().is_none() => data.split_at(e.valid_up_to()),
            Err(_) => {
                self.failed = true;
                return;
            }
        };
        self.failed = valid.contains(&0);
        self.pending = rest.to_vec();
    }

    /// True when everything fed was text.
    pub fn finish(&self) -> bool {
        !self.failed && self.pending.is_empty()
    }
}

/// Why an upload is refused; each message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("Choose a file to upload.")]
    NoFile,
    #[error("The file is empty. Choose the file again, or another one.")]
    Empty,
    #[error("The file arrived incomplete. Send it again.")]
    Incomplete,
    #[error("The file is larger than {0}. Make it smaller (or split it into parts) and upload it again.")]
    TooLarge(String),
    #[error(
        "The file name may not hold a folder (“/” or “\\”), a line break, a control character or an \
         invisible character. Rename the file and upload it again."
    )]
    NameCharacters,
    #[error("The file name is longer than 200 characters. Rename the file and upload it again.")]
    NameTooLong,
    #[error("Only these files can be shared: {ACCEPTED}. The file name must end in one of them.")]
    Extension,
    #[error(
        "This file's content is not one that can be shared here (it looks like a .{0} file). Only {ACCEPTED} files are accepted."
    )]
    Content(&'static str),
    #[error(
        "The file's name ends in .{claimed} but its content is {found}. Give it the right name, or upload the file you meant."
    )]
    Spoofed { claimed: FileKind, found: &'static str },
    #[error("The file's name ends in .txt but its content is not plain text (UTF-8 without NUL bytes).")]
    NotText,
}

/// A file name that may be stored and shown: one line, no folder, no control or invisible
/// character (a right-to-left override could make `gpj.exe` read as `exe.jpg`), at most
/// 200 characters, ending in an accepted extension. Such names are refused, not cleaned: a
/// cleaned name would not be the one the uploader sees on their disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName {
    pub name: String,
    pub claimed: FileKind,
}

pub fn file_name(raw: &str) -> Result<FileName, Refusal> {
    if raw.trim().is_empty() {
        return Err(Refusal::NoFile);
    }
    if raw.contains(['/', '\\']) || raw.contains(['\r', '\n']) {
        return Err(Refusal::NameCharacters);
    }
    let name = text::single_line(raw).map_err(|_| Refusal::NameCharacters)?;
    if name == "." || name == ".." {
        return Err(Refusal::NameCharacters);
    }
    if name.chars().count() > 200 {
        return Err(Refusal::NameTooLong);
    }
    let claimed = FileKind::of_name(&name).ok_or(Refusal::Extension)?;
    Ok(FileName { name, claimed })
}

/// The kind a file is stored as, from what its name claims and what its content is.
pub fn decide(claimed: FileKind, sniffed: Sniffed) -> Result<FileKind, Refusal> {
    let found = match sniffed {
        Sniffed::Refused(ext) => return Err(Refusal::Content(ext)),
        Sniffed::Text => FileKind::Txt,
        Sniffed::Kind(k) => k,
    };
    if found == claimed { Ok(found) } else { Err(Refusal::Spoofed { claimed, found: found.label() }) }
}

/// `Content-Disposition: attachment` for a stored name (RFC 6266): an ASCII `filename`
/// fallback and the UTF-8 `filename*` (RFC 8187). Whatever the name holds, the header never
/// carries a folder, a quote, a backslash, a control character (CR, LF) or an invisible one
/// (bidi controls); a name left empty becomes `material.{ext}`.
pub fn content_disposition(stored: &str, kind: FileKind) -> String {
    let base = stored.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .filter(|&c| !c.is_control() && !text::is_invisible(c) && !matches!(c, '"' | '\\' | '/'))
        .collect();
    let clean = match clean.trim() {
        "" | "." | ".." => format!("material.{kind}"),
        t => t.to_owned(),
    };
    let ascii: String = clean
        .chars()
        .map(|c| if c.is_ascii_graphic() && !matches!(c, '%' | ';' | '\'') || c == ' ' { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for b in clean.bytes() {
        // RFC 8187 attr-char; everything else percent-encoded.
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// A file name where it leaves the app (an export): TLP content like a title (T1), so
/// left out when the file or its session is TLP:RED, the stricter of the two deciding.
pub fn name_outside(name: &str, file: Tlp, session: Tlp) -> Option<&str> {
    (tlp::highest([file, session]) != Some(Tlp::Red)).then_some(name)
}

/// A size as people read it, in powers of 1024 named as such: "812 bytes", "40 KiB",
/// "3.3 MiB", "25 MiB" (the limit is exact, so its name must be too).
pub fn human_size(bytes: i64) -> String {
    const KIB: i64 = 1024;
    const MIB: i64 = KIB * KIB;
    if bytes < KIB {
        format!("{bytes} bytes")
    } else if bytes < MIB {
        format!("{:.0} KiB", bytes as f64 / KIB as f64)
    } else if bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_leaves_the_app_unless_the_file_or_its_session_is_red() {
        assert_eq!(name_outside("plan.pdf", Tlp::Amber, Tlp::Green), Some("plan.pdf"));
        assert_eq!(name_outside("plan.pdf", Tlp::AmberStrict, Tlp::AmberStrict), Some("plan.pdf"));
        assert_eq!(name_outside("plan.pdf", Tlp::Red, Tlp::Clear), None);
        assert_eq!(name_outside("plan.pdf", Tlp::Clear, Tlp::Red), None);
    }

    /// A ZIP local header for `name` holding `data` stored (method 0).
    pub(crate) fn entry(name: &str, data: &[u8]) -> Vec<u8> {
        let mut e = b"PK\x03\x04".to_vec();
        e.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        e.extend_from_slice(&(data.len() as u32).to_le_bytes());
        e.extend_from_slice(&(data.len() as u32).to_le_bytes());
        e.extend_from_slice(&(name.len() as u16).to_le_bytes());
        e.extend_from_slice(&0u16.to_le_bytes());
        e.extend_from_slice(name.as_bytes());
        e.extend_from_slice(data);
        e
    }

    fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        entries.iter().flat_map(|(n, d)| entry(n, d)).collect()
    }

    #[test]
    fn zip_containers_are_told_apart_by_their_entries() {
        let odp = zip(&[("mimetype", ODP_MIMETYPE), ("content.xml", b"<x/>")]);
        assert_eq!(sniff(&odp), Sniffed::Kind(FileKind::Odp));
        let pptx = zip(&[
            ("[Content_Types].xml", b"<T/>"),
            ("_rels/.rels", b"<R/>"),
            ("ppt/presentation.xml", b"<p/>"),
        ]);
        assert_eq!(sniff(&pptx), Sniffed::Kind(FileKind::Pptx));
        let docx = zip(&[
            ("[Content_Types].xml", b"<T/>"),
            ("docProps/app.xml", b"<a/>"),
            ("word/document.xml", b"<d/>"),
        ]);
        assert_eq!(sniff(&docx), Sniffed::Kind(FileKind::Docx));
        let odt = zip(&[("mimetype", b"application/vnd.oasis.opendocument.text")]);
        assert_eq!(sniff(&odt), Sniffed::Kind(FileKind::Zip), "not a presentation: a plain ZIP");
        let plain = zip(&[("sample.bin", b"\x00\x01"), ("word/readme.txt", b"hi")]);
        assert_eq!(sniff(&plain), Sniffed::Kind(FileKind::Zip), "word/ without [Content_Types].xml");
        assert_eq!(sniff(b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"), Sniffed::Kind(FileKind::Zip));
    }

    #[test]
    fn pdf_text_and_executables_are_recognised() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), Sniffed::Kind(FileKind::Pdf));
        assert_eq!(sniff("Plain notes, café.\n".as_bytes()), Sniffed::Text);
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), Sniffed::Text, "HTML is served as text/plain");
        let mut elf = b"\x7fELF\x02\x01\x01\0".to_vec();
        elf.resize(64, 0);
        assert!(matches!(sniff(&elf), Sniffed::Refused(_)), "{:?}", sniff(&elf));
        let mut pe = b"MZ\x90\0".to_vec();
        pe.resize(128, 0);
        assert!(matches!(sniff(&pe), Sniffed::Refused(_)), "{:?}", sniff(&pe));
        assert!(matches!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Sniffed::Refused("png")));
    }

    #[test]
    fn the_content_decides_and_must_match_the_name() {
        assert_eq!(decide(FileKind::Pdf, Sniffed::Kind(FileKind::Pdf)), Ok(FileKind::Pdf));
        assert_eq!(decide(FileKind::Pdf, Sniffed::Refused("exe")), Err(Refusal::Content("exe")));
        assert_eq!(
            decide(FileKind::Docx, Sniffed::Kind(FileKind::Zip)),
            Err(Refusal::Spoofed { claimed: FileKind::Docx, found: "ZIP archive" })
        );
        assert_eq!(decide(FileKind::Txt, Sniffed::Text), Ok(FileKind::Txt));
        assert!(decide(FileKind::Pdf, Sniffed::Text).is_err());
    }

    #[test]
    fn text_is_checked_across_chunk_boundaries() {
        let bytes = "añb€c😀".as_bytes();
        for split in 0..bytes.len() {
            let mut t = TextCheck::default();
            t.feed(&bytes[..split]);
            t.feed(&bytes[split..]);
            assert!(t.finish(), "split at {split}");
        }
        let mut t = TextCheck::default();
        t.feed(b"ok \xff");
        assert!(!t.finish(), "invalid UTF-8");
        let mut t = TextCheck::default();
        t.feed(b"nul\0");
        assert!(!t.finish(), "NUL byte");
        let mut t = TextCheck::default();
        t.feed(&"€".as_bytes()[..2]);
        assert!(!t.finish(), "cut in the middle of a character");
    }

    #[test]
    fn file_names_with_folders_line_breaks_or_bidi_controls_are_refused() {
        assert_eq!(file_name("slides.PDF").map(|f| f.claimed), Ok(FileKind::Pdf));
        assert_eq!(file_name(" notes.txt ").map(|f| f.name), Ok("notes.txt".to_owned()));
        for bad in
            ["../etc/passwd.txt", "C:\\x\\a.pdf", "a\r\nb.pdf", "a\nb.pdf", "gpj\u{202e}fdp.exe", "a\0.pdf"]
        {
            assert_eq!(file_name(bad), Err(Refusal::NameCharacters), "{bad:?}");
        }
        assert_eq!(file_name(""), Err(Refusal::NoFile));
        assert_eq!(file_name("tool.exe"), Err(Refusal::Extension));
        assert_eq!(file_name("noextension"), Err(Refusal::Extension));
        assert_eq!(file_name(&format!("{}.pdf", "a".repeat(200))), Err(Refusal::NameTooLong));
    }

    #[test]
    fn content_disposition_has_an_ascii_fallback_and_utf8() {
        assert_eq!(
            content_disposition("Résumé 2026.pdf", FileKind::Pdf),
            "attachment; filename=\"R_sum_ 2026.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%202026.pdf"
        );
        let h = content_disposition("..\\x/a\"b\r\nc\u{202e}d;%.txt", FileKind::Txt);
        assert_eq!(h, "attachment; filename=\"abcd__.txt\"; filename*=UTF-8''abcd%3B%25.txt");
        assert_eq!(
            content_disposition("\u{202e}", FileKind::Zip),
            "attachment; filename=\"material.zip\"; filename*=UTF-8''material.zip"
        );
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(812), "812 bytes");
        assert_eq!(human_size(40 * 1024), "40 KiB");
        assert_eq!(human_size(3 * 1024 * 1024 + 300 * 1024), "3.3 MiB");
        assert_eq!(human_size(25 * 1024 * 1024), "25 MiB");
    }
}
