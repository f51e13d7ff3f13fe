//! Building and reading the generic response packets: OK, ERR, EOF, column definitions.

use crate::error::SqlError;
use crate::wire::caps::DEPRECATE_EOF;
use crate::wire::codec::{Cursor, put_lenenc_int, put_lenenc_str};

/// Serialises an OK packet for a client that negotiated protocol 4.1 without session tracking.
pub(crate) fn ok_packet(affected: u64, status: u16) -> Vec<u8> {
    let mut p = vec![0x00];
    put_lenenc_int(&mut p, affected);
    put_lenenc_int(&mut p, 0);
    p.extend_from_slice(&status.to_le_bytes());
    p.extend_from_slice(&0u16.to_le_bytes());
    p
}

/// The packet that ends a result set's rows: an OK with header 0xFE, or the legacy EOF.
pub(crate) fn end_of_rows(caps: u32, status: u16) -> Vec<u8> {
    if caps & DEPRECATE_EOF != 0 {
        let mut p = ok_packet(0, status);
        p[0] = 0xFE;
        p
    } else {
        eof_packet(status)
    }
}

/// Serialises a legacy EOF packet.
pub(crate) fn eof_packet(status: u16) -> Vec<u8> {
    let mut p = vec![0xFE];
    p.extend_from_slice(&0u16.to_le_bytes());
    p.extend_from_slice(&status.to_le_bytes());
    p
}

/// Reads the affected-row count and status flags from an OK packet (header 0x00 or 0xFE).
pub(crate) fn parse_ok(p: &[u8]) -> (u64, u16) {
    let mut c = Cursor::new(p);
    let _ = c.u8();
    let affected = c.lenenc_int().unwrap_or(0);
    let _ = c.lenenc_int();
    (affected, c.u16().unwrap_or(0))
}

/// Byte offset of the status flags in a packet that ends rows, for patching them in place.
pub(crate) fn end_of_rows_status_offset(p: &[u8], caps: u32) -> Option<usize> {
    if caps & DEPRECATE_EOF != 0 {
        let mut c = Cursor::new(p);
        c.u8()?;
        c.lenenc_int()?;
        c.lenenc_int()?;
        let off = p.len() - c.rest().len();
        (off + 2 <= p.len()).then_some(off)
    } else {
        (p.len() >= 5).then_some(3)
    }
}

/// Reads an ERR packet (protocol 4.1 layout).
pub(crate) fn parse_err(p: &[u8]) -> SqlError {
    let mut c = Cursor::new(p);
    let _ = c.u8();
    let code = c.u16().unwrap_or(0);
    let mut state = "HY000".to_owned();
    if c.rest().first() == Some(&b'#') {
        let _ = c.u8();
        if let Some(s) = c.take(5) {
            state = String::from_utf8_lossy(s).into_owned();
        }
    }
    SqlError { code, state, message: String::from_utf8_lossy(c.rest()).into_owned() }
}

/// MySQL column type codes mosim writes itself.
pub(crate) const TYPE_VAR_STRING: u8 = 253;
/// MatrixOne's non-MySQL `MYSQL_TYPE_TEXT` (reference §10.4), used by SHOW PUBLICATIONS.
pub(crate) const TYPE_MO_TEXT: u8 = 0xF1;
/// DATETIME.
pub(crate) const TYPE_DATETIME: u8 = 12;

/// Serialises a ColumnDefinition41 for a synthesized result column.
pub(crate) fn column_def(name: &str, column_type: u8) -> Vec<u8> {
    column_def_flags(name, column_type, 1024, 0)
}

/// A synthesized column definition with its length and flags (BLOB_FLAG for MatrixOne's
/// text columns).
pub(crate) fn column_def_flags(name: &str, column_type: u8, length: u32, flags: u16) -> Vec<u8> {
    let mut p = Vec::new();
    put_lenenc_str(&mut p, b"def");
    put_lenenc_str(&mut p, b"");
    put_lenenc_str(&mut p, b"");
    put_lenenc_str(&mut p, b"");
    put_lenenc_str(&mut p, name.as_bytes());
    put_lenenc_str(&mut p, name.as_bytes());
    p.push(0x0C);
    // utf8mb4_general_ci, as MatrixOne sends for text columns.
    p.extend_from_slice(&45u16.to_le_bytes());
    p.extend_from_slice(&length.to_le_bytes());
    p.push(column_type);
    p.extend_from_slice(&flags.to_le_bytes());
    p.push(0);
    p.extend_from_slice(&[0, 0]);
    p
}
