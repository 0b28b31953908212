//! The suite's own shape: a feature file imports only `helpers` (the machinery) and
//! `fixtures` (the shared rows and steps), never another feature file, and those two
//! never import a feature. What two features share belongs in `fixtures`.

use std::{
    collections::BTreeSet,
    fs,
    path::{Path, PathBuf},
};

/// The modules every file may import.
const SHARED: [&str; 2] = ["helpers", "fixtures"];

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("api")
}

/// The feature modules `main.rs` declares.
fn features(main: &str) -> BTreeSet<String> {
    main.lines()
        .filter_map(|l| l.trim().strip_prefix("mod ")?.strip_suffix(';'))
        .filter(|m| !SHARED.contains(m))
        .map(str::to_owned)
        .collect()
}

/// Every `.rs` file under `dir`, with its path relative to the suite.
fn sources(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("the suite's folder reads") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            sources(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

/// The identifier at the start of `text`.
fn ident(text: &str) -> &str {
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len());
    &text[..end]
}

/// `code` with its string and character literals emptied: a sample source or a URL in a
/// test is not an import.
fn without_literals(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find(['"', '\'']) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let raw_hashes = before.strip_suffix(|c| c == 'r' || c == '#').map(|_| {
            let tail = before.trim_end_matches('#');
            (tail.ends_with('r'), before.len() - tail.len())
        });
        rest = if let Some(after) = from.strip_prefix('\'') {
            // A character literal ('"', '\'', 'é'); a lifetime has no closing quote.
            let len = match after.strip_prefix('\\') {
                Some(escaped) => escaped.get(1..).and_then(|e| e.find('\'')).map(|e| e + 3),
                None => after.char_indices().nth(1).filter(|(_, c)| *c == '\'').map(|(i, _)| i + 1),
            };
            match len {
                Some(l) => &after[l..],
                None => {
                    out.push('\'');
                    after
                }
            }
        } else if let Some((true, hashes)) = raw_hashes {
            let close = format!("\"{}", "#".repeat(hashes));
            from[1..].find(&close).map_or("", |end| &from[1 + end + close.len()..])
        } else {
            let mut chars = from.char_indices().skip(1);
            let mut end = from.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    _ => {}
                }
            }
            &from[end..]
        };
        out.push_str("\"\"");
    }
    out.push_str(rest);
    out
}

/// The top-level modules of the suite that `source` names through `crate::` (and through
/// `super::` when the file is itself at the top level): in paths and in `use` groups.
fn modules_named(source: &str, top_level: bool) -> BTreeSet<String> {
    let lines: String =
        source.lines().filter(|l| !l.trim_start().starts_with("//")).map(|l| format!("{l}\n")).collect();
    let code: String = without_literals(&lines)
        .lines()
        .map(|l| format!("{}\n", l.split("//").next().unwrap_or_default()))
        .collect();
    let mut named = BTreeSet::new();
    let prefixes: &[&str] = if top_level { &["crate::", "super::"] } else { &["crate::"] };
    for prefix in prefixes {
        for (at, _) in code.match_indices(prefix) {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let rest = &code[at + prefix.len()..];
            if !rest.starts_with('{') {
                named.insert(ident(rest).to_owned());
                continue;
            }
            // `use crate::{a::…, b, c::{…}}`: the first name of each top-level item.
            let (mut depth, mut item_start) = (0, 1);
            for (i, c) in rest.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' | ',' if depth == 1 => {
                        named.insert(ident(rest[item_start..i].trim_start()).to_owned());
                        item_start = i + 1;
                        if c == '}' {
                            break;
                        }
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
        }
    }
    named.retain(|m| !m.is_empty());
    named
}

#[test]
fn feature_files_import_only_helpers_and_fixtures() {
    let dir = suite_dir();
    let features = features(&fs::read_to_string(dir.join("main.rs")).expect("main.rs"));
    let mut files = Vec::new();
    sources(&dir, &mut files);
    let mut wrong = Vec::new();
    for path in files {
        let relative = path.strip_prefix(&dir).expect("inside the suite");
        let first = relative.components().next().expect("a name").as_os_str().to_string_lossy();
        let own = first.trim_end_matches(".rs");
        if own == "main" {
            continue;
        }
        let source = fs::read_to_string(&path).expect("the file reads");
        let top_level = relative.components().count() == 1;
        let foreign: Vec<_> = modules_named(&source, top_level)
            .into_iter()
            .filter(|m| features.contains(m) && m != own)
            .collect();
        if !foreign.is_empty() {
            wrong.push(format!("{} uses {}", relative.display(), foreign.join(", ")));
        }
    }
    assert!(
        wrong.is_empty(),
        "feature files import only crate::helpers and crate::fixtures (move what they share to \
         fixtures):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_import_check_sees_paths_and_use_groups() {
    let source = "use csirt_meet::outbox::Worker;\n\
                  use crate::{\n    fixtures::{Team, SLUG},\n    roster::{Person, register},\n    vetting,\n};\n\
                  // crate::commented::out\n\
                  fn f() { crate::feeds::publish(); super::meetings::form(&[]); }\n\
                  const NOT_AN_IMPORT: [&str; 2] = [\"crate::roster::Person\", r#\"crate::vetting\"#];\n\
                  const QUOTE: char = '\"'; // crate::outbox\n";
    let named: Vec<_> = modules_named(source, true).into_iter().collect();
    assert_eq!(named, ["feeds", "fixtures", "meetings", "roster", "vetting"]);
    let nested: Vec<_> =
        modules_named("use super::roles::Role;\nuse crate::helpers::TestApp;\n", false).into_iter().collect();
    assert_eq!(nested, ["helpers"], "super:: below the top level is the file's own feature");
}
