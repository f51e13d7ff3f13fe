//! [`InsertOptions`]: how [`crate::Executor::insert_many_with`] writes its rows.

use super::Insertable;
use super::render::{OnDuplicate, Shape};
use crate::error::{Error, Result};
use crate::mo::TableRef;

/// Options for [`crate::Executor::insert_many_with`]: another table, `ON DUPLICATE KEY UPDATE`,
/// and tighter statement sizes. The default writes plain INSERTs into the type's table, each as
/// large as the server allows.
///
/// [`InsertOptions::to_sql`] shows the statement the options give for a number of rows:
///
/// ```
/// use matrixone::{InsertOptions, Insertable};
///
/// #[derive(Insertable)]
/// #[mo(table = "users")]
/// struct User { name: String, email: Option<String> }
///
/// assert_eq!(
///     InsertOptions::new().on_duplicate_update(["email"]).to_sql::<User>(2).unwrap(),
///     "INSERT INTO `users` (`name`, `email`) VALUES (?, ?), (?, ?) \
///      ON DUPLICATE KEY UPDATE `email` = VALUES(`email`)"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InsertOptions {
    table: Option<TableRef>,
    on_duplicate: Option<OnDuplicate>,
    max_statement_bytes: Option<usize>,
    max_rows_per_statement: Option<usize>,
}

impl InsertOptions {
    /// Plain INSERTs into the type's table ([`Insertable::TABLE`]).
    ///
    /// ```
    /// # use matrixone::{InsertOptions, Insertable};
    /// # #[derive(Insertable)] #[mo(table = "users")] struct User { name: String, email: Option<String> }
    /// assert_eq!(
    ///     InsertOptions::new().to_sql::<User>(1).unwrap(),
    ///     "INSERT INTO `users` (`name`, `email`) VALUES (?, ?)"
    /// );
    /// ```
    pub fn new() -> InsertOptions {
        InsertOptions::default()
    }

    /// Writes into `table` instead of [`Insertable::TABLE`] (`"t"`, `"db.t"` or `("db", "t")`):
    /// a table per tenant or per month, a staging table.
    ///
    /// ```
    /// # use matrixone::{InsertOptions, Insertable};
    /// # #[derive(Insertable)] #[mo(table = "users")] struct User { name: String, email: Option<String> }
    /// assert_eq!(
    ///     InsertOptions::new().table(("archive", "users_2025")).to_sql::<User>(1).unwrap(),
    ///     "INSERT INTO `archive`.`users_2025` (`name`, `email`) VALUES (?, ?)"
    /// );
    /// ```
    pub fn table(mut self, table: impl Into<TableRef>) -> InsertOptions {
        self.table = Some(table.into());
        self
    }

    /// A row whose unique key exists already updates these columns of the existing row with its
    /// own values (`ON DUPLICATE KEY UPDATE c = VALUES(c)`) instead of failing. Each must be a
    /// column the insert writes: anything else is an [`crate::ErrorKind::InvalidInput`] error
    /// before anything is sent.
    ///
    /// The count returned is the server's: 1 per row inserted, 2 per row updated (0 on MySQL
    /// when an update changes nothing).
    ///
    /// ```
    /// # use matrixone::{InsertOptions, Insertable};
    /// # #[derive(Insertable)] #[mo(table = "users")] struct User { name: String, email: Option<String> }
    /// assert_eq!(
    ///     InsertOptions::new().on_duplicate_update(["name", "email"]).to_sql::<User>(1).unwrap(),
    ///     "INSERT INTO `users` (`name`, `email`) VALUES (?, ?) \
    ///      ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), `email` = VALUES(`email`)"
    /// );
    /// assert!(InsertOptions::new().on_duplicate_update(["id"]).to_sql::<User>(1).is_err());
    /// ```
    pub fn on_duplicate_update<I, S>(mut self, columns: I) -> InsertOptions
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.on_duplicate = Some(OnDuplicate::Update(columns.into_iter().map(Into::into).collect()));
        self
    }

    /// Like [`InsertOptions::on_duplicate_update`] with every column the insert writes: an
    /// upsert.
    ///
    /// ```
    /// # use matrixone::{InsertOptions, Insertable};
    /// # #[derive(Insertable)] #[mo(table = "users")] struct User { name: String, email: Option<String> }
    /// assert_eq!(
    ///     InsertOptions::new().on_duplicate_update_all().to_sql::<User>(1).unwrap(),
    ///     "INSERT INTO `users` (`name`, `email`) VALUES (?, ?) \
    ///      ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), `email` = VALUES(`email`)"
    /// );
    /// ```
    pub fn on_duplicate_update_all(mut self) -> InsertOptions {
        self.on_duplicate = Some(OnDuplicate::UpdateAll);
        self
    }

    /// Caps each statement at `bytes` (it never exceeds the server's `max_allowed_packet`
    /// anyway), for shorter statements: less memory on both sides, shorter lock holds. The SQL of
    /// a statement does not change, only how many rows it carries.
    ///
    /// ```
    /// # use matrixone::{InsertOptions, Insertable};
    /// # #[derive(Insertable)] #[mo(table = "users")] struct User { name: String, email: Option<String> }
    /// let capped = InsertOptions::new().max_statement_bytes(64 * 1024);
    /// assert_eq!(capped.to_sql::<User>(1).unwrap(), "INSERT INTO `users` (`name`, `email`) VALUES (?, ?)");
    /// ```
    pub fn max_statement_bytes(mut self, bytes: usize) -> InsertOptions {
        self.max_statement_bytes = Some(bytes);
        self
    }

    /// Caps each statement at `rows` rows (at least 1) instead of the default of 10,000 values'
    /// worth; the packet and placeholder limits still apply. The SQL of a statement does not
    /// change, only how many rows it carries.
    ///
    /// ```
    /// # use matrixone::{InsertOptions, Insertable};
    /// # #[derive(Insertable)] #[mo(table = "users")] struct User { name: String, email: Option<String> }
    /// let capped = InsertOptions::new().max_rows_per_statement(500);
    /// assert_eq!(
    ///     capped.to_sql::<User>(2).unwrap(),
    ///     "INSERT INTO `users` (`name`, `email`) VALUES (?, ?), (?, ?)"
    /// );
    /// ```
    pub fn max_rows_per_statement(mut self, rows: usize) -> InsertOptions {
        self.max_rows_per_statement = Some(rows.max(1));
        self
    }

    /// The statement these options give for `rows` rows of `T`, with `?` placeholders for the
    /// values; names are validated and quoted. `rows` must be at least 1.
    ///
    /// ```
    /// # use matrixone::{InsertOptions, Insertable};
    /// # #[derive(Insertable)] #[mo(table = "users")] struct User { name: String, email: Option<String> }
    /// assert_eq!(
    ///     InsertOptions::new().to_sql::<User>(3).unwrap(),
    ///     "INSERT INTO `users` (`name`, `email`) VALUES (?, ?), (?, ?), (?, ?)"
    /// );
    /// assert!(InsertOptions::new().to_sql::<User>(0).is_err());
    /// ```
    pub fn to_sql<T: Insertable>(&self, rows: usize) -> Result<String> {
        if rows == 0 {
            return Err(Error::invalid_input("an INSERT needs at least one row"));
        }
        Ok(self.shape::<T>()?.sql(rows))
    }

    /// The statement's parts for `T`.
    pub(crate) fn shape<T: Insertable>(&self) -> Result<Shape> {
        let table = self.table.clone().unwrap_or_else(|| TableRef::from(T::TABLE));
        Shape::new(&table, T::COLUMNS, self.on_duplicate.as_ref())
    }

    pub(crate) fn max_statement_bytes_cap(&self) -> Option<usize> {
        self.max_statement_bytes
    }

    pub(crate) fn max_rows_cap(&self) -> Option<usize> {
        self.max_rows_per_statement
    }
}
