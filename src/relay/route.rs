//! Which statements go through the relay, told from their first words without allocating: this
//! runs for every statement.

/// A statement whose result MatrixOne sends with its own column types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// `SHOW PUBLICATIONS`, `SHOW SUBSCRIPTIONS`, `SHOW CDC`: catalog listings.
    Listing(&'static str),
    /// `DATA BRANCH DIFF`: rows of the user's tables.
    BranchDiff,
}

impl Route {
    /// The statement's name, for messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Route::Listing(name) => name,
            Route::BranchDiff => "DATA BRANCH DIFF",
        }
    }
}

/// Where `sql` must run: `Some` for the statements whose results carry MatrixOne's own column
/// types (see the module documentation of `relay` for the sources), `None` for every other one.
///
/// Only the first statement of a text is looked at.
pub(crate) fn route(sql: &str) -> Option<Route> {
    let mut words = Words { rest: sql.as_bytes() };
    let first = words.next()?;
    // Most statements stop here, after one or two byte comparisons.
    if first.eq_ignore_ascii_case(b"SHOW") {
        let second = words.next()?;
        [("PUBLICATIONS", "SHOW PUBLICATIONS"), ("SUBSCRIPTIONS", "SHOW SUBSCRIPTIONS"), ("CDC", "SHOW CDC")]
            .into_iter()
            .find(|(word, _)| second.eq_ignore_ascii_case(word.as_bytes()))
            .map(|(_, name)| Route::Listing(name))
    } else if first.eq_ignore_ascii_case(b"DATA") {
        let branch = words.next()?.eq_ignore_ascii_case(b"BRANCH");
        let diff = words.next()?.eq_ignore_ascii_case(b"DIFF");
        (branch && diff).then_some(Route::BranchDiff)
    } else {
        None
    }
}

/// The words at the start of a statement, skipping white space, comments and parentheses; an
/// executable comment `/*!NNNNN ...` or a hint `/*+ ...` counts as code (as in `sql::session`).
struct Words<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        loop {
            let start = self
                .rest
                .iter()
                .position(|&b| !(b.is_ascii_whitespace() || b == b'('))
                .unwrap_or(self.rest.len());
            let s = &self.rest[start..];
            if let Some(after) = s.strip_prefix(b"/*!").or_else(|| s.strip_prefix(b"/*+")) {
                let digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
                self.rest = &after[digits..];
            } else if let Some(after) = s.strip_prefix(b"/*") {
                self.rest =
                    after.windows(2).position(|w| w == b"*/").map_or(&[][..], |end| &after[end + 2..]);
            } else if s.starts_with(b"-- ") || s.starts_with(b"--\t") || s.starts_with(b"#") {
                self.rest = s.iter().position(|&b| b == b'\n').map_or(&[][..], |end| &s[end + 1..]);
            } else {
                let end = s
                    .iter()
                    .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'@' | b'.' | b'$')))
                    .unwrap_or(s.len());
                self.rest = &s[end..];
                return (end > 0).then(|| &s[..end]);
            }
        }
    }
}

/// The first bytes of a statement, kept on the stack for error messages: the SQL itself is handed
/// to the driver. Taken from the text with its `?` placeholders, never with bound values.
pub(crate) struct Head {
    bytes: [u8; Head::CAPACITY],
    len: usize,
    cut: bool,
}

impl Head {
    const CAPACITY: usize = 48;

    /// The start of `sql`, cut at a character boundary.
    pub(crate) fn of(sql: &str) -> Head {
        let sql = sql.trim_start();
        let mut len = sql.len().min(Head::CAPACITY);
        while !sql.is_char_boundary(len) {
            len -= 1;
        }
        let mut bytes = [0; Head::CAPACITY];
        bytes[..len].copy_from_slice(&sql.as_bytes()[..len]);
        Head { bytes, len, cut: len < sql.len() }
    }

    /// The text, with `...` when it was cut.
    pub(crate) fn as_str(&self) -> String {
        let text = std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if self.cut { format!("{text} ...") } else { text }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrixone_listings_and_branch_diffs_are_routed() {
        assert_eq!(route("SHOW PUBLICATIONS"), Some(Route::Listing("SHOW PUBLICATIONS")));
        assert_eq!(route("  show publications like 'p%'"), Some(Route::Listing("SHOW PUBLICATIONS")));
        assert_eq!(route("/* list */ SHOW SUBSCRIPTIONS ALL"), Some(Route::Listing("SHOW SUBSCRIPTIONS")));
        assert_eq!(route("-- x\nshow cdc 'mysql://u:p@h:1' all"), Some(Route::Listing("SHOW CDC")));
        assert_eq!(route("DATA BRANCH DIFF t1 AGAINST t2"), Some(Route::BranchDiff));
        assert_eq!(route("(data branch diff a against b)"), Some(Route::BranchDiff));
    }

    #[test]
    fn everything_else_is_not() {
        for sql in [
            "SELECT 1",
            "SHOW TABLES",
            "SHOW SNAPSHOTS",
            "SHOW CCPR SUBSCRIPTIONS",
            "SHOW",
            "DATA BRANCH CREATE TABLE a FROM b",
            "DATA BRANCH MERGE a INTO b",
            "SELECT 'SHOW PUBLICATIONS'",
            "/* SHOW PUBLICATIONS */ SELECT 1",
            "INSERT INTO data VALUES (1)",
            "SHOWPUBLICATIONS",
            "",
            "   ",
        ] {
            assert_eq!(route(sql), None, "{sql}");
        }
    }

    #[test]
    fn a_head_keeps_the_first_words() {
        assert_eq!(Head::of("  SELECT a,\n b FROM t").as_str(), "SELECT a, b FROM t");
        let long = format!("SELECT {} FROM t", "x".repeat(100));
        assert!(Head::of(&long).as_str().ends_with(" ..."));
        // Cut at a character boundary.
        let wide = format!("SELECT '{}'", "é".repeat(40));
        assert!(Head::of(&wide).as_str().starts_with("SELECT 'é"));
    }
}
