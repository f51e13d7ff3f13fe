//! A small MySQL-flavoured tokenizer: just enough to recognise MatrixOne-only statements and
//! to find the spans mosim rewrites. Token offsets index the original text, so every rewrite
//! splices the user's own bytes around the part it replaces.

/// What a token is.
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
    /// Any other single character (`(`, `,`, `{`, `=`, `;`, `.`, `-`, ...).
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
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Splits `sql` into tokens, skipping whitespace and comments. An unterminated quote runs to
/// the end of the text; the backend will report it.
pub(crate) fn tokenize(sql: &str) -> Vec<Token> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'#'
            || (c == b'-'
                && b.get(i + 1) == Some(&b'-')
                && b.get(i + 2).is_none_or(|x| x.is_ascii_whitespace()))
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
            let kind = Kind::Quoted(String::from_utf8_lossy(&v).into_owned());
            out.push(Token { kind, start, end: i });
        } else if c == b'@' {
            let start = i;
            i += 1;
            while i < b.len() && (is_word_byte(b[i]) || b[i] == b'@' || b[i] == b'.') {
                i += 1;
            }
            out.push(Token { kind: Kind::Var(sql[start..i].to_owned()), start, end: i });
        } else if is_word_byte(c) {
            let start = i;
            let numeric = c.is_ascii_digit();
            while i < b.len() && (is_word_byte(b[i]) || (numeric && b[i] == b'.')) {
                i += 1;
            }
            out.push(Token { kind: Kind::Word(sql[start..i].to_owned()), start, end: i });
        } else {
            let ch = sql[i..].chars().next().unwrap_or('?');
            let end = i + ch.len_utf8();
            out.push(Token { kind: Kind::Punct(ch), start: i, end });
            i = end;
        }
    }
    out
}

/// Token index ranges of the statements in a multi-statement text, split at `;`; empty
/// statements are left out and the ranges exclude the `;`.
pub(crate) fn split_statements(toks: &[Token]) -> Vec<std::ops::Range<usize>> {
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
                return (String::from_utf8_lossy(&v).into_owned(), i + 1);
            }
        } else {
            v.push(c);
            i += 1;
        }
    }
    (String::from_utf8_lossy(&v).into_owned(), i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_quotes_comments_and_hints() {
        let t = tokenize("select `a``b`, 'it''s', \"x\\ny\" /* c */ from t{snapshot = 's'} -- end");
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
}
