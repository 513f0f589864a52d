//! The demo's people: names as they are given in a Thanh Hóa village, and members drawn as the
//! brief describes the clubs.

use chrono::{Datelike, NaiveDate};
use rand::Rng;

use super::Gen;
use crate::error::{CoreError, Result};
use crate::roster::member::{self, poverty_standard_on, Flag, FlagInput, MemberInput, Sex};
use crate::store::Writer;

const FAMILY: &[&str] = &[
    "Nguyễn", "Nguyễn", "Nguyễn", "Lê", "Lê", "Trần", "Trần", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô",
    "Lương", "Trịnh", "Mai", "Hồ", "Đinh", "Cao",
];
const MIDDLE_F: &[&str] = &["Thị", "Thị", "Thị", "Thị Thu", "Thị Thanh", "Thị Hồng", "Thị Ngọc", "Thị Kim", "Thị Minh"];
const MIDDLE_M: &[&str] = &["Văn", "Văn", "Văn", "Đình", "Xuân", "Hữu", "Minh", "Quang", "Ngọc", "Đức"];
const GIVEN_F: &[&str] = &[
    "Lan", "Hoa", "Hằng", "Huệ", "Mai", "Đào", "Cúc", "Loan", "Nga", "Nhung", "Thủy", "Hương", "Liên", "Xuân",
    "Tuyết", "Yến", "Hạnh", "Oanh", "Thảo", "Vân", "Ánh", "Bích", "Chinh", "Dung", "Gấm", "Hiền", "Lụa", "Nụ",
];
const GIVEN_M: &[&str] = &[
    "Hùng", "Dũng", "Bình", "Minh", "Nam", "Tâm", "Thắng", "Sơn", "Hải", "Long", "Tuấn", "Cường", "Đức", "Khánh",
    "Lâm", "Phúc", "Quý", "Thành", "Trung", "Vinh", "Bảo", "Chiến",
];
const MINORITIES: &[&str] = &["Mường", "Thái", "Dao", "Thổ"];
const HAMLETS: &[&str] = &["Thôn Đông Hòa", "Thôn Đông Hòa", "Thôn Đông Hòa", "Thôn Trung Tiến", "Thôn Bắc Sơn"];

impl Gen {
    /// A person as the brief describes the clubs: about two thirds women, about 62 % older people on
    /// `until`, some poor, near-poor, disabled, living alone or of an ethnic minority.
    fn person(&mut self, joined_on: NaiveDate, until: NaiveDate) -> MemberInput {
        let woman = self.chance(0.64);
        let older = self.chance(0.62);
        let age_until: i32 = if older { self.rng.random_range(60..=86) } else { self.rng.random_range(24..=59) };
        let birth_year = until.year() - age_until;
        let full_name = if woman {
            format!("{} {} {}", self.pick(FAMILY), self.pick(MIDDLE_F), self.pick(GIVEN_F))
        } else {
            format!("{} {} {}", self.pick(FAMILY), self.pick(MIDDLE_M), self.pick(GIVEN_M))
        };
        let birth_date = if self.chance(0.7) {
            NaiveDate::from_ymd_opt(birth_year, self.rng.random_range(1..=12), self.rng.random_range(1..=28))
        } else {
            None
        };
        let minority = self.chance(0.08);
        let mut flags = Vec::new();
        let standard = Some(poverty_standard_on(joined_on).to_string());
        if self.chance(0.13) {
            flags.push(FlagInput { flag: Flag::Poor, standard: standard.clone() });
        } else if self.chance(0.11) {
            flags.push(FlagInput { flag: Flag::NearPoor, standard });
        }
        if self.chance(if older { 0.08 } else { 0.03 }) {
            flags.push(FlagInput { flag: Flag::Disability, standard: None });
        }
        if older && self.chance(0.12) {
            flags.push(FlagInput { flag: Flag::LivingAlone, standard: None });
        }
        let phone = if self.chance(0.8) {
            format!("09{}{:07}", self.rng.random_range(0..10), self.rng.random_range(0..10_000_000))
        } else {
            String::new()
        };
        MemberInput {
            full_name,
            sex: if woman { Sex::F } else { Sex::M },
            birth_year,
            birth_date,
            ethnicity: if minority { self.pick(MINORITIES).into() } else { "Kinh".into() },
            hamlet: self.pick(HAMLETS).into(),
            phone,
            joined_on,
            consent_on: if self.chance(0.95) { Some(joined_on) } else { None },
            flags,
            roles: vec![],
        }
    }
}

/// Add a member, drawing a new name when the drawn one is already taken (same name and birth year).
pub(super) fn add_person(w: &mut Writer<'_>, g: &mut Gen, club_id: i64, joined_on: NaiveDate, until: NaiveDate) -> Result<i64> {
    loop {
        let input = g.person(joined_on, until);
        match member::add_in(w, club_id, &input, false) {
            Err(CoreError::MemberDuplicate { .. }) => continue,
            other => return other,
        }
    }
}
