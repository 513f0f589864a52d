//! Composition targets are data, not code: presets quoted from the source documents (embedded from
//! `assets/presets/`), plus custom presets a commune defines, stored in the database.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::auth::permissions::Action;
use crate::codes::coded_enum;

use crate::store::audit::Actor;
use crate::error::{CoreError, Field, Result, Rule};
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Band {
    pub min: u32,
    pub max: u32,
}

coded_enum! {
    /// What a ratio counts, always over the members on the day.
    pub enum Measure {
        Women = "women",
        Men = "men",
        Older = "older",
        Younger = "younger",
        OlderWomen = "older_women",
        Disadvantaged = "disadvantaged",
        Poor = "poor",
        NearPoor = "near_poor",
        Disability = "disability",
        LivingAlone = "living_alone",
        EthnicMinority = "ethnic_minority",
        Volunteers = "volunteers",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RatioTarget {
    pub measure: Measure,
    pub min_pct: u32,
    pub max_pct: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TargetPreset {
    pub id: String,
    pub name_vi: String,
    pub name_en: String,
    pub source: String,
    /// Members this old or older on the day count as older people.
    pub older_age: u32,
    pub members: Option<Band>,
    pub ratios: Vec<RatioTarget>,
    pub volunteers_min: Option<u32>,
    /// Share of members who have ever borrowed from the fund.
    pub borrowed_pct: Option<Band>,
    /// Thresholds of the club standard's self-assessment (see `life::standard`).
    #[serde(default)]
    pub standard: Option<StandardTargets>,
    #[serde(default)]
    pub builtin: bool,
}

/// What the standard asks of a club's year, as a plan words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StandardTargets {
    /// Regular meetings each month.
    pub meetings_per_month: u32,
    /// Share of regular meetings that covered all eight activity areas.
    pub all_areas_meetings_pct: u32,
    /// Share of the members needing care (role care recipient) visited at home in the year.
    pub care_recipients_visited_pct: u32,
    /// Share of board members trained (initial or refresher) in the year.
    pub board_trained_pct: u32,
}

const BUILTIN: &[&str] = &[
    include_str!("../../../../assets/presets/qd1336.json"),
    include_str!("../../../../assets/presets/qd1336-55.json"),
    include_str!("../../../../assets/presets/ha-tinh-2035.json"),
];

pub const DEFAULT_PRESET: &str = "qd1336";
/// A custom preset file (`ishc presets add`) is read up to this size; the built-in ones are about
/// 1 KiB each.
pub const MAX_PRESET_FILE: u64 = 64 * 1024;

pub fn builtin() -> Vec<TargetPreset> {
    BUILTIN
        .iter()
        .map(|s| {
            let mut p: TargetPreset = serde_json::from_str(s).expect("embedded presets are valid");
            p.builtin = true;
            p
        })
        .collect()
}

/// Built-in presets first, then the custom ones in the order they were made.
pub fn all(store: &Store) -> Result<Vec<TargetPreset>> {
    let mut out = builtin();
    let mut stmt = store.conn().prepare("SELECT body FROM target_preset ORDER BY created_at, id")?;
    for body in stmt.query_map([], |r| r.get::<_, String>(0))? {
        if let Ok(p) = serde_json::from_str::<TargetPreset>(&body?) {
            out.push(p);
        }
    }
    Ok(out)
}

pub fn find(store: &Store, id: &str) -> Result<TargetPreset> {
    all(store)?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| CoreError::PresetUnknown { name: id.to_string() })
}

fn validate(p: &TargetPreset) -> Result<()> {
    let bad = |rule| Err(CoreError::invalid(Field::Preset, rule));
    let id_ok = !p.id.is_empty()
        && p.id.len() <= 40
        && p.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !id_ok {
        return bad(Rule::Unknown { value: p.id.clone() });
    }
    if p.name_vi.trim().is_empty() {
        return bad(Rule::Required);
    }
    if !(40..=80).contains(&p.older_age) {
        return bad(Rule::Range { min: 40, max: 80 });
    }
    let standard_pcts = p
        .standard
        .iter()
        .flat_map(|s| [s.all_areas_meetings_pct, s.care_recipients_visited_pct, s.board_trained_pct])
        .map(|x| (x, x));
    let bands = p
        .ratios
        .iter()
        .map(|r| (r.min_pct, r.max_pct))
        .chain(p.borrowed_pct.map(|b| (b.min, b.max)))
        .chain(standard_pcts);
    for (lo, hi) in bands {
        if lo > hi || hi > 100 {
            return bad(Rule::Range { min: 0, max: 100 });
        }
    }
    if p.standard.is_some_and(|s| !(1..=31).contains(&s.meetings_per_month)) {
        return bad(Rule::Range { min: 1, max: 31 });
    }
    if let Some(b) = p.members {
        if b.min > b.max {
            return bad(Rule::Range { min: 0, max: b.max as i64 });
        }
    }
    Ok(())
}

/// Add a commune's own preset. Ids are unique across built-in and custom presets.
pub fn add_custom(store: &mut Store, actor: &Actor, club_id: i64, mut preset: TargetPreset) -> Result<TargetPreset> {
    preset.builtin = false;
    validate(&preset)?;
    if all(store)?.iter().any(|p| p.id == preset.id) {
        return Err(CoreError::PresetExists { name: preset.id });
    }
    store.act(actor, club_id, Action::RuleChange, |w| {
        let body = serde_json::to_string(&preset).map_err(|e| CoreError::Storage { detail: e.to_string() })?;
        w.tx.execute(
            "INSERT INTO target_preset (id, body, created_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![preset.id, body, chrono::Utc::now().to_rfc3339()],
        )?;
        w.audit(None, "preset.add", None, serde_json::json!({ "id": preset.id }))?;
        Ok(preset.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_presets_load_and_are_valid() {
        let presets = builtin();
        assert_eq!(presets.len(), 3);
        for p in &presets {
            validate(p).unwrap();
        }
        let national = presets.iter().find(|p| p.id == DEFAULT_PRESET).unwrap();
        assert_eq!(national.older_age, 60);
        assert_eq!(national.members, Some(Band { min: 50, max: 70 }));
        let ht = presets.iter().find(|p| p.id == "ha-tinh-2035").unwrap();
        assert!(ht.ratios.iter().any(|r| r.measure == Measure::OlderWomen && r.min_pct == 50 && r.max_pct == 60));
    }

    #[test]
    fn custom_preset_is_stored_and_checked() {
        let mut store = Store::open_in_memory().unwrap();
        let actor = Actor::system("Xã Quảng Hòa").unwrap();
        let mut p = builtin().remove(0);
        p.id = "xa-quang-hoa".into();
        p.ratios[0].min_pct = 55;
        add_custom(&mut store, &actor, 1, p.clone()).unwrap();
        assert_eq!(find(&store, "xa-quang-hoa").unwrap().ratios[0].min_pct, 55);
        assert_eq!(add_custom(&mut store, &actor, 1, p.clone()).unwrap_err().code(), "preset.exists");
        p.id = "bad-band".into();
        p.ratios[0].min_pct = 90;
        assert_eq!(add_custom(&mut store, &actor, 1, p).unwrap_err().code(), "input.invalid");
    }
}
