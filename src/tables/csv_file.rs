//! CSV as French spreadsheet software opens it.

use super::{Cell, Table, french_decimal};

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(super) fn write(table: &Table) -> Vec<u8> {
    let mut out = BOM.to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut out);
        // Writing to a Vec cannot fail; a failure would only mean a row of another width,
        // which `Table::push` prevents.
        let _ = writer.write_record(&table.headers);
        for row in &table.rows {
            let _ = writer.write_record(row.iter().map(text));
        }
        let _ = writer.flush();
    }
    out
}

fn text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) => s.clone(),
        Cell::Int(n) => n.to_string(),
        Cell::Decimal(x) => french_decimal(*x),
        Cell::Money(cents) => money(*cents),
        Cell::Day(d) => d.format("%d/%m/%Y").to_string(),
        Cell::Time(t) => t.format("%d/%m/%Y %H:%M").to_string(),
        Cell::Hour(t) => t.format("%H:%M").to_string(),
    }
}

/// Euros with a decimal comma: `1234,50`.
fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{},{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime};

    use super::*;

    #[test]
    fn a_csv_opens_in_french_spreadsheets() {
        let mut table = Table::new("BPF", &["Cadre", "Heures", "Montant", "Jour", "Début"]);
        table.push(vec![
            "F-1 a; salariés".into(),
            Cell::Decimal(3.5),
            Cell::Money(123_450),
            Cell::Day(NaiveDate::from_ymd_opt(2026, 12, 29).unwrap_or_default()),
            Cell::Hour(NaiveTime::from_hms_opt(9, 5, 0).unwrap_or_default()),
        ]);
        table.push(vec!["court".into()]);
        let bytes = write(&table);
        assert!(bytes.starts_with(BOM));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap_or_default();
        assert_eq!(
            text,
            "Cadre;Heures;Montant;Jour;Début\n\"F-1 a; salariés\";3,5;1234,50;29/12/2026;09:05\ncourt;;;;\n"
        );
    }
}
