//! A page rendered once for everyone who may see it, with the parts that are one person's
//! left as holes: the CSRF token of its forms, the person's name, and for each session
//! whether it is in their agenda. Filling the holes costs a copy of the bytes; rendering
//! through Tera costs milliseconds for an agenda of a hundred sessions.
//!
//! The holes are marked in the rendered text by [`Markers`]: strings that start with a
//! control character (which no stored text may hold, `domain::text`) and carry a random
//! value drawn at start-up, so nothing a person typed can pass for one. Tera's escaping
//! leaves them as they are (no `&<>"'/` in them). A page that shows whether a session is
//! picked is rendered twice, every session unpicked and every session picked, with the
//! fences of [`Markers::picked_begin`] and [`Markers::picked_end`] around what differs; the
//! two renders must be the same outside the fences, or the stencil is refused.

use tera::escape_html;

use crate::domain::token::Token;

/// The markers of one process (one random value, drawn once).
pub struct Markers {
    /// `"\u{1}<random>:"`; a marker is this, a word, and `"\u{1}"`.
    prefix: String,
}

impl Default for Markers {
    fn default() -> Self {
        Self { prefix: format!("\u{1}{}:", &Token::generate().as_str()[..32]) }
    }
}

impl Markers {
    fn marker(&self, word: &str) -> String {
        format!("{}{word}\u{1}", self.prefix)
    }

    /// Where the CSRF token goes.
    pub fn csrf(&self) -> String {
        self.marker("csrf")
    }

    /// Where the person's name goes (escaped as Tera escapes it).
    pub fn name(&self) -> String {
        self.marker("name")
    }

    /// Opens what differs when session `id` is picked.
    pub fn picked_begin(&self, id: i64) -> String {
        self.marker(&format!("pick-{id}"))
    }

    /// Closes it.
    pub fn picked_end(&self) -> String {
        self.marker("end")
    }
}

/// A piece of the page: fixed text or a hole for the person.
#[derive(Debug, PartialEq, Eq)]
enum Piece {
    Text(Box<str>),
    Csrf,
    Name,
}

#[derive(Debug)]
enum Part {
    Piece(Piece),
    /// What a session looks like unpicked and picked.
    Picked {
        session: i64,
        off: Vec<Piece>,
        on: Vec<Piece>,
    },
}

/// Why two renders make no stencil (a template change that puts a marker where it is
/// transformed, or a picked state that leaks outside its fences): the caller renders
/// the page itself instead.
#[derive(Debug, thiserror::Error)]
#[error("the page cannot be cached: {0}")]
pub struct Unstenciled(&'static str);

/// What one person brings to a stencil.
pub struct Person<'a> {
    pub csrf: &'a str,
    pub name: &'a str,
    /// Their picks, sorted.
    pub picks: &'a [i64],
}

/// A page with holes; see the module's documentation.
#[derive(Debug)]
pub struct Stencil {
    parts: Vec<Part>,
    /// The bytes of the fixed text, for the page's size and the cache's budget.
    bytes: usize,
}

enum Lexeme {
    Piece(Piece),
    Begin(i64),
    End,
}

fn tokens(markers: &Markers, text: &str) -> Result<Vec<Lexeme>, Unstenciled> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(&markers.prefix) {
        if at > 0 {
            out.push(Lexeme::Piece(Piece::Text(rest[..at].into())));
        }
        let after = &rest[at + markers.prefix.len()..];
        let end = after.find('\u{1}').ok_or(Unstenciled("a marker is cut"))?;
        out.push(match &after[..end] {
            "csrf" => Lexeme::Piece(Piece::Csrf),
            "name" => Lexeme::Piece(Piece::Name),
            "end" => Lexeme::End,
            word => Lexeme::Begin(
                word.strip_prefix("pick-")
                    .and_then(|id| id.parse().ok())
                    .ok_or(Unstenciled("an unknown marker"))?,
            ),
        });
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        out.push(Lexeme::Piece(Piece::Text(rest.into())));
    }
    Ok(out)
}

/// The parts of one render; `Picked` holds that render's fenced pieces in `off`.
fn parts(markers: &Markers, text: &str) -> Result<Vec<Part>, Unstenciled> {
    let mut out = Vec::new();
    let mut open: Option<(i64, Vec<Piece>)> = None;
    for t in tokens(markers, text)? {
        match (t, &mut open) {
            (Lexeme::Piece(p), Some((_, inside))) => inside.push(p),
            (Lexeme::Piece(p), None) => out.push(Part::Piece(p)),
            (Lexeme::Begin(id), None) => open = Some((id, Vec::new())),
            (Lexeme::End, Some(_)) => {
                let (session, off) = open.take().ok_or(Unstenciled("a fence is not open"))?;
                out.push(Part::Picked { session, off, on: Vec::new() });
            }
            (Lexeme::Begin(_), Some(_)) => return Err(Unstenciled("fences nest")),
            (Lexeme::End, None) => return Err(Unstenciled("a fence closes twice")),
        }
    }
    if open.is_some() {
        return Err(Unstenciled("a fence is not closed"));
    }
    Ok(out)
}

impl Stencil {
    /// The stencil of a page without picks: one render.
    pub fn new(markers: &Markers, render: &str) -> Result<Stencil, Unstenciled> {
        Self::from_renders(markers, render, render)
    }

    /// The stencil of a page rendered with no session picked (`off`) and with every
    /// session picked (`on`).
    pub fn from_renders(markers: &Markers, off: &str, on: &str) -> Result<Stencil, Unstenciled> {
        let (off, on) = (parts(markers, off)?, parts(markers, on)?);
        if off.len() != on.len() {
            return Err(Unstenciled("the renders differ outside the fences"));
        }
        let parts = off
            .into_iter()
            .zip(on)
            .map(|pair| match pair {
                (Part::Piece(a), Part::Piece(b)) if a == b => Ok(Part::Piece(a)),
                (Part::Picked { session, off, .. }, Part::Picked { session: s, off: on, .. })
                    if session == s =>
                {
                    Ok(Part::Picked { session, off, on })
                }
                _ => Err(Unstenciled("the renders differ outside the fences")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let text = |p: &Piece| if let Piece::Text(t) = p { t.len() } else { 0 };
        let bytes = parts
            .iter()
            .map(|p| match p {
                Part::Piece(p) => text(p),
                Part::Picked { off, on, .. } => off.iter().chain(on).map(text).sum(),
            })
            .sum();
        Ok(Stencil { parts, bytes })
    }

    /// The bytes it holds.
    pub fn size(&self) -> usize {
        self.bytes
    }

    /// The page for `person`.
    pub fn fill(&self, person: &Person<'_>) -> String {
        let (csrf, name) = (escape_html(person.csrf), escape_html(person.name));
        let mut out = String::with_capacity(self.bytes + 1024);
        let mut put = |pieces: &mut dyn Iterator<Item = &Piece>| {
            for p in pieces {
                out.push_str(match p {
                    Piece::Text(t) => t,
                    Piece::Csrf => &csrf,
                    Piece::Name => &name,
                });
            }
        };
        for part in &self.parts {
            match part {
                Part::Piece(p) => put(&mut std::iter::once(p)),
                Part::Picked { session, off, on } => {
                    let picked = person.picks.binary_search(session).is_ok();
                    put(&mut if picked { on.iter() } else { off.iter() });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person<'a>(picks: &'a [i64]) -> Person<'a> {
        Person { csrf: "c0ffee", name: "Ana <Silva>", picks }
    }

    #[test]
    fn holes_take_the_persons_token_name_and_picks() {
        let m = Markers::default();
        let page = |picked: bool| {
            let item = |id: i64| {
                format!(
                    "{}<li{}>{id}<input value=\"{}\"></li>{}",
                    m.picked_begin(id),
                    if picked { " class=picked" } else { "" },
                    m.csrf(),
                    m.picked_end()
                )
            };
            format!("<p>Sign out {}</p><ol>{}{}</ol>", m.name(), item(1), item(2))
        };
        let s = Stencil::from_renders(&m, &page(false), &page(true)).expect("a stencil");
        assert_eq!(
            s.fill(&person(&[2])),
            "<p>Sign out Ana &lt;Silva&gt;</p><ol><li>1<input value=\"c0ffee\"></li>\
             <li class=picked>2<input value=\"c0ffee\"></li></ol>"
        );
        assert!(!s.fill(&person(&[])).contains("picked"));
    }

    #[test]
    fn renders_that_differ_outside_the_fences_make_no_stencil() {
        let m = Markers::default();
        let e = Stencil::from_renders(&m, "<p>one</p>", "<p>two</p>").expect_err("refused");
        assert!(e.to_string().contains("outside the fences"));
        let cut = format!("<p>{}", m.csrf().trim_end_matches('\u{1}'));
        assert!(Stencil::new(&m, &cut).is_err(), "a cut marker");
        assert!(Stencil::new(&m, &m.picked_begin(3)).is_err(), "an open fence");
    }

    #[test]
    fn text_that_looks_like_a_marker_of_another_process_stays_text() {
        let (m, other) = (Markers::default(), Markers::default());
        let s = Stencil::new(&m, &format!("<p>{}</p>", other.csrf())).expect("a stencil");
        assert_eq!(s.fill(&person(&[])), format!("<p>{}</p>", other.csrf()));
    }
}
