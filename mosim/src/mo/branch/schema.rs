//! The schema compatibility check of DIFF, MERGE and PICK (`checkSchemaCompatibility...` in
//! pkg/frontend/data_branch.go): the two tables must have the same primary key, and a column
//! both have must have the same type (MatrixOne's type id, named in the error) and the same
//! attributes. Errors from edge/branch_unhappy_path.result and edge/branch_edge_cases.result.

use crate::error::SqlError;
use crate::sql::rewrite::sql_str;
use crate::wire::backend::{Backend, cell};

/// One column as the check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    name: String,
    /// MatrixOne's type id (`types.T` in pkg/container/types/types.go), 0 when unknown.
    oid: u16,
    /// Length, precision, scale, enum values, AUTO_INCREMENT, nullability.
    attributes: String,
}

/// MatrixOne's name for the hidden key of a table without primary key.
const FAKE_PK: &str = "__mo_fake_pk_col";

/// Fails as MatrixOne does when `target` and `base` (database, table) cannot be compared.
/// Tables whose columns cannot be read (a graveyard copy) are not checked.
pub(crate) async fn check(b: &mut Backend, target: (&str, &str), base: (&str, &str)) -> Result<(), SqlError> {
    let t_cols = columns(b, target).await?;
    let b_cols = columns(b, base).await?;
    if t_cols.is_empty() || b_cols.is_empty() {
        return Ok(());
    }
    let (t_pk, b_pk) = (primary_key(b, target).await?, primary_key(b, base).await?);
    if !(t_pk.len() == b_pk.len() && t_pk.iter().zip(&b_pk).all(|(x, y)| x.eq_ignore_ascii_case(y))) {
        return Err(SqlError::internal(format!(
            "schema compatibility check: target primary key columns ({}) do not match base primary key columns ({})",
            t_pk.join(","),
            b_pk.join(",")
        )));
    }
    for t in &t_cols {
        let Some(bc) = b_cols.iter().find(|c| c.name.eq_ignore_ascii_case(&t.name)) else { continue };
        if t.oid != bc.oid {
            return Err(SqlError::internal(format!(
                "schema compatibility check: column '{}' exists in both schemas but has different types (target: {}, base: {})",
                t.name, t.oid, bc.oid
            )));
        }
        if t.attributes != bc.attributes {
            return Err(SqlError::internal(format!(
                "schema compatibility check: column '{}' has different type attributes",
                t.name
            )));
        }
    }
    Ok(())
}

async fn columns(b: &mut Backend, (db, t): (&str, &str)) -> Result<Vec<Column>, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT c.column_name, c.data_type, c.column_type, \
             CONCAT_WS('/', c.character_maximum_length, c.numeric_precision, c.numeric_scale, \
             c.datetime_precision, IF(c.data_type IN ('enum', 'set'), c.column_type, ''), \
             c.extra LIKE '%auto_increment%', c.is_nullable), \
             EXISTS (SELECT 1 FROM information_schema.check_constraints k WHERE k.constraint_schema = c.table_schema \
             AND k.table_name = c.table_name AND k.check_clause = CONCAT('json_valid(`', c.column_name, '`)')) \
             FROM information_schema.columns c WHERE c.table_schema = {} AND c.table_name = {} \
             AND c.extra NOT LIKE '%INVISIBLE%' ORDER BY c.ordinal_position",
            sql_str(db),
            sql_str(t)
        ))
        .await?;
    Ok(rows
        .rows
        .into_iter()
        .map(|r| {
            let col = |i: usize| cell(&r, i);
            let json = col(4) == "1";
            Column { name: col(0), oid: oid(&col(1), &col(2), json), attributes: col(3) }
        })
        .collect())
}

async fn primary_key(b: &mut Backend, (db, t): (&str, &str)) -> Result<Vec<String>, SqlError> {
    let mut pk = crate::mo::branch::plan::primary_key(b, db, t).await?;
    pk.retain(|k| k != "row_start" && k != "row_end");
    if pk.is_empty() {
        pk.push(FAKE_PK.to_owned());
    }
    Ok(pk)
}

/// MatrixOne's type id for a MariaDB column type.
fn oid(data_type: &str, column_type: &str, json: bool) -> u16 {
    let unsigned = column_type.contains("unsigned");
    let pick = |signed: u16, uns: u16| if unsigned { uns } else { signed };
    match data_type {
        "tinyint" if column_type.starts_with("tinyint(1)") => 10,
        "tinyint" => pick(20, 25),
        "smallint" => pick(21, 26),
        "mediumint" | "int" => pick(22, 27),
        "bigint" => pick(23, 28),
        "float" => 30,
        "double" => 31,
        "decimal" => {
            let precision: u32 = column_type
                .split(['(', ','])
                .nth(1)
                .and_then(|p| p.trim_end_matches(')').parse().ok())
                .unwrap_or(10);
            if precision > 18 { 33 } else { 32 }
        }
        "bit" => 11,
        "date" => 50,
        "time" => 51,
        "datetime" => 52,
        "timestamp" => 53,
        "year" => 55,
        "char" => 60,
        "varchar" => 61,
        "longtext" if json => 62,
        "uuid" => 63,
        "binary" => 64,
        "varbinary" => 65,
        "enum" => 66,
        "tinyblob" | "blob" | "mediumblob" | "longblob" => 70,
        "tinytext" | "text" | "mediumtext" | "longtext" => 71,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::oid;

    #[test]
    fn type_ids_as_matrixone_numbers_them() {
        // edge/branch_unhappy_path.result: INT is 22, VARCHAR 61.
        assert_eq!(oid("int", "int(11)", false), 22);
        assert_eq!(oid("varchar", "varchar(20)", false), 61);
        assert_eq!(oid("bigint", "bigint(20) unsigned", false), 28);
        assert_eq!(oid("decimal", "decimal(38,2)", false), 33);
        assert_eq!(oid("decimal", "decimal(12,2)", false), 32);
        assert_eq!(oid("longtext", "longtext", true), 62);
        assert_eq!(oid("text", "text", false), 71);
    }
}
