//! The club's signing key. Each club has one minisign key in use (Ed25519): the report bundles it
//! hands to the commune are signed with it, and the commune checks them against the public key it
//! received on a printed card (`reporting::card`), with the stock `minisign` tool or `ishc verify`.
//!
//! **Invariant:** the secret half is only ever stored encrypted with the board's passphrase
//! (minisign's scrypt box); nothing here writes it in the clear, and `create_in` refuses a box that
//! would open without a passphrase. A passphrase is NFC-normalised first, so the same Vietnamese
//! words typed on another keyboard still open the key.
//!
//! A key is never deleted: rotation retires the old one and records a statement naming the new key,
//! signed by the old one, so a commune holding the old card can trust the new key.

use std::io::Cursor;

use chrono::{SecondsFormat, Utc};
use minisign::{KeyPair, PublicKey, PublicKeyBox, SecretKey, SecretKeyBox, SignatureBox};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;

use crate::auth::permissions::Action;
use crate::store::audit::Actor;
use crate::roster::club::{self, Club, ClubInput};
use crate::error::{CoreError, Field, Result, Rule};
use crate::store::{Store, Writer};

/// A passphrase has at least this many characters.
pub const MIN_PASSPHRASE: u32 = 8;
/// And at most this many (minisign takes up to 1024 bytes; 256 characters of Vietnamese fit).
pub const MAX_PASSPHRASE: u32 = 256;

/// A `.pub` file (or the base64 line) read from outside is at most this long: a minisign public key
/// file is about 110 bytes; a few KiB leave room for a long comment and nothing more.
pub const MAX_PUBLIC_KEY_FILE: u64 = 4 * 1024;
/// A passphrase file is read up to this size (only its first line is used; 256 characters of
/// Vietnamese are at most 1 KiB).
pub const MAX_PASSPHRASE_FILE: u64 = 4 * 1024;

/// How many bytes of the SHA-256 digest the fingerprint shows: 16 bytes = 128 bits = 32 hex digits.
pub const FINGERPRINT_BYTES: usize = 16;

/// The first line of a rotation statement: the format of the text the old key signs.
pub const ROTATION_HEADER: &str = "ishc key rotation v1";

/// One of the club's keys, as the board and the commune see it (never the secret half).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClubKey {
    /// minisign's key id: 16 upper-case hex digits, as `minisign` prints it. A label only: anyone can
    /// give their own key the same id, so it proves nothing (the fingerprint does).
    pub key_id: String,
    /// The key's fingerprint (`fingerprint`): SHA-256 of the public key, 32 hex digits in eight
    /// groups of four, `3F2A 9B1C 7D4E 0A55 91C2 44AB 0D7E 6F13`, compared by eye with the card.
    pub fingerprint: String,
    /// The public key in base64, the second line of `club.pub`.
    pub public_key: String,
    /// The whole text of a minisign `.pub` file for this key.
    pub public_key_file: String,
    /// UTC, RFC 3339.
    pub created_at: String,
    pub created_by: String,
    pub retired_at: Option<String>,
    /// The key this one replaced (a rotation), if any: its key id (a label) and its fingerprint.
    pub replaces_key_id: Option<String>,
    pub replaces_fingerprint: Option<String>,
}

/// A key change, proven by the old key: it signed a statement naming the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct RotationProof {
    pub previous_key_id: String,
    /// The old key's public key, base64.
    pub previous_public_key: String,
    /// The plain-text statement (`ishc key rotation v1` …) the old key signed.
    pub statement: String,
    /// The minisign signature of `statement` by the old key (the text of a `.minisig` file).
    pub signature: String,
}

/// What `rotate` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KeyRotation {
    pub old: ClubKey,
    pub new: ClubKey,
    pub proof: RotationProof,
}

/// An unlocked key, for signing inside the core only.
pub(crate) struct Unlocked {
    pub(crate) pk: PublicKey,
    pub(crate) sk: SecretKey,
    pub(crate) key: ClubKey,
    /// Present when this key replaced an older one.
    pub(crate) rotation: Option<RotationProof>,
    row_id: i64,
}

/// The key id minisign prints for a public key: its 8-byte key number, little-endian, in hex.
pub fn key_id_of(pk: &PublicKey) -> String {
    let mut n = [0u8; 8];
    let num = pk.keynum();
    n[..num.len().min(8)].copy_from_slice(&num[..num.len().min(8)]);
    format!("{:016X}", u64::from_le_bytes(n))
}

/// The key's fingerprint, the one thing the commune compares with the printed card: SHA-256 over
/// minisign's public key bytes (the algorithm `Ed`, the 8-byte key id and the 32-byte Ed25519 key),
/// its first 128 bits in upper-case hex, in eight groups of four:
/// `3F2A 9B1C 7D4E 0A55 91C2 44AB 0D7E 6F13`.
///
/// The key id alone is not a fingerprint: it is a label minisign picks at random, and anyone can put
/// the club's id on a key of their own. The digest covers the Ed25519 key itself, so another key has
/// another fingerprint.
///
/// Why 128 bits suffice: the card is printed before any forger acts, so to pass a forged bundle off
/// as the club's, someone must find a key whose fingerprint equals a *given* one — a second preimage,
/// about 2^128 SHA-256 evaluations, far beyond anyone. A birthday collision (2^64) would not help:
/// it yields two keys of the forger's own making with one fingerprint, and the club makes its key on
/// its own machine, never accepting one from outside. 32 digits are as many as a person will read
/// and compare (or type) without error.
pub fn fingerprint(pk: &PublicKey) -> String {
    let digest = Sha256::digest(pk.to_bytes());
    let hex: String = digest[..FINGERPRINT_BYTES].iter().map(|b| format!("{b:02X}")).collect();
    hex.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

/// The fingerprint of a public key given as a `.pub` file's text or bare base64.
pub fn fingerprint_of_text(text: &str) -> Result<String> {
    parse_public_key(text).map(|pk| fingerprint(&pk))
}

/// The text of a minisign `.pub` file, its comment naming the club.
pub fn public_key_file(key_id: &str, club_name: &str, public_key: &str) -> String {
    format!("untrusted comment: ishc club key {key_id} {club_name}\n{public_key}\n")
}

/// A public key given as the text of a `.pub` file or as its bare base64 line.
pub fn parse_public_key(text: &str) -> Result<PublicKey> {
    let text = text.trim_start_matches('\u{feff}').trim();
    let pk = if text.starts_with("untrusted comment:") {
        PublicKeyBox::from_string(text).and_then(PublicKey::from_box)
    } else {
        PublicKey::from_base64(text)
    };
    pk.map_err(|e| CoreError::KeyInvalid { detail: e.to_string() })
}

/// The key id of a public key given as a `.pub` file's text or bare base64.
pub fn key_id_of_text(text: &str) -> Result<String> {
    parse_public_key(text).map(|pk| key_id_of(&pk))
}

fn failed(e: minisign::PError) -> CoreError {
    CoreError::KeyFailed { detail: e.to_string() }
}

fn normalise(passphrase: &str) -> String {
    passphrase.nfc().collect()
}

/// Check a new passphrase against the rules and return it normalised (NFC).
pub fn check_passphrase(passphrase: &str, field: Field) -> Result<String> {
    let p = normalise(passphrase);
    if p.trim().is_empty() {
        return Err(CoreError::invalid(field, Rule::Required));
    }
    let n = p.chars().count();
    if n < MIN_PASSPHRASE as usize {
        return Err(CoreError::invalid(field, Rule::TooShort { min: MIN_PASSPHRASE }));
    }
    if n > MAX_PASSPHRASE as usize {
        return Err(CoreError::invalid(field, Rule::TooLong { max: MAX_PASSPHRASE }));
    }
    Ok(p)
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

const SELECT: &str = "SELECT k.id, k.key_id, k.public_key, k.created_at, k.created_by, k.retired_at,
        p.key_id, p.public_key, k.rotation_statement, k.rotation_signature, c.name, k.secret_box
    FROM club_key k JOIN club c ON c.id = k.club_id LEFT JOIN club_key p ON p.id = k.replaces";

struct KeyRow {
    id: i64,
    key: ClubKey,
    rotation: Option<RotationProof>,
    secret_box: String,
}

/// The fingerprint of a stored base64 public key; a key that does not parse is damage, said as such.
fn stored_fingerprint(column: usize, base64: &str) -> rusqlite::Result<String> {
    PublicKey::from_base64(base64)
        .map(|pk| fingerprint(&pk))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e)))
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<KeyRow> {
    let key_id: String = r.get(1)?;
    let public_key: String = r.get(2)?;
    let fingerprint = stored_fingerprint(2, &public_key)?;
    let club_name: String = r.get(10)?;
    let previous: Option<(String, String)> = match (r.get::<_, Option<String>>(6)?, r.get::<_, Option<String>>(7)?) {
        (Some(id), Some(pk)) => Some((id, pk)),
        _ => None,
    };
    let rotation = match (&previous, r.get::<_, Option<String>>(8)?, r.get::<_, Option<String>>(9)?) {
        (Some((id, pk)), Some(statement), Some(signature)) => Some(RotationProof {
            previous_key_id: id.clone(),
            previous_public_key: pk.clone(),
            statement,
            signature,
        }),
        _ => None,
    };
    let replaces_fingerprint = match &previous {
        Some((_, pk)) => Some(stored_fingerprint(7, pk)?),
        None => None,
    };
    Ok(KeyRow {
        id: r.get(0)?,
        key: ClubKey {
            fingerprint,
            replaces_fingerprint,
            public_key_file: public_key_file(&key_id, &club_name, &public_key),
            key_id,
            public_key,
            created_at: r.get(3)?,
            created_by: r.get(4)?,
            retired_at: r.get(5)?,
            replaces_key_id: previous.map(|(id, _)| id),
        },
        rotation,
        secret_box: r.get(11)?,
    })
}

fn active_row(conn: &Connection, club_id: i64) -> Result<Option<KeyRow>> {
    Ok(conn
        .query_row(&format!("{SELECT} WHERE k.club_id = ?1 AND k.retired_at IS NULL"), [club_id], from_row)
        .optional()?)
}

fn row_by_id(conn: &Connection, id: i64) -> Result<KeyRow> {
    Ok(conn.query_row(&format!("{SELECT} WHERE k.id = ?1"), [id], from_row)?)
}

/// A new key pair, its secret half encrypted with `passphrase`; the box text is checked to be
/// encrypted before it goes anywhere.
pub(crate) fn generate(passphrase: &str, comment: &str) -> Result<(PublicKey, String)> {
    let kp = KeyPair::generate_encrypted_keypair(Some(passphrase.to_string())).map_err(failed)?;
    let secret_box = kp.sk.to_box(Some(comment)).map_err(failed)?.into_string();
    let opens_without_passphrase =
        SecretKeyBox::from_string(&secret_box).and_then(SecretKey::from_unencrypted_box).is_ok();
    if opens_without_passphrase {
        return Err(CoreError::KeyFailed { detail: "the secret key was not encrypted".into() });
    }
    Ok((kp.pk, secret_box))
}

/// Give a club its signing key (a club from an older ledger, or one made without). Refused when the
/// club already has one: `rotate` replaces a key.
pub fn create(store: &mut Store, actor: &Actor, club_id: i64, passphrase: &str) -> Result<ClubKey> {
    club::get(store, club_id)?;
    let passphrase = check_passphrase(passphrase, Field::Passphrase)?;
    store.act(actor, club_id, Action::KeyChange, |w| create_in(w, club_id, &passphrase))
}

/// Create a club and its signing key (encrypted with `passphrase`) in one transaction: a club made
/// this way can sign its report bundles from the first day. Nothing is written if either is refused.
/// It lives here, not in `roster::club`, so that the roster never needs the signing key.
pub fn create_club_with_key(store: &mut Store, actor: &Actor, input: &ClubInput, passphrase: &str) -> Result<Club> {
    let input = club::validate(store, store.today(), input)?;
    let passphrase = check_passphrase(passphrase, Field::Passphrase)?;
    store.write(actor, |w| {
        let club = club::create_in(w, &input)?;
        create_in(w, club.id, &passphrase)?;
        Ok(club)
    })
}

/// `create` inside a transaction already open (club creation makes the key with the club).
pub(crate) fn create_in(w: &mut Writer<'_>, club_id: i64, passphrase: &str) -> Result<ClubKey> {
    let passphrase = check_passphrase(passphrase, Field::Passphrase)?;
    if let Some(existing) = active_row(&w.tx, club_id)? {
        return Err(CoreError::KeyExists { club_id, key_id: existing.key.key_id });
    }
    let exists: Option<i64> = w.tx.query_row("SELECT id FROM club WHERE id = ?1", [club_id], |r| r.get(0)).optional()?;
    if exists.is_none() {
        return Err(CoreError::ClubNotFound { id: club_id });
    }
    let (pk, secret_box) = generate(&passphrase, "ishc club key (encrypted with the board's passphrase)")?;
    let key_id = key_id_of(&pk);
    w.tx.execute(
        "INSERT INTO club_key (club_id, key_id, public_key, secret_box, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![club_id, key_id, pk.to_base64(), secret_box, now(), w.actor.name()],
    )?;
    let id = w.tx.last_insert_rowid();
    w.audit(Some(club_id), "key.create", Some(id), serde_json::json!({ "key_id": key_id, "fingerprint": fingerprint(&pk) }))?;
    Ok(row_by_id(&w.tx, id)?.key)
}

/// The key in use, if the club has one.
pub fn current(store: &Store, club_id: i64) -> Result<Option<ClubKey>> {
    Ok(active_row(store.conn(), club_id)?.map(|r| r.key))
}

/// Every key the club has had, oldest first.
pub fn history(store: &Store, club_id: i64) -> Result<Vec<ClubKey>> {
    let mut stmt = store.conn().prepare(&format!("{SELECT} WHERE k.club_id = ?1 ORDER BY k.id"))?;
    let rows = stmt.query_map([club_id], from_row)?;
    Ok(rows.map(|r| r.map(|k| k.key)).collect::<Result<_, _>>()?)
}

/// The rotation proof carried by a key that replaced another (None for a first key).
pub fn rotation_proof(store: &Store, key_id: &str) -> Result<Option<RotationProof>> {
    Ok(store
        .conn()
        .query_row(&format!("{SELECT} WHERE k.key_id = ?1"), [key_id], from_row)
        .optional()?
        .and_then(|r| r.rotation))
}

/// Open the club's key with the passphrase, for signing. Wrong passphrase → `key.wrong_passphrase`.
pub(crate) fn unlock(store: &Store, club_id: i64, passphrase: &str) -> Result<Unlocked> {
    let row = active_row(store.conn(), club_id)?.ok_or(CoreError::KeyMissing { club_id })?;
    open_row(row, passphrase, Field::Passphrase)
}

/// A key kept outside a club ledger (the commune's, in its own ledger), opened with the passphrase
/// for signing, with the same checks as a club's key. `owner` names it in its `.pub` file.
pub(crate) fn unlock_stored(
    public_key: &str,
    secret_box: &str,
    owner: &str,
    created: (&str, &str),
    passphrase: &str,
) -> Result<Unlocked> {
    let damaged = |detail: String| CoreError::KeyDamaged { key_id: String::new(), detail };
    let pk = PublicKey::from_base64(public_key).map_err(|e| damaged(e.to_string()))?;
    let key_id = key_id_of(&pk);
    let key = ClubKey {
        fingerprint: fingerprint(&pk),
        public_key_file: public_key_file(&key_id, owner, public_key),
        key_id,
        public_key: public_key.to_string(),
        created_at: created.0.to_string(),
        created_by: created.1.to_string(),
        retired_at: None,
        replaces_key_id: None,
        replaces_fingerprint: None,
    };
    open_row(KeyRow { id: 0, key, rotation: None, secret_box: secret_box.to_string() }, passphrase, Field::Passphrase)
}

fn open_row(row: KeyRow, passphrase: &str, field: Field) -> Result<Unlocked> {
    let damaged = |detail: String| CoreError::KeyDamaged { key_id: row.key.key_id.clone(), detail };
    let pk = PublicKey::from_base64(&row.key.public_key).map_err(|e| damaged(e.to_string()))?;
    let sk_box = SecretKeyBox::from_string(&row.secret_box).map_err(|e| damaged(e.to_string()))?;
    let sk = SecretKey::from_box(sk_box, Some(normalise(passphrase))).map_err(|e| match e.kind() {
        minisign::ErrorKind::Verify => CoreError::KeyWrongPassphrase { field },
        _ => damaged(e.to_string()),
    })?;
    let derived = PublicKey::from_secret_key(&sk).map_err(|e| damaged(e.to_string()))?;
    if derived != pk {
        return Err(damaged("the secret key does not match the public key".into()));
    }
    Ok(Unlocked { pk, sk, key: row.key, rotation: row.rotation, row_id: row.id })
}

/// Sign `data` with an unlocked key: the text of a `.minisig` file.
pub(crate) fn sign(key: &Unlocked, data: &[u8], trusted_comment: &str) -> Result<String> {
    let untrusted = format!("signature from ishc club key {}", key.key.key_id);
    Ok(minisign::sign(Some(&key.pk), &key.sk, Cursor::new(data), Some(trusted_comment), Some(&untrusted))
        .map_err(failed)?
        .into_string())
}

/// Check a minisign signature of `data` (text of a `.minisig` file) with `pk`.
pub(crate) fn verify_signature(pk: &PublicKey, data: &[u8], signature: &str) -> std::result::Result<(), String> {
    let sig = SignatureBox::from_string(signature).map_err(|e| e.to_string())?;
    minisign::verify(pk, &sig, Cursor::new(data), true, false, false).map_err(|e| e.to_string())
}

/// The statement the old key signs when the club changes keys.
pub fn rotation_statement(club_name: &str, old_key_id: &str, new_key_id: &str, new_public_key: &str, date: &str) -> String {
    format!(
        "{ROTATION_HEADER}\nclub: {club_name}\nold key: {old_key_id}\nnew key: {new_key_id}\nnew public key: {new_public_key}\ndate: {date}\n"
    )
}

/// Does `proof` show that its previous key handed over to `new_key_id` (with `new_public_key`)?
/// The reason, when it does not.
pub fn check_rotation(proof: &RotationProof, new_key_id: &str, new_public_key: &str) -> std::result::Result<(), String> {
    let old = PublicKey::from_base64(proof.previous_public_key.trim()).map_err(|e| format!("previous_public_key: {e}"))?;
    if key_id_of(&old) != proof.previous_key_id {
        return Err(format!("previous_public_key is key {}, not {}", key_id_of(&old), proof.previous_key_id));
    }
    verify_signature(&old, proof.statement.as_bytes(), &proof.signature)?;
    let mut lines = proof.statement.lines();
    if lines.next() != Some(ROTATION_HEADER) {
        return Err(format!("the statement does not start with \"{ROTATION_HEADER}\""));
    }
    let field = |name: &str| proof.statement.lines().find_map(|l| l.strip_prefix(name)).map(str::trim);
    if field("old key:") != Some(proof.previous_key_id.as_str()) {
        return Err("the statement names another old key".into());
    }
    if field("new key:") != Some(new_key_id) {
        return Err(format!("the statement does not name key {new_key_id}"));
    }
    if field("new public key:") != Some(new_public_key) {
        return Err("the statement names another new public key".into());
    }
    Ok(())
}

/// Replace the club's key: the old passphrase opens the old key, which signs a statement naming the
/// new one (made with `new_passphrase`); the old key is retired and the new one records the proof,
/// in one transaction. Bundles signed by the new key carry the proof.
pub fn rotate(
    store: &mut Store,
    actor: &Actor,
    club_id: i64,
    old_passphrase: &str,
    new_passphrase: &str,
) -> Result<KeyRotation> {
    let club = club::get(store, club_id)?;
    let new_passphrase = check_passphrase(new_passphrase, Field::NewPassphrase)?;
    let old = unlock(store, club_id, old_passphrase)?;
    let (new_pk, secret_box) = generate(&new_passphrase, "ishc club key (encrypted with the board's passphrase)")?;
    let new_key_id = key_id_of(&new_pk);
    let date = now();
    let statement = rotation_statement(&club.name, &old.key.key_id, &new_key_id, &new_pk.to_base64(), &date);
    let trusted = format!("ishc key rotation old={} new={}", old.key.key_id, new_key_id);
    let signature = sign(&old, statement.as_bytes(), &trusted)?;
    store.act(actor, club_id, Action::KeyChange, |w| {
        let retired = w.tx.execute(
            "UPDATE club_key SET retired_at = ?2 WHERE id = ?1 AND retired_at IS NULL",
            params![old.row_id, date],
        )?;
        if retired != 1 {
            return Err(CoreError::KeyMissing { club_id });
        }
        w.tx.execute(
            "INSERT INTO club_key (club_id, key_id, public_key, secret_box, created_at, created_by, replaces,
                rotation_statement, rotation_signature)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![club_id, new_key_id, new_pk.to_base64(), secret_box, date, w.actor.name(), old.row_id, statement, signature],
        )?;
        let id = w.tx.last_insert_rowid();
        w.audit(
            Some(club_id),
            "key.rotate",
            Some(id),
            serde_json::json!({
                "old_key_id": old.key.key_id, "new_key_id": new_key_id,
                "old_fingerprint": old.key.fingerprint, "new_fingerprint": fingerprint(&new_pk),
            }),
        )?;
        let new = row_by_id(&w.tx, id)?;
        let old_now = row_by_id(&w.tx, old.row_id)?;
        let proof = new.rotation.ok_or_else(|| CoreError::KeyFailed { detail: "rotation not recorded".into() })?;
        Ok(KeyRotation { old: old_now.key, new: new.key, proof })
    })
}

#[cfg(test)]
pub(crate) mod tests;
