//! Opt-in reproductions of known MatrixOne server bugs, so that tests can prove a client
//! absorbs them. Each one is off unless [`Config`](crate::Config) turns it on.
//!
//! - [`NullShape`]: MatrixOne #28138 / #26874 (severity s0). A prepared statement re-executed
//!   on the same connection keeps the NULL positions of its first execution: a later non-NULL
//!   value in such a position is silently stored as NULL.
//! - [`linger`]: MatrixOne does not close its side of the connection on COM_QUIT, so a client
//!   that waits for the server to end the shutdown handshake waits until it gives up
//!   (matrixorigin/Astra PR #610).

use std::collections::HashMap;
use std::io;
use std::time::Duration;

use crate::config::Config;
use crate::wire::codec::Cursor;
use crate::wire::packet::PacketConn;

/// Which quirks a server reproduces, copied from its [`Config`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Quirks {
    /// [`NullShape`] on every connection.
    pub(crate) prepared_null_shape: bool,
    /// [`linger`] after COM_QUIT.
    pub(crate) ignore_quit: bool,
}

impl Quirks {
    pub(crate) fn of(config: &Config) -> Self {
        Self { prepared_null_shape: config.quirk_prepared_null_shape, ignore_quit: config.quirk_ignore_quit }
    }
}

/// After COM_QUIT: keeps the connection open, reading and discarding whatever arrives, until
/// the client closes it or stays silent for `idle_timeout`, as MatrixOne does.
pub(crate) async fn linger(client: &mut PacketConn, idle_timeout: Duration) -> io::Result<()> {
    loop {
        match tokio::time::timeout(idle_timeout, client.read()).await {
            Ok(Ok(Some(_))) => {}
            // Closed, failed, or silent too long: now the connection ends.
            Ok(Ok(None) | Err(_)) | Err(_) => return Ok(()),
        }
    }
}

/// What one connection's prepared statements remember for the NULL-shape quirk.
#[derive(Debug, Default)]
pub(crate) struct NullShape {
    stmts: HashMap<u32, Stmt>,
}

#[derive(Debug)]
struct Stmt {
    params: usize,
    /// The NULL bitmap of the first execution, once there was one.
    first_nulls: Option<Vec<u8>>,
    /// The parameter types last bound, for executions that do not send them again.
    types: Option<Vec<u8>>,
}

/// COM_STMT_EXECUTE's fixed part: command, statement id, flags, iteration count.
const EXECUTE_HEADER: usize = 1 + 4 + 1 + 4;

impl NullShape {
    /// A statement the backend prepared with `params` parameters.
    pub(crate) fn prepared(&mut self, id: u32, params: u16) {
        self.stmts.insert(id, Stmt { params: usize::from(params), first_nulls: None, types: None });
    }

    /// COM_STMT_CLOSE of `id`.
    pub(crate) fn closed(&mut self, id: u32) {
        self.stmts.remove(&id);
    }

    /// COM_RESET_CONNECTION: every statement is gone.
    pub(crate) fn reset(&mut self) {
        self.stmts.clear();
    }

    /// The COM_STMT_EXECUTE packet `p` as the backend must see it: `None` to send it as it is,
    /// or a copy whose NULL bitmap also has the first execution's NULLs, without those values.
    /// A packet mosim cannot read to its exact end (an unknown type, long data sent apart) is
    /// left alone.
    pub(crate) fn apply(&mut self, p: &[u8]) -> Option<Vec<u8>> {
        let id = u32::from_le_bytes(p.get(1..5)?.try_into().ok()?);
        let stmt = self.stmts.get_mut(&id)?;
        let n = stmt.params;
        if n == 0 {
            return None;
        }
        let map_len = n.div_ceil(8);
        let mut c = Cursor::new(p);
        let head = c.take(EXECUTE_HEADER)?;
        let nulls = c.take(map_len)?;
        let bound = c.u8()?;
        let sent_types = if bound == 1 { Some(c.take(2 * n)?) } else { None };
        let values = c.rest();
        if let Some(t) = sent_types {
            stmt.types = Some(t.to_vec());
        }
        let Some(first) = &stmt.first_nulls else {
            stmt.first_nulls = Some(nulls.to_vec());
            return None;
        };
        let merged: Vec<u8> = nulls.iter().zip(first).map(|(now, then)| now | then).collect();
        if merged == nulls {
            return None;
        }
        let types = sent_types.or(stmt.types.as_deref())?;
        let spans = value_spans(nulls, types, values)?;
        let mut out = Vec::with_capacity(p.len());
        out.extend_from_slice(head);
        out.extend_from_slice(&merged);
        out.push(bound);
        if let Some(t) = sent_types {
            out.extend_from_slice(t);
        }
        for (i, span) in spans {
            if !is_null(&merged, i) {
                out.extend_from_slice(&values[span]);
            }
        }
        Some(out)
    }
}

fn is_null(map: &[u8], i: usize) -> bool {
    map.get(i / 8).is_some_and(|b| b & (1 << (i % 8)) != 0)
}

/// The byte range of each non-NULL parameter's value in `values`, or `None` unless they
/// account for every byte exactly.
fn value_spans(nulls: &[u8], types: &[u8], values: &[u8]) -> Option<Vec<(usize, std::ops::Range<usize>)>> {
    let mut spans = Vec::new();
    let mut pos = 0;
    for (i, ty) in types.chunks_exact(2).map(|t| t[0]).enumerate() {
        if is_null(nulls, i) {
            continue;
        }
        let len = value_len(ty, values.get(pos..)?)?;
        spans.push((i, pos..pos + len));
        pos += len;
    }
    (pos == values.len()).then_some(spans)
}

/// Bytes one binary-protocol value of column type `ty` takes at the start of `rest`.
fn value_len(ty: u8, rest: &[u8]) -> Option<usize> {
    let len = match ty {
        0x06 => 0,               // NULL
        0x01 => 1,               // TINY
        0x02 | 0x0D => 2,        // SHORT, YEAR
        0x03 | 0x04 | 0x09 => 4, // LONG, FLOAT, INT24
        0x05 | 0x08 => 8,        // DOUBLE, LONGLONG
        0x07 | 0x0A | 0x0B | 0x0C => {
            // TIMESTAMP, DATE, TIME, DATETIME: a length byte, then that many bytes.
            1 + usize::from(*rest.first()?)
        }
        // DECIMAL, VARCHAR, BIT, JSON, NEWDECIMAL, ENUM, SET, BLOBs, strings, GEOMETRY.
        0x00 | 0x0F | 0x10 | 0xF5..=0xFF => {
            let mut c = Cursor::new(rest);
            let n = usize::try_from(c.lenenc_int()?).ok()?;
            (rest.len() - c.rest().len()).checked_add(n)?
        }
        _ => return None,
    };
    (len <= rest.len()).then_some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VARCHAR: u8 = 0xFD;
    const LONGLONG: u8 = 0x08;

    /// COM_STMT_EXECUTE of statement 7 with its types sent (`bound` 1) or not (0).
    fn execute(nulls: &[u8], bound: u8, types: &[u8], values: &[u8]) -> Vec<u8> {
        let mut p = vec![0x17, 7, 0, 0, 0, 0, 1, 0, 0, 0];
        p.extend_from_slice(nulls);
        p.push(bound);
        if bound == 1 {
            p.extend_from_slice(types);
        }
        p.extend_from_slice(values);
        p
    }

    fn text(s: &str) -> Vec<u8> {
        let mut v = vec![s.len() as u8];
        v.extend_from_slice(s.as_bytes());
        v
    }

    #[test]
    fn a_later_value_where_the_first_execution_had_null_is_dropped() {
        let mut q = NullShape::default();
        q.prepared(7, 2);
        let types = [VARCHAR, 0, VARCHAR, 0];
        assert_eq!(q.apply(&execute(&[0b10], 1, &types, &text("root"))), None, "first: as sent");
        let second = execute(&[0b00], 1, &types, &[text("child"), text("root")].concat());
        let expected = execute(&[0b10], 1, &types, &text("child"));
        assert_eq!(q.apply(&second), Some(expected));
        // The shape is the first execution's for good, not the last one's.
        assert!(q.apply(&second).is_some());
    }

    #[test]
    fn values_of_every_width_are_skipped_exactly() {
        let mut q = NullShape::default();
        q.prepared(7, 4);
        // TINY, LONGLONG, DATETIME (length byte + 7), VARCHAR; the LONGLONG was NULL first.
        let types = [0x01, 0, LONGLONG, 0x80, 0x0C, 0, VARCHAR, 0];
        let datetime = [7, 0xE8, 0x07, 1, 2, 3, 4, 5];
        let first = [&[9][..], &datetime, &text("a")].concat();
        assert_eq!(q.apply(&execute(&[0b0010], 1, &types, &first)), None);
        let later = [&[9][..], &42u64.to_le_bytes(), &datetime, &text("b")].concat();
        let kept = [&[9][..], &datetime, &text("b")].concat();
        assert_eq!(
            q.apply(&execute(&[0b0000], 1, &types, &later)),
            Some(execute(&[0b0010], 1, &types, &kept))
        );
        // Types not sent again: the ones bound before are used to read the values.
        assert_eq!(q.apply(&execute(&[0b0000], 0, &[], &later)), Some(execute(&[0b0010], 0, &[], &kept)));
    }

    #[test]
    fn other_executions_pass_unchanged() {
        let mut q = NullShape::default();
        let types = [VARCHAR, 0];
        // Unknown statement, or one without parameters.
        assert_eq!(q.apply(&execute(&[0], 1, &types, &text("x"))), None);
        q.prepared(7, 1);
        // First execution without NULL: later NULLs are the client's own and pass as sent.
        assert_eq!(q.apply(&execute(&[0], 1, &types, &text("x"))), None);
        assert_eq!(q.apply(&execute(&[1], 1, &types, &[])), None);
        assert_eq!(q.apply(&execute(&[0], 1, &types, &text("y"))), None);
        // Values that do not end where the packet does (long data sent apart): left alone.
        let mut q = NullShape::default();
        q.prepared(7, 1);
        assert_eq!(q.apply(&execute(&[1], 1, &types, &[])), None);
        assert_eq!(q.apply(&execute(&[0], 1, &types, &[])), None);
        assert_eq!(q.apply(&execute(&[0], 1, &[0x42, 0], &text("y"))), None, "unknown type");
        // Closed and reset statements are forgotten.
        q.closed(7);
        assert_eq!(q.apply(&execute(&[0], 1, &types, &text("y"))), None);
        q.prepared(8, 1);
        q.reset();
        assert!(q.stmts.is_empty());
    }
}
