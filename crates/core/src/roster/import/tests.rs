use chrono::NaiveDate;

use super::limits::{MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, MAX_SHEET_ROWS};
use super::sheet::cell_name;
use super::*;
use crate::error::{CoreError, Field};
use crate::roster::member::{Flag, MemberInput, Sex};
use crate::store::audit::Actor;
use crate::store::Store;
use crate::text;
use crate::roster::club::{self, ClubInput};
use crate::roster::member::ListQuery;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn setup() -> (Store, Actor, i64) {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(d("2026-11-22"));
    let actor = Actor::system("Lê Thị Hoa").unwrap();
    let club = club::create(&mut store, &actor, &ClubInput::new("CLB", "Xã", "Huyện", "Tỉnh", d("2019-03-01"))).unwrap();
    (store, actor, club.id)
}

fn count(store: &Store, club: i64) -> usize {
    member::list(store, club, &ListQuery { include_left: true, ..Default::default() }).unwrap().len()
}

const GOOD_CSV: &str = "DANH SÁCH THÀNH VIÊN CLB LIÊN THẾ HỆ TỰ GIÚP NHAU\n\
    STT;Họ và tên;Giới tính;Năm sinh;Thôn;Ngày vào;Hộ nghèo\n\
    1;Nguyễn Thị Lan;Nữ;1955;Đông Hòa;01/03/2019;x\n\
    2;Trần Văn Bình;Nam;12/5/1960;Đông Hòa;1/6/20;\n\
    3;Lê Thị Ánh;F;1990;Bắc Sơn;2021-01-15;\n";

#[test]
fn semicolon_csv_with_title_row_imports_after_confirmation_only() {
    let (mut store, actor, club) = setup();
    let table = read_csv(GOOD_CSV.as_bytes()).unwrap();
    assert_eq!(table.delimiter, Some(';'));
    let dry = import(&mut store, &actor, club, &table, &ImportOptions::default(), false).unwrap();
    assert_eq!((dry.ok_rows, dry.error_rows, dry.committed, dry.header_line), (3, 0, false, 2));
    assert_eq!(count(&store, club), 0, "a dry run writes nothing");
    let m = dry.rows[1].member.clone().unwrap();
    assert_eq!((m.birth_year, m.birth_date, m.joined_on), (1960, Some(d("1960-05-12")), d("2020-06-01")));
    assert_eq!(dry.rows[0].member.as_ref().unwrap().flags[0].flag, Flag::Poor);
    let done = import(&mut store, &actor, club, &table, &ImportOptions::default(), true).unwrap();
    assert!(done.committed);
    assert_eq!(count(&store, club), 3);
}

#[test]
fn one_bad_row_means_nothing_is_imported() {
    let (mut store, actor, club) = setup();
    let csv = "Họ và tên,Giới tính,Năm sinh,Ngày vào\nNguyễn Thị Lan,Nữ,1955,01/03/2019\nTrần Văn Bình,X,1960,01/03/2019\n\
               Lê Văn Cường,Nam,1970,01/01/2030\nLê Thị Duyên,Nữ,,01/03/2019\n";
    let table = read_csv(csv.as_bytes()).unwrap();
    let dry = import(&mut store, &actor, club, &table, &ImportOptions::default(), false).unwrap();
    assert_eq!((dry.ok_rows, dry.error_rows), (1, 3));
    let field = |i: usize| match dry.rows[i].error.clone() {
        Some(CoreError::Invalid { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    assert_eq!((field(1), field(2), field(3)), (Field::MemberSex, Field::MemberJoinedOn, Field::MemberBirth));
    assert_eq!(dry.rows[1].line, 3);
    let err = import(&mut store, &actor, club, &table, &ImportOptions::default(), true).unwrap_err();
    assert_eq!(err, CoreError::ImportHasErrors { error_rows: 3 });
    assert_eq!(count(&store, club), 0);
}

#[test]
fn duplicates_inside_the_file_and_against_the_books_are_caught() {
    let (mut store, actor, club) = setup();
    member::add(&mut store, &actor, club, &MemberInput::new("Nguyễn Thị Lan", Sex::F, 1955, d("2019-03-01")), false).unwrap();
    let csv = "Name,Sex,Born,Joined\nnguyen thi lan,F,1955,2019-03-01\nPhạm Văn Tú,M,1980,2019-03-01\nPham Van Tu,M,1980,2019-03-01\n";
    let dry = import(&mut store, &actor, club, &read_csv(csv.as_bytes()).unwrap(), &ImportOptions::default(), false).unwrap();
    let codes: Vec<String> = dry.rows.iter().map(|r| r.error.as_ref().map(|e| e.code()).unwrap_or_default()).collect();
    assert_eq!(codes, vec!["member.duplicate", "", "member.duplicate"]);
}

#[test]
fn windows_1258_and_utf16_and_bom_are_read() {
    let text = "Họ và tên,Giới tính,Năm sinh,Ngày vào\nNguyễn Thị Đào,Nữ,1950,01/03/2019\n";
    // Windows-1258 has ê, ơ, ư… precomposed but writes tones as combining marks.
    use unicode_normalization::UnicodeNormalization;
    let tones = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];
    let cp1258_form: String = text
        .chars()
        .flat_map(|c| {
            let d: Vec<char> = c.nfd().collect();
            let letter: String = d.iter().filter(|m| !tones.contains(m)).collect::<String>().nfc().collect();
            letter.chars().chain(d.into_iter().filter(|m| tones.contains(m))).collect::<Vec<_>>()
        })
        .collect();
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&cp1258_form);
    assert!(!unmappable);
    let t = read_csv(&bytes).unwrap();
    assert_eq!(t.encoding, "windows-1258");
    assert_eq!(text::clean(&t.rows[1][0].text()), "Nguyễn Thị Đào");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    let t = read_csv(&bom).unwrap();
    assert_eq!(t.rows[0][0].text(), "Họ và tên");
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let t = read_csv(&utf16).unwrap();
    assert_eq!(t.encoding, "UTF-16LE");
    assert_eq!(t.rows[1][0].text(), "Nguyễn Thị Đào");
}

#[test]
fn birth_year_under_the_sex_column_as_paper_forms_do() {
    let (mut store, actor, club) = setup();
    let csv = "TT,Họ và tên,Năm sinh Nam,Năm sinh Nữ,Dân tộc,Diện\n1,Lò Văn Páo,1958,,Thái,hộ cận nghèo\n2,Hà Thị Nụ,,1962,Mường,Nghèo; khuyết tật\n";
    let opts = ImportOptions { default_joined_on: Some(d("2020-01-01")), ..Default::default() };
    let r = import(&mut store, &actor, club, &read_csv(csv.as_bytes()).unwrap(), &opts, true).unwrap();
    let a = r.rows[0].member.clone().unwrap();
    let b = r.rows[1].member.clone().unwrap();
    assert_eq!((a.sex, a.birth_year, a.ethnicity.as_str()), (Sex::M, 1958, "Thái"));
    assert_eq!(a.flags.iter().map(|f| f.flag).collect::<Vec<_>>(), vec![Flag::NearPoor]);
    assert_eq!((b.sex, b.birth_year), (Sex::F, 1962));
    assert_eq!(b.flags.iter().map(|f| f.flag).collect::<Vec<_>>(), vec![Flag::Poor, Flag::Disability]);
    assert_eq!(b.flags[0].standard.as_deref(), Some("Chuẩn nghèo 2026–2030"));
}

#[test]
fn no_name_column_or_no_rows_is_refused() {
    let (mut store, actor, club) = setup();
    let t = read_csv(b"a,b,c\n1,2,3\n").unwrap();
    assert_eq!(import(&mut store, &actor, club, &t, &ImportOptions::default(), false).unwrap_err(), CoreError::ImportNoHeader);
    let t = read_csv("Họ và tên,Năm sinh\n".as_bytes()).unwrap();
    assert_eq!(import(&mut store, &actor, club, &t, &ImportOptions::default(), false).unwrap_err(), CoreError::ImportEmpty);
}

#[test]
fn xlsx_with_english_headers_in_any_order_and_date_cells() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date_format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for (c, h) in ["Joined", "Sex", "Full name", "Year of birth", "Phone"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let joined = rust_xlsxwriter::ExcelDateTime::from_ymd(2021, 4, 2).unwrap();
    sheet.write_datetime_with_format(1, 0, &joined, &date_format).unwrap();
    sheet.write_string(1, 1, "M").unwrap();
    sheet.write_string(1, 2, "Đặng Văn Khánh").unwrap();
    sheet.write_number(1, 3, 1949.0).unwrap();
    sheet.write_string(1, 4, "0912 345 678").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let (mut store, actor, club) = setup();
    let t = read_table(&bytes, "danh-sach.xlsx").unwrap();
    let r = import(&mut store, &actor, club, &t, &ImportOptions::default(), true).unwrap();
    let m = r.rows[0].member.clone().unwrap();
    assert_eq!((m.full_name.as_str(), m.sex, m.birth_year, m.joined_on), ("Đặng Văn Khánh", Sex::M, 1949, d("2021-04-02")));
    let stored = member::list(&store, club, &ListQuery::default()).unwrap();
    assert_eq!(stored[0].phone, "0912345678");
}

#[test]
fn garbage_is_unreadable_not_a_panic() {
    let err = read_table(b"PK\x03\x04 not really a zip", "x.xlsx").unwrap_err();
    assert_eq!(err.code(), "import.unreadable");
}

/// Found while writing the fuzz harness (reading calamine's date conversion, then confirmed with the
/// `roster_xlsx` target on `fuzz/corpus/roster_xlsx/crash-date-cell-minus-1e300.xlsx`): a date-formatted
/// cell holding a serial far below Excel's range panicked inside calamine's date conversion. Now
/// every date cell outside Excel's range (-1e300, -1, beyond 31/12/9999) is read as the
/// number it is and refused by the date rule with its row, and one inside is still a date.
#[test]
fn a_date_cell_outside_excels_range_is_refused_with_its_row_not_a_panic() {
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let values = [-1e300, -1.0, 2_958_466.0, 1e300, 43_891.0];
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Họ và tên", "Giới tính", "Năm sinh", "Ngày vào"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (i, v) in values.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, &format!("Nguyễn Thị Lan {}", ["A", "B", "C", "D", "E"][i])).unwrap();
        sheet.write_string(r, 1, "Nữ").unwrap();
        sheet.write_number(r, 2, 1955.0).unwrap();
        sheet.write_number_with_format(r, 3, *v, &date).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let table = read_table(&bytes, "danh-sach.xlsx").unwrap();
    assert_eq!(table.rows[1][3], Cell::Number(-1e300));
    assert_eq!(table.rows[5][3], Cell::Date(d("2020-03-01")));
    let (mut store, actor, club) = setup();
    let opts = ImportOptions { default_joined_on: Some(d("2020-01-01")), ..Default::default() };
    let dry = import(&mut store, &actor, club, &table, &opts, false).unwrap();
    let fields: Vec<Option<Field>> = dry
        .rows
        .iter()
        .map(|r| match &r.error {
            Some(CoreError::Invalid { field, .. }) => Some(*field),
            None => None,
            Some(other) => panic!("{other:?}"),
        })
        .collect();
    let joined = Some(Field::MemberJoinedOn);
    assert_eq!(fields, vec![joined, joined, joined, joined, None], "never the default join date instead");
    assert_eq!(dry.rows[4].member.as_ref().unwrap().joined_on, d("2020-03-01"));
    // A huge whole number is shown as written, not as a saturated i64.
    assert_eq!(Cell::Number(1e300).text().parse::<f64>().unwrap(), 1e300);
}

/// A real XLSX with a header, one member, and one more cell written at `cell` (row, column).
fn xlsx_with_cell_at(row: u32, col: u16) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Họ và tên", "Giới tính", "Năm sinh", "Ngày vào"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["Nguyễn Thị Lan", "Nữ", "1955", "01/03/2019"].iter().enumerate() {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    sheet.write_string(row, col, "x").unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn a_cell_far_down_or_right_is_refused_by_name_before_anything_is_allocated() {
    // The sheet declares `A1:XFD1048576`: reading its whole range would ask for 549 GB.
    let bytes = xlsx_with_cell_at(1_048_575, 16_383);
    assert!(bytes.len() < 10_000, "a small file: {} bytes", bytes.len());
    let err = read_table(&bytes, "danh-sach.xlsx").unwrap_err();
    assert_eq!(
        err,
        CoreError::ImportCellOutOfRange { cell: "XFD1048576".into(), max_rows: MAX_SHEET_ROWS, max_columns: MAX_COLUMNS }
    );
    let err = read_table(&xlsx_with_cell_at(1_048_575, 3), "danh-sach.xlsx").unwrap_err();
    assert_eq!(err, CoreError::ImportCellOutOfRange { cell: "D1048576".into(), max_rows: 10_000, max_columns: 64 });
    let err = read_table(&xlsx_with_cell_at(5, 64), "danh-sach.xlsx").unwrap_err();
    assert_eq!(err.code(), "import.cell_out_of_range");
    // Within the area, the same sheet reads: the stray cell is just another cell.
    let t = read_table(&xlsx_with_cell_at(9_999, 63), "danh-sach.xlsx").unwrap();
    assert_eq!((t.rows.len(), t.rows[9_999].len()), (10_000, 64));
    assert_eq!(cell_name(0, 0), "A1");
    assert_eq!(cell_name(0, 26), "AA1");
}

#[test]
fn an_xlsx_that_unpacks_beyond_the_cap_is_refused_before_it_is_unpacked() {
    use std::io::{Read, Write};
    // A real workbook whose sheet XML is padded with 33 MiB of spaces: a few dozen KiB zipped.
    let small = xlsx_with_cell_at(2, 0);
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(small)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..src.len() {
        let mut part = src.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut body = Vec::new();
        part.read_to_end(&mut body).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let text = String::from_utf8(body).unwrap();
            let at = text.find("<sheetData").unwrap();
            body = format!("{}{}{}", &text[..at], " ".repeat(33 << 20), &text[at..]).into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&body).unwrap();
    }
    let bomb = out.finish().unwrap().into_inner();
    assert!(bomb.len() < MAX_FILE_BYTES as usize / 8, "{} bytes", bomb.len());
    assert_eq!(read_table(&bomb, "bom.xlsx").unwrap_err(), CoreError::ImportSheetTooLarge { max_mib: 32 });
}

/// A CSV with a header and `n` members, the last one with no sex when `last_bad`.
fn csv_of(n: usize, last_bad: bool) -> String {
    let mut csv = String::from("Họ và tên,Giới tính,Năm sinh,Ngày vào\n");
    for i in 0..n {
        let sex = if last_bad && i + 1 == n { "" } else if i % 2 == 0 { "Nữ" } else { "Nam" };
        csv.push_str(&format!("Thành Viên Số {i},{sex},{},01/03/2019\n", 1940 + i % 60));
    }
    csv
}

#[test]
fn a_csv_at_the_row_cap_imports_whole_or_not_at_all_and_one_row_more_is_refused() {
    let (mut store, actor, club) = setup();
    let opts = ImportOptions::default();
    let bad = read_csv(csv_of(MAX_ROWS as usize, true).as_bytes()).unwrap();
    let err = import(&mut store, &actor, club, &bad, &opts, true).unwrap_err();
    assert_eq!(err, CoreError::ImportHasErrors { error_rows: 1 });
    assert_eq!(count(&store, club), 0, "4,999 good rows and one bad: nothing lands");
    let good = read_csv(csv_of(MAX_ROWS as usize, false).as_bytes()).unwrap();
    let done = import(&mut store, &actor, club, &good, &opts, true).unwrap();
    assert_eq!((done.ok_rows, done.committed), (MAX_ROWS, true));
    assert_eq!(count(&store, club), MAX_ROWS as usize);

    let (mut store, actor, club) = setup();
    let over = read_csv(csv_of(MAX_ROWS as usize + 1, false).as_bytes()).unwrap();
    assert_eq!(import(&mut store, &actor, club, &over, &opts, false).unwrap_err(), CoreError::ImportTooManyRows { max: 5_000 });
    assert_eq!(count(&store, club), 0);
}

#[test]
fn a_long_csv_is_refused_while_it_is_read() {
    // 200,000 short lines (under the file cap): the reader stops at the cap, it does not read on.
    let csv = "Họ và tên;Năm sinh\n".to_string() + &"A;1\n".repeat(200_000);
    assert!(csv.len() as u64 <= MAX_FILE_BYTES);
    assert_eq!(read_csv(csv.as_bytes()).unwrap_err(), CoreError::ImportTooManyRows { max: MAX_ROWS });
    // Blank lines count against the sheet's rows too, without being kept.
    let blank = "Họ và tên;Năm sinh\n".to_string() + &";\n".repeat(MAX_SHEET_ROWS as usize);
    assert_eq!(read_csv(blank.as_bytes()).unwrap_err().code(), "import.too_many_rows");
    // A field with content past the last column read is named.
    let wide = format!("Họ và tên{}x\n", ",".repeat(70));
    assert_eq!(
        read_csv(wide.as_bytes()).unwrap_err(),
        CoreError::ImportCellOutOfRange { cell: "BS1".into(), max_rows: MAX_SHEET_ROWS, max_columns: MAX_COLUMNS }
    );
    // A file over the cap is refused by its length, whatever it holds.
    let big = vec![b'a'; MAX_FILE_BYTES as usize + 1];
    assert_eq!(
        read_table(&big, "to.csv").unwrap_err(),
        CoreError::FileTooLarge { path: "to.csv".into(), max_kib: 4096 }
    );
}

#[test]
fn files_from_outside_are_read_capped_and_old_workbooks_are_named() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(read_file(std::path::Path::new("/dev/zero")), Err(CoreError::FileNotRegular { .. })));
    let fifo = dir.path().join("pipe.csv");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    assert!(matches!(read_file(&fifo), Err(CoreError::FileNotRegular { .. })));
    let big = dir.path().join("big.csv");
    std::fs::write(&big, vec![b'a'; MAX_FILE_BYTES as usize + 1]).unwrap();
    assert!(matches!(read_file(&big), Err(CoreError::FileTooLarge { max_kib: 4096, .. })));
    let good = dir.path().join("ok.csv");
    std::fs::write(&good, GOOD_CSV).unwrap();
    assert_eq!(read_file(&good).unwrap().rows.len(), 5);
    assert_eq!(read_table(b"\xD0\xCF\x11\xE0", "cu.XLS").unwrap_err(), CoreError::ImportFormat { extension: "xls".into() });
    assert_eq!(read_table(b"PK", "a.ods").unwrap_err().code(), "import.format");
}

/// Linear without timing: the duplicate check of one row takes as many SQLite steps with 2,000
/// members in the club as with 20 (it read every member before, so an import of n rows took n²).
#[test]
fn the_duplicate_check_does_not_grow_with_the_roster() {
    use rusqlite::StatementStatus;
    let steps_with = |members: usize| {
        let (mut store, actor, club) = setup();
        let table = read_csv(csv_of(members, false).as_bytes()).unwrap();
        import(&mut store, &actor, club, &table, &ImportOptions::default(), true).unwrap();
        let probe = read_csv("Họ và tên,Giới tính,Năm sinh,Ngày vào\nNgười Mới,Nữ,1950,01/03/2019\n".as_bytes()).unwrap();
        store.conn().prepare_cached(member::DUPLICATE_SQL).unwrap().reset_status(StatementStatus::VmStep);
        import(&mut store, &actor, club, &probe, &ImportOptions::default(), false).unwrap();
        let steps = store.conn().prepare_cached(member::DUPLICATE_SQL).unwrap().get_status(StatementStatus::VmStep);
        steps
    };
    let (small, large) = (steps_with(20), steps_with(2_000));
    assert!(small > 0, "the duplicate check ran");
    assert!(large <= small + 10, "{small} steps with 20 members, {large} with 2,000");
}

#[test]
fn headers_are_recognised_with_or_without_diacritics() {
    assert_eq!(column_for("Họ và tên (*)"), Some(Column::FullName));
    assert_eq!(column_for("HO VA TEN"), Some(Column::FullName));
    assert_eq!(column_for("Ngày sinh"), Some(Column::Birth));
    assert_eq!(column_for("Giới tính"), Some(Column::Sex));
    assert_eq!(column_for("Số điện thoại"), Some(Column::Phone));
    assert_eq!(column_for("Nữ"), Some(Column::BirthIfFemale));
    assert_eq!(column_for("STT"), None);
}

/// The import reads what `crate::parse` reads: every shared vector, as a date cell, and as the birth
/// or sex of a whole row checked by a dry run (so the command line, which calls the same grammar,
/// and the import cannot disagree on `5/3/26` or `12/5/60`). No clock is read: a two-digit year is
/// 20yy in a date and refused in a birth, whatever today is.
#[test]
fn the_import_reads_the_shared_date_birth_and_sex_vectors() {
    use crate::parse::tests::{as_vector, date_vectors};
    for (input, want) in date_vectors("dates") {
        let got = parse_date_cell(&Cell::Text(input.clone()), Field::MemberJoinedOn);
        assert_eq!(as_vector(got, Field::MemberJoinedOn), want, "date {input:?}");
    }
    let (mut store, actor, club) = setup();
    let header = ["Họ và tên", "Giới tính", "Năm sinh", "Ngày vào"].map(|h| Cell::Text(h.into())).to_vec();
    let run = |store: &mut Store, cells: &dyn Fn(usize, &str) -> [&str; 3], inputs: &[String]| {
        let mut rows = vec![header.clone()];
        for (i, input) in inputs.iter().enumerate() {
            let name = Cell::Text(format!("Thành Viên {i}"));
            rows.push(std::iter::once(name).chain(cells(i, input).map(|c| Cell::Text(c.into()))).collect());
        }
        let table = Table { format: "csv".into(), encoding: "UTF-8".into(), delimiter: Some(','), rows };
        import(store, &actor, club, &table, &ImportOptions::default(), false).unwrap().rows
    };
    let births = date_vectors("births");
    let inputs: Vec<String> = births.iter().map(|(i, _)| i.clone()).collect();
    for (row, (input, want)) in run(&mut store, &|_, b| ["Nữ", b, "01/03/2019"], &inputs).into_iter().zip(births) {
        let got = match (row.member, row.error) {
            (Some(m), None) => Ok(serde_json::json!({ "year": m.birth_year, "date": m.birth_date })),
            (_, e) => Err(e.unwrap()),
        };
        assert_eq!(as_vector(got, Field::MemberBirth), want, "birth {input:?}");
    }
    let sexes = date_vectors("sexes");
    let inputs: Vec<String> = sexes.iter().map(|(i, _)| i.clone()).collect();
    for (row, (input, want)) in run(&mut store, &|_, s| [s, "1950", "01/03/2019"], &inputs).into_iter().zip(sexes) {
        let got = match (row.member, row.error) {
            (Some(m), None) => Ok(m.sex),
            (_, e) => Err(e.unwrap()),
        };
        assert_eq!(as_vector(got, Field::MemberSex), want, "sex {input:?}");
    }
    assert_eq!(count(&store, club), 0, "dry runs");
}
