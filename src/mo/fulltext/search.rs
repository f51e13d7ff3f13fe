//! `MATCH (cols) AGAINST (text mode)` as a sea-query expression, for a `WHERE` condition and as
//! the relevance column, and [`BooleanQuery`], which turns user words into a boolean-mode query
//! in which nothing the user typed is an operator.

use sea_query::{Alias, Expr};

use crate::error::{Error, Result};

/// The search mode of `AGAINST`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum SearchMode {
    /// `IN NATURAL LANGUAGE MODE`: the text is words, ranked by relevance; no operators.
    #[default]
    NaturalLanguage,
    /// `IN BOOLEAN MODE`: `+word`, `-word`, `"phrase"`, `word*`, ... are operators. Build the
    /// text from user input with [`BooleanQuery`].
    Boolean,
}

impl SearchMode {
    fn keywords(self) -> &'static str {
        match self {
            SearchMode::NaturalLanguage => "IN NATURAL LANGUAGE MODE",
            SearchMode::Boolean => "IN BOOLEAN MODE",
        }
    }
}

/// `MATCH (col, ...) AGAINST (? mode)` with `text` bound as a value (escaped by the SDK's binder
/// or sent as a parameter, never spliced). Use it as a condition and, with `expr_as`, as the
/// relevance score.
///
/// ```
/// use sea_query::{MysqlQueryBuilder, Order, Query};
/// use matrixone::mo::fulltext::{SearchMode, match_against};
/// let sql = Query::select()
///     .column("id")
///     .expr_as(match_against(["body", "title"], "red apple", SearchMode::NaturalLanguage), "score")
///     .from("src")
///     .and_where(match_against(["body", "title"], "red apple", SearchMode::NaturalLanguage))
///     .order_by("score", Order::Desc)
///     .to_string(MysqlQueryBuilder);
/// assert_eq!(
///     sql,
///     "SELECT `id`, MATCH (`body`, `title`) AGAINST ('red apple' IN NATURAL LANGUAGE MODE) AS `score` \
///      FROM `src` WHERE MATCH (`body`, `title`) AGAINST ('red apple' IN NATURAL LANGUAGE MODE) ORDER BY `score` DESC"
/// );
/// ```
pub fn match_against<I, S>(columns: I, text: impl Into<String>, mode: SearchMode) -> Expr
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut exprs: Vec<Expr> = columns.into_iter().map(|c| Expr::col(Alias::new(c.into()))).collect();
    let mut template = String::from("MATCH (");
    for i in 0..exprs.len() {
        template.push_str(if i == 0 { "?" } else { ", ?" });
    }
    template.push_str(") AGAINST (? ");
    template.push_str(mode.keywords());
    template.push(')');
    exprs.push(Expr::val(text.into()));
    Expr::cust_with_exprs(template, exprs)
}

/// [`match_against`] in natural-language mode.
///
/// ```
/// use sea_query::{MysqlQueryBuilder, Query};
/// use matrixone::mo::fulltext::match_natural;
/// let sql = Query::select().expr(match_natural(["body"], "it's +red")).to_string(MysqlQueryBuilder);
/// assert_eq!(sql, "SELECT MATCH (`body`) AGAINST ('it\\'s +red' IN NATURAL LANGUAGE MODE)");
/// ```
pub fn match_natural<I, S>(columns: I, text: impl Into<String>) -> Expr
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    match_against(columns, text, SearchMode::NaturalLanguage)
}

/// [`match_against`] in boolean mode with a query built by [`BooleanQuery`]; an empty query is an
/// [`crate::ErrorKind::InvalidInput`] error.
///
/// ```
/// use sea_query::{MysqlQueryBuilder, Query};
/// use matrixone::mo::fulltext::{BooleanQuery, match_boolean};
/// let q = BooleanQuery::new().must("red").must_not("blue");
/// let sql = Query::select().expr(match_boolean(["body"], &q).unwrap()).to_string(MysqlQueryBuilder);
/// assert_eq!(sql, "SELECT MATCH (`body`) AGAINST ('+red -blue' IN BOOLEAN MODE)");
/// ```
pub fn match_boolean<I, S>(columns: I, query: &BooleanQuery) -> Result<Expr>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    Ok(match_against(columns, query.to_query()?, SearchMode::Boolean))
}

/// How a term takes part in a boolean-mode query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Occur {
    Must,
    Should,
    MustNot,
}

/// A boolean-mode query built from user words: every word the user typed is only a word.
///
/// Boolean mode reads `+ - < > ~ * " ( ) @` as operators (MatrixOne:
/// `ParsePatternInBooleanMode` and `GetOp` in pkg/fulltext/fulltext.go), so user text put there
/// as it is changes the query (`-` excludes, `*` widens, an unbalanced `(` or `"` is an error).
/// This builder splits user text into words at white space and at those characters, drops them,
/// and puts its own operator before each word. Quotes in the text never reach the SQL unescaped:
/// the query is bound as a value.
///
/// ```
/// use matrixone::mo::fulltext::BooleanQuery;
/// let q = BooleanQuery::new().must("red apple").should("fresh").must_not("-rotten* (old)");
/// assert_eq!(q.to_query().unwrap(), "+red +apple fresh -rotten -old");
/// assert_eq!(BooleanQuery::new().should("\"+x\" ~y <z> @3").to_query().unwrap(), "x y z 3");
/// assert!(BooleanQuery::new().should("+-*").to_query().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BooleanQuery {
    terms: Vec<(Occur, String)>,
}

/// The characters boolean mode reads as operators (MySQL's list; MatrixOne's is a subset).
fn is_operator(c: char) -> bool {
    matches!(c, '+' | '-' | '<' | '>' | '~' | '*' | '"' | '(' | ')' | '@')
}

impl BooleanQuery {
    /// An empty query.
    pub fn new() -> Self {
        Self::default()
    }

    fn add(mut self, occur: Occur, text: &str) -> Self {
        for word in text.split(|c: char| c.is_whitespace() || is_operator(c)).filter(|w| !w.is_empty()) {
            self.terms.push((occur, word.to_owned()));
        }
        self
    }

    /// Every word of `text` must occur (`+word`).
    ///
    /// ```
    /// use matrixone::mo::fulltext::BooleanQuery;
    /// assert_eq!(BooleanQuery::new().must("a b").to_query().unwrap(), "+a +b");
    /// ```
    pub fn must(self, text: &str) -> Self {
        self.add(Occur::Must, text)
    }

    /// The words of `text` raise the score when they occur (`word`).
    ///
    /// ```
    /// use matrixone::mo::fulltext::BooleanQuery;
    /// assert_eq!(BooleanQuery::new().should("a b").to_query().unwrap(), "a b");
    /// ```
    pub fn should(self, text: &str) -> Self {
        self.add(Occur::Should, text)
    }

    /// No word of `text` may occur (`-word`).
    ///
    /// ```
    /// use matrixone::mo::fulltext::BooleanQuery;
    /// assert_eq!(BooleanQuery::new().should("a").must_not("b").to_query().unwrap(), "a -b");
    /// ```
    pub fn must_not(self, text: &str) -> Self {
        self.add(Occur::MustNot, text)
    }

    /// The boolean-mode query text. A query without a word to look for (empty, or only
    /// excluded words) is an [`crate::ErrorKind::InvalidInput`] error: it could match nothing.
    pub fn to_query(&self) -> Result<String> {
        if !self.terms.iter().any(|(o, _)| *o != Occur::MustNot) {
            return Err(Error::invalid_input(
                "a boolean fulltext query needs at least one word to look for (operators are not words)",
            ));
        }
        let mut out = String::new();
        for (occur, word) in &self.terms {
            if !out.is_empty() {
                out.push(' ');
            }
            match occur {
                Occur::Must => out.push('+'),
                Occur::MustNot => out.push('-'),
                Occur::Should => {}
            }
            out.push_str(word);
        }
        Ok(out)
    }
}
