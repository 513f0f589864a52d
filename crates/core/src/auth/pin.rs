//! PINs and the recovery code: checked for shape, hashed with Argon2id into a PHC string
//! (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) by the `argon2` crate, never by code of ours. The
//! salt comes from the operating system (`getrandom`). Only the PHC string is stored.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::error::{CoreError, Field, Result, Rule};

pub const PIN_MIN: u32 = 4;
pub const PIN_MAX: u32 = 8;

/// A PIN as typed: 4 to 8 ASCII digits, nothing else (no space is trimmed: a PIN is not text).
pub fn check_pin(pin: &str, field: Field) -> Result<()> {
    let n = pin.len() as u32;
    if !(PIN_MIN..=PIN_MAX).contains(&n) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CoreError::invalid(field, Rule::PinDigits { min: PIN_MIN, max: PIN_MAX }));
    }
    Ok(())
}

fn failed(e: impl std::fmt::Display) -> CoreError {
    CoreError::AuthFailed { detail: e.to_string() }
}

/// The PHC string of `secret` with a fresh random salt (Argon2id, the crate's default cost).
pub(crate) fn hash(secret: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(failed)?;
    let salt = SaltString::encode_b64(&salt).map_err(failed)?;
    Ok(Argon2::default().hash_password(secret.as_bytes(), &salt).map_err(failed)?.to_string())
}

/// Whether `secret` matches the stored PHC string. A stored string that is not one is damage.
pub(crate) fn matches(secret: &str, stored: &str) -> Result<bool> {
    let parsed = PasswordHash::new(stored).map_err(failed)?;
    if parsed.algorithm.as_str() != "argon2id" {
        return Err(failed("not an Argon2id hash"));
    }
    match Argon2::default().verify_password(secret.as_bytes(), &parsed) {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::Password) => Ok(false),
        Err(e) => Err(failed(e)),
    }
}

/// The letters a recovery code is written in: no 0/O, 1/I/L or U, so it reads back from paper.
const CODE_ALPHABET: &[u8; 30] = b"ABCDEFGHJKMNPQRSTVWXYZ23456789";
/// 16 letters of 30 (over 78 bits), written in four groups of four.
const CODE_LEN: usize = 16;

/// A new recovery code, `ABCD-EFGH-JKMN-PQRS`, from the operating system's randomness (a byte of
/// 240 or more is drawn again, so every letter is equally likely).
pub(crate) fn new_recovery_code() -> Result<String> {
    let mut letters = Vec::with_capacity(CODE_LEN);
    while letters.len() < CODE_LEN {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(failed)?;
        for b in bytes.into_iter().filter(|b| *b < 240) {
            if letters.len() < CODE_LEN {
                letters.push(CODE_ALPHABET[(b % 30) as usize] as char);
            }
        }
    }
    Ok(letters.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

/// A recovery code as typed, in the one form it is hashed in: upper case, no spaces or dashes.
/// Anything but 16 letters of the alphabet is refused, never guessed.
pub(crate) fn normalise_recovery_code(typed: &str) -> Result<String> {
    let code: String = typed.chars().filter(|c| !matches!(c, ' ' | '-')).map(|c| c.to_ascii_uppercase()).collect();
    if code.len() != CODE_LEN || !code.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
        return Err(CoreError::invalid(Field::RecoveryCode, Rule::Characters { example: "ABCD-EFGH-JKMN-PQRS".into() }));
    }
    Ok(code)
}
