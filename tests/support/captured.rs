//! The SDK's tracing output, captured for a test: a writer the fmt subscriber writes into.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use tracing_subscriber::fmt::MakeWriter;

/// Everything the subscriber wrote, as one text.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

impl Captured {
    /// Starts capturing this thread's DEBUG events (the tests using it run on one thread).
    pub fn start() -> (Captured, tracing::subscriber::DefaultGuard) {
        let out = Captured::default();
        let guard = tracing::subscriber::set_default(out.subscriber());
        (out, guard)
    }

    /// A DEBUG-level fmt subscriber that writes here, without colours.
    pub fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync {
        tracing_subscriber::fmt()
            .with_writer(self.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::DEBUG)
            .finish()
    }

    /// The captured text.
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }

    /// How many logged statements contain `needle`.
    pub fn statements(&self, needle: &str) -> usize {
        self.text()
            .lines()
            .filter(|line| line.contains("matrixone::statement") && line.contains(needle))
            .count()
    }
}
