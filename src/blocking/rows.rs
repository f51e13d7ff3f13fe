//! [`Rows`]: the blocking twin of [`crate::Client::fetch`]'s stream, an iterator.

use std::pin::Pin;

use futures_core::Stream;
use futures_util::StreamExt as _;

use super::client::Client;
use crate::error::{Error, Result};

type RowStream<T> = Pin<Box<dyn Stream<Item = Result<T>> + Send>>;

/// The rows of [`Client::fetch`], read from the server as the iterator advances.
///
/// Ends after the last row or the first error. It holds one pooled connection until it ends or is
/// dropped; dropped early, that connection is closed rather than pooled (its unread rows would
/// otherwise have to be read first).
///
/// ```no_run
/// # fn demo(client: matrixone::blocking::Client) -> matrixone::Result<()> {
/// for row in client.fetch::<(i64, String)>("SELECT id, name FROM users") {
///     let (id, name) = row?;
///     println!("{id}: {name}");
/// }
/// # Ok(()) }
/// ```
pub struct Rows<T> {
    client: Client,
    stream: Option<RowStream<T>>,
    /// An error to report before ending, found before the first row.
    failed: Option<Error>,
}

impl<T> Rows<T> {
    pub(crate) fn new(client: Client, stream: RowStream<T>) -> Rows<T> {
        Rows { client, stream: Some(stream), failed: None }
    }

    pub(crate) fn failed(client: Client, error: Error) -> Rows<T> {
        Rows { client, stream: None, failed: Some(error) }
    }

    /// Drops the stream inside the client's runtime: it may spawn the connection's clean-up.
    fn finish(&mut self) {
        let _enter = self.client.runtime().enter();
        self.stream = None;
    }
}

impl<T> Iterator for Rows<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        if let Some(error) = self.failed.take() {
            return Some(Err(error));
        }
        let stream = self.stream.as_mut()?;
        match self.client.runtime().block_on(async { Ok(stream.next().await) }) {
            Ok(Some(item)) => Some(item),
            Ok(None) => {
                self.finish();
                None
            }
            // Inside an async runtime: said once, then the end.
            Err(e) => {
                self.finish();
                Some(Err(e))
            }
        }
    }
}

impl<T> Drop for Rows<T> {
    fn drop(&mut self) {
        self.finish();
    }
}

impl<T> std::fmt::Debug for Rows<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rows").field("ended", &self.stream.is_none()).finish_non_exhaustive()
    }
}
