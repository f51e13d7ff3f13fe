//! MatrixOne's fulltext search strings, parsed as MatrixOne parses them
//! (pkg/fulltext/fulltext.go: `ParsePatternInNLMode`, `ParsePatternInBooleanMode`,
//! `CreatePattern`, `ParsePhrase`, `PatternOptimizeJoin`) with its default tokenizer
//! (pkg/monlp/tokenizer/simple.go): Latin words are lower-cased runs of letters and digits,
//! CJK text is indexed as overlapping 3-grams (so a CJK query matches as a substring), and
//! there are no stopwords and no minimum word length (a query word shorter than 3
//! characters is a prefix search).
//!
//! Each leaf of a parsed pattern becomes a PCRE regular expression over the lower-cased
//! text of the matched columns (see [`Leaf::regex`]); `query` turns the tree into SQL.

use crate::error::SqlError;

/// The tokenizer's longest token, in bytes (`MAX_TOKEN_SIZE`).
const NGRAM: usize = 3;

/// MatrixOne's error for a search string with no words.
pub(crate) fn empty_pattern() -> SqlError {
    SqlError::internal("Invalid input search string.  search string converted to empty pattern")
}

/// A breaker (`isBreakerRune`): ASCII other than letters and digits, Unicode punctuation
/// and spaces.
pub(crate) fn is_breaker(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_alphanumeric();
    }
    c.is_whitespace() || is_punct(c)
}

/// Unicode punctuation, as far as CJK text needs it (general category P).
fn is_punct(c: char) -> bool {
    matches!(c as u32,
        0x00A1 | 0x00A7 | 0x00AB | 0x00B6 | 0x00B7 | 0x00BB | 0x00BF
        | 0x2010..=0x2027 | 0x2030..=0x205E | 0x3001..=0x3003 | 0x3008..=0x3011 | 0x3014..=0x301F
        | 0x30FB | 0xFE10..=0xFE19 | 0xFE30..=0xFE4F | 0xFE50..=0xFE6B
        | 0xFF01..=0xFF03 | 0xFF05..=0xFF0A | 0xFF0C..=0xFF0F | 0xFF1A | 0xFF1B | 0xFF1F | 0xFF20
        | 0xFF3B..=0xFF3D | 0xFF3F | 0xFF5B | 0xFF5D | 0xFF5F..=0xFF65)
}

/// A Latin character (`isLatin`: below U+0800) that is not a breaker.
fn is_latin(c: char) -> bool {
    (c as u32) < 0x7FF && !is_breaker(c)
}

/// One breaker character, in PCRE: ASCII other than letters and digits, or Unicode
/// punctuation and separators.
const BREAKER: &str = "(?:[\\x{0}-\\x{2f}\\x{3a}-\\x{60}\\x{7b}-\\x{7f}]|[\\p{P}\\p{Z}])";

/// One token of the default tokenizer: its text and byte position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) text: String,
    pub(crate) pos: usize,
}

/// The default tokenizer (`SimpleTokenizer.Tokenize`).
pub(crate) fn tokenize(input: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut run: Option<(usize, bool)> = None; // (start, latin)
    let flush = |out: &mut Vec<Token>, start: usize, end: usize, latin: bool| {
        let s = &input[start..end];
        if latin {
            let mut cut = s.len().min(23);
            while !s.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push(Token { text: s[..cut].to_lowercase(), pos: start });
        } else {
            // Overlapping 3-grams, then the 2- and 1-character tails (outputCJK).
            let idx: Vec<usize> = s.char_indices().map(|(i, _)| i).chain(std::iter::once(s.len())).collect();
            let n = idx.len() - 1;
            for a in 0..n {
                let b = (a + NGRAM).min(n);
                out.push(Token { text: s[idx[a]..idx[b]].to_owned(), pos: start + idx[a] });
            }
        }
    };
    for (i, c) in input.char_indices() {
        let kind = if is_breaker(c) { None } else { Some(is_latin(c)) };
        match (run, kind) {
            (Some((_, l)), Some(k)) if l == k => {}
            (Some((s, l)), k) => {
                flush(&mut out, s, i, l);
                run = k.map(|k| (i, k));
            }
            (None, k) => run = k.map(|k| (i, k)),
        }
    }
    if let Some((s, l)) = run {
        flush(&mut out, s, input.len(), l);
    }
    out
}

/// A search leaf: a span of the search string matched as a phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Leaf {
    /// The text matched, as in the search string.
    pub(crate) text: String,
    /// Whether the last word is a prefix (`re*`, or a word shorter than 3 characters).
    pub(crate) prefix: bool,
    /// Whether each word matches exactly as written (a quoted phrase) rather than after
    /// tokenizing.
    pub(crate) words: bool,
}

impl Leaf {
    /// The PCRE expression finding this leaf in lower-cased text: letters and digits as
    /// written, each run of breakers as that many breakers, a Latin word bounded by
    /// non-letters unless it is a prefix.
    pub(crate) fn regex(&self) -> String {
        const LATIN: &str = "0-9a-z\\x{c0}-\\x{24f}";
        let text = self.text.to_lowercase();
        let mut out = String::new();
        let chars: Vec<char> = text.chars().collect();
        if chars.first().is_some_and(|c| is_latin(*c)) {
            out.push_str(&format!("(?<![{LATIN}])"));
        }
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if is_breaker(c) {
                let mut n = 0;
                while i < chars.len() && is_breaker(chars[i]) {
                    n += 1;
                    i += 1;
                }
                out.push_str(BREAKER);
                out.push_str(&format!("{{{n}}}"));
                continue;
            }
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else {
                out.push_str(&format!("\\x{{{:x}}}", c as u32));
            }
            i += 1;
        }
        if !self.prefix && chars.last().is_some_and(|c| is_latin(*c)) {
            out.push_str(&format!("(?![{LATIN}])"));
        }
        out
    }

    /// The number of characters a match spans (fixed: every part of the expression
    /// matches a known number of characters).
    pub(crate) fn width(&self) -> usize {
        self.text.chars().count()
    }
}

/// A parsed search pattern (MatrixOne's `Pattern` operators).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// A word or phrase (TEXT, STAR, PHRASE).
    Leaf(Leaf),
    /// `+x`: must match.
    Plus(Box<Node>),
    /// `-x`: must not match.
    Minus(Box<Node>),
    /// `<x` (0.9) / `>x` (1.1): weighted.
    Weight(f32, Box<Node>),
    /// `~x`: counts against the score.
    Rankless(Box<Node>),
    /// `(a b)`: the best of its parts.
    Group(Vec<Node>),
    /// Several `+word`s, matched together (`PatternOptimizeJoin`).
    Join(Vec<Leaf>),
}

/// A natural-language search string: one phrase (`ParsePatternInNLMode`).
pub(crate) fn natural(pattern: &str) -> Result<Leaf, SqlError> {
    if pattern.chars().count() < NGRAM {
        if pattern.is_empty() {
            return Err(empty_pattern());
        }
        return Ok(Leaf { text: pattern.to_owned(), prefix: true, words: false });
    }
    let toks = tokenize(pattern);
    let (Some(first), Some(last)) = (toks.first(), toks.iter().max_by_key(|t| t.pos + t.text.len())) else {
        return Err(empty_pattern());
    };
    let end = last.pos + last.text.len();
    // The last token decides: a word shorter than 3 characters is a prefix (Latin), a CJK
    // tail is covered by its longest overlap.
    let tail = toks
        .iter()
        .filter(|t| t.pos + t.text.len() == end)
        .min_by_key(|t| t.pos)
        .map_or(0, |t| t.text.chars().count());
    let latin_tail = pattern[..end].chars().last().is_some_and(is_latin);
    let text = pattern.get(first.pos..end).unwrap_or(pattern).to_owned();
    Ok(Leaf { text, prefix: latin_tail && tail < NGRAM, words: false })
}

/// A boolean-mode search string (`ParsePattern` with FULLTEXT_BOOLEAN): lower-cased,
/// split, validated and ordered `+` first, then plain terms, then `-`.
pub(crate) fn boolean(pattern: &str) -> Result<Vec<Node>, SqlError> {
    let lower = pattern.to_lowercase();
    let nodes = parse_boolean(&lower)?;
    for n in &nodes {
        validate(n)?;
    }
    let (mut plus, mut values, mut minus) = (Vec::new(), Vec::new(), Vec::new());
    for n in nodes {
        match n {
            Node::Plus(_) => plus.push(n),
            Node::Minus(_) => minus.push(n),
            _ => values.push(n),
        }
    }
    let joinable = plus.iter().filter(|p| matches!(p, Node::Plus(c) if matches!(**c, Node::Leaf(_)))).count();
    let mut out = Vec::new();
    if joinable > 1 {
        let mut leaves = Vec::new();
        let mut rest = Vec::new();
        for p in plus {
            match p {
                Node::Plus(c) => match *c {
                    Node::Leaf(l) => leaves.push(l),
                    other => rest.push(Node::Plus(Box::new(other))),
                },
                other => rest.push(other),
            }
        }
        out.push(Node::Join(leaves));
        out.extend(rest);
    } else {
        out.extend(plus);
    }
    out.extend(values);
    out.extend(minus);
    Ok(out)
}

fn validate(n: &Node) -> Result<(), SqlError> {
    match n {
        Node::Plus(c) | Node::Minus(c) if matches!(**c, Node::Plus(_) | Node::Minus(_)) => {
            Err(SqlError::internal("double +/- operator"))
        }
        _ => Ok(()),
    }
}

/// `ParsePatternInBooleanMode`.
fn parse_boolean(pattern: &str) -> Result<Vec<Node>, SqlError> {
    if pattern.len() >= 2 && pattern.starts_with('"') && pattern.ends_with('"') {
        let inner = pattern[1..pattern.len() - 1].trim_matches(' ');
        if inner.is_empty() {
            return Err(SqlError::internal("phrase is empty string"));
        }
        return Ok(vec![Node::Leaf(Leaf { text: inner.to_owned(), prefix: false, words: true })]);
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            i += 1;
            continue;
        }
        let start = i;
        let mut depth = 0;
        while i < chars.len() {
            match chars[i] {
                '(' => depth += 1,
                ')' if depth > 0 => {
                    depth -= 1;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                ' ' if depth == 0 => break,
                _ => {}
            }
            i += 1;
        }
        if depth > 0 {
            return Err(SqlError::internal("no close bracket found"));
        }
        let word: String = chars[start..i].iter().collect();
        out.push(create(&word)?);
    }
    Ok(out)
}

/// `CreatePattern`: a word with its operator.
fn create(word: &str) -> Result<Node, SqlError> {
    let first = word.chars().next().ok_or_else(|| SqlError::internal("pattern is empty"))?;
    if first == '(' && word.ends_with(')') {
        let inner = word[1..word.len() - 1].trim();
        return Ok(Node::Group(parse_boolean(inner)?));
    }
    let rest = || -> Result<Node, SqlError> {
        let mut children = parse_boolean(&word[first.len_utf8()..])?;
        if children.len() != 1 {
            return Err(SqlError::internal("+/- must have single child with value"));
        }
        Ok(children.remove(0))
    };
    Ok(match first {
        '+' => Node::Plus(Box::new(rest()?)),
        '-' => Node::Minus(Box::new(rest()?)),
        '<' => Node::Weight(0.9, Box::new(rest()?)),
        '>' => Node::Weight(1.1, Box::new(rest()?)),
        '~' => Node::Rankless(Box::new(rest()?)),
        _ => match word.strip_suffix('*') {
            Some(p) if !p.is_empty() => Node::Leaf(Leaf { text: p.to_owned(), prefix: true, words: false }),
            // A plain word is searched as a natural-language phrase (`GenTextSql`).
            _ => Node::Leaf(natural(word)?),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_follow_the_simple_tokenizer() {
        let t: Vec<String> = tokenize("Color is RED").into_iter().map(|t| t.text).collect();
        assert_eq!(t, ["color", "is", "red"]);
        let t: Vec<String> = tokenize("教學指引").into_iter().map(|t| t.text).collect();
        assert_eq!(t, ["教學指", "學指引", "指引", "引"]);
    }

    #[test]
    fn leaves_become_regular_expressions() {
        let l = natural("is red").unwrap();
        assert_eq!(
            l.regex(),
            "(?<![0-9a-z\\x{c0}-\\x{24f}])is(?:[\\x{0}-\\x{2f}\\x{3a}-\\x{60}\\x{7b}-\\x{7f}]|[\\p{P}\\p{Z}]){1}red(?![0-9a-z\\x{c0}-\\x{24f}])"
        );
        assert_eq!(l.width(), 6);
        assert_eq!(natural("遠東").unwrap().regex(), "\\x{9060}\\x{6771}");
    }

    #[test]
    fn natural_language_is_one_phrase() {
        assert_eq!(natural("is red").unwrap(), Leaf { text: "is red".into(), prefix: false, words: false });
        assert_eq!(natural("re").unwrap(), Leaf { text: "re".into(), prefix: true, words: false });
        assert!(natural("red is").unwrap().prefix);
        assert_eq!(natural("教學指引").unwrap().text, "教學指引");
        assert_eq!(natural("]]]").unwrap_err().message, empty_pattern().message);
    }

    #[test]
    fn boolean_mode_orders_plus_values_minus() {
        let n = boolean("red +blue -green").unwrap();
        assert!(
            matches!(n[0], Node::Plus(_)) && matches!(n[1], Node::Leaf(_)) && matches!(n[2], Node::Minus(_))
        );
        let n = boolean("+red +blue").unwrap();
        assert!(matches!(&n[0], Node::Join(l) if l.len() == 2));
        let n = boolean("+red -(<blue >is)").unwrap();
        assert!(matches!(&n[1], Node::Minus(g) if matches!(**g, Node::Group(ref c) if c.len() == 2)));
        assert!(matches!(&boolean("\"is not red\"").unwrap()[0], Node::Leaf(l) if l.words));
        assert!(boolean("+]]]").is_err());
        assert!(matches!(&boolean("re*").unwrap()[0], Node::Leaf(l) if l.prefix && l.text == "re"));
    }
}
