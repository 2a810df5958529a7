//! XLSX workbooks (rust_xlsxwriter, constant-memory worksheets).

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::{Cell, Table, TableError};

pub(super) fn write(table: &Table) -> Result<Vec<u8>, TableError> {
    workbook(table).map_err(|e| TableError(e.to_string()))
}

fn workbook(table: &Table) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name(sheet_name(&table.name))?;
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let time = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    let hour = Format::new().set_num_format("hh:mm");
    let euros = Format::new().set_num_format("#,##0.00 €");
    for (col, header) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(0, column(col), header, &bold)?;
    }
    for (i, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
        for (col, cell) in row.iter().enumerate() {
            let c = column(col);
            write_cell(sheet, r, c, cell, [&day, &time, &hour, &euros])?;
        }
    }
    book.save_to_buffer()
}

/// Writes one cell; `formats` are those of a day, a date and time, a time of day, euros.
fn write_cell(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    cell: &Cell,
    formats: [&Format; 4],
) -> Result<(), XlsxError> {
    let [day, time, hour, euros] = formats;
    match cell {
        Cell::Empty => {}
        Cell::Text(s) => {
            sheet.write_string(r, c, s)?;
        }
        Cell::Int(n) => {
            sheet.write_number(r, c, *n as f64)?;
        }
        Cell::Decimal(x) => {
            sheet.write_number(r, c, *x)?;
        }
        Cell::Money(cents) => {
            sheet.write_number_with_format(r, c, *cents as f64 / 100.0, euros)?;
        }
        Cell::Day(d) => {
            sheet.write_date_with_format(r, c, d, day)?;
        }
        Cell::Time(t) => {
            sheet.write_datetime_with_format(r, c, t, time)?;
        }
        Cell::Hour(t) => {
            sheet.write_datetime_with_format(r, c, t, hour)?;
        }
    }
    Ok(())
}

fn column(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// Excel's rules: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect();
    if cleaned.trim().is_empty() {
        "Feuille".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_is_a_zip_with_its_sheet() {
        let mut table = Table::new("Réclamations: 2026/12", &["Reçue le", "Montant"]);
        table.push(vec![Cell::Text("a".into()), Cell::Money(1050)]);
        let bytes = write(&table).unwrap_or_default();
        assert!(bytes.starts_with(b"PK"), "an XLSX file is a ZIP archive");
        assert_eq!(sheet_name("Réclamations: 2026/12"), "Réclamations- 2026-12");
    }
}
