//! Running a bulk insert: rows converted and cut into statements, then sent, all or nothing.

use super::plan::{Limits, Planner};
use super::render::Shape;
use super::{InsertOptions, Insertable};
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::statement::Statement;
use crate::transaction::Transaction;
use crate::value::Value;

/// Writes `rows` with `options`; returns the rows affected as the server counts them.
///
/// One statement runs as it is, after every value was converted: a bad value or an oversized
/// row writes nothing. Several run in a transaction:
/// - on a Client, one of their own, committed at the end and rolled back on the first failure
///   (a statement's error, or a value that does not convert), so nothing is written then. Each
///   statement is built while the server runs the one before: the client's work hides behind
///   the server's.
/// - in a Transaction, the caller's: every statement is built before the first is sent, and a
///   failed statement's error says how many rows the statements before it wrote there.
pub(crate) async fn insert_many<E, T>(exec: &E, rows: &[T], options: InsertOptions) -> Result<u64>
where
    E: Executor + ?Sized,
    T: Insertable + Sync,
{
    if rows.is_empty() {
        return Ok(0);
    }
    let limits = Limits {
        packet: max_allowed_packet(exec).await?,
        max_bytes: options.max_statement_bytes_cap(),
        max_rows: options.max_rows_cap(),
        prepared: exec.shared().prepared_statements(),
    };
    let mut chunks = Chunks::new(rows, options.shape::<T>()?, &limits)?;
    let Some(first) = chunks.next_statement()? else { return Ok(0) };
    let Some(second) = chunks.next_statement()? else {
        return Ok(exec.execute(first.0).await?.rows_affected());
    };
    let total_rows = rows.len();
    match exec.begin_atomic().await? {
        Some(tx) => match run_pipelined(&tx, [first, second], &mut chunks).await {
            Ok(affected) => {
                tx.commit().await?;
                Ok(affected)
            }
            Err((err, _)) => {
                if let Err(rollback) = tx.rollback().await {
                    tracing::warn!(target: "matrixone::insert", error = %rollback, "rollback failed");
                }
                Err(err.context(format_args!(
                    "insert_many of {total_rows} rows ran in a transaction of its own, rolled back: \
                     nothing was written"
                )))
            }
        },
        None => {
            let mut statements = vec![first, second];
            while let Some(next) = chunks.next_statement()? {
                statements.push(next);
            }
            let count = statements.len();
            run_each(exec, statements).await.map_err(|(err, written)| {
                err.context(format_args!(
                    "insert_many of {total_rows} rows in {count} statements: the statements before \
                     the failed one wrote {written} rows in this transaction; roll it back to write none"
                ))
            })
        }
    }
}

/// The statements of a bulk insert, built one after the other: each row's values converted,
/// and a statement cut where the [`Planner`] closes it.
struct Chunks<'r, T> {
    rows: &'r [T],
    /// The next row to convert.
    at: usize,
    columns: usize,
    shape: Shape,
    planner: Planner,
    /// The values of the statement being filled.
    values: Vec<Value>,
}

impl<'r, T: Insertable> Chunks<'r, T> {
    fn new(rows: &'r [T], shape: Shape, limits: &Limits) -> Result<Self> {
        let columns = T::COLUMNS.len();
        let planner = Planner::new(columns, shape.fixed_len(), limits)?;
        Ok(Chunks { rows, at: 0, columns, shape, planner, values: Vec::new() })
    }

    /// The next statement and how many rows it carries; `None` once every row is in one.
    fn next_statement(&mut self) -> Result<Option<(Statement, usize)>> {
        while let Some(row) = self.rows.get(self.at) {
            let start = self.values.len();
            row.push_values(&mut self.values)?;
            if self.values.len() - start != self.columns {
                return Err(Error::invalid_input(format!(
                    "Insertable::push_values gave {} value(s) for row {}, which has {} column(s); \
                     nothing was written",
                    self.values.len() - start,
                    self.at,
                    self.columns
                )));
            }
            let closed = self.planner.add(self.at, &self.values[start..])?;
            self.at += 1;
            if let Some(n) = closed {
                let mut rest = Vec::with_capacity(self.values.capacity());
                rest.extend(self.values.drain(start..));
                let values = std::mem::replace(&mut self.values, rest);
                return Ok(Some((Statement::with_values(self.shape.sql(n), values), n)));
            }
        }
        Ok(self
            .planner
            .finish()
            .map(|n| (Statement::with_values(self.shape.sql(n), std::mem::take(&mut self.values)), n)))
    }
}

/// Runs the statements on the transaction in order, building the next one while the server runs
/// the current one (`join` polls the statement first: its packet is sent before the next is
/// built). On failure, the error and how many rows the statements before it carried.
async fn run_pipelined<T: Insertable + Sync>(
    tx: &Transaction,
    started: [(Statement, usize); 2],
    chunks: &mut Chunks<'_, T>,
) -> std::result::Result<u64, (Error, usize)> {
    let [first, second] = started;
    let (mut affected, mut written) = (0u64, 0usize);
    let mut queued = Some(second);
    let mut current = Some(first);
    let mut at = 0usize;
    while let Some((stmt, n)) = current.take() {
        let build = async {
            match queued.take() {
                Some(next) => Ok(Some(next)),
                None => chunks.next_statement(),
            }
        };
        let (outcome, next) = futures_util::future::join(tx.execute(stmt), build).await;
        at += 1;
        match outcome {
            Ok(rs) => affected += rs.rows_affected(),
            Err(e) => return Err((e.context(format_args!("statement {at} failed")), written)),
        }
        written += n;
        current = next.map_err(|e| (e, written))?;
    }
    Ok(affected)
}

/// Runs the statements in order on `exec`; on failure, the error and how many rows the
/// statements before it carried.
async fn run_each<E: Executor + ?Sized>(
    exec: &E,
    statements: Vec<(Statement, usize)>,
) -> std::result::Result<u64, (Error, usize)> {
    let (mut affected, mut written) = (0u64, 0usize);
    let count = statements.len();
    for (at, (stmt, n)) in statements.into_iter().enumerate() {
        match exec.execute(stmt).await {
            Ok(rs) => affected += rs.rows_affected(),
            Err(e) => {
                let e = e.context(format_args!("statement {} of {count} failed", at + 1));
                return Err((e, written));
            }
        }
        written += n;
    }
    Ok(affected)
}

/// The server's `max_allowed_packet`, asked once per client and remembered.
async fn max_allowed_packet<E: Executor + ?Sized>(exec: &E) -> Result<u64> {
    if let Some(bytes) = exec.shared().max_allowed_packet() {
        return Ok(bytes);
    }
    let bytes: u64 = exec.fetch_scalar("SELECT @@max_allowed_packet").await?;
    Ok(exec.shared().remember_max_allowed_packet(bytes))
}
