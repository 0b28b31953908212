//! The second factor: RFC 6238 time-based one-time passwords with the parameters every
//! authenticator app supports (SHA-1, 6 digits, 30 s), and single-use recovery codes.

use std::fmt;

use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Builder, Secret, Totp};

use super::token::fill_random;

/// Seconds per time step.
pub const PERIOD_SECS: i64 = 30;
/// Digits in a code.
pub const DIGITS: u8 = 6;
/// Steps accepted either side of the current one, for clocks that drift (RFC 6238 §5.2).
const SKEW_STEPS: i64 = 1;
/// 160 bits, the secret length RFC 4226 §4 recommends.
const SECRET_BYTES: usize = 20;
/// RFC 4226 §4 forbids secrets under 128 bits.
const MIN_SECRET_BYTES: usize = 16;

/// How many recovery codes a user receives at once.
pub const RECOVERY_CODE_COUNT: usize = 10;
/// Crockford's base32 alphabet in lower case: no i, l, o or u to mistake for 1, 0 or v.
/// 32 symbols, so masking a random byte with 31 picks one without bias.
const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
/// Symbols per recovery code: 12 × 5 bits = 60 bits, beyond guessing through a
/// rate-limited login form.
const RECOVERY_CODE_CHARS: usize = 12;

/// The shared secret behind a user's codes. `Debug` prints `TotpSecret(…)`.
#[derive(Clone)]
pub struct TotpSecret(Vec<u8>);

impl TotpSecret {
    /// 20 bytes from the OS random number generator.
    ///
    /// # Panics
    ///
    /// If the operating system cannot provide randomness (see `Token::generate`).
    pub fn generate() -> Self {
        let mut bytes = vec![0_u8; SECRET_BYTES];
        fill_random(&mut bytes);
        TotpSecret(bytes)
    }

    /// RFC 4648 base32, upper case, without padding: what authenticator apps expect.
    pub fn to_base32(&self) -> String {
        Secret::from(self.0.as_slice()).to_base32()
    }

    /// Reads a base32 secret, ignoring whitespace, case and trailing padding.
    ///
    /// Refuses secrets under 128 bits and any text that is not the canonical encoding of
    /// its bytes, so a mistyped secret fails here rather than producing wrong codes.
    pub fn from_base32(encoded: &str) -> Option<Self> {
        let cleaned: String =
            encoded.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
        let cleaned = cleaned.trim_end_matches('=');
        let secret = TotpSecret(Secret::try_from_base32(cleaned).ok()?.as_bytes().to_vec());
        (secret.0.len() >= MIN_SECRET_BYTES && secret.to_base32() == cleaned).then_some(secret)
    }

    fn totp(&self) -> Totp {
        // Fixed, RFC-compliant parameters and a secret of at least 128 bits (guaranteed by
        // the constructors) are exactly what `build` would check, so the unchecked
        // builder cannot produce a generator that panics.
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(DIGITS)
            .with_step_duration(PERIOD_SECS.unsigned_abs())
            .with_secret(self.0.as_slice())
            .build_noncompliant()
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(…)")
    }
}

/// The `otpauth://` URI an authenticator app reads from a QR code (Google's Key Uri
/// Format), with issuer and account percent-encoded.
pub fn otpauth_uri(secret: &TotpSecret, issuer: &str, account: &str) -> String {
    let issuer = percent_encode(issuer);
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}\
         &algorithm=SHA1&digits={DIGITS}&period={PERIOD_SECS}",
        account = percent_encode(account),
        secret = secret.to_base32(),
    )
}

/// Encodes everything but RFC 3986 unreserved characters, which is correct in both the
/// path (the label) and the query; `form_urlencoded` would turn spaces into `+`, which
/// authenticator apps show literally in the label.
fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push('%');
            encoded.push(char::from(HEX[usize::from(byte >> 4)]));
            encoded.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    encoded
}

/// The time step that `unix_secs` falls in.
pub fn step_at(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(PERIOD_SECS)
}

/// The code for the step containing `unix_secs`. Times before 1970 give the code of the
/// first step; a sane clock never produces them, and [`verify`] never accepts them.
pub fn code_at(secret: &TotpSecret, unix_secs: i64) -> String {
    let step = u64::try_from(step_at(unix_secs)).unwrap_or(0);
    code_for_step(&secret.totp(), step)
}

fn code_for_step(totp: &Totp, step: u64) -> String {
    totp.generate(step.saturating_mul(PERIOD_SECS.unsigned_abs())).to_string()
}

/// Checks `code` (spaces allowed, as apps display `123 456`) against the steps around
/// `unix_secs`, and returns the matched step, which the caller stores as the new
/// `last_used_step`.
///
/// Steps at or before `last_used_step` are refused, so each code works once and an
/// observed code cannot be replayed, even within its validity window.
pub fn verify(secret: &TotpSecret, code: &str, unix_secs: i64, last_used_step: Option<i64>) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != usize::from(DIGITS) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = secret.totp();
    let current = step_at(unix_secs);
    let mut matched = None;
    for step in current - SKEW_STEPS..=current + SKEW_STEPS {
        if last_used_step.is_some_and(|last| step <= last) {
            continue;
        }
        let Ok(counter) = u64::try_from(step) else {
            continue;
        };
        let expected = code_for_step(&totp, counter);
        // Keep the latest matching step: if one code happens to be valid for two steps
        // in the window, storing the earlier one would let the same code in again.
        if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) {
            matched = Some(step);
        }
    }
    matched
}

/// Ten fresh codes like `7k2m-q9xd-4hfz`, to show the user once and store hashed with
/// `hash_token(&normalize_recovery_code(code))`.
///
/// # Panics
///
/// If the operating system cannot provide randomness (see `Token::generate`).
pub fn generate_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODE_COUNT).map(|_| recovery_code()).collect()
}

fn recovery_code() -> String {
    let mut bytes = [0_u8; RECOVERY_CODE_CHARS];
    fill_random(&mut bytes);
    let symbols: Vec<char> =
        bytes.iter().map(|byte| char::from(RECOVERY_ALPHABET[usize::from(byte & 31)])).collect();
    symbols.chunks(4).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// The form a recovery code is hashed in: lower case, without spaces or dashes, and with
/// the look-alikes the alphabet leaves out read as what the user most likely meant
/// (`o` → `0`, `i` and `l` → `1`), as in Crockford's base32.
pub fn normalize_recovery_code(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'o' => '0',
            'i' | 'l' => '1',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::token::hash_token;

    /// The RFC 6238 appendix B secret for SHA-1, "12345678901234567890".
    const RFC_SECRET_BASE32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    fn rfc_secret() -> TotpSecret {
        TotpSecret::from_base32(RFC_SECRET_BASE32).expect("valid base32")
    }

    #[test]
    fn codes_match_the_rfc_6238_sha1_test_vectors() {
        let secret = rfc_secret();
        // The RFC lists 8-digit codes; 6-digit codes are their last six digits.
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            assert_eq!(code_at(&secret, time), code, "at T={time}");
        }
    }

    #[test]
    fn the_rfc_secret_decodes_to_its_ascii_bytes() {
        assert_eq!(rfc_secret().0, b"12345678901234567890");
    }

    #[test]
    fn a_generated_secret_has_160_bits_and_round_trips_through_base32() {
        let secret = TotpSecret::generate();
        assert_eq!(secret.0.len(), 20);
        let encoded = secret.to_base32();
        assert_eq!(encoded.len(), 32);
        assert!(encoded.chars().all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c)));
        let decoded = TotpSecret::from_base32(&encoded).expect("own encoding");
        assert_eq!(decoded.0, secret.0);
    }

    #[test]
    fn base32_input_may_use_spaces_lower_case_and_padding() {
        let secret = TotpSecret::from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq==").expect("valid");
        assert_eq!(secret.0, b"12345678901234567890");
    }

    #[test]
    fn malformed_or_short_base32_is_refused() {
        for input in ["", "GEZDGNBV", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ1", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ"] {
            assert!(TotpSecret::from_base32(input).is_none(), "{input:?}");
        }
    }

    #[test]
    fn debug_output_does_not_reveal_the_secret() {
        assert_eq!(format!("{:?}", rfc_secret()), "TotpSecret(…)");
    }

    #[test]
    fn the_otpauth_uri_percent_encodes_issuer_and_account() {
        assert_eq!(
            otpauth_uri(&rfc_secret(), "CSIRT Meet", "alice+soc@cert.example"),
            "otpauth://totp/CSIRT%20Meet:alice%2Bsoc%40cert.example\
             ?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=CSIRT%20Meet\
             &algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn steps_are_thirty_seconds_long_and_round_down() {
        assert_eq!(step_at(0), 0);
        assert_eq!(step_at(29), 0);
        assert_eq!(step_at(30), 1);
        assert_eq!(step_at(59), 1);
        assert_eq!(step_at(-1), -1);
    }

    #[test]
    fn the_current_code_is_accepted_and_its_step_returned() {
        let secret = rfc_secret();
        assert_eq!(verify(&secret, "287082", 59, None), Some(1));
    }

    #[test]
    fn a_code_with_spaces_is_accepted() {
        assert_eq!(verify(&rfc_secret(), " 287 082 ", 59, None), Some(1));
    }

    #[test]
    fn a_code_one_step_early_or_late_is_accepted_for_clock_skew() {
        let secret = rfc_secret();
        let now = 1_111_111_111;
        let step = step_at(now);
        let previous = code_at(&secret, now - PERIOD_SECS);
        let next = code_at(&secret, now + PERIOD_SECS);
        assert_eq!(verify(&secret, &previous, now, None), Some(step - 1));
        assert_eq!(verify(&secret, &next, now, None), Some(step + 1));
    }

    #[test]
    fn a_code_two_steps_away_is_refused() {
        let secret = rfc_secret();
        let now = 1_111_111_111;
        let stale = code_at(&secret, now - 2 * PERIOD_SECS);
        let early = code_at(&secret, now + 2 * PERIOD_SECS);
        assert_eq!(verify(&secret, &stale, now, None), None);
        assert_eq!(verify(&secret, &early, now, None), None);
    }

    #[test]
    fn a_code_is_accepted_only_once() {
        let secret = rfc_secret();
        let used = verify(&secret, "287082", 59, None);
        assert_eq!(used, Some(1));
        assert_eq!(verify(&secret, "287082", 59, used), None);
        assert_eq!(verify(&secret, "287082", 70, used), None);
    }

    #[test]
    fn an_older_code_is_refused_once_a_later_one_was_used() {
        let secret = rfc_secret();
        let now = 1_111_111_111;
        let previous = code_at(&secret, now - PERIOD_SECS);
        assert_eq!(verify(&secret, &previous, now, Some(step_at(now))), None);
    }

    #[test]
    fn a_wrong_code_is_refused() {
        let secret = rfc_secret();
        for time in [29, 59, 89] {
            assert_ne!(code_at(&secret, time), "000000");
        }
        assert_eq!(verify(&secret, "000000", 59, None), None);
    }

    #[test]
    fn a_code_that_is_not_six_digits_is_refused() {
        let secret = rfc_secret();
        for code in ["", "28708", "2870820", "28708a", "+28708", "２８７０８２"] {
            assert_eq!(verify(&secret, code, 59, None), None, "{code:?}");
        }
    }

    #[test]
    fn ten_distinct_recovery_codes_are_generated_in_groups_of_four() {
        let codes = generate_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODE_COUNT);
        for code in &codes {
            let groups: Vec<&str> = code.split('-').collect();
            assert_eq!(groups.len(), 3, "{code}");
            assert!(groups.iter().all(|group| group.len() == 4), "{code}");
            assert!(code.bytes().all(|b| b == b'-' || RECOVERY_ALPHABET.contains(&b)), "{code}");
        }
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
    }

    #[test]
    fn the_recovery_alphabet_has_32_distinct_symbols_without_look_alikes() {
        let mut symbols = RECOVERY_ALPHABET.to_vec();
        symbols.sort_unstable();
        symbols.dedup();
        assert_eq!(symbols.len(), 32);
        assert!(!symbols.iter().any(|b| b"ilou".contains(b)));
    }

    #[test]
    fn a_recovery_code_is_normalized_the_same_however_it_is_typed() {
        let code = "7k2m-q9xd-4hfz";
        let stored = hash_token(&normalize_recovery_code(code));
        for typed in ["7K2M-Q9XD-4HFZ", " 7k2m q9xd 4hfz ", "7k2mq9xd4hfz"] {
            assert_eq!(hash_token(&normalize_recovery_code(typed)), stored, "{typed}");
        }
    }

    #[test]
    fn look_alike_letters_in_a_recovery_code_are_read_as_digits() {
        assert_eq!(normalize_recovery_code("O1lI-ab0c"), "0111ab0c");
    }

    #[test]
    fn normalizing_a_generated_code_only_removes_the_dashes() {
        for code in generate_recovery_codes() {
            assert_eq!(normalize_recovery_code(&code), code.replace('-', ""));
        }
    }
}
