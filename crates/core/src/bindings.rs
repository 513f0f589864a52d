//! The window's TypeScript types, generated from the Rust types it receives, so the two cannot
//! drift: a test fails when `ui/src/lib/bindings.ts` is stale (rerun with UPDATE_SNAPSHOTS=1).

use ts_rs::TS;

/// Every type that crosses to the window, as one TypeScript module.
pub fn typescript() -> String {
    use crate::life::{activity, decision, meeting, standard};
    use crate::roster::{club, composition, import, member, preset};
    use crate::signing::{bundle, key};
    use crate::store::audit;
    use crate::*;
    // i64 crosses as a JSON number: money in đồng stays far below 2^53.
    let cfg = ts_rs::Config::new().with_large_int("number");
    let decls = [
        error::Field::decl(&cfg),
        error::Rule::decl(&cfg),
        error::CoreError::decl(&cfg),
        club::ClubInput::decl(&cfg),
        club::Club::decl(&cfg),
        audit::AuditEntry::decl(&cfg),
        auth::AuthRole::decl(&cfg),
        auth::SignIn::decl(&cfg),
        auth::AuthSettings::decl(&cfg),
        auth::permissions::Action::decl(&cfg),
        preset::Band::decl(&cfg),
        preset::Measure::decl(&cfg),
        preset::RatioTarget::decl(&cfg),
        preset::TargetPreset::decl(&cfg),
        member::Sex::decl(&cfg),
        member::Flag::decl(&cfg),
        member::Role::decl(&cfg),
        member::LeaveReason::decl(&cfg),
        member::Span::<()>::decl(&cfg),
        member::Member::decl(&cfg),
        member::MemberInput::decl(&cfg),
        member::FlagInput::decl(&cfg),
        member::MemberPatch::decl(&cfg),
        member::ListQuery::decl(&cfg),
        member::RosterRow::decl(&cfg),
        composition::Counts::decl(&cfg),
        composition::Status::decl(&cfg),
        composition::Fix::decl(&cfg),
        composition::TargetStatus::decl(&cfg),
        composition::Composition::decl(&cfg),
        overview::BoardMember::decl(&cfg),
        overview::Overview::decl(&cfg),
        notice::Notice::decl(&cfg),
        check::CheckReport::decl(&cfg),
        demo::DemoOptions::decl(&cfg),
        demo::DemoSignIn::decl(&cfg),
        demo::DemoSummary::decl(&cfg),
        i18n::Lang::decl(&cfg),
        import::Column::decl(&cfg),
        import::ImportOptions::decl(&cfg),
        import::ColumnUse::decl(&cfg),
        import::ImportRow::decl(&cfg),
        import::ImportReport::decl(&cfg),
        books::Fund::decl(&cfg),
        books::Source::decl(&cfg),
        books::Area::decl(&cfg),
        books::Kind::decl(&cfg),
        books::Via::decl(&cfg),
        books::Posting::decl(&cfg),
        books::Entry::decl(&cfg),
        books::ReceiptInput::decl(&cfg),
        books::PaymentInput::decl(&cfg),
        books::CountInput::decl(&cfg),
        books::CountResult::decl(&cfg),
        books::CountRow::decl(&cfg),
        books::MonthClose::decl(&cfg),
        books::DuesRow::decl(&cfg),
        books::DuesGrid::decl(&cfg),
        books::AccountBalance::decl(&cfg),
        books::FundBalance::decl(&cfg),
        books::Balances::decl(&cfg),
        books::CashbookLine::decl(&cfg),
        books::Cashbook::decl(&cfg),
        books::PeriodSummary::decl(&cfg),
        preset::StandardTargets::decl(&cfg),
        meeting::MeetingKind::decl(&cfg),
        meeting::Topic::decl(&cfg),
        decision::DecisionKind::decl(&cfg),
        decision::DecisionInput::decl(&cfg),
        meeting::DuesInput::decl(&cfg),
        meeting::MeetingInput::decl(&cfg),
        member::Person::decl(&cfg),
        decision::Decision::decl(&cfg),
        meeting::Meeting::decl(&cfg),
        meeting::MeetingSaved::decl(&cfg),
        decision::DecisionSaved::decl(&cfg),
        meeting::MeetingRow::decl(&cfg),
        meeting::GridMonth::decl(&cfg),
        meeting::YearGrid::decl(&cfg),
        activity::ActivityKind::decl(&cfg),
        activity::ActivityInput::decl(&cfg),
        activity::Activity::decl(&cfg),
        activity::ActivityQuery::decl(&cfg),
        standard::Unit::decl(&cfg),
        standard::Criterion::decl(&cfg),
        standard::Standard::decl(&cfg),
        loans::schedule::Method::decl(&cfg),
        loans::schedule::Repayment::decl(&cfg),
        loans::schedule::Terms::decl(&cfg),
        loans::schedule::Instalment::decl(&cfg),
        loans::Purpose::decl(&cfg),
        loans::LoanStatus::decl(&cfg),
        loans::LoanRules::decl(&cfg),
        loans::LoanTerms::decl(&cfg),
        loans::ApplyInput::decl(&cfg),
        loans::Approval::decl(&cfg),
        loans::Loan::decl(&cfg),
        loans::LoanSaved::decl(&cfg),
        loans::LineState::decl(&cfg),
        loans::ScheduleLine::decl(&cfg),
        loans::Payment::decl(&cfg),
        loans::PaidInstalment::decl(&cfg),
        loans::RepayMode::decl(&cfg),
        loans::LoanState::decl(&cfg),
        loans::LoanCard::decl(&cfg),
        loans::RepaySaved::decl(&cfg),
        loans::LoanRow::decl(&cfg),
        loans::WaitingRow::decl(&cfg),
        loans::Portfolio::decl(&cfg),
        reporting::PeriodKind::decl(&cfg),
        reporting::Period::decl(&cfg),
        reporting::ReportOptions::decl(&cfg),
        reporting::Preview::decl(&cfg),
        reporting::notice::NoticePreview::decl(&cfg),
        reporting::notice::CodeFound::decl(&cfg),
        commune::Level::decl(&cfg),
        commune::ledger::PublicKeyFile::decl(&cfg),
        commune::send::SentBundle::decl(&cfg),
        commune::check::CheckReport::decl(&cfg),
        commune::Commune::decl(&cfg),
        commune::CommuneInput::decl(&cfg),
        commune::register::RegisteredKey::decl(&cfg),
        commune::register::RegisteredClub::decl(&cfg),
        commune::import::Accepted::decl(&cfg),
        commune::import::Refused::decl(&cfg),
        commune::import::ImportReport::decl(&cfg),
        commune::status::ReportState::decl(&cfg),
        commune::status::ClubStatus::decl(&cfg),
        commune::status::PeriodStatus::decl(&cfg),
        files::Destination::decl(&cfg),
        key::ClubKey::decl(&cfg),
        key::RotationProof::decl(&cfg),
        key::KeyRotation::decl(&cfg),
        bundle::ManifestClub::decl(&cfg),
        bundle::ManifestPeriod::decl(&cfg),
        bundle::ManifestFile::decl(&cfg),
        bundle::Manifest::decl(&cfg),
        bundle::Exported::decl(&cfg),
        bundle::CheckedAgainst::decl(&cfg),
        bundle::VerifyReport::decl(&cfg),
        bundle::BundleRecord::decl(&cfg),
        crate::store::backup::BackupClub::decl(&cfg),
        crate::store::backup::BackupInfo::decl(&cfg),
        crate::store::backup::Generation::decl(&cfg),
        crate::store::backup::AutoBackup::decl(&cfg),
        crate::store::backup::BackupFile::decl(&cfg),
        crate::files::FoundFile::decl(&cfg),
        crate::store::backup::Restored::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `cargo test -p ishc-core` (UPDATE_SNAPSHOTS=1). Do not edit.\n\
         export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]?: JsonValue } | null;\n",
    );
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn ui_bindings_are_up_to_date() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui/src/lib/bindings.ts");
        let now = super::typescript();
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(path, &now).unwrap();
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert_eq!(committed, now, "ui/src/lib/bindings.ts is stale: rerun with UPDATE_SNAPSHOTS=1");
    }
}
