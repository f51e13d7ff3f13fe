//! How a vector column is described on the wire: MatrixOne sends `vecf32` / `vecf64`
//! columns as `MYSQL_TYPE_VARCHAR` (15), charset 33 (utf8_general_ci), length three times
//! the dimension (`convertEngineTypeToMysqlType` in pkg/frontend/mysql_cmd_executor.go,
//! `setCharacter` and `setColLength` / `MysqlType.GetLength` in pkg/frontend/mysql_protocol.go
//! and pkg/defines/type.go). MariaDB describes mosim's storage of them as LONGTEXT (252).
//!
//! The column definitions of every result mosim relays pass through [`VectorDefs::fix`]: a
//! LONGTEXT column read from a table (schema, table and column named in the definition) is
//! looked up once per session in `information_schema.COLUMNS` (its `vecf32(n)` comment, see
//! `sql::dialect::vector_types`) and, if it is a vector column, described as MatrixOne
//! describes it. Rows are relayed unchanged (the stored text already is MatrixOne's). The
//! answers are cached for the session and forgotten when it runs DDL.

use std::collections::HashMap;
use std::sync::Arc;

use crate::mo::vector::values::{VecColumn, marker};
use crate::session::Shared;
use crate::sql::rewrite::sql_str;
use crate::wire::codec::Cursor;

/// MYSQL_TYPE_BLOB: how MariaDB describes a LONGTEXT column.
const TYPE_BLOB: u8 = 0xFC;
/// MYSQL_TYPE_VARCHAR: how MatrixOne describes a vector column.
const TYPE_VARCHAR: u8 = 0x0F;
/// MatrixOne's `charsetVarchar` (utf8_general_ci).
const CHARSET_VARCHAR: u16 = 0x21;
/// The binary character set: never a vector column.
const CHARSET_BINARY: u16 = 0x3F;
/// BLOB_FLAG | BINARY_FLAG: MariaDB's, not MatrixOne's, for a vector column.
const BLOB_BINARY_FLAGS: u16 = 0x10 | 0x80;

type Key = (String, String, String);

/// A session's view of which relayed columns are vector columns.
pub(crate) struct VectorDefs {
    shared: Arc<Shared>,
    known: HashMap<Key, Option<VecColumn>>,
}

impl std::fmt::Debug for VectorDefs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VectorDefs").field("known", &self.known.len()).finish_non_exhaustive()
    }
}

/// Where the fixed-length part of a column definition starts, and the column's identity
/// if it may be a vector column.
fn candidate(def: &[u8]) -> Option<(usize, Key)> {
    let mut c = Cursor::new(def);
    let _catalog = c.lenenc_str().ok()??;
    let schema = c.lenenc_str().ok()??;
    let _table = c.lenenc_str().ok()??;
    let org_table = c.lenenc_str().ok()??;
    let _name = c.lenenc_str().ok()??;
    let org_name = c.lenenc_str().ok()??;
    let fixed = def.len() - c.rest().len();
    let mut f = Cursor::new(c.rest());
    let _len = f.lenenc_int()?;
    let charset = f.u16()?;
    let _length = f.u32()?;
    let ty = f.u8()?;
    if ty != TYPE_BLOB
        || charset == CHARSET_BINARY
        || schema.is_empty()
        || org_table.is_empty()
        || org_name.is_empty()
    {
        return None;
    }
    let s = |b: &[u8]| String::from_utf8_lossy(b).to_lowercase();
    Some((fixed, (s(schema), s(org_table), s(org_name))))
}

/// Rewrites one column definition's fixed part as MatrixOne describes a vector column.
fn describe(def: &mut [u8], fixed: usize, v: VecColumn) {
    // 0x0c, charset(2), length(4), type(1), flags(2), decimals(1)
    let Some(f) = def.get_mut(fixed..fixed + 11) else { return };
    if f[0] != 0x0c {
        return;
    }
    f[1..3].copy_from_slice(&CHARSET_VARCHAR.to_le_bytes());
    let length = u32::try_from(v.dim.saturating_mul(3)).unwrap_or(u32::MAX);
    f[3..7].copy_from_slice(&length.to_le_bytes());
    f[7] = TYPE_VARCHAR;
    let flags = u16::from_le_bytes([f[8], f[9]]) & !BLOB_BINARY_FLAGS;
    f[8..10].copy_from_slice(&flags.to_le_bytes());
    f[10] = 0;
}

impl VectorDefs {
    /// For the session that `shared` serves.
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Self { shared, known: HashMap::new() }
    }

    /// Notes a command sent to the backend: DDL may change which columns are vectors.
    pub(crate) fn sent(&mut self, payload: &[u8]) {
        if self.known.is_empty() {
            return;
        }
        let Some((&cmd, sql)) = payload.split_first() else { return };
        let ddl = ["create", "alter", "drop", "rename"].iter().any(|k| {
            let s = sql.trim_ascii_start();
            s.get(..k.len()).is_some_and(|w| w.eq_ignore_ascii_case(k.as_bytes()))
        });
        if (cmd == 0x03 || cmd == 0x16) && ddl {
            self.known.clear();
        }
    }

    /// Describes the vector columns among `defs` as MatrixOne does. Best effort: if the
    /// lookup fails the definitions stay MariaDB's.
    pub(crate) async fn fix(&mut self, defs: &mut [Vec<u8>]) {
        let found: Vec<(usize, usize, Key)> =
            defs.iter().enumerate().filter_map(|(i, d)| candidate(d).map(|(f, k)| (i, f, k))).collect();
        if found.is_empty() {
            return;
        }
        let missing: Vec<&Key> =
            found.iter().map(|(_, _, k)| k).filter(|k| !self.known.contains_key(*k)).collect();
        if !missing.is_empty() {
            let filter: Vec<String> = missing
                .iter()
                .map(|(d, t, c)| {
                    format!(
                        "(TABLE_SCHEMA = {} AND TABLE_NAME = {} AND COLUMN_NAME = {})",
                        sql_str(d),
                        sql_str(t),
                        sql_str(c)
                    )
                })
                .collect();
            let sql = format!(
                "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_COMMENT FROM information_schema.COLUMNS \
                 WHERE COLLATION_NAME = 'ascii_bin' AND ({})",
                filter.join(" OR ")
            );
            let Ok(mut cat) = self.shared.catalog.get().await else { return };
            let rows = cat.query(&sql).await;
            cat.release();
            let Ok(rows) = rows else { return };
            let keys: Vec<Key> = missing.into_iter().cloned().collect();
            for k in keys {
                self.known.insert(k, None);
            }
            for row in rows.rows {
                let text = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
                let key = (text(0).to_lowercase(), text(1).to_lowercase(), text(2).to_lowercase());
                self.known.insert(key, marker(&text(3)));
            }
        }
        for (i, fixed, key) in found {
            if let Some(Some(v)) = self.known.get(&key) {
                describe(&mut defs[i], fixed, *v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mo::vector::text::Elem;
    use crate::wire::codec::put_lenenc_str;

    fn def(ty: u8, charset: u16) -> Vec<u8> {
        let mut d = Vec::new();
        for s in ["def", "db", "t", "t", "b", "b"] {
            put_lenenc_str(&mut d, s.as_bytes());
        }
        d.push(0x0c);
        d.extend_from_slice(&charset.to_le_bytes());
        d.extend_from_slice(&u32::MAX.to_le_bytes());
        d.push(ty);
        d.extend_from_slice(&0x10u16.to_le_bytes());
        d.extend_from_slice(&[0, 0, 0]);
        d
    }

    #[test]
    fn a_vector_column_is_described_as_varchar() {
        let mut d = def(TYPE_BLOB, 45);
        let (fixed, key) = candidate(&d).unwrap();
        assert_eq!(key, ("db".into(), "t".into(), "b".into()));
        describe(&mut d, fixed, VecColumn { elem: Elem::F32, dim: 3 });
        assert_eq!(&d[fixed..fixed + 11], &[0x0c, 0x21, 0, 9, 0, 0, 0, 0x0f, 0, 0, 0]);
        assert!(candidate(&def(TYPE_BLOB, CHARSET_BINARY)).is_none());
        assert!(candidate(&def(0xFD, 45)).is_none());
    }
}
