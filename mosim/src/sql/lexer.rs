//! A small MySQL-flavoured tokenizer: just enough to recognise MatrixOne-only statements and
//! to find the spans mosim rewrites. It reads bytes, not text: a client may send any
//! character set (or raw `_binary'...'` bytes), and only the ASCII parts of SQL (keywords,
//! quotes, comments, punctuation) matter here. Token offsets index the original bytes, so
//! every rewrite splices the user's own bytes around the part it replaces.

use std::borrow::Cow;
use std::ops::Range;

/// What a token is. Names and values are decoded as UTF-8 (lossily) for mosim's own use;
/// the bytes sent on to the backend always come from the token's span instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A bare word: keyword, identifier or number (`select`, `t1`, `100`, `1.5`).
    Word(String),
    /// A backtick-quoted identifier, unquoted (doubled backticks folded).
    Quoted(String),
    /// A `'...'` or `"..."` literal, unescaped.
    Str(String),
    /// A user or system variable, `@x` / `@@session.time_zone`, as written.
    Var(String),
    /// Any other single (ASCII) character (`(`, `,`, `{`, `=`, `;`, `.`, `-`, ...).
    Punct(char),
}

/// A token and its byte span in the statement text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: Kind,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

impl Token {
    /// Whether this is the bare word `kw`, compared case-insensitively.
    pub(crate) fn is_kw(&self, kw: &str) -> bool {
        matches!(&self.kind, Kind::Word(w) if w.eq_ignore_ascii_case(kw))
    }

    /// Whether this is the punctuation character `c`.
    pub(crate) fn is(&self, c: char) -> bool {
        self.kind == Kind::Punct(c)
    }

    /// The name this token denotes if it can be an identifier (bare or backticked).
    pub(crate) fn ident(&self) -> Option<&str> {
        match &self.kind {
            Kind::Word(w) => Some(w),
            Kind::Quoted(q) => Some(q),
            _ => None,
        }
    }

    /// The exact bytes of the name this token denotes, in the client's character set
    /// (doubled backticks folded), for splicing it back into SQL.
    pub(crate) fn ident_bytes<'a>(&self, sql: &'a [u8]) -> Option<Cow<'a, [u8]>> {
        let span = sql.get(self.start..self.end)?;
        match self.kind {
            Kind::Word(_) => Some(Cow::Borrowed(span)),
            Kind::Quoted(_) => {
                let inner = span.strip_prefix(b"`").unwrap_or(span);
                let inner = inner.strip_suffix(b"`").unwrap_or(inner);
                if !inner.windows(2).any(|w| w == b"``") {
                    return Some(Cow::Borrowed(inner));
                }
                let mut out = Vec::with_capacity(inner.len());
                let mut i = 0;
                while i < inner.len() {
                    out.push(inner[i]);
                    i += if inner[i] == b'`' && inner.get(i + 1) == Some(&b'`') { 2 } else { 1 };
                }
                Some(Cow::Owned(out))
            }
            _ => None,
        }
    }
}

/// Bytes of the text, decoded lossily: for error messages and mosim's own bookkeeping.
pub(crate) fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn is_word_byte(b: u8) -> bool {
    // Bytes >= 0x80 belong to names in any ASCII-compatible character set.
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Splits `sql` into tokens, skipping whitespace and comments. An unterminated quote runs to
/// the end of the text; the backend will report it.
pub(crate) fn tokenize(sql: &[u8]) -> Vec<Token> {
    let b = sql;
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'#'
            || (c == b'-'
                && b.get(i + 1) == Some(&b'-')
                && b.get(i + 2).is_none_or(|x| x.is_ascii_whitespace() || x.is_ascii_control()))
        {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                i += 1;
            }
            i = (i + 2).min(b.len());
        } else if c == b'\'' || c == b'"' {
            let start = i;
            let (value, end) = scan_string(b, i);
            i = end;
            out.push(Token { kind: Kind::Str(value), start, end });
        } else if c == b'`' {
            let start = i;
            let mut v = Vec::new();
            i += 1;
            while i < b.len() {
                if b[i] == b'`' {
                    if b.get(i + 1) == Some(&b'`') {
                        v.push(b'`');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                v.push(b[i]);
                i += 1;
            }
            out.push(Token { kind: Kind::Quoted(lossy(&v)), start, end: i });
        } else if c == b'@' {
            let start = i;
            i += 1;
            while i < b.len() && (is_word_byte(b[i]) || b[i] == b'@' || b[i] == b'.') {
                i += 1;
            }
            out.push(Token { kind: Kind::Var(lossy(&b[start..i])), start, end: i });
        } else if is_word_byte(c) {
            let start = i;
            let numeric = c.is_ascii_digit();
            while i < b.len() && (is_word_byte(b[i]) || (numeric && b[i] == b'.')) {
                i += 1;
            }
            out.push(Token { kind: Kind::Word(lossy(&b[start..i])), start, end: i });
        } else {
            // Every byte >= 0x80 is a word byte, so this is one ASCII character.
            out.push(Token { kind: Kind::Punct(char::from(c)), start: i, end: i + 1 });
            i += 1;
        }
    }
    out
}

/// Token index ranges of the statements in a multi-statement text, split at `;`; empty
/// statements are left out and the ranges exclude the `;`.
pub(crate) fn split_statements(toks: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, t) in toks.iter().enumerate() {
        if t.is(';') {
            if i > start {
                out.push(start..i);
            }
            start = i + 1;
        }
    }
    if toks.len() > start {
        out.push(start..toks.len());
    }
    out
}

/// Scans a quoted literal starting at `b[i]`; returns the unescaped value and the end offset.
fn scan_string(b: &[u8], mut i: usize) -> (String, usize) {
    let q = b[i];
    i += 1;
    let mut v = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c == b'\\' && i + 1 < b.len() {
            let e = b[i + 1];
            match e {
                b'n' => v.push(b'\n'),
                b't' => v.push(b'\t'),
                b'r' => v.push(b'\r'),
                b'0' => v.push(0),
                b'Z' => v.push(0x1A),
                b'b' => v.push(0x08),
                b'%' | b'_' => v.extend_from_slice(&[b'\\', e]),
                _ => v.push(e),
            }
            i += 2;
        } else if c == q {
            if b.get(i + 1) == Some(&q) {
                v.push(q);
                i += 2;
            } else {
                return (lossy(&v), i + 1);
            }
        } else {
            v.push(c);
            i += 1;
        }
    }
    (lossy(&v), i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_quotes_comments_and_hints() {
        let t = tokenize(b"select `a``b`, 'it''s', \"x\\ny\" /* c */ from t{snapshot = 's'} -- end");
        let kinds: Vec<Kind> = t.into_iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            vec![
                Kind::Word("select".into()),
                Kind::Quoted("a`b".into()),
                Kind::Punct(','),
                Kind::Str("it's".into()),
                Kind::Punct(','),
                Kind::Str("x\ny".into()),
                Kind::Word("from".into()),
                Kind::Word("t".into()),
                Kind::Punct('{'),
                Kind::Word("snapshot".into()),
                Kind::Punct('='),
                Kind::Str("s".into()),
                Kind::Punct('}'),
            ]
        );
    }

    #[test]
    fn bytes_outside_ascii_are_opaque() {
        let sql = b"insert into `t\xe9``x` values (_binary'\xff\xfe;', caf\xe9); select 1";
        let toks = tokenize(sql);
        assert_eq!(split_statements(&toks).len(), 2);
        assert_eq!(toks[2].ident_bytes(sql).unwrap().as_ref(), b"t\xe9`x");
        let word = toks.iter().find(|t| sql[t.start..t.end].starts_with(b"caf")).unwrap();
        assert_eq!(&sql[word.start..word.end], b"caf\xe9");
    }
}
