//! The MySQL wire protocol, both as a server (to clients) and as a client (to MariaDB).

pub(crate) mod backend;
pub(crate) mod caps;
pub(crate) mod codec;
pub(crate) mod handshake;
pub(crate) mod packet;
pub(crate) mod response;
pub(crate) mod wording;
