//! [`ResultSet`] and [`Row`]: what a statement returned (the seed's `AsyncResultSet`).

use std::sync::Arc;

use sqlx::Row as _;
use sqlx::mysql::MySqlRow;

use crate::decode::{Decode, RawValue};
use crate::error::{Error, Result};
use crate::from_row::FromRow;

/// The column labels of one result, shared by all of its rows.
pub(crate) type Columns = Arc<[String]>;

pub(crate) fn columns_of(row: &MySqlRow) -> Columns {
    use sqlx::Column as _;
    row.columns().iter().map(|c| c.name().to_owned()).collect()
}

/// One row of a result.
///
/// Columns are found by position (`usize`) or by label (`&str`, compared case-insensitively:
/// MatrixOne returns lower-case labels for `SHOW ... WHERE`).
pub struct Row {
    inner: MySqlRow,
    columns: Columns,
    /// Leading columns hidden from this view (a DATA BRANCH DIFF row's side and flag).
    skip: usize,
}

impl std::fmt::Debug for Row {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Row").field("columns", &self.columns()).finish_non_exhaustive()
    }
}

impl Row {
    pub(crate) fn new(inner: MySqlRow, columns: Columns) -> Row {
        Row { inner, columns, skip: 0 }
    }

    /// The same row without its first `n` columns (positions count from the first one kept).
    pub(crate) fn skipping(mut self, n: usize) -> Row {
        self.skip = (self.skip + n).min(self.columns.len());
        self
    }

    /// The column labels, in order.
    pub fn columns(&self) -> &[String] {
        &self.columns[self.skip..]
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        self.columns().len()
    }

    /// Whether the row has no columns.
    pub fn is_empty(&self) -> bool {
        self.columns().is_empty()
    }

    /// Whether a column with this label exists (case-insensitively).
    pub fn has_column(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    fn position(&self, name: &str) -> Option<usize> {
        let columns = self.columns();
        columns
            .iter()
            .position(|c| c == name)
            .or_else(|| columns.iter().position(|c| c.eq_ignore_ascii_case(name)))
    }

    /// Decodes the value of a column, found by position or label.
    ///
    /// Fails with [`crate::ErrorKind::Decode`] when the column is missing, NULL (ask for
    /// `Option<T>` instead) or does not fit `T`.
    pub fn get<T: Decode>(&self, index: impl ColumnIndex) -> Result<T> {
        let at = index.position_in(self)?;
        T::decode(self.raw(at)?)
    }

    /// Like [`Row::get`], but a missing column or a NULL gives `Ok(None)`.
    pub fn get_optional<T: Decode>(&self, index: impl ColumnIndex) -> Result<Option<T>> {
        match index.position_in(self) {
            Ok(at) => Option::<T>::decode(self.raw(at)?),
            Err(_) => Ok(None),
        }
    }

    fn raw(&self, at: usize) -> Result<RawValue<'_>> {
        let at = at + self.skip;
        let value = self.inner.try_get_raw(at)?;
        Ok(RawValue { value, column: &self.columns[at] })
    }
}

/// A way to name a column of a [`Row`]: its position (`usize`) or its label (`&str`).
pub trait ColumnIndex {
    /// The column's position in `row`, or a [`crate::ErrorKind::Decode`] error.
    fn position_in(&self, row: &Row) -> Result<usize>;
}

impl ColumnIndex for usize {
    fn position_in(&self, row: &Row) -> Result<usize> {
        if *self < row.len() {
            Ok(*self)
        } else {
            Err(Error::decode(format!(
                "column index {self} is out of range: the row has {} column(s)",
                row.len()
            )))
        }
    }
}

impl ColumnIndex for &str {
    fn position_in(&self, row: &Row) -> Result<usize> {
        row.position(self).ok_or_else(|| {
            Error::decode(format!("no column named {self:?}; the row has {:?}", row.columns()))
        })
    }
}

impl ColumnIndex for &String {
    fn position_in(&self, row: &Row) -> Result<usize> {
        self.as_str().position_in(row)
    }
}

/// Everything a statement returned: its rows (buffered), their column labels, and the counts
/// from the server's OK packets.
///
/// A text with several statements (or a `CALL`) can return several results with rows: this one
/// holds the first, and [`ResultSet::more_results`] the others, each with its own labels.
#[derive(Debug, Default)]
pub struct ResultSet {
    columns: Option<Columns>,
    rows: Vec<Row>,
    rows_affected: u64,
    last_insert_id: u64,
    more: Vec<ResultSet>,
}

impl ResultSet {
    /// One entry per result that returned rows, in order; the counts cover the whole statement.
    pub(crate) fn from_sets(sets: Vec<(Columns, Vec<Row>)>, rows_affected: u64, last_insert_id: u64) -> Self {
        let mut sets = sets.into_iter().map(|(columns, rows)| ResultSet {
            columns: Some(columns),
            rows,
            ..ResultSet::default()
        });
        let first = sets.next().unwrap_or_default();
        ResultSet { rows_affected, last_insert_id, more: sets.collect(), ..first }
    }

    /// The column labels. Known only when the result has at least one row: the driver reports
    /// the columns of an empty result in neither protocol, so an empty result has none here.
    pub fn columns(&self) -> &[String] {
        self.columns.as_deref().unwrap_or(&[])
    }

    /// The results with rows after the first, when the statement returned several (a text of
    /// several statements, a `CALL`); empty otherwise. Their counts are 0: the totals are on this
    /// one.
    ///
    /// ```no_run
    /// # async fn demo(client: matrixone::Client) -> matrixone::Result<()> {
    /// use matrixone::Executor;
    /// let rs = client.execute("SELECT 1 AS a; SELECT 2 AS b").await?;
    /// assert_eq!(rs.columns(), ["a"]);
    /// assert_eq!(rs.more_results()[0].columns(), ["b"]);
    /// # Ok(()) }
    /// ```
    pub fn more_results(&self) -> &[ResultSet] {
        &self.more
    }

    /// The rows, in the order the server sent them.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Iterates over the rows.
    pub fn iter(&self) -> std::slice::Iter<'_, Row> {
        self.rows.iter()
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The first row (the seed's `fetchone`).
    pub fn first(&self) -> Option<&Row> {
        self.rows.first()
    }

    /// The first column of the first row; [`crate::ErrorKind::RowNotFound`] when there is no row.
    /// Ask for `Option<T>` to read a NULL.
    pub fn scalar<T: Decode>(&self) -> Result<T> {
        self.first().ok_or_else(Error::row_not_found)?.get(0)
    }

    /// Rows an INSERT, UPDATE or DELETE affected, summed over the statements of the text. For
    /// UPDATE this counts the rows *matched*, changed or not: the driver connects with
    /// `CLIENT_FOUND_ROWS`, as most MySQL drivers do.
    pub fn rows_affected(&self) -> u64 {
        self.rows_affected
    }

    /// The AUTO_INCREMENT value generated by the last INSERT, or 0.
    pub fn last_insert_id(&self) -> u64 {
        self.last_insert_id
    }

    /// Maps every row through [`FromRow`].
    pub fn typed<T: FromRow>(&self) -> Result<Vec<T>> {
        self.rows.iter().map(T::from_row).collect()
    }

    /// Takes the rows out.
    pub fn into_rows(self) -> Vec<Row> {
        self.rows
    }
}

impl<'a> IntoIterator for &'a ResultSet {
    type Item = &'a Row;
    type IntoIter = std::slice::Iter<'a, Row>;
    fn into_iter(self) -> Self::IntoIter {
        self.rows.iter()
    }
}

impl IntoIterator for ResultSet {
    type Item = Row;
    type IntoIter = std::vec::IntoIter<Row>;
    fn into_iter(self) -> Self::IntoIter {
        self.rows.into_iter()
    }
}
