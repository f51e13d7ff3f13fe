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

/// The MariaDB version the backend runs (10.11): `/*M!NNNNNN ...*/` comments up to it run.
const BACKEND_VERSION_ID: u32 = 101199;

/// If `b[i..]` opens an executable comment (`/*!...`, `/*M!NNNNNN...`) whose content the
/// backend runs, the offset where its content starts.
fn executable_comment(b: &[u8], i: usize) -> Option<usize> {
    let rest = b.get(i..)?;
    let marker = if rest.starts_with(b"/*!") {
        3
    } else if rest.starts_with(b"/*M!") {
        4
    } else {
        return None;
    };
    let digits = rest[marker..].iter().take(6).take_while(|c| c.is_ascii_digit()).count();
    if digits == 6 {
        let version: u32 = std::str::from_utf8(&rest[marker..marker + 6]).ok()?.parse().ok()?;
        if version > BACKEND_VERSION_ID {
            return None;
        }
    }
    // Five-digit (MySQL) versions are all below MariaDB 10's, so their content runs.
    Some(i + marker + digits)
}

/// Splits `sql` into tokens, skipping whitespace and comments. The content of an executable
/// comment (`/*!40101 SET ... */`) is tokenized, since MariaDB runs it. An unterminated
/// quote runs to the end of the text; the backend will report it.
pub(crate) fn tokenize(sql: &[u8]) -> Vec<Token> {
    let b = sql;
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_exec_comment = false;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if in_exec_comment && c == b'*' && b.get(i + 1) == Some(&b'/') {
            in_exec_comment = false;
            i += 2;
        } else if c == b'#'
            || (c == b'-'
                && b.get(i + 1) == Some(&b'-')
                && b.get(i + 2).is_none_or(|x| x.is_ascii_whitespace() || x.is_ascii_control()))
        {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            if !in_exec_comment && let Some(content) = executable_comment(b, i) {
                in_exec_comment = true;
                i = content;
                continue;
            }
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
/// statements are left out and the ranges exclude the `;`. A `;` inside a compound
/// statement (a stored program's `BEGIN ... END`, MariaDB's `BEGIN NOT ATOMIC`, `IF ...
/// END IF`, ...) does not end it: MariaDB parses such a body as one statement.
pub(crate) fn split_statements(toks: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    // Open blocks of the current statement, when it can hold compound statements.
    let mut blocks: Option<Vec<Block>> = None;
    let mut i = 0;
    while i < toks.len() {
        if i == start {
            blocks = is_compound_start(toks, i).then(Vec::new);
        }
        let t = &toks[i];
        if t.is(';') && blocks.as_ref().is_none_or(Vec::is_empty) {
            if i > start {
                out.push(start..i);
            }
            start = i + 1;
        } else if let Some(open) = blocks.as_mut() {
            i = track_block(toks, i, i == start, open);
        }
        i += 1;
    }
    if toks.len() > start {
        out.push(start..toks.len());
    }
    out
}

/// A construct of a compound statement that `END` closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Begin,
    Case,
    If,
    Loop,
    While,
    Repeat,
    For,
}

impl Block {
    /// The block a keyword opens in statement position, other than BEGIN and CASE.
    fn opened_by(t: &Token) -> Option<Block> {
        const OPENERS: [(&str, Block); 5] = [
            ("if", Block::If),
            ("loop", Block::Loop),
            ("while", Block::While),
            ("repeat", Block::Repeat),
            ("for", Block::For),
        ];
        OPENERS.into_iter().find_map(|(k, b)| t.is_kw(k).then_some(b))
    }
}

/// Whether the statement starting at `toks[i]` can contain compound statements: a stored
/// program (`CREATE [OR REPLACE] [DEFINER = u] [AGGREGATE] PROCEDURE|FUNCTION|TRIGGER|EVENT`),
/// or one of MariaDB's compound statements outside a program (`BEGIN NOT ATOMIC`, `IF`,
/// `CASE`, loops, and labelled blocks).
fn is_compound_start(toks: &[Token], i: usize) -> bool {
    let kw = |j: usize, k: &str| toks.get(j).is_some_and(|t| t.is_kw(k));
    if kw(i, "begin") {
        return kw(i + 1, "not") && kw(i + 2, "atomic");
    }
    if toks.get(i).is_some_and(|t| Block::opened_by(t).is_some() || t.is_kw("case")) {
        return true;
    }
    if toks.get(i).is_some_and(|t| t.ident().is_some()) && toks.get(i + 1).is_some_and(|t| t.is(':')) {
        return true;
    }
    if !kw(i, "create") {
        return false;
    }
    let mut j = i + 1;
    if kw(j, "or") && kw(j + 1, "replace") {
        j += 2;
    }
    if kw(j, "definer") {
        // The definer is `user@host`, `'user'@'host'` or CURRENT_USER[()]: a few tokens.
        let limit = j + 8;
        while j < limit && j < toks.len() && !kw(j, "aggregate") && !is_program_kind(&toks[j]) {
            j += 1;
        }
    }
    if kw(j, "aggregate") {
        j += 1;
    }
    toks.get(j).is_some_and(is_program_kind)
}

fn is_program_kind(t: &Token) -> bool {
    ["procedure", "function", "trigger", "event", "package"].iter().any(|k| t.is_kw(k))
}

/// Updates the open blocks for `toks[i]` inside a compound statement; returns the index of
/// the last token it consumed (`END IF` is two tokens).
///
/// `BEGIN` and `CASE` always open a block; `IF`, `LOOP`, `WHILE`, `REPEAT` and `FOR` only
/// where a statement starts, since elsewhere they are functions (`IF(a, b, c)`). A bare
/// `END` closes the innermost `BEGIN` or `CASE`, dropping anything misread above it; `END
/// IF` and the like close their own kind.
fn track_block(toks: &[Token], i: usize, first: bool, open: &mut Vec<Block>) -> usize {
    let t = &toks[i];
    if t.is_kw("end") {
        let closes = toks
            .get(i + 1)
            .and_then(|n| if n.is_kw("case") { Some(Block::Case) } else { Block::opened_by(n) });
        match closes {
            Some(kind) => {
                if let Some(pos) = open.iter().rposition(|b| *b == kind) {
                    open.truncate(pos);
                }
                return i + 1;
            }
            None => {
                if let Some(pos) = open.iter().rposition(|b| matches!(b, Block::Begin | Block::Case)) {
                    open.truncate(pos);
                }
            }
        }
    } else if t.is_kw("begin") {
        open.push(Block::Begin);
    } else if t.is_kw("case") {
        open.push(Block::Case);
    } else if let Some(kind) = Block::opened_by(t) {
        let statement_position = first
            || toks.get(i.wrapping_sub(1)).is_some_and(|p| {
                p.is(';')
                    || p.is(':')
                    || ["begin", "then", "else", "do", "loop", "repeat", "atomic", "row"]
                        .iter()
                        .any(|k| p.is_kw(k))
            });
        if statement_position {
            open.push(kind);
        }
    }
    i
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

    #[test]
    fn executable_comments_are_code() {
        let toks = tokenize(b"/*!40101 SET @a = 1 */; /*M!999999 DROP TABLE x */ SELECT 2 /* ; */");
        let words: Vec<_> = toks.iter().filter_map(|t| t.ident().map(str::to_owned)).collect();
        assert_eq!(words, ["SET", "1", "SELECT", "2"]);
        assert_eq!(split_statements(&toks).len(), 2);
    }

    #[test]
    fn compound_statements_keep_their_semicolons() {
        let count = |sql: &str| split_statements(&tokenize(sql.as_bytes())).len();
        assert_eq!(count("select 1; select 2;; "), 2);
        assert_eq!(count("begin; insert into t values (1); commit"), 3);
        assert_eq!(
            count(
                "CREATE DEFINER=`root`@`%` PROCEDURE p(x INT) BEGIN DECLARE y INT; \
                 IF x > 0 THEN SET y = IF(x, 1, 2); ELSE SET y = CASE WHEN x THEN 1 END; END IF; \
                 l: LOOP LEAVE l; END LOOP l; WHILE (y < 3) DO SET y = y + 1; END WHILE; SELECT y; END; \
                 CALL p(1)"
            ),
            2
        );
        assert_eq!(count("CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1; SELECT 1"), 2);
        assert_eq!(count("BEGIN NOT ATOMIC SELECT 1; SELECT 2; END; SELECT 3"), 2);
        assert_eq!(count("CREATE FUNCTION f() RETURNS INT RETURN IF(1, 2, 3); SELECT f()"), 2);
        assert_eq!(count("CREATE TABLE event (a INT); CREATE TABLE procedure2 (b INT)"), 2);
    }
}
