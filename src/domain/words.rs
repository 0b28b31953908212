//! Closed sets of words stored as text (statuses, roles, kinds, labels): one macro declares
//! each set with its stored word and the words people read, so every set parses, prints
//! and serialises the same way. How a stored word is read back from the database (and
//! what an unknown one means) is `models::stored`'s business, not this module's.

/// A word that names no member of its set: from a form, an import, or a stored row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{word}” is not {what}.")]
pub struct UnknownWord {
    pub word: String,
    /// What the set is, with its article: "a kind of session".
    pub what: &'static str,
}

/// Declares a closed set of words stored as text, with the words people read:
///
/// ```text
/// word_enum!(
///     /// doc
///     Name, "what one of them is" {
///         Variant => "stored", "label";
///     }
/// );
/// ```
///
/// The enum is `Copy`, ordered as declared (`ALL` too), parses only its exact stored
/// words ([`UnknownWord`] otherwise), and displays and serialises as the stored word, so
/// templates compare it with the same words as before.
macro_rules! word_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident => $stored:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every member, in the declared order.
            pub const ALL: [$name; [$($stored),+].len()] = [$($name::$variant),+];

            /// The stored form.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $stored),+ }
            }

            /// The words people read.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::domain::words::UnknownWord;

            fn from_str(raw: &str) -> Result<$name, Self::Err> {
                $name::ALL.into_iter().find(|v| v.as_str() == raw).ok_or_else(|| {
                    $crate::domain::words::UnknownWord { word: raw.to_owned(), what: $what }
                })
            }
        }

        /// The stored form, so a word can go straight into a URL or a message.
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

pub(crate) use word_enum;

#[cfg(test)]
mod tests {
    word_enum!(
        /// A set for the macro's own tests.
        Fruit, "a fruit" {
            Apple => "apple", "Apple";
            Pear => "pear", "Pear";
        }
    );

    #[test]
    fn a_word_set_parses_its_stored_words_and_nothing_else() {
        assert_eq!(Fruit::ALL, [Fruit::Apple, Fruit::Pear]);
        for f in Fruit::ALL {
            assert_eq!(f.as_str().parse::<Fruit>(), Ok(f));
            assert_eq!(f.to_string(), f.as_str());
            assert_eq!(serde_json::to_string(&f).expect("serializable"), format!("\"{}\"", f.as_str()));
        }
        let err = "Apple".parse::<Fruit>().expect_err("labels are not stored words");
        assert_eq!(err.to_string(), "“Apple” is not a fruit.");
        assert!(Fruit::Apple < Fruit::Pear, "ordered as declared");
        assert_eq!(Fruit::Pear.label(), "Pear");
    }
}
