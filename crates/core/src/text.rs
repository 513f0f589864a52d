//! Vietnamese text as data: names are stored NFC with tidy spaces, searched without case or
//! diacritics, and sorted the Vietnamese way (given name first, Vietnamese letter order, tones after
//! letters).

use std::cmp::Ordering;
use unicode_normalization::UnicodeNormalization;

/// NFC, surrounding spaces trimmed, inner runs of white space collapsed to one space.
pub fn clean(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lower case, no diacritics, đ as d: the form both stored names and search queries are compared in.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining(*c))
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

/// A sort key for one word: letters in Vietnamese order first, tones as a tie-break.
fn word_key(word: &str) -> (Vec<u32>, Vec<u8>) {
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

/// Compare two full names the way a Vietnamese list is sorted.
pub fn compare_names(a: &str, b: &str) -> Ordering {
    let ka: Vec<_> = name_order(a).into_iter().map(word_key).collect();
    let kb: Vec<_> = name_order(b).into_iter().map(word_key).collect();
    let letters = |k: &Vec<(Vec<u32>, Vec<u8>)>| k.iter().map(|w| w.0.clone()).collect::<Vec<_>>();
    let tones = |k: &Vec<(Vec<u32>, Vec<u8>)>| k.iter().map(|w| w.1.clone()).collect::<Vec<_>>();
    letters(&ka).cmp(&letters(&kb)).then_with(|| tones(&ka).cmp(&tones(&kb)))
}

#[cfg(test)]
mod tests {
    use super::*;

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
