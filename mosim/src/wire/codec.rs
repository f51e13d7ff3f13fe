//! Length-encoded integers and strings, and a cursor to read packet fields.

/// Appends a length-encoded integer.
pub(crate) fn put_lenenc_int(buf: &mut Vec<u8>, v: u64) {
    match v {
        0..=250 => buf.push(v as u8),
        251..=0xFFFF => {
            buf.push(0xFC);
            buf.extend_from_slice(&(v as u16).to_le_bytes());
        }
        0x1_0000..=0xFF_FFFF => {
            buf.push(0xFD);
            buf.extend_from_slice(&(v as u32).to_le_bytes()[..3]);
        }
        _ => {
            buf.push(0xFE);
            buf.extend_from_slice(&v.to_le_bytes());
        }
    }
}

/// Appends a length-encoded string.
pub(crate) fn put_lenenc_str(buf: &mut Vec<u8>, s: &[u8]) {
    put_lenenc_int(buf, s.len() as u64);
    buf.extend_from_slice(s);
}

/// A forward-only reader over a packet payload; every read is bounds-checked.
pub(crate) struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// Starts reading at the beginning of `buf`.
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    /// Bytes not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        &self.buf[self.pos.min(self.buf.len())..]
    }

    /// Reads `n` bytes.
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let out = self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    /// Reads one byte.
    pub(crate) fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    /// Reads a little-endian u16.
    pub(crate) fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_le_bytes([b[0], b[1]]))
    }

    /// Reads a little-endian u32.
    pub(crate) fn u32(&mut self) -> Option<u32> {
        self.take(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Reads a NUL-terminated string (or the rest if there is no NUL).
    pub(crate) fn cstr(&mut self) -> &'a [u8] {
        let rest = self.rest();
        let n = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
        self.pos += (n + 1).min(rest.len());
        &rest[..n]
    }

    /// Reads a length-encoded integer; `None` also for the NULL marker 0xFB.
    pub(crate) fn lenenc_int(&mut self) -> Option<u64> {
        match self.u8()? {
            v @ 0..=250 => Some(u64::from(v)),
            0xFC => self.u16().map(u64::from),
            0xFD => self.take(3).map(|b| u64::from(b[0]) | u64::from(b[1]) << 8 | u64::from(b[2]) << 16),
            0xFE => self.take(8).map(|b| {
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                u64::from_le_bytes(a)
            }),
            _ => None,
        }
    }

    /// Reads a length-encoded string; `Ok(None)` is SQL NULL, `Err(())` is a malformed packet.
    pub(crate) fn lenenc_str(&mut self) -> Result<Option<&'a [u8]>, ()> {
        if self.rest().first() == Some(&0xFB) {
            self.pos += 1;
            return Ok(None);
        }
        let n = self.lenenc_int().ok_or(())?;
        let n = usize::try_from(n).map_err(|_| ())?;
        self.take(n).map(Some).ok_or(())
    }
}
