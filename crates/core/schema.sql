CREATE INDEX audit_log_club ON audit_log(club_id, id);
CREATE INDEX member_club ON member(club_id);
CREATE INDEX member_flag_member ON member_flag(member_id);
CREATE INDEX member_role_member ON member_role(member_id);
CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL CHECK (length(actor) > 0),
        club_id INTEGER REFERENCES club(id),
        action TEXT NOT NULL,
        entity_id INTEGER,
        detail TEXT NOT NULL DEFAULT '{}'
    );
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
CREATE TABLE member_flag (
        id INTEGER PRIMARY KEY,
        member_id INTEGER NOT NULL REFERENCES member(id),
        flag TEXT NOT NULL CHECK (flag IN ('poor', 'near_poor', 'disability', 'living_alone')),
        from_on TEXT NOT NULL,
        to_on TEXT,
        standard TEXT,
        CHECK (to_on IS NULL OR to_on >= from_on)
    );
CREATE TABLE member_role (
        id INTEGER PRIMARY KEY,
        member_id INTEGER NOT NULL REFERENCES member(id),
        role TEXT NOT NULL CHECK (role IN ('chair', 'vice_chair', 'treasurer', 'secretary',
            'group_leader', 'volunteer', 'care_recipient')),
        from_on TEXT NOT NULL,
        to_on TEXT,
        CHECK (to_on IS NULL OR to_on >= from_on)
    );
CREATE TABLE target_preset (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
