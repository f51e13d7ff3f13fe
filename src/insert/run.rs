//! Running a bulk insert: the values collected, the statements planned, then sent, all or
//! nothing.

use super::plan::{Limits, plan};
use super::{InsertOptions, Insertable};
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::statement::Statement;
use crate::value::Value;

/// Writes `rows` with `options`; returns the rows affected as the server counts them.
///
/// Every value is converted and every statement planned before anything is sent, so a bad value
/// or an oversized row writes nothing. One statement runs as it is. Several run in a transaction:
/// on a Client one of their own, committed at the end and rolled back on the first failure; in a
/// Transaction the caller's, and the error then says how many rows the statements before the
/// failed one wrote there.
pub(crate) async fn insert_many<E, T>(exec: &E, rows: &[T], options: InsertOptions) -> Result<u64>
where
    E: Executor + ?Sized,
    T: Insertable + Sync,
{
    if rows.is_empty() {
        return Ok(0);
    }
    let shape = options.shape::<T>()?;
    let columns = T::COLUMNS.len();
    let mut values: Vec<Value> = Vec::with_capacity(rows.len().saturating_mul(columns));
    for (at, row) in rows.iter().enumerate() {
        row.push_values(&mut values)?;
        if values.len() != (at + 1) * columns {
            return Err(Error::invalid_input(format!(
                "Insertable::push_values gave {} value(s) for row {at}, which has {columns} column(s); \
                 nothing was written",
                values.len() - at * columns
            )));
        }
    }
    let limits = Limits {
        packet: max_allowed_packet(exec).await?,
        max_bytes: options.max_statement_bytes_cap(),
        max_rows: options.max_rows_cap(),
        prepared: exec.shared().prepared_statements(),
    };
    let counts = plan(&values, columns, shape.fixed_len(), &limits)?;
    let total_rows = rows.len();
    let mut values = values.into_iter();
    let mut statements = counts
        .iter()
        .map(|&n| Statement::with_values(shape.sql(n), values.by_ref().take(n * columns).collect()));

    if let [_] = counts.as_slice() {
        let Some(stmt) = statements.next() else { return Ok(0) };
        return Ok(exec.execute(stmt).await?.rows_affected());
    }
    match exec.begin_atomic().await? {
        Some(tx) => match run_each(&tx, statements, &counts).await {
            Ok(affected) => {
                tx.commit().await?;
                Ok(affected)
            }
            Err((err, _)) => {
                if let Err(rollback) = tx.rollback().await {
                    tracing::warn!(target: "matrixone::insert", error = %rollback, "rollback failed");
                }
                Err(err.context(format_args!(
                    "insert_many of {total_rows} rows in {} statements ran in a transaction of its \
                     own, rolled back: nothing was written",
                    counts.len()
                )))
            }
        },
        None => run_each(exec, statements, &counts).await.map_err(|(err, written)| {
            err.context(format_args!(
                "insert_many of {total_rows} rows in {} statements: the statements before the \
                 failed one wrote {written} rows in this transaction; roll it back to write none",
                counts.len()
            ))
        }),
    }
}

/// Runs the statements in order on `exec`; on failure, the error and how many rows the
/// statements before it carried.
async fn run_each<E: Executor + ?Sized>(
    exec: &E,
    statements: impl Iterator<Item = Statement>,
    counts: &[usize],
) -> std::result::Result<u64, (Error, usize)> {
    let (mut affected, mut written) = (0u64, 0usize);
    for (at, stmt) in statements.enumerate() {
        match exec.execute(stmt).await {
            Ok(rs) => affected += rs.rows_affected(),
            Err(e) => {
                let e = e.context(format_args!("statement {} of {} failed", at + 1, counts.len()));
                return Err((e, written));
            }
        }
        written += counts.get(at).copied().unwrap_or_default();
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
