use super::*;
use sha2::{Digest, Sha256};
use crate::i18n::{error_message, Lang};

pub(crate) const PASS: &str = "mật khẩu câu lạc bộ";

fn d(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

pub(crate) fn setup() -> (Store, Actor, Club) {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(d("2026-11-22"));
    let actor = Actor::system("Lê Thị Hoa").unwrap();
    let mut input = ClubInput::new("CLB Đông Hòa", "Xã Quảng Hòa", "Huyện Quảng Xương", "Thanh Hóa", d("2019-03-01"));
    input.hamlet = "Thôn Đông".into();
    let club = club::create(&mut store, &actor, &input).unwrap();
    (store, actor, club)
}

fn audit_actions(store: &Store, club_id: i64) -> Vec<String> {
    crate::store::audit::list(store, club_id, 50).unwrap().into_iter().map(|e| e.action).collect()
}

#[test]
fn create_club_with_key_makes_both_or_neither() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(d("2026-11-22"));
    let actor = Actor::system("Lê Thị Hoa").unwrap();
    let input = ClubInput::new("CLB Đông Hòa", "Xã", "Huyện", "Tỉnh", d("2019-03-01"));
    let err = create_club_with_key(&mut store, &actor, &input, "short").unwrap_err();
    assert_eq!(err, CoreError::invalid(Field::Passphrase, Rule::TooShort { min: 8 }));
    assert!(club::list(&store).unwrap().is_empty(), "a refused passphrase leaves no club");
    let club = create_club_with_key(&mut store, &actor, &input, "mật khẩu câu lạc bộ").unwrap();
    let key = current(&store, club.id).unwrap().expect("the club has its key");
    assert_eq!(key.key_id.len(), 16);
    let actions: Vec<String> = crate::store::audit::list(&store, club.id, 10).unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions, ["key.create", "club.create"]);
}

#[test]
fn a_new_key_is_shown_as_minisign_shows_it_and_stored_encrypted() {
    let (mut store, actor, club) = setup();
    assert_eq!(current(&store, club.id).unwrap(), None);
    let key = create(&mut store, &actor, club.id, PASS).unwrap();
    assert_eq!(key.key_id.len(), 16);
    assert!(key.key_id.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()), "{}", key.key_id);
    // The fingerprint is SHA-256 of the whole public key (`Ed`, key id, Ed25519 key), first 128
    // bits, in eight groups of four upper-case hex digits; it is not the key id.
    let groups: Vec<&str> = key.fingerprint.split(' ').collect();
    assert_eq!(groups.len(), 8, "{}", key.fingerprint);
    assert!(groups.iter().all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase())));
    let raw = parse_public_key(&key.public_key).unwrap().to_bytes();
    assert_eq!((raw.len(), &raw[..2]), (42, &b"Ed"[..]));
    let digest: String = Sha256::digest(&raw).iter().map(|b| format!("{b:02X}")).collect();
    assert_eq!(groups.concat(), digest[..32]);
    assert!(!groups.concat().contains(&key.key_id));
    assert_eq!(fingerprint_of_text(&key.public_key_file).unwrap(), key.fingerprint);
    assert_eq!(
        key.public_key_file,
        format!("untrusted comment: ishc club key {} CLB Đông Hòa\n{}\n", key.key_id, key.public_key)
    );
    // minisign's own rendering of the public key names the same key id and base64 line.
    let pk = parse_public_key(&key.public_key_file).unwrap();
    let minisign_box = pk.to_box().unwrap().into_string();
    assert!(minisign_box.contains(&key.key_id), "{minisign_box}");
    assert!(minisign_box.contains(&key.public_key));
    assert_eq!(key_id_of_text(&key.public_key).unwrap(), key.key_id);
    assert_eq!((key.created_by.as_str(), key.retired_at.as_ref(), key.replaces_key_id.as_ref()), ("Lê Thị Hoa", None, None));
    assert_eq!(current(&store, club.id).unwrap(), Some(key.clone()));
    assert_eq!(history(&store, club.id).unwrap(), vec![key.clone()]);
    assert_eq!(audit_actions(&store, club.id), ["key.create", "club.create"]);

    // The stored secret box is minisign's scrypt-encrypted form: it does not open without the
    // passphrase, and the passphrase is nowhere in the file.
    let secret_box: String =
        store.conn().query_row("SELECT secret_box FROM club_key WHERE club_id = ?1", [club.id], |r| r.get(0)).unwrap();
    let b = SecretKeyBox::from_string(&secret_box).unwrap();
    assert!(SecretKey::from_unencrypted_box(b).is_err());
    let everything: String = store
        .conn()
        .query_row("SELECT group_concat(secret_box || public_key || created_by) FROM club_key", [], |r| r.get(0))
        .unwrap();
    assert!(!everything.contains(PASS));
    let detail: String = store.conn().query_row("SELECT group_concat(detail) FROM audit_log", [], |r| r.get(0)).unwrap();
    assert!(!detail.contains(PASS));
}

#[test]
fn one_key_per_club_and_a_passphrase_of_eight_characters() {
    let (mut store, actor, club) = setup();
    let err = create(&mut store, &actor, club.id, "1234567").unwrap_err();
    assert_eq!(err, CoreError::invalid(Field::Passphrase, Rule::TooShort { min: 8 }));
    assert_eq!(error_message(Lang::Vi, &err), "Mật khẩu của khóa ký: phải có ít nhất 8 ký tự.");
    assert_eq!(error_message(Lang::En, &err), "Signing key passphrase: must have at least 8 characters.");
    assert_eq!(create(&mut store, &actor, club.id, "        ").unwrap_err(), CoreError::invalid(Field::Passphrase, Rule::Required));
    assert_eq!(current(&store, club.id).unwrap(), None, "a refused passphrase makes no key");
    // Eight Vietnamese letters are eight characters, however many bytes.
    let key = create(&mut store, &actor, club.id, "mậtkhẩuđ").unwrap();
    let err = create(&mut store, &actor, club.id, PASS).unwrap_err();
    assert_eq!(err, CoreError::KeyExists { club_id: club.id, key_id: key.key_id.clone() });
    assert!(error_message(Lang::Vi, &err).contains(&key.key_id));
    assert_eq!(history(&store, club.id).unwrap().len(), 1);
    assert_eq!(create(&mut store, &actor, 99, PASS).unwrap_err(), CoreError::ClubNotFound { id: 99 });
}

#[test]
fn unlocking_needs_the_passphrase_in_any_unicode_form() {
    let (mut store, actor, club) = setup();
    assert_eq!(unlock(&store, club.id, PASS).err().map(|e| e.code()), Some("key.missing".into()));
    let key = create(&mut store, &actor, club.id, PASS).unwrap();
    let err = unlock(&store, club.id, "mật khẩu khác hẳn").err().unwrap();
    assert_eq!(err, CoreError::KeyWrongPassphrase { field: Field::Passphrase });
    assert_eq!(err.to_json()["params"]["field"], "key.passphrase");
    assert!(error_message(Lang::Vi, &err).starts_with("Mật khẩu không đúng"));
    let unlocked = unlock(&store, club.id, PASS).unwrap();
    assert_eq!(unlocked.key, key);
    // The same words typed decomposed (NFD, as some keyboards send them) open the key.
    let nfd: String = PASS.nfd().collect();
    assert_ne!(nfd, PASS);
    assert!(unlock(&store, club.id, &nfd).is_ok());
    // What it signs, the public key verifies; anything else it does not.
    let sig = sign(&unlocked, b"report", "ishc test").unwrap();
    assert!(verify_signature(&unlocked.pk, b"report", &sig).is_ok());
    assert!(verify_signature(&unlocked.pk, b"rep0rt", &sig).is_err());
}

#[test]
fn rotation_retires_the_old_key_and_the_old_key_vouches_for_the_new() {
    let (mut store, actor, club) = setup();
    let first = create(&mut store, &actor, club.id, PASS).unwrap();
    let err = rotate(&mut store, &actor, club.id, "not the passphrase", "a new passphrase").unwrap_err();
    assert_eq!(err, CoreError::KeyWrongPassphrase { field: Field::Passphrase });
    let err = rotate(&mut store, &actor, club.id, PASS, "short").unwrap_err();
    assert_eq!(err, CoreError::invalid(Field::NewPassphrase, Rule::TooShort { min: 8 }));
    assert_eq!(history(&store, club.id).unwrap(), vec![first.clone()], "refused rotations change nothing");

    let rot = rotate(&mut store, &actor, club.id, PASS, "a new passphrase").unwrap();
    assert_eq!(rot.old.key_id, first.key_id);
    assert!(rot.old.retired_at.is_some());
    assert_eq!(rot.new.replaces_key_id.as_deref(), Some(first.key_id.as_str()));
    assert_eq!(rot.new.replaces_fingerprint.as_deref(), Some(first.fingerprint.as_str()));
    assert_ne!(rot.new.fingerprint, first.fingerprint);
    assert_ne!(rot.new.key_id, first.key_id);
    assert_eq!(current(&store, club.id).unwrap(), Some(rot.new.clone()));
    assert_eq!(history(&store, club.id).unwrap(), vec![rot.old.clone(), rot.new.clone()]);
    assert_eq!(audit_actions(&store, club.id)[0], "key.rotate");
    let statement = &rot.proof.statement;
    assert!(statement.starts_with("ishc key rotation v1\nclub: CLB Đông Hòa\n"), "{statement}");
    assert!(statement.contains(&format!("old key: {}\nnew key: {}\n", first.key_id, rot.new.key_id)));
    assert!(statement.contains(&format!("new public key: {}\n", rot.new.public_key)));
    assert_eq!(rotation_proof(&store, &rot.new.key_id).unwrap(), Some(rot.proof.clone()));
    assert_eq!(rotation_proof(&store, &first.key_id).unwrap(), None);

    // The proof checks out with the old public key, and only for the new key.
    assert_eq!(check_rotation(&rot.proof, &rot.new.key_id, &rot.new.public_key), Ok(()));
    assert!(check_rotation(&rot.proof, &first.key_id, &first.public_key).is_err());
    let forged = RotationProof { statement: statement.replace(&rot.new.key_id, "0123456789ABCDEF"), ..rot.proof.clone() };
    assert!(check_rotation(&forged, "0123456789ABCDEF", &rot.new.public_key).is_err());

    // The old passphrase no longer signs; the new one does.
    assert_eq!(unlock(&store, club.id, PASS).err(), Some(CoreError::KeyWrongPassphrase { field: Field::Passphrase }));
    let unlocked = unlock(&store, club.id, "a new passphrase").unwrap();
    assert_eq!(unlocked.rotation, Some(rot.proof));
}

/// A key with another club's key id: minisign's key number rewritten in both halves of a fresh pair.
pub(crate) fn impostor_with_key_id_of(target: &PublicKey) -> (PublicKey, SecretKey) {
    let kp = KeyPair::generate_unencrypted_keypair().unwrap();
    let mut pk = kp.pk.to_bytes();
    pk[2..10].copy_from_slice(target.keynum());
    // Secret key bytes: algorithm, kdf, checksum algorithm (2 each), salt (32), limits (8 + 8), key number.
    let mut sk = kp.sk.to_bytes();
    sk[54..62].copy_from_slice(target.keynum());
    (PublicKey::from_bytes(&pk).unwrap(), SecretKey::from_bytes(&sk).unwrap())
}

#[test]
fn fingerprints_are_a_digest_of_the_whole_key_not_its_id() {
    // Pinned: the card's format must not change under the commune's feet.
    let pk = PublicKey::from_base64("RWQBAgMEBQYHCBERERERERERERERERERERERERERERERERERERERERER").unwrap();
    assert_eq!(key_id_of(&pk), "0807060504030201");
    assert_eq!(fingerprint(&pk), "913A 4693 E45B 2335 D9C2 589D 3705 82B4");

    // Anyone can give their own key the club's key id; the fingerprint tells the keys apart.
    let (mut store, actor, club) = setup();
    let key = create(&mut store, &actor, club.id, PASS).unwrap();
    let real = parse_public_key(&key.public_key).unwrap();
    let (fake, fake_sk) = impostor_with_key_id_of(&real);
    assert_eq!(key_id_of(&fake), key.key_id, "the same key id");
    assert_ne!(fake, real);
    assert_ne!(fingerprint(&fake), key.fingerprint, "another fingerprint");
    // The impostor really signs under that id: minisign itself accepts it with the fake key.
    let sig = minisign::sign(Some(&fake), &fake_sk, Cursor::new(b"report"), Some("x"), None).unwrap().into_string();
    assert!(verify_signature(&fake, b"report", &sig).is_ok());
    assert!(verify_signature(&real, b"report", &sig).is_err());
    assert!(parse_public_key("not a key").is_err());
    assert_eq!(parse_public_key("untrusted comment: x\nshort\n").err().map(|e| e.code()), Some("key.invalid".into()));
}
