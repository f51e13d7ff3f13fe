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
//! describes it, and its values in the rows are put in MatrixOne's text form (a value stored
//! from a prepared statement's parameter keeps the digits it was bound with; MatrixOne
//! prints each float's shortest digits). The answers are cached for the session and
//! forgotten when it runs DDL.

use std::collections::HashMap;
use std::sync::Arc;

use std::borrow::Cow;

use crate::mo::vector::text;
use crate::mo::vector::values::{TableColumns, VecColumn, columns, marker};
use crate::session::Shared;
use crate::sql::rewrite::sql_str;
use crate::wire::backend::cell;
use crate::wire::codec::Cursor;
use crate::wire::codec::put_lenenc_int;

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
    /// Tables' columns read for vector literals (`values`), by (database, table).
    tables: HashMap<(String, String), Arc<TableColumns>>,
    /// The last command sent: COM_STMT_EXECUTE results come as binary rows.
    last_command: u8,
}

/// How to put the vector values of one result set's rows in MatrixOne's form.
#[derive(Debug)]
pub(crate) struct RowFix {
    /// Every column's type byte (binary rows are walked by type).
    types: Vec<u8>,
    /// The vector columns among them.
    vectors: Vec<(usize, VecColumn)>,
    binary: bool,
}

/// The byte size of a fixed-width binary-protocol value, `None` for length-prefixed ones.
fn fixed_size(ty: u8) -> Option<usize> {
    match ty {
        0x01 => Some(1),               // TINY
        0x02 | 0x0D => Some(2),        // SHORT, YEAR
        0x03 | 0x09 | 0x04 => Some(4), // LONG, INT24, FLOAT
        0x08 | 0x05 => Some(8),        // LONGLONG, DOUBLE
        0x06 => Some(0),               // NULL
        _ => None,
    }
}

/// Whether a binary-protocol value of this type has a one-byte length prefix (temporal).
fn temporal(ty: u8) -> bool {
    matches!(ty, 0x07 | 0x0A | 0x0B | 0x0C | 0x0E | 0x11 | 0x12 | 0x13)
}

/// MatrixOne's text of a stored vector value, if it is not already.
fn canonical(value: &[u8], v: VecColumn) -> Option<String> {
    let s = std::str::from_utf8(value).ok()?;
    let c = text::format(&text::parse(s, v.elem).ok()?, v.elem);
    (c.as_bytes() != value).then_some(c)
}

impl RowFix {
    /// The row with its vector values in MatrixOne's form (unchanged if they are).
    pub(crate) fn row<'a>(&self, p: &'a [u8]) -> Cow<'a, [u8]> {
        let spans = if self.binary { self.binary_spans(p) } else { self.text_spans(p) };
        let Some(spans) = spans else { return Cow::Borrowed(p) };
        let mut out: Option<Vec<u8>> = None;
        let mut copied = 0;
        for (col, start, len_start, end) in spans {
            let Some((_, v)) = self.vectors.iter().find(|(i, _)| *i == col) else { continue };
            let Some(c) = canonical(&p[start..end], *v) else { continue };
            let buf = out.get_or_insert_with(|| Vec::with_capacity(p.len() + 64));
            buf.extend_from_slice(&p[copied..len_start]);
            put_lenenc_int(buf, c.len() as u64);
            buf.extend_from_slice(c.as_bytes());
            copied = end;
        }
        match out {
            Some(mut buf) => {
                buf.extend_from_slice(&p[copied..]);
                Cow::Owned(buf)
            }
            None => Cow::Borrowed(p),
        }
    }

    /// (column, value start, length-prefix start, value end) of each non-NULL value.
    fn text_spans(&self, p: &[u8]) -> Option<Vec<(usize, usize, usize, usize)>> {
        let mut c = Cursor::new(p);
        let mut out = Vec::with_capacity(self.vectors.len());
        for col in 0..self.types.len() {
            let len_start = p.len() - c.rest().len();
            if let Some(v) = c.lenenc_str().ok()? {
                let end = p.len() - c.rest().len();
                if self.vectors.iter().any(|(i, _)| *i == col) {
                    out.push((col, end - v.len(), len_start, end));
                }
            }
        }
        Some(out)
    }

    fn binary_spans(&self, p: &[u8]) -> Option<Vec<(usize, usize, usize, usize)>> {
        let n = self.types.len();
        let bitmap = p.get(1..1 + (n + 7 + 2) / 8)?;
        let mut pos = 1 + bitmap.len();
        let mut out = Vec::with_capacity(self.vectors.len());
        for (col, &ty) in self.types.iter().enumerate() {
            let bit = col + 2;
            if bitmap[bit / 8] & (1 << (bit % 8)) != 0 {
                continue;
            }
            if let Some(size) = fixed_size(ty) {
                pos += size;
                continue;
            }
            if temporal(ty) {
                pos += 1 + usize::from(*p.get(pos)?);
                continue;
            }
            let mut c = Cursor::new(p.get(pos..)?);
            let v = c.lenenc_str().ok()??;
            let end = p.len() - c.rest().len();
            if self.vectors.iter().any(|(i, _)| *i == col) {
                out.push((col, end - v.len(), pos, end));
            }
            pos = end;
        }
        Some(out)
    }
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

/// The type byte of a column definition.
fn candidate_type(def: &[u8]) -> Option<u8> {
    let mut c = Cursor::new(def);
    for _ in 0..6 {
        c.lenenc_str().ok()?;
    }
    let _len = c.lenenc_int()?;
    let _charset = c.u16()?;
    let _length = c.u32()?;
    c.u8()
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
        Self { shared, known: HashMap::new(), tables: HashMap::new(), last_command: 0 }
    }

    /// Notes a command sent to the backend: DDL may change which columns are vectors.
    pub(crate) fn sent(&mut self, payload: &[u8]) {
        if let Some(&cmd) = payload.first() {
            self.last_command = cmd;
        }
        if self.known.is_empty() && self.tables.is_empty() {
            return;
        }
        let Some((&cmd, sql)) = payload.split_first() else { return };
        let ddl = ["create", "alter", "drop", "rename"].iter().any(|k| {
            let s = sql.trim_ascii_start();
            s.get(..k.len()).is_some_and(|w| w.eq_ignore_ascii_case(k.as_bytes()))
        });
        if (cmd == 0x03 || cmd == 0x16) && ddl {
            self.known.clear();
            self.tables.clear();
        }
    }

    /// A table's columns, read once until the session runs DDL (or `fresh` asks again).
    pub(crate) async fn table_columns(
        &mut self,
        db: &str,
        table: &str,
        fresh: bool,
    ) -> Result<Arc<TableColumns>, crate::error::SqlError> {
        let key = (db.to_owned(), table.to_owned());
        if !fresh && let Some(c) = self.tables.get(&key) {
            return Ok(Arc::clone(c));
        }
        let c = Arc::new(columns(&self.shared.catalog, db, table).await?);
        self.tables.insert(key, Arc::clone(&c));
        Ok(c)
    }

    /// Describes the vector columns among `defs` as MatrixOne does, and returns how to fix
    /// the rows that follow (`None`: no vector columns). Best effort: if the lookup fails the
    /// definitions and rows stay MariaDB's.
    pub(crate) async fn fix(&mut self, defs: &mut [Vec<u8>]) -> Option<RowFix> {
        let found: Vec<(usize, usize, Key)> =
            defs.iter().enumerate().filter_map(|(i, d)| candidate(d).map(|(f, k)| (i, f, k))).collect();
        if found.is_empty() {
            return None;
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
            let Ok(mut cat) = self.shared.catalog.get().await else { return None };
            let rows = cat.query(&sql).await;
            cat.release();
            let Ok(rows) = rows else { return None };
            let keys: Vec<Key> = missing.into_iter().cloned().collect();
            for k in keys {
                self.known.insert(k, None);
            }
            for row in rows.rows {
                let text = |i: usize| cell(&row, i);
                let key = (text(0).to_lowercase(), text(1).to_lowercase(), text(2).to_lowercase());
                self.known.insert(key, marker(&text(3)));
            }
        }
        let mut vectors = Vec::new();
        for (i, fixed, key) in found {
            if let Some(Some(v)) = self.known.get(&key) {
                describe(&mut defs[i], fixed, *v);
                vectors.push((i, *v));
            }
        }
        if vectors.is_empty() {
            return None;
        }
        let types = defs.iter().map(|d| candidate_type(d).unwrap_or(0xFD)).collect();
        // COM_STMT_EXECUTE (0x17) answers with binary rows.
        Some(RowFix { types, vectors, binary: self.last_command == 0x17 })
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

    #[test]
    fn rows_get_matrixones_text() {
        let v = VecColumn { elem: Elem::F32, dim: 2 };
        // Text row: 1 | [1.50,2.0]
        let mut row = Vec::new();
        put_lenenc_str(&mut row, b"1");
        put_lenenc_str(&mut row, b"[1.50,2.0]");
        let fix = RowFix { types: vec![0x03, 0x0F], vectors: vec![(1, v)], binary: false };
        let mut want = Vec::new();
        put_lenenc_str(&mut want, b"1");
        put_lenenc_str(&mut want, b"[1.5, 2]");
        assert_eq!(fix.row(&row).as_ref(), want.as_slice());
        // Already MatrixOne's: unchanged, not copied.
        assert!(matches!(fix.row(&want), Cow::Borrowed(_)));
        // Binary row: header, null bitmap (2 columns: 1 byte), INT 1, then the vector.
        let mut row = vec![0x00, 0x00];
        row.extend_from_slice(&1i32.to_le_bytes());
        put_lenenc_str(&mut row, b"[0.100000001,2]");
        let fix = RowFix { types: vec![0x03, 0x0F], vectors: vec![(1, v)], binary: true };
        let mut want = vec![0x00, 0x00];
        want.extend_from_slice(&1i32.to_le_bytes());
        put_lenenc_str(&mut want, b"[0.1, 2]");
        assert_eq!(fix.row(&row).as_ref(), want.as_slice());
    }
}
