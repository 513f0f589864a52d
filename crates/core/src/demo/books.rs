//! The demo club's money and loans, month by month: seed capital, dues at the meeting, donations,
//! expenses by area, transfers, cash counts and closes; loan rounds, repayments, one write-off.

use chrono::{Datelike, Duration, NaiveDate};
use rand::seq::IndexedRandom;
use rand::Rng;

use super::{thousands, Gen, Life};
use crate::error::{CoreError, Result};
use crate::roster::member;
use crate::store::Writer;

/// Years of money: seed capital, monthly dues at the meeting (some members often behind), donations,
/// expenses by activity area, a yearly transfer, a cash count at each month's end (a rare small
/// difference, explained), and month closes except for the last two months.
#[allow(clippy::too_many_arguments)]
pub(super) fn ledger_history(
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
