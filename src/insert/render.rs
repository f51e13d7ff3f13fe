//! The SQL of one multi-row INSERT: names quoted by [`crate::sql::quote`], values left as `?`
//! placeholders for the statement's bound values.

use crate::error::{Error, Result};
use crate::mo::TableRef;
use crate::sql::quote_ident;

/// What to do when a row meets an existing unique key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum OnDuplicate {
    /// `ON DUPLICATE KEY UPDATE c = VALUES(c), ...` for these columns.
    Update(Vec<String>),
    /// The same for every column written.
    UpdateAll,
}

/// The parts of an INSERT for any number of rows: `head` + `row` joined by `", "` + `tail`.
#[derive(Debug)]
pub(crate) struct Shape {
    head: String,
    row: String,
    tail: String,
}

impl Shape {
    /// Validates and quotes every name. Columns named in `on_duplicate` must be among `columns`:
    /// `VALUES(c)` of a column not written is NULL, which would silently erase data.
    pub(crate) fn new(
        table: &TableRef,
        columns: &[&str],
        on_duplicate: Option<&OnDuplicate>,
    ) -> Result<Shape> {
        if columns.is_empty() {
            return Err(Error::invalid_input(format!(
                "an insert into {table} must write at least one column"
            )));
        }
        let quoted: Vec<String> = columns.iter().map(|c| quote_ident(c)).collect::<Result<_>>()?;
        let head = format!("INSERT INTO {} ({}) VALUES ", table.to_sql()?, quoted.join(", "));
        let row = format!("({})", vec!["?"; columns.len()].join(", "));
        let updated: Vec<&str> = match on_duplicate {
            None => Vec::new(),
            Some(OnDuplicate::UpdateAll) => columns.to_vec(),
            Some(OnDuplicate::Update(names)) => {
                if names.is_empty() {
                    return Err(Error::invalid_input("on_duplicate_update needs at least one column"));
                }
                for name in names {
                    if !columns.iter().any(|c| c.eq_ignore_ascii_case(name)) {
                        return Err(Error::invalid_input(format!(
                            "on_duplicate_update names {name:?}, which the insert does not write \
                             (it writes {columns:?})"
                        )));
                    }
                }
                names.iter().map(String::as_str).collect()
            }
        };
        let tail = if updated.is_empty() {
            String::new()
        } else {
            let sets: Vec<String> = updated
                .iter()
                .map(|c| quote_ident(c).map(|q| format!("{q} = VALUES({q})")))
                .collect::<Result<_>>()?;
            format!(" ON DUPLICATE KEY UPDATE {}", sets.join(", "))
        };
        Ok(Shape { head, row, tail })
    }

    /// The statement for `rows` rows.
    pub(crate) fn sql(&self, rows: usize) -> String {
        let mut sql = String::with_capacity(self.fixed_len() + rows * (self.row.len() + 2));
        sql.push_str(&self.head);
        for i in 0..rows {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&self.row);
        }
        sql.push_str(&self.tail);
        sql
    }

    /// The bytes every statement has whatever its rows.
    pub(crate) fn fixed_len(&self) -> usize {
        self.head.len() + self.tail.len()
    }
}
