//! The demo club's life: monthly meetings (the input; `books` writes them with their dues) and
//! years of activities between them.

use chrono::{Datelike, Duration, NaiveDate};
use rand::seq::IndexedRandom;
use rand::Rng;

use super::{thousands, Gen};
use crate::error::Result;
use crate::roster::member::{self, Role};
use crate::store::Writer;

/// The random stream and tally of the club's meetings.
pub(super) struct Life<'a> {
    pub(super) h: &'a mut Gen,
    pub(super) meetings: u32,
}

impl Life<'_> {
    /// A monthly meeting: most members come (everyone who pays dues there), the chair presides and
    /// the secretary takes the minutes; most meetings run all eight areas, some skip a few.
    pub(super) fn meeting(
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
            second_in_month: false,
        }
    }
}

/// Years of activities between meetings: home visits to members who need care, health checks
/// each quarter, support to members in hardship, help with pensions and health insurance, the
/// board's yearly training (missed one year), and events at Tết and in the autumn.
pub(super) fn activity_history(w: &mut Writer<'_>, h: &mut Gen, club_id: i64, founded_on: NaiveDate, until: NaiveDate) -> Result<u32> {
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
