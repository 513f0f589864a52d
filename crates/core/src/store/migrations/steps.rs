//! The steps, in order: the SQL of each, as it shipped. **Never edit a step that has shipped** (a
//! file at that version would not get the change, and the migrate-forward test and the schema
//! snapshot would disagree): add a new step at the end.

pub const MIGRATIONS: &[&str] = &[
    // 1: clubs and the audit trail.
    r#"
    CREATE TABLE club (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) > 0),
        hamlet TEXT NOT NULL DEFAULT '',
        commune TEXT NOT NULL,
        district TEXT NOT NULL,
        province TEXT NOT NULL,
        founded_on TEXT NOT NULL,
        rounding_unit INTEGER NOT NULL CHECK (rounding_unit IN (1, 500, 1000)),
        target_preset TEXT NOT NULL,
        report_deadline_day INTEGER NOT NULL CHECK (report_deadline_day BETWEEN 1 AND 31),
        report_deadline_month INTEGER NOT NULL CHECK (report_deadline_month BETWEEN 1 AND 12),
        created_at TEXT NOT NULL
    );
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL CHECK (length(actor) > 0),
        club_id INTEGER REFERENCES club(id),
        action TEXT NOT NULL,
        entity_id INTEGER,
        detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_log_club ON audit_log(club_id, id);
    -- The trail is append-only: the app never rewrites who did what.
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    "#,
    // 2: the roster, with history: members are never deleted, flags and roles have date ranges.
    r#"
    CREATE TABLE member (
        id INTEGER PRIMARY KEY,
        club_id INTEGER NOT NULL REFERENCES club(id),
        full_name TEXT NOT NULL CHECK (length(full_name) > 0),
        name_folded TEXT NOT NULL,
        sex TEXT NOT NULL CHECK (sex IN ('F', 'M')),
        birth_year INTEGER NOT NULL,
        birth_date TEXT,
        ethnicity TEXT NOT NULL DEFAULT 'Kinh',
        hamlet TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        joined_on TEXT NOT NULL,
        left_on TEXT,
        leave_reason TEXT CHECK (leave_reason IN ('moved', 'died', 'withdrew', 'other')),
        consent_on TEXT,
        created_at TEXT NOT NULL,
        CHECK ((left_on IS NULL) = (leave_reason IS NULL)),
        CHECK (left_on IS NULL OR left_on >= joined_on)
    );
    CREATE INDEX member_club ON member(club_id);
    CREATE TABLE member_flag (
        id INTEGER PRIMARY KEY,
        member_id INTEGER NOT NULL REFERENCES member(id),
        flag TEXT NOT NULL CHECK (flag IN ('poor', 'near_poor', 'disability', 'living_alone')),
        from_on TEXT NOT NULL,
        to_on TEXT,
        standard TEXT,
        CHECK (to_on IS NULL OR to_on >= from_on)
    );
    CREATE INDEX member_flag_member ON member_flag(member_id);
    CREATE TABLE member_role (
        id INTEGER PRIMARY KEY,
        member_id INTEGER NOT NULL REFERENCES member(id),
        role TEXT NOT NULL CHECK (role IN ('chair', 'vice_chair', 'treasurer', 'secretary',
            'group_leader', 'volunteer', 'care_recipient')),
        from_on TEXT NOT NULL,
        to_on TEXT,
        CHECK (to_on IS NULL OR to_on >= from_on)
    );
    CREATE INDEX member_role_member ON member_role(member_id);
    CREATE TABLE target_preset (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    "#,
    // 3: the two funds' double-entry journal. Append-only (triggers), hash-chained per club,
    // voucher numbers unique per club, fund, series and year. Money is whole đồng.
    r#"
    ALTER TABLE club ADD COLUMN monthly_due INTEGER NOT NULL DEFAULT 0 CHECK (monthly_due >= 0);
    CREATE TABLE journal_entry (
        id INTEGER PRIMARY KEY,
        club_id INTEGER NOT NULL REFERENCES club(id),
        fund TEXT NOT NULL CHECK (fund IN ('income', 'activity')),
        series TEXT NOT NULL CHECK (series IN ('PT', 'PC', 'CK', 'DC')),
        voucher_year INTEGER NOT NULL,
        voucher_no INTEGER NOT NULL CHECK (voucher_no > 0),
        kind TEXT NOT NULL CHECK (kind IN ('receipt', 'payment', 'transfer', 'reversal', 'count_adjustment', 'opening')),
        date TEXT NOT NULL,
        memo TEXT NOT NULL DEFAULT '',
        member_id INTEGER REFERENCES member(id),
        reverses INTEGER REFERENCES journal_entry(id),
        reason TEXT,
        actor TEXT NOT NULL,
        created_at TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        UNIQUE (club_id, fund, series, voucher_year, voucher_no)
    );
    CREATE INDEX journal_entry_club_date ON journal_entry(club_id, date);
    CREATE UNIQUE INDEX journal_entry_reversed_once ON journal_entry(reverses) WHERE reverses IS NOT NULL;
    -- club_id and date repeat the entry's so that balances are one index range, without a join;
    -- `ishc check` verifies they match the entry.
    CREATE TABLE posting (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES journal_entry(id),
        club_id INTEGER NOT NULL REFERENCES club(id),
        date TEXT NOT NULL,
        fund TEXT NOT NULL CHECK (fund IN ('income', 'activity')),
        account TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount != 0)
    );
    CREATE INDEX posting_entry ON posting(entry_id);
    CREATE INDEX posting_balance ON posting(club_id, fund, account, date, amount);
    CREATE TABLE dues_payment (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES journal_entry(id),
        member_id INTEGER NOT NULL REFERENCES member(id),
        month TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0)
    );
    CREATE INDEX dues_payment_member ON dues_payment(member_id, month);
    CREATE TABLE balance_assertion (
        id INTEGER PRIMARY KEY,
        club_id INTEGER NOT NULL REFERENCES club(id),
        fund TEXT NOT NULL CHECK (fund IN ('income', 'activity')),
        account TEXT NOT NULL CHECK (account IN ('cash', 'bank')),
        date TEXT NOT NULL,
        book_before INTEGER NOT NULL,
        counted INTEGER NOT NULL CHECK (counted >= 0),
        denominations TEXT NOT NULL DEFAULT '{}',
        counted_by TEXT NOT NULL,
        witness TEXT NOT NULL,
        adjustment_entry_id INTEGER REFERENCES journal_entry(id),
        actor TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE month_close (
        id INTEGER PRIMARY KEY,
        club_id INTEGER NOT NULL REFERENCES club(id),
        month TEXT NOT NULL,
        closed_by TEXT NOT NULL,
        confirmed_by TEXT NOT NULL,
        chain_head TEXT NOT NULL,
        entries INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (club_id, month)
    );
    CREATE TRIGGER journal_entry_no_update BEFORE UPDATE ON journal_entry
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only: correct by reversal'); END;
    CREATE TRIGGER journal_entry_no_delete BEFORE DELETE ON journal_entry
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only: correct by reversal'); END;
    CREATE TRIGGER posting_no_update BEFORE UPDATE ON posting
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only: correct by reversal'); END;
    CREATE TRIGGER posting_no_delete BEFORE DELETE ON posting
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only: correct by reversal'); END;
    "#,
    // 4: the club's life: meetings (attendance, areas and themes covered, decisions, dues collected)
    // and the activities between them. Money an activity moved is a journal entry, linked here.
    r#"
    CREATE TABLE meeting (
        id INTEGER PRIMARY KEY,
        club_id INTEGER NOT NULL REFERENCES club(id),
        kind TEXT NOT NULL CHECK (kind IN ('monthly', 'board', 'extraordinary', 'annual')),
        held_on TEXT NOT NULL,
        place TEXT NOT NULL DEFAULT '',
        chaired_by INTEGER REFERENCES member(id),
        minutes_by INTEGER REFERENCES member(id),
        minutes TEXT NOT NULL DEFAULT '',
        dues_entry_id INTEGER REFERENCES journal_entry(id),
        actor TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX meeting_club ON meeting(club_id, held_on);
    CREATE INDEX dues_payment_entry ON dues_payment(entry_id);
    CREATE TABLE meeting_attendance (
        meeting_id INTEGER NOT NULL REFERENCES meeting(id),
        member_id INTEGER NOT NULL REFERENCES member(id),
        PRIMARY KEY (meeting_id, member_id)
    ) WITHOUT ROWID;
    CREATE TABLE meeting_topic (
        meeting_id INTEGER NOT NULL REFERENCES meeting(id),
        topic TEXT NOT NULL CHECK (topic IN ('a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8',
                                             'digital', 'green', 'startup')),
        PRIMARY KEY (meeting_id, topic)
    ) WITHOUT ROWID;
    CREATE TABLE decision (
        id INTEGER PRIMARY KEY,
        meeting_id INTEGER NOT NULL REFERENCES meeting(id),
        kind TEXT NOT NULL CHECK (kind IN ('loan_approval', 'loan_reschedule', 'loan_write_off',
                                           'admission', 'spending', 'other')),
        member_id INTEGER REFERENCES member(id),
        amount INTEGER CHECK (amount IS NULL OR amount > 0),
        text TEXT NOT NULL,
        member_absent INTEGER NOT NULL DEFAULT 0 CHECK (member_absent IN (0, 1)),
        created_at TEXT NOT NULL
    );
    CREATE INDEX decision_meeting ON decision(meeting_id);
    CREATE TABLE activity (
        id INTEGER PRIMARY KEY,
        club_id INTEGER NOT NULL REFERENCES club(id),
        kind TEXT NOT NULL CHECK (kind IN ('home_visit', 'health_check', 'support', 'rights',
                                           'training', 'event')),
        subkind TEXT NOT NULL DEFAULT '',
        held_on TEXT NOT NULL,
        area TEXT NOT NULL CHECK (area IN ('a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8')),
        member_id INTEGER REFERENCES member(id),
        person TEXT NOT NULL DEFAULT '',
        by_member_id INTEGER REFERENCES member(id),
        people INTEGER NOT NULL DEFAULT 0 CHECK (people >= 0),
        value INTEGER NOT NULL DEFAULT 0 CHECK (value >= 0),
        entry_id INTEGER REFERENCES journal_entry(id),
        note TEXT NOT NULL DEFAULT '',
        actor TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX activity_club ON activity(club_id, held_on);
    CREATE TABLE activity_member (
        activity_id INTEGER NOT NULL REFERENCES activity(id),
        member_id INTEGER NOT NULL REFERENCES member(id),
        PRIMARY KEY (activity_id, member_id)
    ) WITHOUT ROWID;
    "#,
    // 5: member loans from the income-generation fund: the club's rules with the date they took
    // effect, each loan's life (application, approval at a meeting, disbursement, schedule versions,
    // repayments, write-off). Money moves only through journal entries linked here.
    r#"
    CREATE TABLE loan_rules (
        id INTEGER PRIMARY KEY,
        club_id INTEGER NOT NULL REFERENCES club(id),
        effective_on TEXT NOT NULL,
        rate_pct_month TEXT NOT NULL,
        method TEXT NOT NULL CHECK (method IN ('flat', 'declining_annuity', 'declining_equal_principal')),
        repayment TEXT NOT NULL,
        min_months INTEGER NOT NULL CHECK (min_months >= 1),
        max_months INTEGER NOT NULL CHECK (max_months >= min_months),
        cap_per_member INTEGER NOT NULL CHECK (cap_per_member > 0),
        one_active INTEGER NOT NULL CHECK (one_active IN (0, 1)),
        penalty_pct_month TEXT NOT NULL DEFAULT '0',
        poor_first INTEGER NOT NULL CHECK (poor_first IN (0, 1)),
        actor TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX loan_rules_club ON loan_rules(club_id, effective_on);
    CREATE TABLE loan (
        id INTEGER PRIMARY KEY,
        club_id INTEGER NOT NULL REFERENCES club(id),
        member_id INTEGER NOT NULL REFERENCES member(id),
        applied_on TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        purpose TEXT NOT NULL CHECK (purpose IN ('livestock', 'crops', 'trade', 'services', 'other')),
        months INTEGER NOT NULL CHECK (months >= 1),
        in_kind TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('applied', 'approved', 'disbursed', 'repaid', 'written_off', 'withdrawn')),
        approved_decision_id INTEGER REFERENCES decision(id),
        disbursed_on TEXT,
        disburse_entry_id INTEGER REFERENCES journal_entry(id),
        terms TEXT,
        written_off_on TEXT,
        write_off_decision_id INTEGER REFERENCES decision(id),
        write_off_entry_id INTEGER REFERENCES journal_entry(id),
        actor TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX loan_club ON loan(club_id, status);
    CREATE INDEX loan_member ON loan(member_id);
    CREATE TABLE loan_schedule_version (
        loan_id INTEGER NOT NULL REFERENCES loan(id),
        version INTEGER NOT NULL CHECK (version >= 1),
        starts_on TEXT NOT NULL,
        principal INTEGER NOT NULL CHECK (principal > 0),
        terms TEXT NOT NULL,
        decision_id INTEGER REFERENCES decision(id),
        PRIMARY KEY (loan_id, version)
    ) WITHOUT ROWID;
    CREATE TABLE loan_instalment (
        loan_id INTEGER NOT NULL REFERENCES loan(id),
        version INTEGER NOT NULL,
        no INTEGER NOT NULL CHECK (no >= 1),
        due_on TEXT NOT NULL,
        principal INTEGER NOT NULL CHECK (principal >= 0),
        interest INTEGER NOT NULL CHECK (interest >= 0),
        PRIMARY KEY (loan_id, version, no)
    ) WITHOUT ROWID;
    CREATE TABLE loan_payment (
        id INTEGER PRIMARY KEY,
        loan_id INTEGER NOT NULL REFERENCES loan(id),
        version INTEGER NOT NULL,
        paid_on TEXT NOT NULL,
        penalty INTEGER NOT NULL CHECK (penalty >= 0),
        interest INTEGER NOT NULL CHECK (interest >= 0),
        principal INTEGER NOT NULL CHECK (principal >= 0),
        entry_id INTEGER NOT NULL REFERENCES journal_entry(id)
    );
    CREATE INDEX loan_payment_loan ON loan_payment(loan_id, paid_on);
    "#,
    // 6: the club's signing key (minisign; the secret half only ever stored encrypted with the
    // board's passphrase) with its rotations, and the register of signed report bundles handed to
    // the commune: append-only, numbered per club, each naming the previous one's digest.
    r#"
    CREATE TABLE club_key (
        id INTEGER PRIMARY KEY,
        club_id INTEGER NOT NULL REFERENCES club(id),
        key_id TEXT NOT NULL UNIQUE CHECK (length(key_id) = 16),
        public_key TEXT NOT NULL,
        secret_box TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        retired_at TEXT,
        replaces INTEGER REFERENCES club_key(id),
        rotation_statement TEXT,
        rotation_signature TEXT,
        CHECK ((replaces IS NULL) = (rotation_statement IS NULL)),
        CHECK ((replaces IS NULL) = (rotation_signature IS NULL))
    );
    CREATE INDEX club_key_club ON club_key(club_id, id);
    -- One key in use per club; older ones stay, retired, to check the bundles they signed.
    CREATE UNIQUE INDEX club_key_one_active ON club_key(club_id) WHERE retired_at IS NULL;
    -- A key is never deleted or changed, except to retire it once.
    CREATE TRIGGER club_key_no_delete BEFORE DELETE ON club_key
        BEGIN SELECT RAISE(ABORT, 'club keys are kept'); END;
    CREATE TRIGGER club_key_only_retire BEFORE UPDATE ON club_key
        WHEN OLD.retired_at IS NOT NULL OR NEW.retired_at IS NULL
            OR NEW.id IS NOT OLD.id OR NEW.club_id IS NOT OLD.club_id OR NEW.key_id IS NOT OLD.key_id
            OR NEW.public_key IS NOT OLD.public_key OR NEW.secret_box IS NOT OLD.secret_box
            OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
            OR NEW.replaces IS NOT OLD.replaces OR NEW.rotation_statement IS NOT OLD.rotation_statement
            OR NEW.rotation_signature IS NOT OLD.rotation_signature
        BEGIN SELECT RAISE(ABORT, 'a club key can only be retired, once'); END;
    CREATE TABLE bundle (
        id INTEGER PRIMARY KEY,
        club_id INTEGER NOT NULL REFERENCES club(id),
        sequence INTEGER NOT NULL CHECK (sequence >= 1),
        period TEXT NOT NULL,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        manifest_sha256 TEXT NOT NULL CHECK (length(manifest_sha256) = 64),
        key_id TEXT NOT NULL,
        includes_personal_data INTEGER NOT NULL CHECK (includes_personal_data IN (0, 1)),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        UNIQUE (club_id, sequence)
    );
    CREATE TRIGGER bundle_no_update BEFORE UPDATE ON bundle
        BEGIN SELECT RAISE(ABORT, 'the bundle register is append-only'); END;
    CREATE TRIGGER bundle_no_delete BEFORE DELETE ON bundle
        BEGIN SELECT RAISE(ABORT, 'the bundle register is append-only'); END;
    "#,
    // 7: the duplicate check (same folded name and birth year in the club) as one index lookup: with
    // only `member_club` it read every member of the club, so importing n rows took n² steps.
    r#"
    CREATE INDEX member_duplicate ON member(club_id, name_folded, birth_year);
    "#,
    // 8: tamper evidence (issue 12). (a) Values the app reads back are checked on the way in where
    // the table had no CHECK (a rate is a plain decimal, JSON is JSON, a posting's account is one the
    // ledger writes, a loan payment moves money). (b) The append-only tables refuse REPLACE too:
    // `INSERT OR REPLACE` deletes the row it collides with without firing DELETE triggers, so a
    // BEFORE INSERT trigger refuses any row whose key is taken. Counts, closes, loan payments and
    // dues lines become append-only. (c) The bundle register keeps the signed manifest, its
    // signature and the ledger chain head it named. (d) The seal chain over every table of the
    // books (`seal.rs`); the rows already there are sealed as this step runs.
    r#"
    CREATE TRIGGER loan_rules_valid_insert BEFORE INSERT ON loan_rules
        WHEN NOT (typeof(NEW.rate_pct_month) = 'text' AND NEW.rate_pct_month GLOB '[0-9]*'
                  AND NEW.rate_pct_month NOT GLOB '*[^0-9.]*' AND NEW.rate_pct_month NOT GLOB '*.*.*'
                  AND NEW.rate_pct_month NOT GLOB '*.'
              AND typeof(NEW.penalty_pct_month) = 'text' AND NEW.penalty_pct_month GLOB '[0-9]*'
                  AND NEW.penalty_pct_month NOT GLOB '*[^0-9.]*' AND NEW.penalty_pct_month NOT GLOB '*.*.*'
                  AND NEW.penalty_pct_month NOT GLOB '*.'
              AND json_valid(NEW.repayment))
        BEGIN SELECT RAISE(ABORT, 'loan_rules: a rate is a decimal, the repayment JSON'); END;
    CREATE TRIGGER loan_rules_valid_update BEFORE UPDATE ON loan_rules
        WHEN NOT (typeof(NEW.rate_pct_month) = 'text' AND NEW.rate_pct_month GLOB '[0-9]*'
                  AND NEW.rate_pct_month NOT GLOB '*[^0-9.]*' AND NEW.rate_pct_month NOT GLOB '*.*.*'
                  AND NEW.rate_pct_month NOT GLOB '*.'
              AND typeof(NEW.penalty_pct_month) = 'text' AND NEW.penalty_pct_month GLOB '[0-9]*'
                  AND NEW.penalty_pct_month NOT GLOB '*[^0-9.]*' AND NEW.penalty_pct_month NOT GLOB '*.*.*'
                  AND NEW.penalty_pct_month NOT GLOB '*.'
              AND json_valid(NEW.repayment))
        BEGIN SELECT RAISE(ABORT, 'loan_rules: a rate is a decimal, the repayment JSON'); END;
    CREATE TRIGGER loan_valid_insert BEFORE INSERT ON loan
        WHEN NOT (NEW.terms IS NULL OR json_valid(NEW.terms))
        BEGIN SELECT RAISE(ABORT, 'loan: terms are JSON'); END;
    CREATE TRIGGER loan_valid_update BEFORE UPDATE ON loan
        WHEN NOT (NEW.terms IS NULL OR json_valid(NEW.terms))
        BEGIN SELECT RAISE(ABORT, 'loan: terms are JSON'); END;
    CREATE TRIGGER audit_log_valid BEFORE INSERT ON audit_log
        WHEN NOT json_valid(NEW.detail)
        BEGIN SELECT RAISE(ABORT, 'audit_log: detail is JSON'); END;
    CREATE TRIGGER posting_valid BEFORE INSERT ON posting
        WHEN NOT (NEW.account IN ('cash', 'bank', 'loans', 'capital', 'transfer')
                  OR NEW.account GLOB 'income:?*' OR NEW.account GLOB 'expense:?*')
        BEGIN SELECT RAISE(ABORT, 'posting: unknown account'); END;
    CREATE TRIGGER balance_assertion_valid BEFORE INSERT ON balance_assertion
        WHEN NOT json_valid(NEW.denominations)
        BEGIN SELECT RAISE(ABORT, 'balance_assertion: denominations are JSON'); END;
    CREATE TRIGGER loan_payment_valid BEFORE INSERT ON loan_payment
        WHEN NOT (NEW.penalty + NEW.interest + NEW.principal > 0)
        BEGIN SELECT RAISE(ABORT, 'loan_payment: a payment moves money'); END;

    CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
        WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER journal_entry_no_replace BEFORE INSERT ON journal_entry
        WHEN EXISTS (SELECT 1 FROM journal_entry WHERE id = NEW.id)
          OR EXISTS (SELECT 1 FROM journal_entry WHERE hash = NEW.hash)
          OR EXISTS (SELECT 1 FROM journal_entry WHERE club_id = NEW.club_id AND fund = NEW.fund
                     AND series = NEW.series AND voucher_year = NEW.voucher_year AND voucher_no = NEW.voucher_no)
          OR EXISTS (SELECT 1 FROM journal_entry WHERE reverses = NEW.reverses)
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only: correct by reversal'); END;
    CREATE TRIGGER posting_no_replace BEFORE INSERT ON posting
        WHEN EXISTS (SELECT 1 FROM posting WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only: correct by reversal'); END;
    CREATE TRIGGER club_key_no_replace BEFORE INSERT ON club_key
        WHEN EXISTS (SELECT 1 FROM club_key WHERE id = NEW.id)
          OR EXISTS (SELECT 1 FROM club_key WHERE key_id = NEW.key_id)
          OR (NEW.retired_at IS NULL AND EXISTS (SELECT 1 FROM club_key WHERE club_id = NEW.club_id AND retired_at IS NULL))
        BEGIN SELECT RAISE(ABORT, 'club keys are kept'); END;
    CREATE TRIGGER bundle_no_replace BEFORE INSERT ON bundle
        WHEN EXISTS (SELECT 1 FROM bundle WHERE id = NEW.id)
          OR EXISTS (SELECT 1 FROM bundle WHERE club_id = NEW.club_id AND sequence = NEW.sequence)
        BEGIN SELECT RAISE(ABORT, 'the bundle register is append-only'); END;
    CREATE TRIGGER balance_assertion_no_replace BEFORE INSERT ON balance_assertion
        WHEN EXISTS (SELECT 1 FROM balance_assertion WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'counts are append-only'); END;
    CREATE TRIGGER balance_assertion_no_update BEFORE UPDATE ON balance_assertion
        BEGIN SELECT RAISE(ABORT, 'counts are append-only'); END;
    CREATE TRIGGER balance_assertion_no_delete BEFORE DELETE ON balance_assertion
        BEGIN SELECT RAISE(ABORT, 'counts are append-only'); END;
    CREATE TRIGGER month_close_no_replace BEFORE INSERT ON month_close
        WHEN EXISTS (SELECT 1 FROM month_close WHERE id = NEW.id)
          OR EXISTS (SELECT 1 FROM month_close WHERE club_id = NEW.club_id AND month = NEW.month)
        BEGIN SELECT RAISE(ABORT, 'month closes are append-only'); END;
    CREATE TRIGGER month_close_no_update BEFORE UPDATE ON month_close
        BEGIN SELECT RAISE(ABORT, 'month closes are append-only'); END;
    CREATE TRIGGER month_close_no_delete BEFORE DELETE ON month_close
        BEGIN SELECT RAISE(ABORT, 'month closes are append-only'); END;
    CREATE TRIGGER loan_payment_no_replace BEFORE INSERT ON loan_payment
        WHEN EXISTS (SELECT 1 FROM loan_payment WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'loan payments are append-only'); END;
    CREATE TRIGGER loan_payment_no_update BEFORE UPDATE ON loan_payment
        BEGIN SELECT RAISE(ABORT, 'loan payments are append-only'); END;
    CREATE TRIGGER loan_payment_no_delete BEFORE DELETE ON loan_payment
        BEGIN SELECT RAISE(ABORT, 'loan payments are append-only'); END;
    CREATE TRIGGER dues_payment_no_replace BEFORE INSERT ON dues_payment
        WHEN EXISTS (SELECT 1 FROM dues_payment WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'dues lines are append-only'); END;
    CREATE TRIGGER dues_payment_no_update BEFORE UPDATE ON dues_payment
        BEGIN SELECT RAISE(ABORT, 'dues lines are append-only'); END;
    CREATE TRIGGER dues_payment_no_delete BEFORE DELETE ON dues_payment
        BEGIN SELECT RAISE(ABORT, 'dues lines are append-only'); END;

    ALTER TABLE bundle ADD COLUMN ledger_head TEXT;
    ALTER TABLE bundle ADD COLUMN manifest TEXT;
    ALTER TABLE bundle ADD COLUMN manifest_signature TEXT;

    CREATE TABLE seal (
        id INTEGER PRIMARY KEY,
        tbl TEXT NOT NULL,
        row_key TEXT NOT NULL,
        digest TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
    );
    CREATE INDEX seal_row ON seal(tbl, row_key, id);
    CREATE TRIGGER seal_no_update BEFORE UPDATE ON seal
        BEGIN SELECT RAISE(ABORT, 'seals are append-only'); END;
    CREATE TRIGGER seal_no_delete BEFORE DELETE ON seal
        BEGIN SELECT RAISE(ABORT, 'seals are append-only'); END;
    CREATE TRIGGER seal_no_replace BEFORE INSERT ON seal
        WHEN EXISTS (SELECT 1 FROM seal WHERE id = NEW.id) OR EXISTS (SELECT 1 FROM seal WHERE hash = NEW.hash)
        BEGIN SELECT RAISE(ABORT, 'seals are append-only'); END;
    "#,
    // 9: each loan payment records the instalments it went to (JSON `[{"no", "interest",
    // "principal"}]` of its schedule version); NULL for payments recorded before. A nullable column
    // leaves the seals of older rows as they were.
    r#"
    ALTER TABLE loan_payment ADD COLUMN instalments TEXT;
    CREATE TRIGGER loan_payment_instalments_valid BEFORE INSERT ON loan_payment
        WHEN NEW.instalments IS NOT NULL AND NOT (json_valid(NEW.instalments) AND json_type(NEW.instalments) = 'array')
        BEGIN SELECT RAISE(ABORT, 'loan_payment: instalments are a JSON list'); END;
    "#,
    // 10: the core builds no sentences. A voucher the core composes (dues, a count, a reversal, a
    // loan's) and a decision the register writes carry a catalogue key and its raw parameters (a
    // JSON object); the edges say it in the reader's language. `memo`/`text` keep only what a person
    // typed. Both NULL for rows written before (their composed text stays as it was) and for rows
    // with nothing composed; never one without the other (the IS NOT NULL terms keep a NULL from
    // making the whole condition NULL, which would let the row through). Nullable columns leave
    // the seals of older rows as they were; the journal's UPDATE and DELETE guards take no column
    // list, so they cover the new columns.
    r#"
    ALTER TABLE journal_entry ADD COLUMN memo_code TEXT;
    ALTER TABLE journal_entry ADD COLUMN memo_params TEXT;
    ALTER TABLE decision ADD COLUMN text_code TEXT;
    ALTER TABLE decision ADD COLUMN text_params TEXT;
    CREATE TRIGGER journal_entry_memo_valid BEFORE INSERT ON journal_entry
        WHEN NOT ((NEW.memo_code IS NULL AND NEW.memo_params IS NULL)
                  OR (NEW.memo_code IS NOT NULL AND NEW.memo_params IS NOT NULL
                      AND NEW.memo_code GLOB 'memo.?*' AND json_valid(NEW.memo_params) AND json_type(NEW.memo_params) = 'object'))
        BEGIN SELECT RAISE(ABORT, 'journal_entry: a memo notice is a memo.* key and a JSON object'); END;
    CREATE TRIGGER decision_text_valid BEFORE INSERT ON decision
        WHEN NOT ((NEW.text_code IS NULL AND NEW.text_params IS NULL)
                  OR (NEW.text_code IS NOT NULL AND NEW.text_params IS NOT NULL
                      AND NEW.text_code GLOB 'decision.text.?*' AND json_valid(NEW.text_params) AND json_type(NEW.text_params) = 'object'))
        BEGIN SELECT RAISE(ABORT, 'decision: a text notice is a decision.text.* key and a JSON object'); END;
    CREATE TRIGGER decision_text_valid_update BEFORE UPDATE ON decision
        WHEN NOT ((NEW.text_code IS NULL AND NEW.text_params IS NULL)
                  OR (NEW.text_code IS NOT NULL AND NEW.text_params IS NOT NULL
                      AND NEW.text_code GLOB 'decision.text.?*' AND json_valid(NEW.text_params) AND json_type(NEW.text_params) = 'object'))
        BEGIN SELECT RAISE(ABORT, 'decision: a text notice is a decision.text.* key and a JSON object'); END;
    "#,
    // 11: board sign-ins (auth/). A sign-in belongs to a club; `member_id` ties it to the roster, whose
    // roles (as of today) are its rights; NULL is a viewer outside the board (a commune officer).
    // The PIN is kept only as an Argon2id PHC string. `failures` and `last_failure_at` slow the
    // next attempt. A removed sign-in keeps its row (`removed_at`), as the audit trail names it.
    // `auth_setting` holds the club's sign-in rules; `recovery_code` the hash of the code printed
    // at set-up. Append-only where history matters: the rows themselves change (a new PIN, a
    // failure), so they are sealed, and every change is audited.
    r#"
    CREATE TABLE sign_in (
        id INTEGER PRIMARY KEY,
        club_id INTEGER NOT NULL REFERENCES club(id),
        member_id INTEGER REFERENCES member(id),
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        name_key TEXT NOT NULL,
        pin_hash TEXT NOT NULL CHECK (pin_hash LIKE '$argon2id$%'),
        failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
        last_failure_at TEXT,
        created_at TEXT NOT NULL,
        removed_at TEXT
    );
    CREATE UNIQUE INDEX sign_in_name ON sign_in(club_id, name_key) WHERE removed_at IS NULL;
    CREATE UNIQUE INDEX sign_in_member ON sign_in(club_id, member_id)
        WHERE removed_at IS NULL AND member_id IS NOT NULL;
    CREATE TRIGGER sign_in_no_delete BEFORE DELETE ON sign_in
        BEGIN SELECT RAISE(ABORT, 'sign-ins are never deleted'); END;
    CREATE TRIGGER sign_in_no_replace BEFORE INSERT ON sign_in
        WHEN EXISTS (SELECT 1 FROM sign_in WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'sign-ins are never replaced'); END;

    CREATE TABLE auth_setting (
        club_id INTEGER PRIMARY KEY REFERENCES club(id),
        chair_handles_money INTEGER NOT NULL DEFAULT 0 CHECK (chair_handles_money IN (0, 1)),
        lock_minutes INTEGER NOT NULL DEFAULT 10 CHECK (lock_minutes BETWEEN 1 AND 240)
    );

    CREATE TABLE recovery_code (
        id INTEGER PRIMARY KEY,
        club_id INTEGER NOT NULL REFERENCES club(id),
        code_hash TEXT NOT NULL CHECK (code_hash LIKE '$argon2id$%'),
        created_at TEXT NOT NULL,
        replaced_at TEXT
    );
    CREATE UNIQUE INDEX recovery_code_current ON recovery_code(club_id) WHERE replaced_at IS NULL;
    CREATE TRIGGER recovery_code_no_delete BEFORE DELETE ON recovery_code
        BEGIN SELECT RAISE(ABORT, 'recovery codes are never deleted'); END;
    CREATE TRIGGER recovery_code_no_replace BEFORE INSERT ON recovery_code
        WHEN EXISTS (SELECT 1 FROM recovery_code WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'recovery codes are never replaced'); END;
    "#,
    // 12: two lookups every voucher makes were a scan. The chain's head ("the last entry of the
    // club") read the club's entries by date and sorted them by id, so writing the n-th voucher cost
    // n steps (a 30-year club's history took n² to build); `journal_entry_head` orders them by id
    // within the club. The latest count of a fund ("no voucher on or before a count") scanned every
    // count; `balance_assertion_latest` is that lookup. Indexes only: no row or seal changes.
    r#"
    CREATE INDEX journal_entry_head ON journal_entry(club_id, id);
    CREATE INDEX balance_assertion_latest ON balance_assertion(club_id, fund, date);
    "#,
    // 13: two whole-club reads looked every row up in its table after finding it in an index.
    // The dues grid reads each member's twelve months of `dues_payment` and the receipt each was
    // paid on (a 30-year club's grid: 5,000 lines, a third of its time); the loan list reads every
    // payment's amounts (2,600 on the same club). Each new index carries what is read and replaces
    // the old one, of which it is an extension. Indexes only: no row or seal changes.
    r#"
    CREATE INDEX dues_payment_member_month ON dues_payment(member_id, month, entry_id);
    DROP INDEX dues_payment_member;
    CREATE INDEX loan_payment_loan_amounts ON loan_payment(loan_id, paid_on, version, penalty, interest, principal);
    DROP INDEX loan_payment_loan;
    "#,
];
