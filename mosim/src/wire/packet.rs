//! MySQL packet framing: a 3-byte length, a sequence id, and the payload.

use std::io;

use tokio::io::{AsyncReadExt, AsyncWriteExt, BufStream};
use tokio::net::TcpStream;

/// Largest payload of one physical packet; longer payloads are split.
const MAX_CHUNK: usize = 0xFF_FFFF;

/// A TCP stream that reads and writes whole logical packets and tracks the sequence id.
pub(crate) struct PacketConn {
    io: BufStream<TcpStream>,
    /// The sequence id the next written packet will carry.
    pub(crate) seq: u8,
}

impl PacketConn {
    /// Wraps a connected stream.
    pub(crate) fn new(stream: TcpStream) -> Self {
        Self { io: BufStream::new(stream), seq: 0 }
    }

    /// Reads one logical packet (joining split chunks); `None` on a clean EOF before a header.
    pub(crate) async fn read(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut payload = Vec::new();
        let mut first = true;
        loop {
            let mut header = [0u8; 4];
            match self.io.read_exact(&mut header).await {
                Ok(_) => {}
                Err(e) if first && e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
                Err(e) => return Err(e),
            }
            first = false;
            let len = usize::from(header[0]) | (usize::from(header[1]) << 8) | (usize::from(header[2]) << 16);
            self.seq = header[3].wrapping_add(1);
            let start = payload.len();
            payload.resize(start + len, 0);
            self.io.read_exact(&mut payload[start..]).await?;
            if len < MAX_CHUNK {
                return Ok(Some(payload));
            }
        }
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
