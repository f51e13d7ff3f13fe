//! Fulltext index statements: [`FulltextIndex::create`] and [`FulltextIndex::drop`].
//!
//! Grammar: `create_index_stmt` with `index_prefix` FULLTEXT and `WITH PARSER ident`
//! (pkg/sql/parsers/dialect/mysql/mysql_sql.y); the parsers are those of
//! test/distributed/cases/fulltext (`ngram`, `json`, `json_value`, `gojieba`, and the default).

use crate::error::{Error, Result};
use crate::mo::vector::DropIndex;
use crate::mo::{Dialect, MoStatement};
use crate::result::ResultSet;
use crate::sql::{qualified_ident, quote_ident};

/// Entry point for the fulltext index statements; it has no values of its own.
#[derive(Debug)]
pub enum FulltextIndex {}

/// How the indexed text is split into words (`WITH PARSER ...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Parser {
    /// No `WITH PARSER` clause: MatrixOne's default word splitting.
    #[default]
    Default,
    /// `WITH PARSER ngram`: overlapping character n-grams (CJK text).
    Ngram,
    /// `WITH PARSER json`: the keys and values of a JSON document.
    Json,
    /// `WITH PARSER json_value`: the values of a JSON document.
    JsonValue,
    /// `WITH PARSER gojieba`: Chinese word segmentation.
    Gojieba,
}

impl Parser {
    fn clause(self) -> &'static str {
        match self {
            Parser::Default => "",
            Parser::Ngram => " WITH PARSER ngram",
            Parser::Json => " WITH PARSER json",
            Parser::JsonValue => " WITH PARSER json_value",
            Parser::Gojieba => " WITH PARSER gojieba",
        }
    }
}

impl FulltextIndex {
    /// `CREATE FULLTEXT INDEX name ON table (col, ...) [WITH PARSER ...]`.
    ///
    /// ```
    /// use matrixone::mo::fulltext::{FulltextIndex, Parser};
    /// assert_eq!(
    ///     FulltextIndex::create("ftidx", "src", ["body", "title"]).to_sql().unwrap(),
    ///     "CREATE FULLTEXT INDEX `ftidx` ON `src` (`body`, `title`)"
    /// );
    /// assert_eq!(
    ///     FulltextIndex::create("f", "t", ["doc"]).parser(Parser::Json).to_sql().unwrap(),
    ///     "CREATE FULLTEXT INDEX `f` ON `t` (`doc`) WITH PARSER json"
    /// );
    /// assert!(FulltextIndex::create("f", "t", Vec::<String>::new()).to_sql().is_err());
    /// ```
    pub fn create<I, S>(name: impl Into<String>, table: impl Into<String>, columns: I) -> CreateFulltextIndex
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        CreateFulltextIndex {
            name: name.into(),
            database: None,
            table: table.into(),
            columns: columns.into_iter().map(Into::into).collect(),
            parser: Parser::Default,
        }
    }

    /// `DROP INDEX name ON table`.
    ///
    /// ```
    /// use matrixone::mo::fulltext::FulltextIndex;
    /// assert_eq!(FulltextIndex::drop("f", "t").to_sql().unwrap(), "DROP INDEX `f` ON `t`");
    /// ```
    pub fn drop(name: impl Into<String>, table: impl Into<String>) -> DropIndex {
        crate::mo::vector::VectorIndex::drop(name, table)
    }
}

/// `CREATE FULLTEXT INDEX ...`. Built by [`FulltextIndex::create`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreateFulltextIndex {
    name: String,
    database: Option<String>,
    table: String,
    columns: Vec<String>,
    parser: Parser,
}

impl CreateFulltextIndex {
    /// The word splitting (default [`Parser::Default`], no clause).
    ///
    /// ```
    /// use matrixone::mo::fulltext::{FulltextIndex, Parser};
    /// assert!(FulltextIndex::create("f", "t", ["c"]).parser(Parser::Ngram).to_sql().unwrap().ends_with(" WITH PARSER ngram"));
    /// ```
    pub fn parser(mut self, parser: Parser) -> Self {
        self.parser = parser;
        self
    }

    /// The table's database (default: the session's).
    ///
    /// ```
    /// use matrixone::mo::fulltext::FulltextIndex;
    /// assert!(FulltextIndex::create("f", "t", ["c"]).database("d").to_sql().unwrap().contains(" ON `d`.`t` "));
    /// ```
    pub fn database(mut self, database: impl Into<String>) -> Self {
        self.database = Some(database.into());
        self
    }
}

impl MoStatement for CreateFulltextIndex {
    type Output = ();

    fn render(&self, _dialect: Dialect) -> Result<String> {
        if self.columns.is_empty() {
            return Err(Error::invalid_input("a fulltext index needs at least one column"));
        }
        let columns = self.columns.iter().map(|c| quote_ident(c)).collect::<Result<Vec<_>>>()?.join(", ");
        Ok(format!(
            "CREATE FULLTEXT INDEX {} ON {} ({columns}){}",
            quote_ident(&self.name)?,
            qualified_ident(self.database.as_deref(), &self.table)?,
            self.parser.clause()
        ))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

crate::mo::impl_to_sql!(CreateFulltextIndex);
