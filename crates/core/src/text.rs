//! Vietnamese text as data: names are stored NFC with tidy spaces, searched without case or
//! diacritics, and sorted the Vietnamese way (given name first, Vietnamese letter order, tones after
//! letters).

use std::cmp::Ordering;
use unicode_normalization::UnicodeNormalization;

use crate::error::{CoreError, Field, Result, Rule};

/// NFC, surrounding spaces trimmed, inner runs of white space collapsed to one space. For display
/// and search only: what is *stored* goes through `bounded` / `bounded_lines`, which also refuse
/// what cannot be seen.
pub fn clean(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Characters no stored text may hold: controls (a terminal or a spreadsheet acts on them), bidi
/// overrides and marks (they reorder what a reader sees), and invisible ones (zero-width spaces, the
/// BOM, soft hyphens) that make two equal-looking names differ. Line breaks are allowed in multi-line
/// texts only.
pub fn is_forbidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}' | '\u{180e}'
        | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{206f}'
        | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}' | '\u{fff0}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e007f}')
}

fn forbidden_at(s: &str, field: Field, allow_newline: bool) -> Result<()> {
    for (i, c) in s.chars().enumerate() {
        if is_forbidden(c) && !(allow_newline && c == '\n') {
            return Err(CoreError::invalid(
                field,
                Rule::ForbiddenCharacter { character: format!("U+{:04X}", c as u32), position: i as u32 + 1 },
            ));
        }
    }
    Ok(())
}

/// The one rule for a stored one-line text (a name, a place, a memo): NFC; a control, bidi or
/// invisible character is refused, naming it and where it is (a tab is refused, not trimmed, so
/// `"\t=1+1"` never becomes `=1+1`); spaces trimmed and collapsed; at most `max` characters. May be
/// empty: a caller that needs a value uses `required`.
pub fn bounded(s: &str, field: Field, max: u32) -> Result<String> {
    let nfc: String = s.nfc().collect();
    forbidden_at(&nfc, field, false)?;
    let v = nfc.split_whitespace().collect::<Vec<_>>().join(" ");
    if v.chars().count() > max as usize {
        return Err(CoreError::invalid(field, Rule::TooLong { max }));
    }
    Ok(v)
}

/// `bounded`, and not empty.
pub fn required(s: &str, field: Field, max: u32) -> Result<String> {
    let v = bounded(s, field, max)?;
    if v.is_empty() {
        return Err(CoreError::invalid(field, Rule::Required));
    }
    Ok(v)
}

/// The rule for a stored multi-line text (minutes, notes): as `bounded`, but line breaks are kept
/// (`\r\n` and `\r` become `\n`, tabs become spaces), each line tidied, at most two blank lines in a row.
pub fn bounded_lines(s: &str, field: Field, max: u32) -> Result<String> {
    let nfc: String = s.nfc().collect::<String>().replace("\r\n", "\n").replace(['\r'], "\n").replace('\t', " ");
    forbidden_at(&nfc, field, true)?;
    let mut lines: Vec<String> = Vec::new();
    for line in nfc.split('\n') {
        let tidy = line.split_whitespace().collect::<Vec<_>>().join(" ");
        let blanks = lines.iter().rev().take_while(|l| l.is_empty()).count();
        if !(tidy.is_empty() && blanks >= 2) {
            lines.push(tidy);
        }
    }
    let v = lines.join("\n").trim_matches('\n').to_string();
    if v.chars().count() > max as usize {
        return Err(CoreError::invalid(field, Rule::TooLong { max }));
    }
    Ok(v)
}

/// Lower case, no diacritics, đ as d: the form both stored names and search queries are compared in.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining(*c) && !(is_forbidden(*c) && !c.is_whitespace()))
        .flat_map(|c| match c {
            'đ' | 'Đ' => vec!['d'],
            c => c.to_lowercase().collect(),
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Does `name` match the search `query`, ignoring case and diacritics?
pub fn matches(name_folded: &str, query: &str) -> bool {
    let q = fold(query);
    q.is_empty() || name_folded.contains(&q)
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

// Marks that make a new letter (ă â ê ô ơ ư) versus marks that carry the tone.
const BREVE: char = '\u{0306}';
const CIRCUMFLEX: char = '\u{0302}';
const HORN: char = '\u{031B}';
// Dictionary order of tones: level, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot (nặng).
const TONES: [char; 5] = ['\u{0300}', '\u{0309}', '\u{0303}', '\u{0301}', '\u{0323}'];

const ALPHABET: [&str; 33] = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
    "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
];

/// A sort key for one word: letters in Vietnamese order first, tones as a tie-break. A letter that
/// is a plain one or one of the alphabet's marked ones (ă â ê ô ơ ư, đ) is ranked straight from its
/// decomposition; anything else (two letter marks, a foreign mark) goes the long way,
/// `letter_rank`, which composes it again and looks it up (a 1,000-name list sorted 12 M
/// instructions that way, most of a dues grid).
fn word_key(word: &str) -> (Vec<u32>, Vec<u8>) {
    let lower = word.to_lowercase();
    let mut letters = Vec::new();
    let mut tones = Vec::new();
    let mut chars = lower.nfd().peekable();
    while let Some(base) = chars.next() {
        // Letter marks are rare (one per marked letter): the Vec allocates only for those.
        let mut marks: Vec<char> = Vec::new();
        let mut tone = 0u8;
        while let Some(&m) = chars.peek() {
            if !is_combining(m) {
                break;
            }
            chars.next();
            if m == BREVE || m == CIRCUMFLEX || m == HORN {
                marks.push(m);
            } else if let Some(i) = TONES.iter().position(|t| *t == m) {
                tone = i as u8 + 1;
            }
        }
        let rank = match marks.as_slice() {
            [] => alphabet_rank(base, None),
            [m] => alphabet_rank(base, Some(*m)),
            _ => None,
        };
        letters.push(rank.unwrap_or_else(|| letter_rank(&std::iter::once(base).chain(marks).collect::<String>())));
        tones.push(tone);
    }
    (letters, tones)
}

/// The place in `ALPHABET` of a base letter with at most one letter mark, if it is there.
fn alphabet_rank(base: char, mark: Option<char>) -> Option<u32> {
    let letter = match (base, mark) {
        ('a', Some(BREVE)) => "ă",
        ('a', Some(CIRCUMFLEX)) => "â",
        ('e', Some(CIRCUMFLEX)) => "ê",
        ('o', Some(CIRCUMFLEX)) => "ô",
        ('o', Some(HORN)) => "ơ",
        ('u', Some(HORN)) => "ư",
        ('đ', None) => "đ",
        (c, None) if c.is_ascii_lowercase() => return ALPHABET.iter().position(|a| a.as_bytes() == [c as u8]).map(|i| i as u32),
        _ => return None,
    };
    ALPHABET.iter().position(|a| *a == letter).map(|i| i as u32)
}

/// A letter (base and letter marks, decomposed) ranked by composing it and finding it in the
/// alphabet; a letter not there comes after every one that is, by its first character.
fn letter_rank(letter: &str) -> u32 {
    let letter: String = letter.nfc().collect();
    ALPHABET
        .iter()
        .position(|a| *a == letter)
        .map(|i| i as u32)
        .unwrap_or_else(|| 1000 + letter.chars().next().map(|c| c as u32).unwrap_or(0))
}

/// The sort key of one word as it was first written: every letter composed and looked up. Kept
/// as the reference the fast `word_key` is tested against.
#[cfg(test)]
fn word_key_reference(word: &str) -> (Vec<u32>, Vec<u8>) {
    let lower = word.to_lowercase();
    let mut letters = Vec::new();
    let mut tones = Vec::new();
    let mut chars = lower.nfd().peekable();
    while let Some(base) = chars.next() {
        let mut letter = base.to_string();
        let mut tone = 0u8;
        while let Some(&m) = chars.peek() {
            if !is_combining(m) {
                break;
            }
            chars.next();
            if m == BREVE || m == CIRCUMFLEX || m == HORN {
                letter.push(m);
            } else if let Some(i) = TONES.iter().position(|t| *t == m) {
                tone = i as u8 + 1;
            }
        }
        let letter: String = letter.nfc().collect();
        let rank = ALPHABET
            .iter()
            .position(|a| *a == letter)
            .map(|i| i as u32)
            .unwrap_or_else(|| 1000 + letter.chars().next().map(|c| c as u32).unwrap_or(0));
        letters.push(rank);
        tones.push(tone);
    }
    (letters, tones)
}

/// The words of a full name, reordered for sorting: given name, then middle names, then family name.
fn name_order(full_name: &str) -> Vec<&str> {
    let words: Vec<&str> = full_name.split_whitespace().collect();
    match words.len() {
        0 | 1 => words,
        n => {
            let mut out = vec![words[n - 1]];
            out.extend_from_slice(&words[1..n - 1]);
            out.push(words[0]);
            out
        }
    }
}

/// The sort key of a full name: letters of every word (given name first) in Vietnamese order, then
/// their tones. Comparing keys is `compare_names`; a list sorts by keys computed once per name
/// (`sort_by_cached_key`) instead of decomposing both names at every comparison.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NameKey {
    letters: Vec<Vec<u32>>,
    tones: Vec<Vec<u8>>,
}

pub fn name_key(full_name: &str) -> NameKey {
    let (letters, tones) = name_order(full_name).into_iter().map(word_key).unzip();
    NameKey { letters, tones }
}

/// Compare two full names the way a Vietnamese list is sorted.
pub fn compare_names(a: &str, b: &str) -> Ordering {
    name_key(a).cmp(&name_key(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn a_word_sorts_by_the_same_key_as_it_first_did(word in "[aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ\\u{0300}-\\u{0309}\\u{031B}\\u{0323}àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ\\u{0115}\\u{01EB}\\u{00F1}ß0-9-]{0,8}") {
            proptest::prop_assert_eq!(word_key(&word), word_key_reference(&word));
        }
    }

    #[test]
    fn a_word_with_two_letter_marks_or_a_foreign_one_sorts_as_it_first_did() {
        for word in ["a\u{0306}\u{0302}", "o\u{031B}\u{0302}x", "e\u{0306}", "ñ", "ŭ", "đ\u{0302}", "ǫ", "A\u{0302}\u{0301}", "Straße", ""] {
            assert_eq!(word_key(word), word_key_reference(word), "{word:?}");
        }
    }

    #[test]
    fn stored_text_refuses_what_cannot_be_seen_and_says_which_and_where() {
        let f = Field::MemberFullName;
        let refused = |s: &str| match bounded(s, f, 100) {
            Err(CoreError::Invalid { rule: Rule::ForbiddenCharacter { character, position }, .. }) => (character, position),
            other => panic!("{s:?} was not refused: {other:?}"),
        };
        assert_eq!(refused("Lan\u{1b}[31m"), ("U+001B".into(), 4));
        assert_eq!(refused("Hoa\u{7}"), ("U+0007".into(), 4));
        assert_eq!(refused("\u{202e}naL"), ("U+202E".into(), 1));
        assert_eq!(refused("Nguyễn\u{200b}Lan"), ("U+200B".into(), 7));
        assert_eq!(refused("\u{feff}Lan"), ("U+FEFF".into(), 1));
        assert_eq!(refused("\u{200b}"), ("U+200B".into(), 1));
        assert_eq!(refused("\t=1+1"), ("U+0009".into(), 1));
        assert_eq!(refused("a\u{0}b"), ("U+0000".into(), 2));
        assert_eq!(refused("Lan\nHoa"), ("U+000A".into(), 4));
        // NFD in, NFC out; ordinary spaces tidied; Vietnamese letters untouched.
        assert_eq!(bounded("  Nguye\u{302}\u{303}n   Thị  Lan ", f, 100).unwrap(), "Nguyễn Thị Lan");
        assert_eq!(bounded("Lan\u{a0}Anh", f, 100).unwrap(), "Lan Anh");
        assert!(matches!(bounded("abcd", f, 3), Err(CoreError::Invalid { rule: Rule::TooLong { max: 3 }, .. })));
        assert!(matches!(required("   ", f, 3), Err(CoreError::Invalid { rule: Rule::Required, .. })));
        // Minutes keep their lines; controls other than the line break are still refused.
        assert_eq!(bounded_lines("Khai mạc\r\n\r\n\r\n\r\n1.\tBáo cáo  quỹ \n", Field::MeetingMinutes, 100).unwrap(), "Khai mạc\n\n\n1. Báo cáo quỹ");
        assert!(bounded_lines("a\u{1b}b", Field::MeetingMinutes, 100).is_err());
        // A name stored before this rule with an invisible character folds like the visible one.
        assert_eq!(fold("Nguyễn\u{200b} Lan"), fold("Nguyễn Lan"));
    }

    #[test]
    fn clean_makes_nfc_and_tidies_spaces() {
        let nfd = "Nguye\u{0302}\u{0303}n  Thi\u{0323}   Lan ";
        assert_eq!(clean(nfd), "Nguyễn Thị Lan");
        assert_eq!(clean(nfd).chars().count(), 14);
    }

    #[test]
    fn fold_drops_case_and_diacritics() {
        assert_eq!(fold("Nguyễn Thị Đào"), "nguyen thi dao");
        assert_eq!(fold("ĐẶNG   Văn Ư"), "dang van u");
        assert!(matches(&fold("Nguyễn Thị Đào"), "nguyen thi"));
        assert!(matches(&fold("Nguyễn Thị Đào"), "Đào"));
        assert!(!matches(&fold("Nguyễn Thị Đào"), "lan"));
    }

    #[test]
    fn sorts_by_given_name_first() {
        let mut names = vec!["Trần Văn Bình", "Nguyễn Thị An", "Lê Thị Bình", "Phạm Văn An"];
        names.sort_by(|a, b| compare_names(a, b));
        assert_eq!(names, vec!["Nguyễn Thị An", "Phạm Văn An", "Lê Thị Bình", "Trần Văn Bình"]);
    }

    #[test]
    fn vietnamese_letter_order() {
        // a < ă < â < b ; d < đ < e ; o < ô < ơ ; u < ư
        let mut names = vec!["Đức", "Dung", "Ân", "Ăn", "An", "Bé", "Ơn", "Ông", "Oanh", "Ưng", "Uyên"];
        names.sort_by(|a, b| compare_names(a, b));
        assert_eq!(names, vec!["An", "Ăn", "Ân", "Bé", "Dung", "Đức", "Oanh", "Ông", "Ơn", "Uyên", "Ưng"]);
    }

    #[test]
    fn tones_break_ties_after_letters() {
        // Same letters: level < huyền < hỏi < ngã < sắc < nặng.
        let mut names = vec!["Má", "Mạ", "Mà", "Ma", "Mã", "Mả"];
        names.sort_by(|a, b| compare_names(a, b));
        assert_eq!(names, vec!["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]);
        // Letters decide before tones: "Anh" (level) after "Án"? No: a-n < a-n-h by letters.
        assert_eq!(compare_names("Án", "Anh"), Ordering::Less);
    }

    #[test]
    fn nfd_and_nfc_sort_equal() {
        let nfd = "Nguye\u{0302}\u{0303}n Thi\u{0323} Lan";
        assert_eq!(compare_names(nfd, "Nguyễn Thị Lan"), Ordering::Equal);
    }
}
