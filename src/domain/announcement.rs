//! How an announcement travels (issue 19, point 3): in clear to everyone, or encrypted to
//! those with a usable OpenPGP key and, for the others, in clear or not at all, as the
//! organizers choose per announcement.

use std::str::FromStr;

use serde::Serialize;

/// The organizers' choice for one announcement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Everyone gets the clear text (as before encryption existed).
    Clear,
    /// Encrypted to those with a key, in clear to the others.
    EncryptedElseClear,
    /// Encrypted to those with a key; the others get nothing.
    EncryptedOnly,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("Choose how the message travels: in clear, or encrypted to those with a key.")]
pub struct UnknownDelivery;

impl FromStr for Delivery {
    type Err = UnknownDelivery;

    /// An empty value is `Clear`: forms from before the choice existed send none.
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw {
            "" | "clear" => Ok(Self::Clear),
            "encrypted-or-clear" => Ok(Self::EncryptedElseClear),
            "encrypted-only" => Ok(Self::EncryptedOnly),
            _ => Err(UnknownDelivery),
        }
    }
}

/// What one recipient gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    Encrypted,
    Clear,
    Nothing,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clear => "clear",
            Self::EncryptedElseClear => "encrypted-or-clear",
            Self::EncryptedOnly => "encrypted-only",
        }
    }

    pub fn encrypts(self) -> bool {
        self != Self::Clear
    }

    /// The copy of a recipient who has (`true`) or lacks a usable key.
    pub fn copy_for(self, has_key: bool) -> Received {
        match (self, has_key) {
            (Self::Clear, _) => Received::Clear,
            (_, true) => Received::Encrypted,
            (Self::EncryptedElseClear, false) => Received::Clear,
            (Self::EncryptedOnly, false) => Received::Nothing,
        }
    }
}

/// How many recipients get each copy: what the confirmation step and the audit row say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub encrypted: usize,
    pub clear: usize,
    pub nothing: usize,
}

impl Counts {
    pub fn of(copies: impl IntoIterator<Item = Received>) -> Self {
        copies.into_iter().fold(Self::default(), |mut c, copy| {
            match copy {
                Received::Encrypted => c.encrypted += 1,
                Received::Clear => c.clear += 1,
                Received::Nothing => c.nothing += 1,
            }
            c
        })
    }

    /// The people who receive a message at all.
    pub fn receiving(self) -> usize {
        self.encrypted + self.clear
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choice_decides_who_gets_what() {
        use Received::*;
        let cases = [
            (Delivery::Clear, [Clear, Clear]),
            (Delivery::EncryptedElseClear, [Encrypted, Clear]),
            (Delivery::EncryptedOnly, [Encrypted, Nothing]),
        ];
        for (delivery, [with_key, without]) in cases {
            assert_eq!(delivery.copy_for(true), with_key, "{delivery:?} with a key");
            assert_eq!(delivery.copy_for(false), without, "{delivery:?} without a key");
            assert_eq!(delivery.as_str().parse(), Ok(delivery), "round trip");
        }
        assert_eq!("".parse(), Ok(Delivery::Clear), "older forms send no choice");
        assert_eq!("encrypted".parse::<Delivery>(), Err(UnknownDelivery));
    }

    #[test]
    fn counts_say_how_many_get_each_copy() {
        let counts =
            Counts::of([Received::Encrypted, Received::Clear, Received::Nothing, Received::Encrypted]);
        assert_eq!(counts, Counts { encrypted: 2, clear: 1, nothing: 1 });
        assert_eq!(counts.receiving(), 3);
    }
}
