//! The club profile. One database may hold several clubs (a shared village laptop).

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::auth::permissions::Action;
use crate::store::audit::Actor;
use crate::error::{CoreError, Field, Result, Rule};
use crate::roster::preset;
use crate::store::{Store, Writer};
use crate::text;

pub const ROUNDING_UNITS: [i64; 3] = [1, 500, 1000];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClubInput {
    pub name: String,
    #[serde(default)]
    pub hamlet: String,
    pub commune: String,
    pub district: String,
    pub province: String,
    pub founded_on: NaiveDate,
    /// Money is rounded to this many đồng: 1, 500 or 1,000.
    pub rounding_unit: i64,
    pub target_preset: String,
    pub report_deadline_day: u32,
    pub report_deadline_month: u32,
    /// Each member's monthly due in đồng (0: the club collects none).
    #[serde(default)]
    #[ts(optional)]
    pub monthly_due: Option<i64>,
}

/// The profile as it stands, to change one thing in it (`monthly_due` None: kept as it is).
impl From<&Club> for ClubInput {
    fn from(club: &Club) -> Self {
        ClubInput {
            name: club.name.clone(),
            hamlet: club.hamlet.clone(),
            commune: club.commune.clone(),
            district: club.district.clone(),
            province: club.province.clone(),
            founded_on: club.founded_on,
            rounding_unit: club.rounding_unit,
            target_preset: club.target_preset.clone(),
            report_deadline_day: club.report_deadline_day,
            report_deadline_month: club.report_deadline_month,
            monthly_due: None,
        }
    }
}

impl ClubInput {
    /// A new club with the defaults most clubs use: round to 1,000 đ, the national targets, and the
    /// yearly report due on 10 December (seed 003).
    pub fn new(name: &str, commune: &str, district: &str, province: &str, founded_on: NaiveDate) -> Self {
        ClubInput {
            name: name.into(),
            hamlet: String::new(),
            commune: commune.into(),
            district: district.into(),
            province: province.into(),
            founded_on,
            rounding_unit: 1000,
            target_preset: preset::DEFAULT_PRESET.into(),
            report_deadline_day: 10,
            report_deadline_month: 12,
            monthly_due: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Club {
    pub id: i64,
    pub name: String,
    pub hamlet: String,
    pub commune: String,
    pub district: String,
    pub province: String,
    pub founded_on: NaiveDate,
    pub rounding_unit: i64,
    pub target_preset: String,
    pub report_deadline_day: u32,
    pub report_deadline_month: u32,
    pub created_at: String,
    pub monthly_due: i64,
}

const COLUMNS: &str = "id, name, hamlet, commune, district, province, founded_on, rounding_unit, target_preset,
    report_deadline_day, report_deadline_month, created_at, monthly_due";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Club> {
    Ok(Club {
        id: r.get(0)?,
        name: r.get(1)?,
        hamlet: r.get(2)?,
        commune: r.get(3)?,
        district: r.get(4)?,
        province: r.get(5)?,
        founded_on: r.get(6)?,
        rounding_unit: r.get(7)?,
        target_preset: r.get(8)?,
        report_deadline_day: r.get(9)?,
        report_deadline_month: r.get(10)?,
        created_at: r.get(11)?,
        monthly_due: r.get(12)?,
    })
}

/// Checks every field and returns the input cleaned (NFC, tidy spaces).
pub(crate) fn validate(store: &Store, today: NaiveDate, input: &ClubInput) -> Result<ClubInput> {
    let name = text::required(&input.name, Field::ClubName, 120)?;
    let hamlet = text::bounded(&input.hamlet, Field::ClubHamlet, 80)?;
    let commune = text::required(&input.commune, Field::ClubCommune, 80)?;
    let district = text::required(&input.district, Field::ClubDistrict, 80)?;
    let province = text::required(&input.province, Field::ClubProvince, 80)?;
    if input.founded_on > today {
        return Err(CoreError::invalid(Field::ClubFoundedOn, Rule::InFuture { today: today.to_string() }));
    }
    if input.founded_on < NaiveDate::from_ymd_opt(1990, 1, 1).expect("valid date") {
        return Err(CoreError::invalid(Field::ClubFoundedOn, Rule::BeforeDate { other: "1990-01-01".into() }));
    }
    if !ROUNDING_UNITS.contains(&input.rounding_unit) {
        return Err(CoreError::invalid(
            Field::ClubRoundingUnit,
            Rule::OneOf { allowed: ROUNDING_UNITS.iter().map(|u| u.to_string()).collect() },
        ));
    }
    preset::find(store, &input.target_preset)
        .map_err(|_| CoreError::invalid(Field::ClubTargetPreset, Rule::Unknown { value: input.target_preset.clone() }))?;
    if let Some(due) = input.monthly_due {
        crate::parse::money_in(Field::ClubMonthlyDue, due, 0, 10_000_000)?;
    }
    // A leap year accepts 29/02 so the deadline exists every year that has it.
    if NaiveDate::from_ymd_opt(2024, input.report_deadline_month, input.report_deadline_day).is_none() {
        return Err(CoreError::invalid(Field::ClubReportDeadline, Rule::DateFormat));
    }
    Ok(ClubInput { name, hamlet, commune, district, province, ..input.clone() })
}

pub fn create(store: &mut Store, actor: &Actor, input: &ClubInput) -> Result<Club> {
    let input = validate(store, store.today(), input)?;
    store.write(actor, |w| create_in(w, &input))
}

pub(crate) fn create_in(w: &mut Writer<'_>, input: &ClubInput) -> Result<Club> {
    w.tx.execute(
        "INSERT INTO club (name, hamlet, commune, district, province, founded_on, rounding_unit, target_preset,
            report_deadline_day, report_deadline_month, created_at, monthly_due)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            input.name,
            input.hamlet,
            input.commune,
            input.district,
            input.province,
            input.founded_on,
            input.rounding_unit,
            input.target_preset,
            input.report_deadline_day,
            input.report_deadline_month,
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            input.monthly_due.unwrap_or(0),
        ],
    )?;
    let id = w.tx.last_insert_rowid();
    w.audit(Some(id), "club.create", Some(id), serde_json::to_value(input).unwrap_or_default())?;
    Ok(w.tx.query_row(&format!("SELECT {COLUMNS} FROM club WHERE id = ?1"), [id], from_row)?)
}

/// Change the profile. The founding date may not move after a member who joined earlier.
pub fn update(store: &mut Store, actor: &Actor, id: i64, input: &ClubInput) -> Result<Club> {
    get(store, id)?;
    let input = validate(store, store.today(), input)?;
    store.act(actor, id, Action::RuleChange, |w| {
        let first_join: Option<NaiveDate> =
            w.tx.query_row("SELECT min(joined_on) FROM member WHERE club_id = ?1", [id], |r| r.get(0))?;
        if let Some(first) = first_join {
            if input.founded_on > first {
                return Err(CoreError::invalid(Field::ClubFoundedOn, Rule::BeforeDate { other: first.to_string() }));
            }
        }
        w.tx.execute(
            "UPDATE club SET name = ?2, hamlet = ?3, commune = ?4, district = ?5, province = ?6, founded_on = ?7,
                rounding_unit = ?8, target_preset = ?9, report_deadline_day = ?10, report_deadline_month = ?11,
                monthly_due = coalesce(?12, monthly_due)
             WHERE id = ?1",
            params![
                id,
                input.name,
                input.hamlet,
                input.commune,
                input.district,
                input.province,
                input.founded_on,
                input.rounding_unit,
                input.target_preset,
                input.report_deadline_day,
                input.report_deadline_month,
                input.monthly_due,
            ],
        )?;
        w.audit(Some(id), "club.update", Some(id), serde_json::to_value(&input).unwrap_or_default())?;
        Ok(w.tx.query_row(&format!("SELECT {COLUMNS} FROM club WHERE id = ?1"), [id], from_row)?)
    })
}

pub fn get(store: &Store, id: i64) -> Result<Club> {
    store
        .conn()
        .query_row(&format!("SELECT {COLUMNS} FROM club WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(CoreError::ClubNotFound { id })
}

pub fn list(store: &Store) -> Result<Vec<Club>> {
    let mut stmt = store.conn().prepare(&format!("SELECT {COLUMNS} FROM club ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The club a command means: the one asked for, or the only one in the file.
pub fn resolve(store: &Store, wanted: Option<i64>) -> Result<Club> {
    if let Some(id) = wanted {
        return get(store, id);
    }
    let clubs = list(store)?;
    match clubs.len() {
        0 => Err(CoreError::NoClub),
        1 => Ok(clubs.into_iter().next().expect("one club")),
        n => Err(CoreError::ClubAmbiguous { count: n as i64 }),
    }
}

/// The one rule for "a date within the club's life": not after today, not before the club was
/// founded. Used by the ledger, meetings, activities and loans alike.
pub(crate) fn check_day(conn: &rusqlite::Connection, today: NaiveDate, club_id: i64, day: NaiveDate, field: Field) -> Result<()> {
    let founded: NaiveDate = conn
        .query_row("SELECT founded_on FROM club WHERE id = ?1", [club_id], |r| r.get(0))
        .optional()?
        .ok_or(CoreError::ClubNotFound { id: club_id })?;
    if day > today {
        return Err(CoreError::invalid(field, Rule::InFuture { today: today.to_string() }));
    }
    if day < founded {
        return Err(CoreError::invalid(field, Rule::BeforeFounding { founded_on: founded.to_string() }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn setup() -> (Store, Actor) {
        let mut store = Store::open_in_memory().unwrap();
        store.set_today(d("2026-11-22"));
        (store, Actor::system("Lê Thị Hoa").unwrap())
    }

    #[test]
    fn create_cleans_fields_and_audits() {
        let (mut store, actor) = setup();
        let input = ClubInput::new(" CLB  Đo\u{0302}ng Hòa ", "Xã Quảng Hòa", "Quảng Xương", "Thanh Hóa", d("2019-03-01"));
        let club = create(&mut store, &actor, &input).unwrap();
        assert_eq!(club.name, "CLB Đông Hòa");
        assert_eq!(resolve(&store, None).unwrap(), club);
        let trail = crate::store::audit::list(&store, club.id, 10).unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!((trail[0].actor.as_str(), trail[0].action.as_str()), ("Lê Thị Hoa", "club.create"));
    }

    #[test]
    fn bad_fields_are_named_and_nothing_is_written() {
        let (mut store, actor) = setup();
        let ok = ClubInput::new("CLB", "Xã", "Huyện", "Tỉnh", d("2019-03-01"));
        let cases = [
            (ClubInput { name: "  ".into(), ..ok.clone() }, Field::ClubName, Rule::Required),
            (ClubInput { commune: "".into(), ..ok.clone() }, Field::ClubCommune, Rule::Required),
            (
                ClubInput { founded_on: d("2027-01-01"), ..ok.clone() },
                Field::ClubFoundedOn,
                Rule::InFuture { today: "2026-11-22".into() },
            ),
            (
                ClubInput { rounding_unit: 100, ..ok.clone() },
                Field::ClubRoundingUnit,
                Rule::OneOf { allowed: vec!["1".into(), "500".into(), "1000".into()] },
            ),
            (
                ClubInput { target_preset: "nope".into(), ..ok.clone() },
                Field::ClubTargetPreset,
                Rule::Unknown { value: "nope".into() },
            ),
            (
                ClubInput { report_deadline_day: 31, report_deadline_month: 11, ..ok.clone() },
                Field::ClubReportDeadline,
                Rule::DateFormat,
            ),
        ];
        for (input, field, rule) in cases {
            assert_eq!(create(&mut store, &actor, &input).unwrap_err(), CoreError::Invalid { field, rule });
        }
        assert!(list(&store).unwrap().is_empty());
        assert_eq!(resolve(&store, None).unwrap_err(), CoreError::NoClub);
    }

    #[test]
    fn several_clubs_need_a_choice() {
        let (mut store, actor) = setup();
        let a = create(&mut store, &actor, &ClubInput::new("A", "X", "H", "T", d("2019-01-01"))).unwrap();
        create(&mut store, &actor, &ClubInput::new("B", "X", "H", "T", d("2019-01-01"))).unwrap();
        assert_eq!(resolve(&store, None).unwrap_err(), CoreError::ClubAmbiguous { count: 2 });
        assert_eq!(resolve(&store, Some(a.id)).unwrap().name, "A");
        assert_eq!(resolve(&store, Some(99)).unwrap_err(), CoreError::ClubNotFound { id: 99 });
    }
}
