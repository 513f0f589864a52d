//! A realistic, deterministic demo club: the same seed and the same "today" always give the same
//! books. `make run`, the benchmarks and the end-to-end tests all start from it. Everything is written
//! through the same domain functions the app uses, so the demo obeys every rule.

use chrono::{Datelike, Duration, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::store::audit::Actor;
use crate::roster::club::{self, ClubInput};
use crate::error::{CoreError, Field, Result, Rule};
use crate::roster::member::{self, poverty_standard_on, Flag, FlagInput, LeaveReason, MemberInput, Role, Sex};
use crate::store::{Store, Writer};

/// The passphrase of the demo club's signing key. Public on purpose: the demo is for trying the app
/// (`ishc … export` on a demo ledger), never for real books.
pub const DEMO_PASSPHRASE: &str = "demo-passphrase";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DemoOptions {
    pub years: u32,
    pub members: u32,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions { years: 10, members: 60, seed: 1336 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DemoSummary {
    pub club_id: i64,
    pub club_name: String,
    pub founded_on: NaiveDate,
    pub members_ever: u32,
    pub members_now: u32,
    /// Journal entries written (vouchers, transfers, count adjustments).
    pub entries: u32,
    pub meetings: u32,
    pub activities: u32,
}

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

struct Gen {
    rng: ChaCha8Rng,
}

impl Gen {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from.choose(&mut self.rng).copied().unwrap_or("")
    }
    fn day_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(0);
        from + Duration::days(self.rng.random_range(0..=span))
    }

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
fn add_person(w: &mut Writer<'_>, g: &mut Gen, club_id: i64, joined_on: NaiveDate, until: NaiveDate) -> Result<i64> {
    loop {
        let input = g.person(joined_on, until);
        match member::add_in(w, club_id, &input, false) {
            Err(CoreError::MemberDuplicate { .. }) => continue,
            other => return other,
        }
    }
}

/// Refuse options no demo can be built with, before anything is created.
pub fn check_options(opts: &DemoOptions) -> Result<()> {
    if !(1..=30).contains(&opts.years) {
        return Err(CoreError::invalid(Field::DemoYears, Rule::Range { min: 1, max: 30 }));
    }
    if !(5..=500).contains(&opts.members) {
        return Err(CoreError::invalid(Field::DemoMembers, Rule::Range { min: 5, max: 500 }));
    }
    Ok(())
}

/// Build a new demo club in `store`, its history ending on `store.today()`. Only into books that
/// hold no club yet: a demo beside a real club (or a second demo) would make every command ask
/// which club is meant, and mix made-up people with real ones.
pub fn build(store: &mut Store, opts: DemoOptions) -> Result<DemoSummary> {
    check_options(&opts)?;
    let clubs: i64 = store.conn().query_row("SELECT count(*) FROM club", [], |r| r.get(0))?;
    if clubs > 0 {
        return Err(CoreError::DemoNotEmpty { clubs });
    }
    let until = store.today();
    let founded_on = NaiveDate::from_ymd_opt(until.year() - opts.years as i32, 3, 15)
        .filter(|d| *d < until)
        .unwrap_or(until - Duration::days(365 * opts.years as i64));
    let mut g = Gen { rng: ChaCha8Rng::seed_from_u64(opts.seed) };
    let actor = Actor::new("Dữ liệu mẫu")?;
    let mut input = ClubInput::new(
        "CLB Liên thế hệ tự giúp nhau thôn Đông Hòa",
        "Xã Quảng Hòa",
        "Huyện Quảng Xương",
        "Thanh Hóa",
        founded_on,
    );
    input.hamlet = "Thôn Đông Hòa".into();
    input.monthly_due = Some(50_000);
    store.write(&actor, |w| {
        let club = club::create_in(w, &input)?;
        let club_id = club.id;
        crate::signing::key::create_in(w, club_id, DEMO_PASSPHRASE)?;
        // Founding members: most of the club joins on the first day.
        let founding = (opts.members * 85 / 100).max(3);
        let mut active: Vec<i64> = Vec::new();
        for _ in 0..founding {
            active.push(add_person(w, &mut g, club_id, founded_on, until)?);
        }
        let mut ever = founding;
        // The first board and volunteers.
        let board = [Role::Chair, Role::ViceChair, Role::Treasurer, Role::Secretary, Role::GroupLeader];
        // The board are the first founders, with names people can tell apart (two namesakes on one
        // board could not confirm each other's month close). They stay at the head of `active`.
        let mut seen: Vec<String> = Vec::new();
        let mut board_ids: Vec<i64> = Vec::new();
        for id in active.clone() {
            let name: String = w.tx.query_row("SELECT name_folded FROM member WHERE id = ?1", [id], |r| r.get(0))?;
            if !seen.contains(&name) {
                seen.push(name);
                board_ids.push(id);
            }
            if board_ids.len() == board.len() {
                break;
            }
        }
        active.retain(|id| !board_ids.contains(id));
        active.splice(0..0, board_ids.iter().copied());
        for (id, role) in board_ids.iter().zip(board.iter()) {
            member::set_role_in(w, club_id, *id, *role, true, founded_on)?;
        }
        let volunteers = (opts.members / 9).max(2) as usize;
        for id in active.iter().skip(board.len()).take(volunteers) {
            member::set_role_in(w, club_id, *id, Role::Volunteer, true, founded_on)?;
        }
        for id in active.iter().rev().take(4) {
            member::set_role_in(w, club_id, *id, Role::CareRecipient, true, founded_on)?;
        }
        // Each year a few leave and newcomers join, the club growing towards its size.
        let mut day = founded_on;
        while day < until {
            let year_end = (day + Duration::days(365)).min(until);
            let leavers = active.len() * g.rng.random_range(2..=6) / 100;
            for _ in 0..leavers {
                // The board (first few ids) stays; ordinary members leave.
                let candidates: Vec<i64> = active.iter().copied().skip(board.len()).collect();
                let Some(&id) = candidates.choose(&mut g.rng) else { break };
                let reason = *[LeaveReason::Moved, LeaveReason::Died, LeaveReason::Withdrew, LeaveReason::Moved]
                    .choose(&mut g.rng)
                    .unwrap_or(&LeaveReason::Other);
                let joined: NaiveDate = w.tx.query_row("SELECT joined_on FROM member WHERE id = ?1", [id], |r| r.get(0))?;
                let on = g.day_between(joined.max(day), year_end);
                member::leave_in(w, club_id, id, on, reason)?;
                active.retain(|a| *a != id);
            }
            let target = opts.members as usize;
            let joiners = (target.saturating_sub(active.len()) / 2 + g.rng.random_range(0..=2)).min(target / 5 + 1);
            for _ in 0..joiners {
                let on = g.day_between(day + Duration::days(1), year_end);
                if on > until {
                    continue;
                }
                active.push(add_person(w, &mut g, club_id, on, until)?);
                ever += 1;
            }
            // Poverty status is reviewed when a new national standard starts.
            for year in [2022, 2026] {
                let review = NaiveDate::from_ymd_opt(year, 1, 15).unwrap_or(day);
                if review > day && review <= year_end {
                    for id in active.clone() {
                        if g.chance(0.04) {
                            let joined: NaiveDate =
                                w.tx.query_row("SELECT joined_on FROM member WHERE id = ?1", [id], |r| r.get(0))?;
                            if joined < review {
                                let std = poverty_standard_on(review);
                                member::set_flag_in(w, club_id, id, Flag::Poor, true, review, Some(std))?;
                            }
                        }
                    }
                }
            }
            day = year_end;
        }
        Ok(DemoSummary {
            club_id,
            club_name: club.name.clone(),
            founded_on,
            members_ever: ever,
            members_now: active.len() as u32,
            entries: 0,
            meetings: 0,
            activities: 0,
        })
    })
    .and_then(|mut summary| {
        let treasurer = board_name(store, summary.club_id, Role::Treasurer)?;
        let chair = board_name(store, summary.club_id, Role::Chair)?;
        let secretary = board_name(store, summary.club_id, Role::Secretary)?;
        // The club's life has its own random stream, so the books stay as they were before it.
        let mut h = Gen { rng: ChaCha8Rng::seed_from_u64(opts.seed.wrapping_add(1)) };
        store.write(&Actor::new(&treasurer)?, |w| {
            let mut life = Life { h: &mut h, meetings: 0 };
            summary.entries = ledger_history(w, &mut g, &mut life, summary.club_id, founded_on, until, &chair, &secretary)?;
            summary.meetings = life.meetings;
            summary.activities = activity_history(w, &mut h, summary.club_id, founded_on, until)?;
            Ok(summary)
        })
    })
}

/// The random stream and tally of the club's meetings.
struct Life<'a> {
    h: &'a mut Gen,
    meetings: u32,
}

impl Life<'_> {
    /// A monthly meeting: most members come (everyone who pays dues there), the chair presides and
    /// the secretary takes the minutes; most meetings run all eight areas, some skip a few.
    fn meeting(
        &mut self,
        members: &[member::Member],
        day: NaiveDate,
        payers: &[i64],
        chair: &str,
        secretary: &str,
    ) -> crate::life::meeting::MeetingInput {
        use crate::life::meeting::{DuesInput, MeetingInput, MeetingKind, Topic};
        let on_day: Vec<&member::Member> = members.iter().filter(|m| m.is_member_on(day)).collect();
        let id_of = |name: &str| on_day.iter().find(|m| m.full_name == name).map(|m| m.id);
        let chair_id = id_of(chair);
        let present: Vec<i64> =
            on_day.iter().filter(|m| payers.contains(&m.id) || self.h.chance(0.5)).map(|m| m.id).collect();
        let mut topics: Vec<Topic> = if self.h.chance(0.8) {
            Topic::AREAS.to_vec()
        } else {
            Topic::AREAS.iter().copied().filter(|_| self.h.chance(0.7)).collect()
        };
        if day.year() >= 2025 {
            for (theme, p) in [(Topic::Digital, 0.4), (Topic::Green, 0.2), (Topic::Startup, 0.15)] {
                if self.h.chance(p) {
                    topics.push(theme);
                }
            }
        }
        let annual = day.month() == 12;
        let minutes = format!(
            "{} tháng {:02}/{}. Ban chủ nhiệm báo cáo thu chi quỹ, tình hình vay vốn và chăm sóc hội viên; \
             các nhóm sở thích báo cáo hoạt động; hội viên thống nhất kế hoạch tháng tới.",
            if annual { "Họp tổng kết năm" } else { "Sinh hoạt định kỳ" },
            day.month(),
            day.year()
        );
        MeetingInput {
            kind: if annual { MeetingKind::Annual } else { MeetingKind::Monthly },
            held_on: day,
            place: "Nhà văn hóa thôn Đông Hòa".into(),
            chaired_by: chair_id,
            minutes_by: id_of(secretary),
            present,
            topics,
            minutes,
            decisions: Vec::new(),
            dues: (!payers.is_empty()).then(|| DuesInput {
                fund: crate::books::Fund::Income,
                month: format!("{:04}-{:02}", day.year(), day.month()),
                member_ids: payers.to_vec(),
            }),
        }
    }
}

/// Years of activities between meetings: home visits to members who need care, health checks
/// each quarter, support to members in hardship, help with pensions and health insurance, the
/// board's yearly training (missed one year), and events at Tết and in the autumn.
fn activity_history(w: &mut Writer<'_>, h: &mut Gen, club_id: i64, founded_on: NaiveDate, until: NaiveDate) -> Result<u32> {
    use crate::life::activity::{add_in, ActivityInput, ActivityKind};
    let members = member::load_club_conn(&w.tx, club_id)?;
    let mut n = 0;
    let mut add = |w: &mut Writer<'_>, input: ActivityInput| -> Result<()> {
        add_in(w, club_id, &input)?;
        n += 1;
        Ok(())
    };
    let skipped_training_year = founded_on.year() + 4;
    let mut first = NaiveDate::from_ymd_opt(founded_on.year(), founded_on.month(), 1).unwrap_or(founded_on);
    while first <= until {
        let (year, month) = (first.year(), first.month());
        let day = |h: &mut Gen, from: u32, to: u32| {
            let d = NaiveDate::from_ymd_opt(year, month, h.rng.random_range(from..=to)).unwrap_or(first);
            Some(d).filter(|d| *d >= founded_on && *d <= until)
        };
        let on = |d: NaiveDate| -> Vec<&member::Member> { members.iter().filter(|m| m.is_member_on(d)).collect() };
        // Home visits, about twice a month for each member who needs care.
        for _ in 0..2 {
            let Some(d) = day(h, 1, 28) else { continue };
            let here = on(d);
            let volunteers: Vec<i64> = here.iter().filter(|m| m.has_role_on(Role::Volunteer, d)).map(|m| m.id).collect();
            for cared in here.iter().filter(|m| m.has_role_on(Role::CareRecipient, d)) {
                if volunteers.is_empty() || !h.chance(0.85) {
                    continue;
                }
                let mut input = ActivityInput::new(ActivityKind::HomeVisit, d);
                input.member_id = Some(cared.id);
                input.by_member_id = volunteers.choose(&mut h.rng).copied();
                input.note = ["Dọn dẹp nhà cửa, trò chuyện", "Nấu cơm, nhắc uống thuốc", "Đưa đi khám bệnh", "Thăm hỏi, động viên"]
                    .choose(&mut h.rng)
                    .copied()
                    .unwrap_or_default()
                    .into();
                add(w, input)?;
            }
        }
        // Blood pressure and weight at the quarter's meeting.
        if month % 3 == 0 {
            if let Some(d) = NaiveDate::from_ymd_opt(year, month, 10).filter(|d| *d >= founded_on && *d <= until) {
                let mut input = ActivityInput::new(ActivityKind::HealthCheck, d);
                input.people = (on(d).len() as u32 * h.rng.random_range(60..=90) / 100).max(1);
                add(w, input)?;
            }
        }
        if h.chance(0.25) {
            if let Some(d) = day(h, 1, 28) {
                if let Some(m) = on(d).choose(&mut h.rng) {
                    let mut input = ActivityInput::new(ActivityKind::Support, d);
                    input.subkind = "in_kind".into();
                    input.member_id = Some(m.id);
                    input.value = thousands(h, 200_000, 500_000);
                    input.note = "Gạo, sữa khi ốm đau".into();
                    add(w, input)?;
                }
            }
        }
        if h.chance(0.1) {
            if let Some(d) = day(h, 1, 28) {
                if let Some(m) = on(d).into_iter().filter(|m| m.age_on(d) >= 60).collect::<Vec<_>>().choose(&mut h.rng) {
                    let mut input = ActivityInput::new(ActivityKind::Rights, d);
                    input.subkind = if h.chance(0.5) { "pension" } else { "health_insurance" }.into();
                    input.member_id = Some(m.id);
                    input.note = "Hướng dẫn làm hồ sơ".into();
                    add(w, input)?;
                }
            }
        }
        // The board's training: initial in the founding year, a refresher each April after it.
        let training = if (year, month) == (founded_on.year(), founded_on.month()) {
            Some("board_initial")
        } else if month == 4 && year != skipped_training_year && year > founded_on.year() {
            Some("board_refresher")
        } else {
            None
        };
        if let (Some(kind), Some(d)) = (training, day(h, 20, 28)) {
            let board: Vec<i64> =
                on(d).iter().filter(|m| m.roles.iter().any(|r| r.what.is_board() && r.active_on(d))).map(|m| m.id).collect();
            let mut input = ActivityInput::new(ActivityKind::Training, d);
            input.subkind = kind.into();
            input.participants = board;
            input.note = "Tập huấn quản lý câu lạc bộ và quỹ do Hội NCT huyện tổ chức".into();
            add(w, input)?;
        }
        let event = match month {
            1 | 2 if h.chance(0.6) => Some(("culture", "Văn nghệ mừng Xuân")),
            9 if h.chance(0.7) => Some(("sport", "Giao lưu thể thao, dưỡng sinh")),
            _ => None,
        };
        if let (Some((kind, note)), Some(d)) = (event, day(h, 12, 25)) {
            let mut input = ActivityInput::new(ActivityKind::Event, d);
            input.subkind = kind.into();
            input.people = h.rng.random_range(30..=80);
            input.note = note.into();
            add(w, input)?;
        }
        first = first.checked_add_months(chrono::Months::new(1)).unwrap_or(until + Duration::days(1));
    }
    Ok(n)
}

fn board_name(store: &Store, club_id: i64, role: Role) -> Result<String> {
    let today = store.today();
    member::load_club(store, club_id)?
        .into_iter()
        .find(|m| m.has_role_on(role, today))
        .map(|m| m.full_name)
        .ok_or(CoreError::NoClub)
}

fn thousands(g: &mut Gen, lo: i64, hi: i64) -> i64 {
    g.rng.random_range(lo / 1000..=hi / 1000) * 1000
}

/// Years of money: seed capital, monthly dues at the meeting (some members often behind), donations,
/// expenses by activity area, a yearly transfer, a cash count at each month's end (a rare small
/// difference, explained), and month closes except for the last two months.
#[allow(clippy::too_many_arguments)]
fn ledger_history(
    w: &mut Writer<'_>,
    g: &mut Gen,
    life: &mut Life<'_>,
    club_id: i64,
    founded_on: NaiveDate,
    until: NaiveDate,
    chair: &str,
    secretary: &str,
) -> Result<u32> {
    use crate::books::{self, Area, CountInput, Fund, PaymentInput, ReceiptInput, Source, Via};
    let receipt = |fund, amount, source, date, memo: &str| ReceiptInput {
        fund,
        amount,
        source,
        date,
        member_id: None,
        memo: memo.into(),
        via: Via::Cash,
    };
    books::receipt_in(w, club_id, &receipt(Fund::Income, 30_000_000, Source::Seed, founded_on, "Vốn hỗ trợ ban đầu của Hội Người cao tuổi"))?;
    books::receipt_in(w, club_id, &receipt(Fund::Activity, 3_000_000, Source::Community, founded_on, "Ủng hộ của các hộ trong thôn khi thành lập"))?;
    let mut entries = 2;
    let (mut year, mut month) = (founded_on.year(), founded_on.month());
    loop {
        let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(founded_on);
        if first > until {
            break;
        }
        let next = if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
        let last = next.and_then(|d| d.pred_opt()).unwrap_or(first);
        let meeting = NaiveDate::from_ymd_opt(year, month, 10).unwrap_or(first).max(founded_on);
        let label = format!("{year:04}-{month:02}");
        let ok = |r: Result<crate::books::Entry>, n: &mut u32| match r {
            Ok(_) => {
                *n += 1;
                Ok(())
            }
            // A payment the fund cannot afford that month is simply not made.
            Err(CoreError::LedgerCashShort { .. }) => Ok(()),
            Err(e) => Err(e),
        };
        if meeting <= until && meeting >= founded_on {
            let members = member::load_club_conn(&w.tx, club_id)?;
            let payers: Vec<i64> = members
                .iter()
                .filter(|m| m.is_member_on(meeting))
                .filter(|m| g.chance(if m.id % 11 == 0 { 0.45 } else { 0.93 }))
                .map(|m| m.id)
                .collect();
            // Most months the club meets on the 10th and collects dues there; a few months it does not
            // meet (harvest, floods, Tết) and the treasurer collects the dues at members' homes.
            let mut meeting_id = None;
            if life.h.chance(0.96) {
                let input = life.meeting(&members, meeting, &payers, chair, secretary);
                meeting_id = Some(crate::life::meeting::add_in(w, club_id, &input)?.0);
                life.meetings += 1;
                if !payers.is_empty() {
                    entries += 1;
                }
            } else if !payers.is_empty() {
                // Dues grow the revolving loan fund, as in most clubs.
                ok(books::record_dues_in(w, club_id, Fund::Income, &label, &payers, meeting), &mut entries)?;
            }
            // The rest of the month's vouchers, written in date order so numbers follow dates.
            enum Planned {
                In(ReceiptInput),
                Out(PaymentInput),
                Move(i64, NaiveDate),
                Lend(i64, NaiveDate),
                Repay(i64, i64, NaiveDate),
                WriteOff(i64, i64, NaiveDate),
            }
            let mut plan: Vec<(NaiveDate, Planned)> = Vec::new();
            // Loans: a round at the meeting every third month; repayments as instalments fall due,
            // some members often late; one loan written off by the board.
            let active: Vec<(i64, i64)> = {
                let mut stmt = w.tx.prepare("SELECT id, member_id FROM loan WHERE club_id = ?1 AND status = 'disbursed'")?;
                let rows = stmt.query_map([club_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
                rows
            };
            if let Some(mid) = meeting_id.filter(|_| month % 3 == 1) {
                let asked = meeting - Duration::days(5);
                let mut candidates: Vec<&member::Member> = members
                    .iter()
                    .filter(|m| m.is_member_on(meeting) && m.joined_on <= asked - Duration::days(30))
                    // Nobody lends to a member about to move away.
                    .filter(|m| m.left_on.is_none_or(|l| l > meeting + Duration::days(120)))
                    .filter(|m| !active.iter().any(|(_, who)| *who == m.id))
                    .collect();
                candidates.sort_by_key(|m| m.id);
                let n = life.h.rng.random_range(1..=3usize);
                for m in candidates.choose_multiple(&mut life.h.rng, n).copied().collect::<Vec<_>>() {
                    let amount = *[3_000_000i64, 4_000_000, 5_000_000, 5_000_000, 5_000_000, 6_000_000, 8_000_000, 10_000_000]
                        .choose(&mut life.h.rng)
                        .unwrap_or(&5_000_000);
                    let months = *[6u32, 12, 12, 12, 18, 24].choose(&mut life.h.rng).unwrap_or(&12);
                    let purpose = *crate::loans::Purpose::ALL.choose(&mut life.h.rng).unwrap_or(&crate::loans::Purpose::Other);
                    let input = crate::loans::ApplyInput {
                        member_id: m.id,
                        amount,
                        purpose,
                        months,
                        applied_on: asked.max(founded_on),
                        in_kind: if purpose == crate::loans::Purpose::Livestock && life.h.chance(0.3) { "1 con bê giống".into() } else { String::new() },
                        note: String::new(),
                    };
                    let id = crate::loans::apply_in(w, club_id, &input)?;
                    crate::loans::approve_in(w, club_id, id, mid)?;
                    plan.push((meeting + Duration::days(2), Planned::Lend(id, meeting + Duration::days(2))));
                }
            }
            for (id, who) in &active {
                let c = crate::loans::card_in(&w.tx, club_id, *id, last.min(until))?;
                let Some(line) = c.schedule.iter().find(|l| l.left > 0 && l.due_on >= first && l.due_on <= last.min(until)) else { continue };
                let day = line.due_on.max(meeting);
                let late_payer = who % 6 == 0;
                if !life.h.chance(if late_payer { 0.4 } else { 0.96 }) {
                    continue;
                }
                let at = crate::loans::card_in(&w.tx, club_id, *id, day)?;
                let Some(s) = at.state else { continue };
                let due_now: i64 = at.schedule.iter().filter(|l| l.due_on <= day).map(|l| l.left).sum();
                let amount = (s.penalty_due + due_now).min(s.payoff);
                if amount > 0 {
                    plan.push((day, Planned::Repay(*id, amount, day)));
                }
            }
            if let (Some(mid), true) = (meeting_id, year == founded_on.year() + 6 && month == 6) {
                let mut worst: Option<(i64, i64)> = None;
                for (id, _) in &active {
                    let days = crate::loans::card_in(&w.tx, club_id, *id, meeting)?.state.map_or(0, |s| s.days_past_due);
                    if days > 90 && worst.is_none_or(|(_, d)| days > d) {
                        worst = Some((*id, days));
                    }
                }
                if let Some((id, _)) = worst {
                    plan.push((meeting + Duration::days(1), Planned::WriteOff(id, mid, meeting + Duration::days(1))));
                }
            }
            let day = |g: &mut Gen| g.day_between(meeting, last.min(until));
            if g.chance(0.35) {
                let src = *[Source::Community, Source::Family, Source::Fundraising].choose(&mut g.rng).unwrap_or(&Source::Other);
                let (amount, date) = (thousands(g, 500_000, 3_000_000), day(g));
                plan.push((date, Planned::In(receipt(Fund::Activity, amount, src, date, "Ủng hộ hoạt động câu lạc bộ"))));
            }
            if g.chance(0.08) {
                let src = *[Source::Business, Source::Charity].choose(&mut g.rng).unwrap_or(&Source::Other);
                let (amount, date) = (thousands(g, 2_000_000, 10_000_000), day(g));
                plan.push((date, Planned::In(receipt(Fund::Income, amount, src, date, "Hỗ trợ vốn vay tăng thu nhập"))));
            }
            let quarter_end = month % 3 == 0;
            let spending = [
                (if quarter_end { 0.9 } else { 0.0 }, Area::A2, 300_000, 600_000, "Đo huyết áp, cân nặng cho hội viên"),
                (if month <= 2 { 0.7 } else { 0.1 }, Area::A7, 500_000, 1_500_000, "Văn nghệ, thể thao mừng Xuân"),
                (0.3, Area::A4, 200_000, 600_000, "Thăm hỏi hội viên ốm đau"),
                (0.3, Area::A3, 100_000, 300_000, "Tình nguyện viên chăm sóc tại nhà"),
                (0.15, Area::A6, 100_000, 300_000, "Tài liệu truyền thông"),
                (0.5, Area::Admin, 50_000, 150_000, "Văn phòng phẩm, nước uống buổi sinh hoạt"),
            ];
            for (p, area, lo, hi, memo) in spending {
                if g.chance(p) {
                    let date = day(g);
                    plan.push((date, Planned::Out(PaymentInput {
                        fund: Fund::Activity,
                        amount: thousands(g, lo, hi),
                        area,
                        date,
                        member_id: None,
                        memo: memo.into(),
                        via: Via::Cash,
                    })));
                }
            }
            if month == 12 {
                let date = day(g);
                plan.push((date, Planned::Move(1_000_000, date)));
            }
            plan.sort_by_key(|(d, _)| *d);
            for (_, op) in plan {
                let r = match op {
                    Planned::In(r) => books::receipt_in(w, club_id, &r),
                    Planned::Out(p) => books::payment_in(w, club_id, &p),
                    Planned::Move(amount, date) => {
                        books::transfer_in(w, club_id, Fund::Activity, amount, date, "Bổ sung vốn quỹ tăng thu nhập")
                    }
                    Planned::Lend(id, date) => match crate::loans::disburse_in(w, club_id, id, date) {
                        Ok(()) => {
                            entries += 1;
                            continue;
                        }
                        // Not enough in the fund this round: the member waits for the next one.
                        Err(CoreError::LedgerCashShort { .. }) => continue,
                        Err(e) => return Err(e),
                    },
                    Planned::Repay(id, amount, date) => match crate::loans::repay_in(w, club_id, id, amount, date, crate::loans::RepayMode::NextInstalment) {
                        Ok(_) => {
                            entries += 1;
                            continue;
                        }
                        // Written off earlier in the month.
                        Err(CoreError::LoanWrongStatus { .. }) => continue,
                        Err(e) => return Err(e),
                    },
                    Planned::WriteOff(id, mid, date) => {
                        crate::loans::write_off_in(w, club_id, id, mid, date, "Thành viên khó khăn đặc biệt, không còn khả năng trả nợ")?;
                        entries += 1;
                        continue;
                    }
                };
                ok(r, &mut entries)?;
            }
        }
        if last < until {
            for fund in Fund::ALL {
                let book: i64 = w.tx.query_row(
                    "SELECT coalesce(sum(amount), 0) FROM posting WHERE club_id = ?1 AND fund = ?2 AND account = 'cash' AND date <= ?3",
                    rusqlite::params![club_id, fund.code(), last],
                    |r| r.get(0),
                )?;
                let off = if fund == Fund::Activity && book > 20_000 && g.chance(0.05) { -10_000 } else { 0 };
                let input = CountInput {
                    fund,
                    date: last,
                    notes: books::notes_for(book + off),
                    counted_by: w.actor.name().to_string(),
                    witness: chair.to_string(),
                    reason: if off != 0 { "Chi lẻ mua nước chưa có chứng từ".into() } else { String::new() },
                };
                let counted = books::cash_count_in(w, club_id, &input)?;
                entries += counted.adjustment.is_some() as u32;
            }
            if last + Duration::days(60) < until {
                books::close_month_in(w, club_id, &label, &[chair.to_string(), secretary.to_string()])?;
            }
        }
        let Some(n) = next else { break };
        (year, month) = (n.year(), n.month());
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::composition;

    fn store() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        s.set_today(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        s
    }

    #[test]
    fn demo_is_deterministic() {
        let (mut a, mut b) = (store(), store());
        let sa = build(&mut a, DemoOptions::default()).unwrap();
        let sb = build(&mut b, DemoOptions::default()).unwrap();
        assert_eq!(sa, sb);
        let names = |s: &Store| {
            member::load_club(s, 1).unwrap().into_iter().map(|m| (m.full_name, m.birth_year, m.left_on)).collect::<Vec<_>>()
        };
        assert_eq!(names(&a), names(&b));
        let mut c = store();
        build(&mut c, DemoOptions { seed: 7, ..Default::default() }).unwrap();
        assert_ne!(names(&a), names(&c));
    }

    #[test]
    fn demo_looks_like_a_real_club() {
        let mut s = store();
        let summary = build(&mut s, DemoOptions::default()).unwrap();
        assert!(summary.members_ever > summary.members_now, "some members left over ten years");
        let comp = composition::compute(&s, summary.club_id, None, None).unwrap();
        let c = &comp.counts;
        assert!((45..=75).contains(&c.members), "{c:?}");
        let share = |k: u32| k * 100 / c.members;
        assert!((50..=78).contains(&share(c.women)), "{c:?}");
        assert!((48..=78).contains(&share(c.older)), "{c:?}");
        assert!(c.disadvantaged > 0 && c.volunteers >= 5, "{c:?}");
        let members = member::load_club(&s, summary.club_id).unwrap();
        assert!(members.iter().any(|m| m.leave_reason == Some(LeaveReason::Died)));
        assert!(members.iter().all(|m| m.joined_on >= summary.founded_on));
        assert!(crate::check::run(&s).unwrap().ok);
        // Years of meetings and activities, with the gaps a real club has.
        assert!(summary.meetings >= 110 && summary.meetings < 130, "{summary:?}");
        assert!(summary.activities > 300, "{summary:?}");
        let year = s.today().year() - 1;
        let st = crate::life::standard::assess(&s, summary.club_id, year, None).unwrap();
        let of = |id: &str| st.criteria.iter().find(|c| c.id == id).unwrap().clone();
        assert!(of("meetings.monthly").value >= 10, "{:?}", of("meetings.monthly"));
        assert!(of("home_care.people").value >= 2);
        assert_eq!(of("composition.volunteers").met, Some(true));
        let all: Vec<bool> = (summary.founded_on.year() + 1..=year)
            .map(|y| crate::life::standard::assess(&s, summary.club_id, y, None).unwrap())
            .map(|st| st.criteria.iter().find(|c| c.id == "board.trained").unwrap().met == Some(true))
            .collect();
        assert!(all.iter().any(|t| *t) && all.iter().any(|t| !*t), "one year without board training: {all:?}");
        // Years of lending: most loans repaid, some late, one written off; the books agree.
        let loans = crate::loans::list(&s, summary.club_id, s.today()).unwrap();
        let count = |st: crate::loans::LoanStatus| loans.iter().filter(|r| r.loan.status == st).count();
        assert!(count(crate::loans::LoanStatus::Repaid) > 30, "{}", loans.len());
        assert_eq!(count(crate::loans::LoanStatus::WrittenOff), 1);
        let p = crate::loans::portfolio(&s, summary.club_id, s.today()).unwrap();
        assert!(p.par30 > 0 && p.ever_borrowed_pct >= 50.0, "{p:?}");
        let bal = crate::books::balances(&s, summary.club_id, None).unwrap();
        assert_eq!(bal.funds.iter().find(|f| f.fund == crate::books::Fund::Income).unwrap().loans, p.outstanding);
    }

    #[test]
    fn bad_options_are_refused() {
        let mut s = store();
        let err = build(&mut s, DemoOptions { years: 0, ..Default::default() }).unwrap_err();
        assert!(matches!(err, CoreError::Invalid { field: Field::DemoYears, .. }));
        assert!(club::list(&s).unwrap().is_empty());
    }
}
