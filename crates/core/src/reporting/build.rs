//! Building a `Report` from the books: every figure through the function the matching command uses.

use chrono::{Datelike, NaiveDate};
use rusqlite::params;

use super::*;
use crate::books::{self, Fund};
use crate::life::meeting::Topic;
use crate::life::standard;
use crate::loans;
use crate::roster::club;
use crate::roster::composition;
use crate::roster::member::{self, Role};
use crate::roster::preset;

fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to < from {
        return 0;
    }
    ((to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32 + 1) as u32
}

/// Build the report of `period` for the club.
pub fn build(store: &Store, club_id: i64, period: &Period, opts: &ReportOptions) -> Result<Report> {
    store.snapshot(|| build_in(store, club_id, period, opts))
}

fn build_in(store: &Store, club_id: i64, period: &Period, opts: &ReportOptions) -> Result<Report> {
    let club = club::get(store, club_id)?;
    let today = store.today();
    if period.from > today {
        return Err(CoreError::invalid(Field::ReportPeriod, Rule::InFuture { today: today.to_string() }));
    }
    if period.to < club.founded_on {
        return Err(CoreError::invalid(Field::ReportPeriod, Rule::BeforeFounding { founded_on: club.founded_on.to_string() }));
    }
    let as_of = period.to.min(today);
    let before = period.from.pred_opt().unwrap_or(period.from);
    let conn = store.conn();

    // Members and composition.
    let preset = preset::find(store, &club.target_preset)?;
    let members = member::load_club(store, club_id)?;
    let comp = composition::compute(store, club_id, Some(as_of), None)?;
    let start = composition::count(&members, before, preset.older_age);
    let in_period = |d: NaiveDate| period.from <= d && d <= as_of;
    let joined: Vec<&member::Member> = members.iter().filter(|m| in_period(m.joined_on)).collect();
    let left: Vec<&member::Member> = members.iter().filter(|m| m.left_on.is_some_and(in_period)).collect();
    let mut left_by_reason: Vec<CodeCount> = Vec::new();
    for reason in ["moved", "died", "withdrew", "other"] {
        let n = left.iter().filter(|m| m.leave_reason.map(|r| r.code()).unwrap_or("other") == reason).count() as u32;
        if n > 0 {
            left_by_reason.push(CodeCount { code: reason.into(), count: n });
        }
    }
    let on_end: Vec<&member::Member> = members.iter().filter(|m| m.is_member_on(as_of)).collect();
    let members_part = MembersPart {
        preset_id: comp.preset_id.clone(),
        preset_name_vi: comp.preset_name_vi.clone(),
        preset_name_en: comp.preset_name_en.clone(),
        older_age: comp.older_age,
        start,
        joined: joined.len() as u32,
        joined_women: joined.iter().filter(|m| m.sex == member::Sex::F).count() as u32,
        left: left.len() as u32,
        left_by_reason,
        end: comp.counts.clone(),
        targets: comp.targets.clone(),
        all_within: comp.all_within,
        consent_recorded: on_end.iter().filter(|m| m.consent_on.is_some_and(|c| c <= as_of)).count() as u32,
    };

    // The board on the last day.
    let board = [Role::Chair, Role::ViceChair, Role::Treasurer, Role::Secretary]
        .into_iter()
        .map(|role| {
            let holders: Vec<&&member::Member> = on_end.iter().filter(|m| m.has_role_on(role, as_of)).collect();
            BoardLine {
                role: role.code().into(),
                holders: holders.len() as u32,
                names: opts.with_members.then(|| holders.iter().map(|m| m.full_name.clone()).collect()),
            }
        })
        .collect();
    let club_part = ClubPart {
        name: club.name.clone(),
        hamlet: club.hamlet.clone(),
        commune: club.commune.clone(),
        district: club.district.clone(),
        province: club.province.clone(),
        founded_on: club.founded_on,
        board,
    };

    let meetings = meetings_part(store, club_id, period.from, as_of)?;
    let activities = activities_part(store, club_id, period.from, as_of, &on_end)?;

    // Funds: positions from the balances, flows from the period summary.
    let (opening, closing) = books::balances_on_two_days(store, club_id, before, as_of)?;
    let summary = books::summary(store, club_id, period.from, as_of)?;
    let mut funds = Vec::new();
    for fund in Fund::ALL {
        let pos = |b: &books::Balances| {
            b.funds
                .iter()
                .find(|f| f.fund == fund)
                .map(|f| Position { cash: f.cash, bank: f.bank, loans: f.loans, total: f.assets })
                .unwrap_or(Position { cash: 0, bank: 0, loans: 0, total: 0 })
        };
        let flow = |b: &books::Balances, what: fn(&books::FundBalance) -> i64| {
            b.funds.iter().find(|f| f.fund == fund).map(what).unwrap_or(0)
        };
        let receipts: Vec<CodeAmount> = summary
            .receipts
            .iter()
            .filter(|(f, _, _)| *f == fund)
            .map(|(_, code, amount)| CodeAmount { code: code.clone(), amount: *amount })
            .collect();
        let payments: Vec<CodeAmount> = summary
            .payments
            .iter()
            .filter(|(f, _, _)| *f == fund)
            .map(|(_, code, amount)| CodeAmount { code: code.clone(), amount: *amount })
            .collect();
        funds.push(FundPart {
            fund: fund.code().into(),
            opening: pos(&opening),
            receipts_total: books::sum_amounts(receipts.iter().map(|r| r.amount))?,
            receipts,
            payments_total: books::sum_amounts(payments.iter().map(|p| p.amount))?,
            payments,
            transfers_in: flow(&closing, |f| f.transfers_in) - flow(&opening, |f| f.transfers_in),
            capital_added: flow(&closing, |f| f.capital) - flow(&opening, |f| f.capital),
            closing: pos(&closing),
            last_count: last_count(store, club_id, fund, period.from, as_of)?,
        });
    }

    // Loans: what moved in the period, and the portfolio on the last day.
    let (disbursed_count, disbursed_amount): (u32, i64) = conn.query_row(
        "SELECT count(*), coalesce(sum(amount), 0) FROM loan WHERE club_id = ?1 AND disbursed_on BETWEEN ?2 AND ?3",
        params![club_id, period.from, as_of],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (repaid_principal, interest_received, penalty_received): (i64, i64, i64) = conn.query_row(
        "SELECT coalesce(sum(p.principal), 0), coalesce(sum(p.interest), 0), coalesce(sum(p.penalty), 0)
         FROM loan_payment p JOIN loan l ON l.id = p.loan_id
         WHERE l.club_id = ?1 AND p.paid_on BETWEEN ?2 AND ?3",
        params![club_id, period.from, as_of],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let written_off =
        books::sum_amounts(summary.payments.iter().filter(|(f, code, _)| *f == Fund::Income && code == "write_off").map(|(_, _, a)| *a))?;
    let loans = LoansPart {
        disbursed_count,
        disbursed_amount,
        repaid_principal,
        interest_received,
        penalty_received,
        written_off,
        at_end: loans::portfolio(store, club_id, as_of)?,
    };

    let standard = match period.kind {
        PeriodKind::Year => Some(StandardPart::of(&standard::assess(store, club_id, period.year, None)?, opts.with_members)),
        _ => None,
    };
    let member_list = opts.with_members.then(|| {
        members
            .iter()
            .filter(|m| m.joined_on <= as_of && m.left_on.is_none_or(|l| l >= period.from))
            .map(|m| MemberLine {
                full_name: m.full_name.clone(),
                sex: m.sex.code().into(),
                birth_year: m.birth_year,
                hamlet: m.hamlet.clone(),
                joined_on: m.joined_on,
                left_on: m.left_on.filter(|l| *l <= as_of),
            })
            .collect()
    });

    Ok(Report {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        period: period.clone(),
        as_of,
        generated_on: today,
        app_version: env!("CARGO_PKG_VERSION").into(),
        includes_personal_data: opts.with_members,
        club: club_part,
        members: members_part,
        meetings,
        activities,
        funds,
        loans,
        standard,
        member_list,
    })
}

fn meetings_part(store: &Store, club_id: i64, from: NaiveDate, to: NaiveDate) -> Result<MeetingsPart> {
    let conn = store.conn();
    let mut by_kind = Vec::new();
    let mut held = 0;
    for kind in crate::life::meeting::MeetingKind::ALL {
        let n: u32 = conn.query_row(
            "SELECT count(*) FROM meeting WHERE club_id = ?1 AND kind = ?2 AND held_on BETWEEN ?3 AND ?4",
            params![club_id, kind.code(), from, to],
            |r| r.get(0),
        )?;
        held += n;
        by_kind.push(CodeCount { code: kind.code().into(), count: n });
    }
    let months_with_meeting: u32 = conn.query_row(
        "SELECT count(DISTINCT substr(held_on, 1, 7)) FROM meeting
         WHERE club_id = ?1 AND kind IN ('monthly', 'annual') AND held_on BETWEEN ?2 AND ?3",
        params![club_id, from, to],
        |r| r.get(0),
    )?;
    let (regular, present): (u32, u32) = conn.query_row(
        "SELECT count(DISTINCT m.id), count(a.member_id) FROM meeting m
         LEFT JOIN meeting_attendance a ON a.meeting_id = m.id
         WHERE m.club_id = ?1 AND m.kind IN ('monthly', 'annual') AND m.held_on BETWEEN ?2 AND ?3",
        params![club_id, from, to],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let topic_count = |topic: &str| -> Result<u32> {
        Ok(conn.query_row(
            "SELECT count(*) FROM meeting_topic t JOIN meeting m ON m.id = t.meeting_id
             WHERE m.club_id = ?1 AND t.topic = ?2 AND m.held_on BETWEEN ?3 AND ?4",
            params![club_id, topic, from, to],
            |r| r.get(0),
        )?)
    };
    let mut areas = Vec::new();
    for topic in Topic::AREAS {
        let activities: u32 = conn.query_row(
            "SELECT count(*) FROM activity WHERE club_id = ?1 AND area = ?2 AND held_on BETWEEN ?3 AND ?4",
            params![club_id, topic.code(), from, to],
            |r| r.get(0),
        )?;
        areas.push(AreaLine { area: topic.code().into(), meetings: topic_count(topic.code())?, activities });
    }
    let mut themes = Vec::new();
    for topic in Topic::ALL.into_iter().filter(|t| !t.is_area()) {
        themes.push(CodeCount { code: topic.code().into(), count: topic_count(topic.code())? });
    }
    let (decisions, loan_approvals): (u32, u32) = conn.query_row(
        "SELECT count(*), coalesce(sum(d.kind = 'loan_approval'), 0) FROM decision d JOIN meeting m ON m.id = d.meeting_id
         WHERE m.club_id = ?1 AND m.held_on BETWEEN ?2 AND ?3",
        params![club_id, from, to],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(MeetingsPart {
        held,
        by_kind,
        months: months_between(from, to),
        months_with_meeting,
        average_present: if regular == 0 { 0.0 } else { (present as f64 * 10.0 / regular as f64).round() / 10.0 },
        areas_covered: areas.iter().filter(|a| a.meetings > 0).count() as u32,
        areas,
        themes,
        decisions,
        loan_approvals,
    })
}

fn activities_part(
    store: &Store,
    club_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    on_end: &[&member::Member],
) -> Result<ActivitiesPart> {
    let conn = store.conn();
    let mut by_kind = Vec::new();
    for kind in crate::life::activity::ActivityKind::ALL {
        let (count, people, value): (u32, u32, i64) = conn.query_row(
            "SELECT count(*), coalesce(sum(people), 0), coalesce(sum(value), 0) FROM activity
             WHERE club_id = ?1 AND kind = ?2 AND held_on BETWEEN ?3 AND ?4",
            params![club_id, kind.code(), from, to],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        by_kind.push(ActivityLine { kind: kind.code().into(), count, people, value });
    }
    let mut stmt = conn.prepare(
        "SELECT DISTINCT member_id FROM activity
         WHERE club_id = ?1 AND kind = 'home_visit' AND member_id IS NOT NULL AND held_on BETWEEN ?2 AND ?3",
    )?;
    let visited: std::collections::BTreeSet<i64> =
        stmt.query_map(params![club_id, from, to], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
    let recipients: Vec<i64> = on_end.iter().filter(|m| m.has_role_on(Role::CareRecipient, to)).map(|m| m.id).collect();
    Ok(ActivitiesPart {
        by_kind,
        members_visited: visited.len() as u32,
        care_recipients: recipients.len() as u32,
        care_recipients_visited: recipients.iter().filter(|id| visited.contains(id)).count() as u32,
    })
}

fn last_count(store: &Store, club_id: i64, fund: Fund, from: NaiveDate, to: NaiveDate) -> Result<Option<CountLine>> {
    let mut stmt = store.conn().prepare(
        "SELECT date, account, book_before, counted FROM balance_assertion
         WHERE club_id = ?1 AND fund = ?2 AND date BETWEEN ?3 AND ?4 ORDER BY date DESC, id DESC LIMIT 1",
    )?;
    let mut rows = stmt.query_map(params![club_id, fund.code(), from, to], |r| {
        let book: i64 = r.get(2)?;
        let counted: i64 = r.get(3)?;
        Ok(CountLine { date: r.get(0)?, account: r.get(1)?, book, counted, difference: counted - book })
    })?;
    Ok(rows.next().transpose()?)
}
