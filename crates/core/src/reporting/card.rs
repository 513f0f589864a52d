//! The key card: one printable A4 page for the commune's file, with the fingerprint large, the full
//! public key, how to check a bundle, and lines for the chairperson's and the commune officer's
//! signatures. Self-contained (inline CSS, nothing fetched); written with maud like the report page,
//! so every piece of data is escaped; all words come from the catalogue (`keycard.*`).

use chrono::{DateTime, Utc};
use maud::{html, PreEscaped, DOCTYPE};

use crate::format;
use crate::i18n::{t, Lang};
use crate::roster::club::Club;
use crate::signing::key::ClubKey;

/// The card's look: A4, the fingerprint large in a box, the public key broken anywhere.
const CSS: &str = r#"
@page { size: A4; margin: 16mm 18mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; font-size: 12.5pt; line-height: 1.4; color: #000; background: #fff; max-width: 178mm; margin: 0 auto; padding: 0; }
h1 { font-size: 19pt; margin: 0 0 2mm; }
h2 { font-size: 13.5pt; margin: 4mm 0 1.5mm; }
.club { font-size: 16pt; font-weight: bold; margin: 0; }
.place { margin: 0 0 4mm; }
.mono { font-family: "DejaVu Sans Mono", "Noto Sans Mono", "Courier New", monospace; }
.fingerprint { font-family: "DejaVu Sans Mono", "Noto Sans Mono", "Courier New", monospace; font-size: 26pt; font-weight: bold; letter-spacing: 0.06em; text-align: center; border: 3px solid #000; padding: 2mm; margin: 1mm auto; width: 130mm; white-space: normal; }
.public-key { font-family: "DejaVu Sans Mono", "Noto Sans Mono", "Courier New", monospace; font-size: 12pt; border: 1px solid #000; padding: 3mm; word-break: break-all; overflow-wrap: anywhere; }
.command { font-family: "DejaVu Sans Mono", "Noto Sans Mono", "Courier New", monospace; background: #eee; padding: 1mm 2mm; }
ol { padding-left: 6mm; margin: 1mm 0; }
p { margin: 1.5mm 0; }
.signatures { display: flex; gap: 12mm; margin-top: 6mm; page-break-inside: avoid; break-inside: avoid; }
.signatures > div { flex: 1; text-align: center; }
.signatures .role { font-weight: bold; }
.signatures .line { height: 24mm; border-bottom: 1px dotted #000; }
.tech { margin-top: 6mm; border-top: 1px solid #999; padding-top: 2mm; font-size: 9pt; color: #333; }
.tech h3 { font-size: 10pt; margin: 0 0 1mm; }
.small { font-size: 12pt; }
"#;

/// `2026-11-22T08:00:00Z` → `22/11/2026` (the UTC date; the text as is if it is not RFC 3339).
fn display_date(rfc3339: &str) -> String {
    DateTime::parse_from_rfc3339(rfc3339)
        .map(|d| format::date(d.with_timezone(&Utc).date_naive()))
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// The key card of `key` for `club`, in `lang` (see the module comment).
pub fn key_card_html(club: &Club, key: &ClubKey, lang: Lang) -> String {
    let w = |k: &str| t(lang, &format!("keycard.{k}"));
    let place = [&club.hamlet, &club.commune, &club.district, &club.province]
        .into_iter()
        .filter(|s| !s.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    let lang_code = match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    };
    let signature = |role: &str| {
        html! {
            div { div.role { (w(role)) } div.small { (w("sign_hint")) } div.line {} }
        }
    };
    let page = html! {
        (DOCTYPE)
        html lang=(lang_code) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (w("title")) " — " (club.name) }
                style { (PreEscaped(CSS)) }
            }
            body {
                h1 { (w("title")) }
                p.club { (club.name) }
                p.place { (place) }
                p { (w("intro")) }
                h2 { (w("fingerprint")) }
                div.fingerprint { (key.fingerprint) }
                p.small { (w("fingerprint_help")) }
                h2 { (w("public_key")) }
                div.public-key { (key.public_key) }
                p { (w("key_id")) ": " span.mono { (key.key_id) } }
                p { (w("created")) ": " (display_date(&key.created_at)) }
                @if let Some(fp) = &key.replaces_fingerprint {
                    p.replaces { (w("replaces")) " " span.mono { (fp) } }
                }
                @if let Some(at) = &key.retired_at {
                    p.retired { (w("retired")) " " (display_date(at)) }
                }
                h2 { (w("how_title")) }
                ol {
                    li { (w("how_1")) }
                    li { (w("how_2")) }
                    li { (w("how_3")) }
                    li { (w("how_4")) }
                }
                div.signatures {
                    (signature("chair"))
                    (signature("officer"))
                }
                // What only the commune's computer person needs: the format and the commands.
                div.tech {
                    h3 { (w("tech_title")) }
                    p { (w("tech_format")) }
                    p { (w("tech_cli")) br; span.command { "ishc verify TỆP.zip --key club.pub" } }
                    p { (w("tech_minisign")) br; span.command { "minisign -Vm manifest.json -p club.pub" } }
                }
            }
        }
    };
    page.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::key::{create, rotate};
    use crate::signing::key::tests::{setup, PASS};

    #[test]
    fn the_key_card_is_a_printable_self_contained_page_with_every_datum_escaped() {
        let (mut store, actor, mut club) = setup();
        let key = create(&mut store, &actor, club.id, PASS).unwrap();
        club.name = "CLB <script>alert(1)</script> & \"Đông\"".into();
        let html = key_card_html(&club, &key, Lang::Vi);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<html lang=\"vi\">"));
        assert!(html.contains("@page { size: A4"));
        assert!(html.contains(&key.fingerprint));
        assert!(html.contains(&key.public_key));
        assert!(html.contains("Thẻ khóa ký của câu lạc bộ"));
        assert!(html.contains("Thôn Đông, Xã Quảng Hòa, Huyện Quảng Xương, Thanh Hóa"));
        // The steps are in plain words; the commands and SHA-256 sit in the technical note after the
        // signatures (issue 16: words a board member will not know).
        let tech = html.find("Ghi chú kỹ thuật").expect("a technical note");
        assert!(tech > html.find("Cán bộ xã nhận thẻ").unwrap());
        for word in ["minisign -Vm manifest.json -p club.pub", "ishc verify", "SHA-256"] {
            assert!(html.rfind(word).is_some_and(|at| at > tech), "{word} outside the technical note");
        }
        assert!(!html[..tech].contains("minisign") && !html[..tech].contains("SHA-256"));
        assert!(html.contains("Chủ nhiệm câu lạc bộ") && html.contains("Cán bộ xã nhận thẻ"));
        let created = chrono::DateTime::parse_from_rfc3339(&key.created_at).unwrap().with_timezone(&Utc).date_naive();
        assert!(html.contains(&format!("Ngày tạo khóa: {}", format::date(created))));
        assert!(!html.contains("<script>"), "data is escaped");
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("src="), "nothing is fetched");
        assert!(!html.contains("thay cho khóa cũ"));
        let en = key_card_html(&club, &key, Lang::En);
        assert!(en.contains("Club signing key card") && en.contains("<html lang=\"en\">"));

        let rot = rotate(&mut store, &actor, club.id, PASS, "a new passphrase").unwrap();
        let html = key_card_html(&club, &rot.new, Lang::Vi);
        assert!(html.contains(&format!("Khóa này thay cho khóa cũ <span class=\"mono\">{}</span>", key.fingerprint)), "{html}");
        let old = key_card_html(&club, &rot.old, Lang::Vi);
        assert!(old.contains("Khóa này đã thôi dùng từ ngày"));
    }
}
