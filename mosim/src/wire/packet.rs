//! MySQL packet framing: a 3-byte length, a sequence id, and the payload.

use std::fmt;
use std::io;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, BufStream};
use tokio::net::TcpStream;

/// Largest payload of one physical packet; longer payloads are split.
const MAX_CHUNK: usize = 0xFF_FFFF;

/// The most a read buffer grows by before the bytes for it have arrived, so a header that
/// claims 16 MiB costs nothing until 16 MiB are actually sent.
const READ_STEP: usize = 64 * 1024;

/// Largest logical packet a client may send before it has logged in: the handshake response
/// with connection attributes is well under this.
pub(crate) const PRE_AUTH_MAX_PACKET: usize = 16 * 1024;

/// A logical packet longer than the connection's limit (MySQL's max_allowed_packet).
#[derive(Debug)]
pub(crate) struct PacketTooLarge;

impl fmt::Display for PacketTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Got a packet bigger than 'max_allowed_packet' bytes")
    }
}

impl std::error::Error for PacketTooLarge {}

/// Whether `e` is the [`PacketTooLarge`] refusal of [`PacketConn::read`].
pub(crate) fn is_too_large(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<PacketTooLarge>())
}

/// A TCP stream that reads and writes whole logical packets and tracks the sequence id.
pub(crate) struct PacketConn {
    io: BufStream<TcpStream>,
    /// The sequence id the next written packet will carry.
    pub(crate) seq: u8,
    /// Largest logical packet [`PacketConn::read`] accepts.
    max_packet: usize,
}

impl PacketConn {
    /// Wraps a connected stream; reads are unlimited until [`PacketConn::set_max_packet`].
    pub(crate) fn new(stream: TcpStream) -> Self {
        Self { io: BufStream::new(stream), seq: 0, max_packet: usize::MAX }
    }

    /// Caps the size of the logical packets [`PacketConn::read`] accepts.
    pub(crate) fn set_max_packet(&mut self, max: usize) {
        self.max_packet = max;
    }

    /// Reads one logical packet (joining split chunks); `None` on a clean EOF before a header.
    ///
    /// A packet over the limit fails with [`PacketTooLarge`] as soon as its header says so.
    pub(crate) async fn read(&mut self) -> io::Result<Option<Vec<u8>>> {
        read_packet(&mut self.io, &mut self.seq, self.max_packet).await
    }

    /// Reads one packet, treating EOF as an error (used in the middle of an exchange).
    pub(crate) async fn read_required(&mut self) -> io::Result<Vec<u8>> {
        self.read()
            .await?
            .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed mid-exchange"))
    }

    /// Buffers one logical packet, splitting it into chunks as the protocol requires.
    pub(crate) async fn write(&mut self, payload: &[u8]) -> io::Result<()> {
        let mut rest = payload;
        loop {
            let n = rest.len().min(MAX_CHUNK);
            // Lengths are < 2^24, so the truncating casts keep exactly the three bytes we need.
            let header = [n as u8, (n >> 8) as u8, (n >> 16) as u8, self.seq];
            self.seq = self.seq.wrapping_add(1);
            self.io.write_all(&header).await?;
            self.io.write_all(&rest[..n]).await?;
            rest = &rest[n..];
            if n < MAX_CHUNK {
                return Ok(());
            }
        }
    }

    /// Sends everything buffered so far.
    pub(crate) async fn flush(&mut self) -> io::Result<()> {
        self.io.flush().await
    }
}

/// Reads one logical packet from `io`, setting `seq` to the id the reply must carry.
async fn read_packet<R: AsyncRead + Unpin>(
    io: &mut R,
    seq: &mut u8,
    max_packet: usize,
) -> io::Result<Option<Vec<u8>>> {
    let mut payload = Vec::new();
    let mut first = true;
    loop {
        let mut header = [0u8; 4];
        match io.read_exact(&mut header).await {
            Ok(_) => {}
            Err(e) if first && e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        first = false;
        let len = usize::from(header[0]) | (usize::from(header[1]) << 8) | (usize::from(header[2]) << 16);
        *seq = header[3].wrapping_add(1);
        if payload.len().saturating_add(len) > max_packet {
            return Err(io::Error::new(io::ErrorKind::InvalidData, PacketTooLarge));
        }
        read_growing(io, &mut payload, len).await?;
        if len < MAX_CHUNK {
            return Ok(Some(payload));
        }
    }
}

/// Appends exactly `len` bytes from `io` to `buf`, reserving room only as bytes arrive.
async fn read_growing<R: AsyncRead + Unpin>(io: &mut R, buf: &mut Vec<u8>, len: usize) -> io::Result<()> {
    let target = buf.len() + len;
    while buf.len() < target {
        let want = (target - buf.len()).min(READ_STEP);
        buf.reserve(want);
        let n = (&mut *io).take(want as u64).read_buf(buf).await?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed mid-packet"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(len: usize, seq: u8) -> Vec<u8> {
        vec![len as u8, (len >> 8) as u8, (len >> 16) as u8, seq]
    }

    #[tokio::test]
    async fn a_claimed_length_is_not_allocated_before_its_bytes_arrive() {
        // The header claims 16 MiB; only 10 bytes follow before EOF.
        let mut input = vec![0xFF, 0xFF, 0xFF, 0x01];
        input.extend_from_slice(&[7u8; 10]);
        let mut io = &input[4..];
        let mut buf = Vec::new();
        let e = read_growing(&mut io, &mut buf, MAX_CHUNK).await.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
        assert_eq!(buf.len(), 10);
        assert!(buf.capacity() <= 2 * READ_STEP, "capacity {}", buf.capacity());
    }

    #[tokio::test]
    async fn a_header_over_the_limit_fails_before_any_payload_is_read() {
        let input = [0xFF, 0xFF, 0xFF, 0x01];
        let mut io = &input[..];
        let mut seq = 0;
        let e = read_packet(&mut io, &mut seq, PRE_AUTH_MAX_PACKET).await.unwrap_err();
        assert!(is_too_large(&e), "{e}");
        assert_eq!(seq, 2);
    }

    #[tokio::test]
    async fn continuation_chunks_join_into_one_packet() {
        let mut input = header(MAX_CHUNK, 0);
        input.extend(std::iter::repeat_n(b'a', MAX_CHUNK));
        input.extend(header(3, 1));
        input.extend_from_slice(b"xyz");
        let mut io = &input[..];
        let mut seq = 0;
        let p = read_packet(&mut io, &mut seq, 32 << 20).await.unwrap().unwrap();
        assert_eq!(p.len(), MAX_CHUNK + 3);
        assert!(p.ends_with(b"axyz"));
        assert_eq!(seq, 2);
        // The same packet is refused when the limit is below the joined length.
        let mut io = &input[..];
        let e = read_packet(&mut io, &mut seq, MAX_CHUNK + 2).await.unwrap_err();
        assert!(is_too_large(&e));
        // A clean EOF before a header is the end of the stream, not an error.
        let mut io = &[][..];
        assert!(read_packet(&mut io, &mut seq, 100).await.unwrap().is_none());
    }
}
