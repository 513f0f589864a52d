//! What every command runs in: the ledger file, the club, the language, JSON or text, and who acts —
//! read once from the global flags.

use std::path::PathBuf;

use chrono::NaiveDate;
use ishc_core::error::Field;
use ishc_core::i18n::Lang;
use ishc_core::{roster::club, Actor, OpenMode, Store};

use crate::output::{CliError, Result};
use crate::parse::parse_opt_date;
use crate::Cli;

pub(crate) struct Ctx {
    pub(crate) db: PathBuf,
    /// `--db` was typed on the command line (not from ISHC_DB).
    pub(crate) db_typed: bool,
    pub(crate) club: Option<i64>,
    pub(crate) actor: Option<String>,
    pub(crate) lang: Lang,
    pub(crate) json: bool,
    pub(crate) today: Option<NaiveDate>,
}

impl Ctx {
    /// The context of one run, from the global flags (`--db`, `--club`, `--as`, `--lang`, `--json`).
    pub(crate) fn new(cli: &Cli) -> Result<Ctx> {
        Ok(Ctx {
            db: cli.db.clone().unwrap_or_else(ishc_core::store::default_path),
            db_typed: cli.db_typed,
            club: cli.club,
            actor: cli.actor.clone(),
            lang: if cli.lang == "en" { Lang::En } else { Lang::Vi },
            json: cli.json,
            today: parse_opt_date(&cli.today, Field::Date)?,
        })
    }
    /// Open the ledger (`--today` is the store's today, for tests and demos).
    pub(crate) fn open(&self, mode: OpenMode) -> Result<Store> {
        let mut store = Store::open(&self.db, mode)?;
        if let Some(today) = self.today {
            store.set_today(today);
        }
        Ok(store)
    }
    /// The person acting on a club's books, signed in: the name from `--as` (or ISHC_ACTOR), the
    /// PIN from `ISHC_PIN` or typed on the terminal without echo. A wrong PIN is counted, slowed and
    /// audited by the core; what the person may do is the core's permission table.
    pub(crate) fn sign_in(&self, store: &mut Store, club: i64) -> Result<Actor> {
        let Some(name) = &self.actor else {
            return Err(CliError::ActorMissing);
        };
        let pin = crate::cmd::user::secret(crate::cmd::user::PIN_ENV, "prompt.pin", false, self.lang)?;
        Ok(ishc_core::auth::sign_in(store, club, name, &pin)?)
    }
    /// A typed name, not proven: for the commune's own ledger (which has no sign-ins yet), a new
    /// club's founder, and a restore (which may replace books that cannot be read).
    pub(crate) fn actor(&self) -> Result<Actor> {
        match &self.actor {
            Some(name) => Ok(Actor::new(name)?),
            None => Err(CliError::ActorMissing),
        }
    }
    /// The club `--club` names, or the file's only club.
    pub(crate) fn club_id(&self, store: &Store) -> Result<i64> {
        Ok(club::resolve(store, self.club)?.id)
    }
}
