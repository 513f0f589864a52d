//! `ishc meeting …`, `ishc activity …` and `ishc standard`: the club's life and how it measures up.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use ishc_core::life::activity::{self, ActivityInput, ActivityKind, ActivityQuery};
use ishc_core::error::{Field, Rule};
use ishc_core::format;
use ishc_core::i18n::{fill, memo_text, t, Lang};
use ishc_core::life::{decision::{self, DecisionInput, DecisionKind}, meeting::{self, DuesInput, Meeting, MeetingInput, MeetingKind, Topic}};
use ishc_core::{roster::member, life::standard, OpenMode, Store};

use crate::ctx::Ctx;
use crate::output::{emit, print_warnings, CliError, Result};
use crate::parse::{area_word, one_of, parse_date, parse_fund, parse_money};

#[derive(Subcommand, Debug)]
pub enum MeetingCommand {
    /// Record a meeting, its decisions and the dues collected at it, in one go.
    Add(Box<MeetingAddArgs>),
    /// Add a decision to a meeting already recorded.
    Decide {
        /// The meeting's number.
        id: i64,
        /// loan_approval, loan_reschedule, loan_write_off, admission, spending or other.
        #[arg(long)]
        kind: String,
        #[arg(long, value_name = "ID")]
        member: Option<i64>,
        #[arg(long)]
        amount: Option<String>,
        #[arg(long)]
        text: String,
    },
    /// Meetings, newest first.
    List {
        #[arg(long)]
        year: Option<i32>,
    },
    /// One meeting's record (biên bản).
    Show { id: i64 },
    /// The 12-month × 8-area grid of a year.
    Grid {
        #[arg(long)]
        year: i32,
    },
}

#[derive(Args, Debug)]
pub struct MeetingAddArgs {
    #[arg(long, value_name = "DATE")]
    date: String,
    /// monthly, board, extraordinary or annual.
    #[arg(long, default_value = "monthly")]
    kind: String,
    #[arg(long, default_value = "")]
    place: String,
    /// The member who chaired.
    #[arg(long, value_name = "ID")]
    chair: i64,
    #[arg(long, value_name = "ID")]
    minutes_by: Option<i64>,
    /// Members present, comma-separated.
    #[arg(long, value_delimiter = ',', conflicts_with = "all_present")]
    present: Vec<i64>,
    /// Every member of the day was present…
    #[arg(long)]
    all_present: bool,
    /// …but these.
    #[arg(long, value_delimiter = ',', requires = "all_present")]
    absent: Vec<i64>,
    /// Activity areas covered: 1..8, comma-separated, or `all`.
    #[arg(long, value_delimiter = ',')]
    areas: Vec<String>,
    /// Themes discussed: digital, green, startup.
    #[arg(long, value_delimiter = ',')]
    themes: Vec<String>,
    #[arg(long, default_value = "", conflicts_with = "minutes_file")]
    minutes: String,
    /// Read the minutes from a text file.
    #[arg(long, value_name = "FILE")]
    minutes_file: Option<PathBuf>,
    /// A decision as KIND:MEMBER:AMOUNT:TEXT (member and amount may be empty); repeat for more.
    #[arg(long = "decision", value_name = "KIND:MEMBER:AMOUNT:TEXT")]
    decisions: Vec<String>,
    /// Approve these loan applications at this meeting (ids from `ishc loan waiting`).
    #[arg(long = "approve-loan", value_name = "LOAN", value_delimiter = ',')]
    approve_loans: Vec<i64>,
    /// Collect this month's dues from everyone present.
    #[arg(long, conflicts_with = "dues")]
    dues_present: bool,
    /// Collect dues from these members, comma-separated.
    #[arg(long, value_delimiter = ',')]
    dues: Vec<i64>,
    /// YYYY-MM the dues are for (default: the meeting's month).
    #[arg(long)]
    dues_month: Option<String>,
    #[arg(long, default_value = "income")]
    dues_fund: String,
    /// Confirm a second monthly meeting in the same month (refused without it).
    #[arg(long)]
    second_in_month: bool,
}

#[derive(Subcommand, Debug)]
pub enum ActivityCommand {
    /// Record an activity (and, with --fund, the money it gave or raised).
    Add {
        /// home-visit, health-check, support, rights, training or event.
        #[arg(long)]
        kind: String,
        /// support: money|in_kind|labour|other; rights: pension|health_insurance|social_allowance|legal|other;
        /// training: board_initial|board_refresher|members|other; event: culture|sport|visit|fundraising|other.
        #[arg(long, default_value = "")]
        subkind: String,
        #[arg(long, value_name = "DATE")]
        date: String,
        /// The member cared for or helped.
        #[arg(long, value_name = "ID", conflicts_with = "person")]
        member: Option<i64>,
        /// Or someone who is not a member, by name.
        #[arg(long, default_value = "")]
        person: String,
        /// The volunteer or board member who did it.
        #[arg(long, value_name = "ID")]
        by: Option<i64>,
        /// Members who took part, comma-separated.
        #[arg(long, value_delimiter = ',')]
        participants: Vec<i64>,
        /// How many people took part.
        #[arg(long, default_value_t = 0)]
        people: u32,
        /// Value in đồng of what was given or raised.
        #[arg(long)]
        value: Option<String>,
        /// Post the value to this fund (a payment; a fundraising receipt for an event).
        #[arg(long)]
        fund: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Activities, newest first.
    List {
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        kind: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct StandardArgs {
    #[arg(long)]
    year: i32,
    /// Judge against this target preset instead of the club's own.
    #[arg(long, value_name = "NAME")]
    preset: Option<String>,
}

/// The areas by number (the core also reads `a3`), or `all` (`None` here); the themes by name.
fn topics(areas: &[String], themes: &[String]) -> Result<Vec<Topic>> {
    let area_choices: Vec<Option<Topic>> = Topic::AREAS.into_iter().map(Some).chain([None]).collect();
    let area_or_all = |t: Option<Topic>| t.map_or("all", |t| area_word(t.code()));
    let themes_all: Vec<Topic> = Topic::ALL.into_iter().filter(|t| !t.is_area()).collect();
    let mut out = Vec::new();
    for a in areas {
        let area = Topic::parse(a).filter(|t| t.is_area()).map(Some);
        match area.map_or_else(|| one_of(a, Field::MeetingTopic, &area_choices, area_or_all), Ok)? {
            Some(t) => out.push(t),
            None => out.extend(Topic::AREAS),
        }
    }
    for th in themes {
        let theme = Topic::parse(th).filter(|t| !t.is_area());
        out.push(theme.map_or_else(|| one_of(th, Field::MeetingTopic, &themes_all, Topic::code), Ok)?);
    }
    Ok(out)
}

/// `KIND:MEMBER:AMOUNT:TEXT`, where MEMBER and AMOUNT may be empty and TEXT may hold colons.
fn parse_decision(s: &str) -> Result<DecisionInput> {
    let parts: Vec<&str> = s.splitn(4, ':').collect();
    let bad = || CliError::Arg { field: Field::DecisionText, rule: Rule::Unknown { value: s.to_string() } };
    if parts.len() != 4 {
        return Err(bad());
    }
    let kind = one_of(parts[0], Field::DecisionKind, &DecisionKind::ALL, DecisionKind::code)?;
    let member_id = match parts[1].trim() {
        "" => None,
        m => Some(m.parse::<i64>().map_err(|_| bad())?),
    };
    let amount = match parts[2].trim() {
        "" => None,
        a => Some(parse_money(a, Field::DecisionAmount)?),
    };
    Ok(DecisionInput { loan_id: None, kind, member_id, amount, text: parts[3].to_string() })
}

fn members_on(store: &Store, club: i64, day: chrono::NaiveDate) -> Result<Vec<i64>> {
    Ok(member::list(store, club, &member::ListQuery { at: Some(day), ..Default::default() })?.into_iter().map(|r| r.id).collect())
}

fn topic_words(lang: Lang, topics: &[Topic]) -> String {
    topics.iter().map(|x| t(lang, &format!("topic.{}", x.code()))).collect::<Vec<_>>().join("; ")
}

/// The meeting record (biên bản) as text.
fn record_text(lang: Lang, m: &Meeting) -> String {
    let name = |p: &Option<member::Person>| p.as_ref().map(|p| p.full_name.clone()).unwrap_or_default();
    let mut lines = vec![
        format!("{} — {} {}", t(lang, "record.title"), t(lang, &format!("meeting_kind.{}", m.kind.code())), format::date(m.held_on)),
        format!("{}: {}", t(lang, "field.meeting.place"), m.place),
        format!("{}: {}", t(lang, "field.meeting.chaired_by"), name(&m.chaired_by)),
        format!("{}: {}", t(lang, "record.minutes_by"), name(&m.minutes_by)),
        format!("{}: {}/{}", t(lang, "record.present"), m.present.len(), m.members_on_day),
        format!("  {}", m.present.iter().map(|p| p.full_name.as_str()).collect::<Vec<_>>().join(", ")),
        format!("{}: {}", t(lang, "record.absent"), m.absent.len()),
        format!("  {}", m.absent.iter().map(|p| p.full_name.as_str()).collect::<Vec<_>>().join(", ")),
        format!("{}: {}", t(lang, "record.topics"), topic_words(lang, &m.topics)),
    ];
    if !m.decisions.is_empty() {
        lines.push(format!("{}:", t(lang, "record.decisions")));
        for (i, d) in m.decisions.iter().enumerate() {
            let who = d.member.as_ref().map(|p| format!(" — {}", p.full_name)).unwrap_or_default();
            let amount = d.amount.map(|a| format!(" — {}", format::money(a))).unwrap_or_default();
            lines.push(format!("  {}. [{}]{}{}: {}", i + 1, t(lang, &format!("decision.{}", d.kind.code())), who, amount, memo_text(lang, d.text_notice.as_ref(), &d.text)));
        }
    }
    if let Some(v) = &m.dues_voucher {
        lines.push(format!("{}: {} — {} ({})", t(lang, "record.dues"), format::money(m.dues_total), m.dues_count, v));
    }
    if !m.minutes.is_empty() {
        lines.push(String::new());
        lines.push(m.minutes.clone());
    }
    lines.join("\n")
}

fn meeting_add(ctx: &Ctx, store: &mut Store, club: i64, a: MeetingAddArgs) -> Result<()> {
    let day = parse_date(&a.date, Field::MeetingDate)?;
    let everyone = members_on(store, club, day)?;
    let present: Vec<i64> = if a.all_present {
        everyone.iter().copied().filter(|id| !a.absent.contains(id)).collect()
    } else {
        a.present.clone()
    };
    let minutes = match &a.minutes_file {
        Some(f) => ishc_core::files::read_text_capped(f, ishc_core::life::meeting::MAX_MINUTES_FILE)?,
        None => a.minutes.clone(),
    };
    let dues = if a.dues_present || !a.dues.is_empty() {
        let ids = if a.dues_present { present.clone() } else { a.dues.clone() };
        Some(DuesInput { fund: parse_fund(&a.dues_fund)?, month: a.dues_month.clone().unwrap_or_default(), member_ids: ids })
    } else {
        None
    };
    let input = MeetingInput {
        kind: one_of(&a.kind, Field::MeetingKind, &MeetingKind::ALL, MeetingKind::code)?,
        held_on: day,
        place: a.place,
        chaired_by: Some(a.chair),
        minutes_by: a.minutes_by,
        present,
        topics: topics(&a.areas, &a.themes)?,
        minutes,
        decisions: a
            .decisions
            .iter()
            .map(|d| parse_decision(d))
            .chain(a.approve_loans.iter().map(|id| {
                Ok(DecisionInput { loan_id: Some(*id), kind: DecisionKind::LoanApproval, member_id: None, amount: None, text: String::new() })
            }))
            .collect::<Result<_>>()?,
        dues,
        second_in_month: a.second_in_month,
    };
    let actor = ctx.sign_in(store, club)?;
    let saved = meeting::add(store, &actor, club, &input)?;
    print_warnings(ctx.lang, ctx.json, &saved.warnings);
    emit(ctx.json, &saved, || record_text(ctx.lang, &saved.meeting));
    Ok(())
}

pub fn meeting(ctx: &Ctx, command: MeetingCommand) -> Result<()> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let club = ctx.club_id(&store)?;
    let l = ctx.lang;
    match command {
        MeetingCommand::Add(a) => meeting_add(ctx, &mut store, club, *a)?,
        MeetingCommand::Decide { id, kind, member, amount, text } => {
            let input = DecisionInput {
                loan_id: None,
                kind: one_of(&kind, Field::DecisionKind, &DecisionKind::ALL, DecisionKind::code)?,
                member_id: member,
                amount: amount.as_deref().map(|a| parse_money(a, Field::DecisionAmount)).transpose()?,
                text,
            };
            let actor = ctx.sign_in(&mut store, club)?;
            let saved = decision::decide(&mut store, &actor, club, id, &input)?;
            print_warnings(l, ctx.json, &saved.warnings);
            emit(ctx.json, &saved, || format!("{} {}: {}", t(l, "record.decision_saved"), saved.decision.id, saved.decision.text));
        }
        MeetingCommand::List { year } => {
            let rows = meeting::list(&store, club, year)?;
            emit(ctx.json, &rows, || {
                rows.iter()
                    .map(|r| {
                        let areas = r.topics.iter().filter(|t| t.is_area()).count();
                        format!(
                            "{:>4}  {}  {:<20} {:>3} {}  {}/8 {}  {}",
                            r.id,
                            format::date(r.held_on),
                            t(l, &format!("meeting_kind.{}", r.kind.code())),
                            r.present,
                            t(l, "record.present_short"),
                            areas,
                            t(l, "record.areas_short"),
                            if r.dues_total > 0 { format::money(r.dues_total) } else { String::new() }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        MeetingCommand::Show { id } => {
            let m = meeting::get(&store, club, id)?;
            emit(ctx.json, &m, || record_text(l, &m));
        }
        MeetingCommand::Grid { year } => {
            let g = meeting::year_grid(&store, club, year)?;
            emit(ctx.json, &g, || {
                let mut lines = vec![format!("{year}     1  2  3  4  5  6  7  8")];
                for m in &g.months {
                    let cells: Vec<String> = (0..8)
                        .map(|a| match (m.covered[a], m.activities[a]) {
                            (true, _) => " ✓".to_string(),
                            (false, 0) => " ·".to_string(),
                            (false, n) => format!("{n:>2}"),
                        })
                        .collect();
                    lines.push(format!("{}  {} {}", &m.month[5..], if m.meetings > 0 { "●" } else { "○" }, cells.join(" ")));
                }
                lines.join("\n")
            });
        }
    }
    Ok(())
}

pub fn activity(ctx: &Ctx, command: ActivityCommand) -> Result<()> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let club = ctx.club_id(&store)?;
    let l = ctx.lang;
    let kind_of = |s: &str| one_of(s, Field::ActivityKind, &ActivityKind::ALL, ActivityKind::code);
    match command {
        ActivityCommand::Add { kind, subkind, date, member, person, by, participants, people, value, fund, note } => {
            let input = ActivityInput {
                kind: kind_of(&kind)?,
                subkind,
                held_on: parse_date(&date, Field::ActivityDate)?,
                member_id: member,
                person,
                by_member_id: by,
                participants,
                people,
                value: match value.as_deref() {
                    Some(v) => parse_money(v, Field::ActivityValue)?,
                    None => 0,
                },
                fund: fund.as_deref().map(parse_fund).transpose()?,
                note,
            };
            let actor = ctx.sign_in(&mut store, club)?;
            let a = activity::add(&mut store, &actor, club, &input)?;
            emit(ctx.json, &a, || activity_line(l, &a));
        }
        ActivityCommand::List { year, kind } => {
            let q = ActivityQuery { year, kind: kind.as_deref().map(kind_of).transpose()? };
            let rows = activity::list(&store, club, &q)?;
            emit(ctx.json, &rows, || rows.iter().map(|a| activity_line(l, a)).collect::<Vec<_>>().join("\n"));
        }
    }
    Ok(())
}

fn activity_line(l: Lang, a: &activity::Activity) -> String {
    let who = a.member.as_ref().map(|p| p.full_name.clone()).unwrap_or_else(|| a.person.clone());
    let by = a.by.as_ref().map(|p| format!(" ← {}", p.full_name)).unwrap_or_default();
    let mut s = format!("{:>4}  {}  {}", a.id, format::date(a.held_on), t(l, &format!("activity.{}", a.kind.code())));
    if !a.subkind.is_empty() {
        s.push_str(&format!(" ({})", t(l, &format!("subkind.{}", a.subkind))));
    }
    if !who.is_empty() {
        s.push_str(&format!(" — {who}{by}"));
    }
    if a.people > 0 {
        s.push_str(&format!(" — {} {}", a.people, t(l, "activity.people_short")));
    }
    if a.value > 0 {
        s.push_str(&format!(" — {}", format::money(a.value)));
    }
    if let Some(v) = &a.voucher {
        s.push_str(&format!(" [{v}]"));
    }
    if !a.note.is_empty() {
        s.push_str(&format!(": {}", a.note));
    }
    s
}

pub fn standard(ctx: &Ctx, a: StandardArgs) -> Result<()> {
    let StandardArgs { year, preset } = a;
    let store = ctx.open(OpenMode::Existing)?;
    let club = ctx.club_id(&store)?;
    let l = ctx.lang;
    let s = standard::assess(&store, club, year, preset.as_deref())?;
    emit(ctx.json, &s, || {
        let mut lines = vec![format!(
            "{} {} ({} – {}), {}: {}/{}",
            t(l, "standard.heading"),
            s.year,
            format::date(s.from),
            format::date(s.to),
            t(l, "standard.met_count"),
            s.met,
            s.judged
        )];
        for c in &s.criteria {
            let mark = match c.met {
                Some(true) => "✓",
                Some(false) => "✗",
                None => "·",
            };
            let figure = match (c.unit, c.of) {
                (standard::Unit::Pct, Some(of)) if of > 0 => format!("{}/{} ({} %)", c.value, of, c.value * 100 / of),
                (_, Some(of)) => format!("{}/{}", c.value, of),
                (standard::Unit::Check, None) => format::money(c.value),
                (_, None) => c.value.to_string(),
            };
            let target = match (c.min, c.max, c.unit) {
                (Some(lo), None, standard::Unit::Months) => format!(" [{}]", fill(&t(l, "standard.per_month"), &serde_json::json!({ "min": lo }))),
                (Some(lo), Some(hi), standard::Unit::Pct) => format!(" [{lo}–{hi} %]"),
                (Some(lo), None, standard::Unit::Pct) => format!(" [≥ {lo} %]"),
                (Some(lo), Some(hi), _) => format!(" [{lo}–{hi}]"),
                (Some(lo), None, _) => format!(" [≥ {lo}]"),
                (None, Some(hi), _) => format!(" [≤ {hi}]"),
                (None, None, _) => String::new(),
            };
            let list = if c.list.is_empty() && c.people.is_empty() {
                String::new()
            } else {
                let words: Vec<String> = c
                    .list
                    .iter()
                    .map(|x| match x.len() {
                        2 if x.starts_with('a') => t(l, &format!("topic.{x}")),
                        7 if x.as_bytes()[4] == b'-' => format!("{}/{}", &x[5..], &x[..4]),
                        _ if x.contains('.') => t(l, &format!("standard.why.{x}")),
                        _ => x.clone(),
                    })
                    .chain(c.people.iter().cloned())
                    .collect();
                format!(" — {}", words.join(", "))
            };
            lines.push(format!("{mark} {}: {figure}{target}{list}", t(l, &format!("standard.{}", c.id))));
        }
        lines.join("\n")
    });
    Ok(())
}
