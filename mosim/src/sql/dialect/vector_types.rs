//! MatrixOne's vector column types, `vecf32(n)` and `vecf64(n)` (mysql_sql.y: `VECF32
//! length_option_opt`), in CREATE TABLE and ALTER TABLE.
//!
//! MariaDB 10.11 has no vector type. A vector column is stored as its MatrixOne text form
//! (`[1, 2, 3]`, see `mo::vector::text`), which is also a JSON array, in
//! `LONGTEXT CHARACTER SET ascii COLLATE ascii_bin` (a 384-dimension vector is about 4 KB of
//! text: a VARCHAR would count against MariaDB's 64 KB row limit). Text rather than packed
//! floats because a SELECT then returns MatrixOne's text as it is, in the text and binary
//! protocols alike, and because MariaDB's JSON_TABLE reads it element by element for the
//! distance functions (`vector_functions`). The column gets:
//!
//! - `COMMENT 'vecf32(3)'`, the marker mosim reads back from `information_schema.COLUMNS`
//!   to find a table's vector columns, their element type and dimension (`mo::vector`);
//! - `CHECK (JSON_VALID(c) AND JSON_LENGTH(c) = n)`: no value of another dimension gets in,
//!   whatever the statement (literals are checked, and answered with MatrixOne's error,
//!   before the statement reaches MariaDB).

use crate::error::SqlError;
use crate::mo::vector::text::{Elem, MAX_DIMENSION};
use crate::sql::dialect::{Scan, StmtKind};
use crate::sql::lexer::Kind;
use crate::sql::rewrite::{Edit, ident_bytes};

/// MatrixOne's `ErrOutOfRange` (pkg/common/moerr/error.go).
const ER_OUT_OF_RANGE: u16 = 20201;

/// The MariaDB column definition (after the name) that stores a vector column.
pub(crate) fn storage(column: &[u8], elem: Elem, dim: u32) -> Vec<u8> {
    let mut out = format!(
        "LONGTEXT CHARACTER SET ascii COLLATE ascii_bin COMMENT '{}({dim})' CHECK (JSON_VALID(",
        elem.name()
    )
    .into_bytes();
    let quoted = ident_bytes(column);
    out.extend_from_slice(&quoted);
    out.extend_from_slice(b") AND JSON_LENGTH(");
    out.extend_from_slice(&quoted);
    out.extend_from_slice(format!(") = {dim})").as_bytes());
    out
}

/// Edits replacing every `vecf32(n)` / `vecf64(n)` column type of a CREATE / ALTER TABLE.
pub(crate) fn edits(sql: &[u8], scan: &Scan<'_>, kind: StmtKind) -> Result<Vec<Edit>, SqlError> {
    let mut out = Vec::new();
    if !matches!(kind, StmtKind::CreateTable | StmtKind::AlterTable) {
        return Ok(out);
    }
    let t = scan.t;
    for i in 1..t.len() {
        let Some(elem) = scan.word(i).as_deref().and_then(Elem::from_name) else { continue };
        if !scan.is(i + 1, '(') || !scan.is(i + 3, ')') {
            continue;
        }
        let Some(column) = t[i - 1].ident_bytes(sql) else { continue };
        let Kind::Word(n) = &t[i + 2].kind else { continue };
        let dim: u64 =
            n.parse().map_err(|_| SqlError::syntax(&crate::sql::lexer::lossy(sql), t[i + 2].start))?;
        if dim == 0 || dim > u64::from(MAX_DIMENSION) {
            // array/array.result: create table t3(a int, b vecf32(65537));
            return Err(SqlError::new(
                ER_OUT_OF_RANGE,
                format!(
                    "Data truncation: data out of range: data type {},  typeLen is over the MaxVectorLen : {MAX_DIMENSION}",
                    elem.name()
                ),
            ));
        }
        let dim = dim as u32;
        out.push((t[i].start, t[i + 3].end, storage(&column, elem, dim)));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::sql::dialect::test_util::rewritten;

    #[test]
    fn vector_columns_become_checked_text() {
        let sql = rewritten("create table vec_table(a int, b vecf32(3), c vecf64(3))").unwrap();
        assert!(sql.contains("b LONGTEXT CHARACTER SET ascii COLLATE ascii_bin COMMENT 'vecf32(3)' CHECK (JSON_VALID(`b`) AND JSON_LENGTH(`b`) = 3)"), "{sql}");
        assert!(
            sql.contains("c LONGTEXT CHARACTER SET ascii COLLATE ascii_bin COMMENT 'vecf64(3)'"),
            "{sql}"
        );
        let sql = rewritten("alter table t add column e VECF32(384) not null").unwrap();
        assert!(sql.contains("COMMENT 'vecf32(384)'") && sql.ends_with("= 384) not null"), "{sql}");
        assert!(rewritten("select t.vecf32 from t").is_ok());
    }

    #[test]
    fn too_large_a_dimension_is_refused() {
        let (_, msg) = rewritten("create table t3(a int, b vecf32(65537))").unwrap_err();
        assert!(msg.contains("typeLen is over the MaxVectorLen : 65535"), "{msg}");
    }
}
