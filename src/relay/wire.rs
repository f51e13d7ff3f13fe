//! MySQL packets as the relay sees them: a 4-byte header (3-byte length, sequence id) and a
//! payload; a payload of 16 MiB - 1 bytes continues in the next packet.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};

/// The largest payload of one packet; a packet this long is continued by the next one.
pub(super) const MAX_PAYLOAD: usize = 0xFF_FF_FF;

/// One packet as read off the wire.
pub(super) struct Packet {
    pub(super) seq: u8,
    pub(super) payload: Vec<u8>,
}

/// One logical packet: one wire packet, or several when its payload is 16 MiB or more.
pub(super) struct Logical {
    pub(super) parts: Vec<Packet>,
}

impl Logical {
    /// The first wire packet's payload, which tells what the packet is.
    pub(super) fn head(&self) -> &[u8] {
        self.parts.first().map_or(&[], |p| &p.payload)
    }

    /// The first wire packet's payload, for rewriting in place.
    pub(super) fn head_mut(&mut self) -> Option<&mut Vec<u8>> {
        self.parts.first_mut().map(|p| &mut p.payload)
    }

    /// The first byte of the payload.
    pub(super) fn first_byte(&self) -> Option<u8> {
        self.head().first().copied()
    }

    /// The sequence id of the first wire packet.
    pub(super) fn seq(&self) -> u8 {
        self.parts.first().map_or(0, |p| p.seq)
    }

    /// Whether the payload continues past the first wire packet.
    pub(super) fn is_long(&self) -> bool {
        self.parts.len() > 1
    }
}

/// Reads one logical packet; `None` when the peer closed the connection between packets.
pub(super) async fn read<R: AsyncRead + Unpin>(r: &mut R) -> io::Result<Option<Logical>> {
    let Some(first) = read_one(r).await? else { return Ok(None) };
    let mut more = first.payload.len() == MAX_PAYLOAD;
    let mut parts = vec![first];
    while more {
        let part = read_one(r).await?.ok_or_else(|| truncated("a long packet"))?;
        more = part.payload.len() == MAX_PAYLOAD;
        parts.push(part);
    }
    Ok(Some(Logical { parts }))
}

/// Reads a logical packet that must be there.
pub(super) async fn expect<R: AsyncRead + Unpin>(r: &mut R, what: &str) -> io::Result<Logical> {
    read(r).await?.ok_or_else(|| truncated(what))
}

async fn read_one<R: AsyncRead + Unpin>(r: &mut R) -> io::Result<Option<Packet>> {
    let mut header = [0u8; 4];
    let got = r.read(&mut header).await?;
    if got == 0 {
        return Ok(None);
    }
    r.read_exact(&mut header[got..]).await?;
    let len = usize::from(header[0]) | usize::from(header[1]) << 8 | usize::from(header[2]) << 16;
    let mut payload = vec![0; len];
    r.read_exact(&mut payload).await?;
    Ok(Some(Packet { seq: header[3], payload }))
}

/// Writes a logical packet as it was read (or rewritten).
pub(super) async fn write<W: AsyncWrite + Unpin>(w: &mut W, packet: &Logical) -> io::Result<()> {
    for part in &packet.parts {
        write_one(w, part.seq, &part.payload).await?;
    }
    Ok(())
}

/// Writes one payload shorter than [`MAX_PAYLOAD`] as one packet.
pub(super) async fn write_one<W: AsyncWrite + Unpin>(w: &mut W, seq: u8, payload: &[u8]) -> io::Result<()> {
    let len = payload.len().min(MAX_PAYLOAD);
    // Lengths fit in three bytes: at most MAX_PAYLOAD.
    let header = [len as u8, (len >> 8) as u8, (len >> 16) as u8, seq];
    w.write_all(&header).await?;
    w.write_all(&payload[..len]).await
}

pub(super) fn truncated(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, format!("the connection closed in the middle of {what}"))
}

pub(super) fn malformed(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("malformed {what}"))
}

/// A length-encoded integer at the start of `p`: its value and its size in bytes.
pub(super) fn lenenc(p: &[u8]) -> Option<(u64, usize)> {
    let wide = |n: usize| -> Option<(u64, usize)> {
        let bytes = p.get(1..=n)?;
        let value = bytes.iter().rev().fold(0u64, |v, &b| v << 8 | u64::from(b));
        Some((value, n + 1))
    };
    match *p.first()? {
        b @ 0..=0xFA => Some((u64::from(b), 1)),
        0xFC => wide(2),
        0xFD => wide(3),
        0xFE => wide(8),
        _ => None,
    }
}

/// The status flags of an OK packet (header 0x00, or 0xFE when it ends rows).
pub(super) fn ok_status(p: &[u8]) -> Option<u16> {
    let rest = p.get(1..)?;
    let (_, a) = lenenc(rest)?;
    let rest = rest.get(a..)?;
    let (_, b) = lenenc(rest)?;
    let status = rest.get(b..b + 2)?;
    Some(u16::from_le_bytes([status[0], status[1]]))
}

/// The status flags of a legacy EOF packet: 0xFE, warnings, status.
pub(super) fn eof_status(p: &[u8]) -> Option<u16> {
    let status = p.get(3..5)?;
    Some(u16::from_le_bytes([status[0], status[1]]))
}

/// An ERR packet (protocol 4.1 layout) with SQLSTATE `HY000`.
pub(super) fn err_packet(code: u16, message: &str) -> Vec<u8> {
    let mut p = Vec::with_capacity(9 + message.len());
    p.push(0xFF);
    p.extend_from_slice(&code.to_le_bytes());
    p.extend_from_slice(b"#HY000");
    p.extend_from_slice(message.as_bytes());
    p.truncate(MAX_PAYLOAD);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_encoded_integers() {
        assert_eq!(lenenc(&[0x05]), Some((5, 1)));
        assert_eq!(lenenc(&[0xFC, 0x34, 0x12]), Some((0x1234, 3)));
        assert_eq!(lenenc(&[0xFD, 1, 2, 3]), Some((0x030201, 4)));
        assert_eq!(lenenc(&[0xFE, 1, 0, 0, 0, 0, 0, 0, 1]), Some((0x0100_0000_0000_0001, 9)));
        assert_eq!(lenenc(&[0xFC, 0x34]), None);
        assert_eq!(lenenc(&[0xFB]), None);
        assert_eq!(lenenc(&[]), None);
    }

    #[test]
    fn status_flags() {
        // OK: header, affected rows 1, last id 0, status 0x000A, warnings 0.
        assert_eq!(ok_status(&[0x00, 0x01, 0x00, 0x0A, 0x00, 0x00, 0x00]), Some(0x000A));
        assert_eq!(eof_status(&[0xFE, 0x00, 0x00, 0x08, 0x00]), Some(0x0008));
        assert_eq!(ok_status(&[0x00]), None);
    }

    #[tokio::test]
    async fn long_payloads_span_packets() {
        let payload = vec![7u8; MAX_PAYLOAD + 10];
        let mut wire = Vec::new();
        write_one(&mut wire, 3, &payload[..MAX_PAYLOAD]).await.unwrap();
        write_one(&mut wire, 4, &payload[MAX_PAYLOAD..]).await.unwrap();
        write_one(&mut wire, 0, &[0x0E]).await.unwrap();
        let mut r = &wire[..];
        let long = read(&mut r).await.unwrap().unwrap();
        assert!(long.is_long());
        assert_eq!(long.parts.iter().map(|p| p.payload.len()).sum::<usize>(), MAX_PAYLOAD + 10);
        let ping = read(&mut r).await.unwrap().unwrap();
        assert_eq!((ping.seq(), ping.first_byte()), (0, Some(0x0E)));
        assert!(read(&mut r).await.unwrap().is_none());
    }
}
