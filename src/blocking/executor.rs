//! The blocking [`Executor`] trait: the async [`crate::Executor`]'s methods, name for name, for
//! [`super::Client`] and [`super::Transaction`], so `fn save(db: &impl Executor, ..)` serves both.

use std::future::Future;

use super::runtime::Runtime;
use crate::decode::Decode;
use crate::error::Result;
use crate::from_row::FromRow;
use crate::insert::{InsertOptions, Insertable};
use crate::mo::MoStatement;
use crate::result::ResultSet;
use crate::statement::Statement;

pub(crate) mod sealed {
    use super::*;

    /// What a blocking executor wraps: an async executor and the runtime to block on. Sealed:
    /// only this crate's types implement [`super::Executor`].
    pub trait Blocking {
        /// The async executor underneath.
        type Async: crate::Executor;

        /// The runtime and the async executor; an error once the executor has ended (a
        /// committed transaction).
        #[doc(hidden)]
        fn parts(&self) -> Result<(&Runtime, &Self::Async)>;

        /// Runs what `work` returns for the async executor, blocking this thread.
        #[doc(hidden)]
        fn block<'s, T, W, F>(&'s self, work: W) -> Result<T>
        where
            W: FnOnce(&'s Self::Async) -> F,
            F: Future<Output = Result<T>>,
        {
            let (runtime, executor) = self.parts()?;
            runtime.block_on(work(executor))
        }
    }
}

/// Runs SQL, blocking the calling thread. Implemented by [`super::Client`] and
/// [`super::Transaction`]; the methods are those of the async [`crate::Executor`], name for name,
/// and behave the same.
///
/// Inside an async runtime every method returns [`crate::ErrorKind::InvalidInput`] at once.
///
/// ```no_run
/// use matrixone::blocking::{Client, Executor};
/// use matrixone::query;
///
/// fn save(db: &impl Executor, name: &str) -> matrixone::Result<u64> {
///     Ok(db.execute(query("INSERT INTO users (name) VALUES (?)").bind(name))?.last_insert_id())
/// }
///
/// # fn demo() -> matrixone::Result<()> {
/// let client = Client::connect("mysql://root:111@127.0.0.1:6001/test")?;
/// save(&client, "Alice")?;
/// client.transaction(|tx| save(tx, "Bob"))?;
/// # Ok(()) }
/// ```
pub trait Executor: sealed::Blocking {
    /// Runs a statement and buffers everything it returns; see [`crate::Executor::execute`].
    fn execute(&self, stmt: impl Into<Statement>) -> Result<ResultSet> {
        let stmt = stmt.into();
        self.block(|db| crate::Executor::execute(db, stmt))
    }

    /// Maps every row through [`FromRow`]; see [`crate::Executor::fetch_all`].
    fn fetch_all<T: FromRow + Send>(&self, stmt: impl Into<Statement>) -> Result<Vec<T>> {
        let stmt = stmt.into();
        self.block(|db| crate::Executor::fetch_all(db, stmt))
    }

    /// The first row through [`FromRow`]; [`crate::ErrorKind::RowNotFound`] when there is none.
    fn fetch_one<T: FromRow + Send>(&self, stmt: impl Into<Statement>) -> Result<T> {
        let stmt = stmt.into();
        self.block(|db| crate::Executor::fetch_one(db, stmt))
    }

    /// The first row through [`FromRow`], or `None`; see [`crate::Executor::fetch_optional`].
    fn fetch_optional<T: FromRow + Send>(&self, stmt: impl Into<Statement>) -> Result<Option<T>> {
        let stmt = stmt.into();
        self.block(|db| crate::Executor::fetch_optional(db, stmt))
    }

    /// The first column of the first row; [`crate::ErrorKind::RowNotFound`] when there is no
    /// row. Ask for `Option<T>` to read a NULL.
    fn fetch_scalar<T: Decode + Send>(&self, stmt: impl Into<Statement>) -> Result<T> {
        let stmt = stmt.into();
        self.block(|db| crate::Executor::fetch_scalar(db, stmt))
    }

    /// Runs a typed MatrixOne statement (see [`crate::mo`]); see [`crate::Executor::run`].
    fn run<S: MoStatement>(&self, stmt: S) -> Result<S::Output> {
        self.block(|db| crate::Executor::run(db, stmt))
    }

    /// Writes one row; see [`crate::Executor::insert`].
    fn insert<T: Insertable + Sync>(&self, row: &T) -> Result<u64> {
        self.block(|db| crate::Executor::insert(db, row))
    }

    /// Writes `rows` in as few statements as the server allows, all or nothing; see
    /// [`crate::Executor::insert_many`] and [`crate::insert`].
    fn insert_many<T: Insertable + Sync>(&self, rows: &[T]) -> Result<u64> {
        self.block(|db| crate::Executor::insert_many(db, rows))
    }

    /// [`Executor::insert_many`] with [`InsertOptions`].
    fn insert_many_with<T: Insertable + Sync>(&self, rows: &[T], options: InsertOptions) -> Result<u64> {
        self.block(|db| crate::Executor::insert_many_with(db, rows, options))
    }
}

impl<T: sealed::Blocking> Executor for T {}
