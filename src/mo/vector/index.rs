//! Vector index statements: [`VectorIndex::ivfflat`], [`VectorIndex::hnsw`],
//! [`VectorIndex::drop`], [`VectorIndex::reindex`], and what `SHOW INDEX` tells
//! ([`IndexInfo`]).
//!
//! Grammar: `create_index_stmt` and `index_option` in pkg/sql/parsers/dialect/mysql/mysql_sql.y
//! (`USING IVFFLAT | HNSW`, `LISTS`, `M`, `EF_CONSTRUCTION`, `EF_SEARCH`, `OP_TYPE 'string'`);
//! `ALTER TABLE t ALTER REINDEX idx IVFFLAT LISTS=n` as in
//! test/distributed/cases/vector/vector_index.sql. HNSW needs the session switch
//! `experimental_hnsw_index = 1` on MatrixOne: set it for every pooled connection with
//! [`crate::ConnectOptions::session_variable`].

use crate::error::{Error, Result};
use crate::mo::vector::Metric;
use crate::mo::{Dialect, MoStatement};
use crate::result::ResultSet;
use crate::sql::{qualified_ident, quote_ident};

/// Entry point for the vector index statements; it has no values of its own.
#[derive(Debug)]
pub enum VectorIndex {}

/// The index algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// IVF-FLAT: `lists` clusters, searched exhaustively within the nearest ones.
    IvfFlat,
    /// HNSW: a navigable small-world graph (MatrixOne: `vecf32`/`vecf64` columns, one per column).
    Hnsw,
}

impl VectorIndex {
    /// `CREATE INDEX name USING ivfflat ON table (column) [lists = n] op_type '...'`.
    ///
    /// ```
    /// use matrixone::mo::vector::{Metric, VectorIndex};
    /// assert_eq!(
    ///     VectorIndex::ivfflat("idx", "docs", "emb").lists(4).op_type(Metric::Cosine).to_sql().unwrap(),
    ///     "CREATE INDEX `idx` USING ivfflat ON `docs` (`emb`) lists = 4 op_type 'vector_cosine_ops'"
    /// );
    /// ```
    pub fn ivfflat(
        name: impl Into<String>,
        table: impl Into<String>,
        column: impl Into<String>,
    ) -> CreateVectorIndex {
        CreateVectorIndex::new(Algorithm::IvfFlat, name.into(), table.into(), column.into())
    }

    /// `CREATE INDEX name USING hnsw ON table (column) [M = n] [EF_CONSTRUCTION = n]
    /// [EF_SEARCH = n] op_type '...'`.
    ///
    /// ```
    /// use matrixone::mo::vector::VectorIndex;
    /// assert_eq!(
    ///     VectorIndex::hnsw("h", "docs", "emb").m(16).ef_construction(64).ef_search(40).to_sql().unwrap(),
    ///     "CREATE INDEX `h` USING hnsw ON `docs` (`emb`) M = 16 EF_CONSTRUCTION = 64 EF_SEARCH = 40 op_type 'vector_l2_ops'"
    /// );
    /// ```
    pub fn hnsw(
        name: impl Into<String>,
        table: impl Into<String>,
        column: impl Into<String>,
    ) -> CreateVectorIndex {
        CreateVectorIndex::new(Algorithm::Hnsw, name.into(), table.into(), column.into())
    }

    /// `DROP INDEX name ON table` (any index, vector or fulltext).
    ///
    /// ```
    /// use matrixone::mo::vector::VectorIndex;
    /// assert_eq!(VectorIndex::drop("idx", "docs").to_sql().unwrap(), "DROP INDEX `idx` ON `docs`");
    /// ```
    pub fn drop(name: impl Into<String>, table: impl Into<String>) -> DropIndex {
        DropIndex { name: name.into(), database: None, table: table.into() }
    }

    /// `ALTER TABLE table ALTER REINDEX name IVFFLAT LISTS = n`: rebuilds an IVF-FLAT index's
    /// clusters, e.g. after the data grew.
    ///
    /// ```
    /// use matrixone::mo::vector::VectorIndex;
    /// assert_eq!(
    ///     VectorIndex::reindex("idx", "docs", 8).to_sql().unwrap(),
    ///     "ALTER TABLE `docs` ALTER REINDEX `idx` IVFFLAT LISTS = 8"
    /// );
    /// assert!(VectorIndex::reindex("idx", "docs", 0).to_sql().is_err());
    /// ```
    pub fn reindex(name: impl Into<String>, table: impl Into<String>, lists: u32) -> Reindex {
        Reindex { name: name.into(), database: None, table: table.into(), lists }
    }
}

/// `CREATE INDEX ... USING ivfflat|hnsw ...`. Built by [`VectorIndex::ivfflat`] or
/// [`VectorIndex::hnsw`]; runs to `()`. An option of the other algorithm is refused when it
/// renders.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreateVectorIndex {
    algorithm: Algorithm,
    name: String,
    database: Option<String>,
    table: String,
    column: String,
    op_type: Metric,
    lists: Option<u32>,
    m: Option<u32>,
    ef_construction: Option<u32>,
    ef_search: Option<u32>,
}

impl CreateVectorIndex {
    fn new(algorithm: Algorithm, name: String, table: String, column: String) -> Self {
        CreateVectorIndex {
            algorithm,
            name,
            database: None,
            table,
            column,
            op_type: Metric::L2,
            lists: None,
            m: None,
            ef_construction: None,
            ef_search: None,
        }
    }

    /// The index name as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The table's database (default: the session's).
    ///
    /// ```
    /// use matrixone::mo::vector::VectorIndex;
    /// assert!(VectorIndex::ivfflat("i", "t", "v").database("d").to_sql().unwrap().contains("ON `d`.`t` (`v`)"));
    /// ```
    pub fn database(mut self, database: impl Into<String>) -> Self {
        self.database = Some(database.into());
        self
    }

    /// The metric the index serves (its `op_type`; default [`Metric::L2`], `vector_l2_ops`).
    ///
    /// ```
    /// use matrixone::mo::vector::{Metric, VectorIndex};
    /// assert!(VectorIndex::ivfflat("i", "t", "v").op_type(Metric::InnerProduct).to_sql().unwrap().ends_with("op_type 'vector_ip_ops'"));
    /// ```
    pub fn op_type(mut self, metric: Metric) -> Self {
        self.op_type = metric;
        self
    }

    /// IVF-FLAT: the number of clusters (`lists`, at least 1).
    ///
    /// ```
    /// use matrixone::mo::vector::VectorIndex;
    /// assert!(VectorIndex::ivfflat("i", "t", "v").lists(0).to_sql().is_err());
    /// assert!(VectorIndex::hnsw("i", "t", "v").lists(4).to_sql().is_err());
    /// ```
    pub fn lists(mut self, lists: u32) -> Self {
        self.lists = Some(lists);
        self
    }

    /// HNSW: the graph's links per node (`M`).
    ///
    /// ```
    /// use matrixone::mo::vector::VectorIndex;
    /// assert!(VectorIndex::hnsw("i", "t", "v").m(48).to_sql().unwrap().contains(" M = 48 "));
    /// assert!(VectorIndex::ivfflat("i", "t", "v").m(48).to_sql().is_err());
    /// ```
    pub fn m(mut self, m: u32) -> Self {
        self.m = Some(m);
        self
    }

    /// HNSW: the candidate list size while building (`EF_CONSTRUCTION`).
    ///
    /// ```
    /// use matrixone::mo::vector::VectorIndex;
    /// assert!(VectorIndex::hnsw("i", "t", "v").ef_construction(64).to_sql().unwrap().contains(" EF_CONSTRUCTION = 64 "));
    /// ```
    pub fn ef_construction(mut self, ef: u32) -> Self {
        self.ef_construction = Some(ef);
        self
    }

    /// HNSW: the candidate list size while searching (`EF_SEARCH`).
    ///
    /// ```
    /// use matrixone::mo::vector::VectorIndex;
    /// assert!(VectorIndex::hnsw("i", "t", "v").ef_search(32).to_sql().unwrap().contains(" EF_SEARCH = 32 "));
    /// ```
    pub fn ef_search(mut self, ef: u32) -> Self {
        self.ef_search = Some(ef);
        self
    }
}

fn positive(what: &str, v: Option<u32>) -> Result<Option<u32>> {
    match v {
        Some(0) => Err(Error::invalid_input(format!("{what} must be at least 1"))),
        v => Ok(v),
    }
}

impl MoStatement for CreateVectorIndex {
    type Output = ();

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let name = quote_ident(&self.name)?;
        let table = qualified_ident(self.database.as_deref(), &self.table)?;
        let column = quote_ident(&self.column)?;
        let (using, options) = match self.algorithm {
            Algorithm::IvfFlat => {
                if self.m.is_some() || self.ef_construction.is_some() || self.ef_search.is_some() {
                    return Err(Error::invalid_input(
                        "M, EF_CONSTRUCTION and EF_SEARCH are HNSW options, not IVF-FLAT's",
                    ));
                }
                let lists =
                    positive("lists", self.lists)?.map(|n| format!(" lists = {n}")).unwrap_or_default();
                ("ivfflat", lists)
            }
            Algorithm::Hnsw => {
                if self.lists.is_some() {
                    return Err(Error::invalid_input("lists is an IVF-FLAT option, not HNSW's"));
                }
                let mut options = String::new();
                for (key, value) in
                    [("M", self.m), ("EF_CONSTRUCTION", self.ef_construction), ("EF_SEARCH", self.ef_search)]
                {
                    if let Some(v) = positive(key, value)? {
                        options.push_str(&format!(" {key} = {v}"));
                    }
                }
                ("hnsw", options)
            }
        };
        let op_type = self.op_type.op_type();
        Ok(format!("CREATE INDEX {name} USING {using} ON {table} ({column}){options} op_type '{op_type}'"))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `DROP INDEX name ON table`. Built by [`VectorIndex::drop`] (or
/// [`crate::mo::fulltext::FulltextIndex::drop`]); runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DropIndex {
    name: String,
    database: Option<String>,
    table: String,
}

impl DropIndex {
    /// The table's database (default: the session's).
    ///
    /// ```
    /// use matrixone::mo::vector::VectorIndex;
    /// assert_eq!(VectorIndex::drop("i", "t").database("d").to_sql().unwrap(), "DROP INDEX `i` ON `d`.`t`");
    /// ```
    pub fn database(mut self, database: impl Into<String>) -> Self {
        self.database = Some(database.into());
        self
    }
}

impl MoStatement for DropIndex {
    type Output = ();

    fn render(&self, _dialect: Dialect) -> Result<String> {
        Ok(format!(
            "DROP INDEX {} ON {}",
            quote_ident(&self.name)?,
            qualified_ident(self.database.as_deref(), &self.table)?
        ))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `ALTER TABLE table ALTER REINDEX name IVFFLAT LISTS = n`. Built by [`VectorIndex::reindex`];
/// runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reindex {
    name: String,
    database: Option<String>,
    table: String,
    lists: u32,
}

impl Reindex {
    /// The table's database (default: the session's).
    ///
    /// ```
    /// use matrixone::mo::vector::VectorIndex;
    /// assert!(VectorIndex::reindex("i", "t", 2).database("d").to_sql().unwrap().starts_with("ALTER TABLE `d`.`t` "));
    /// ```
    pub fn database(mut self, database: impl Into<String>) -> Self {
        self.database = Some(database.into());
        self
    }
}

impl MoStatement for Reindex {
    type Output = ();

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let lists = positive("lists", Some(self.lists))?.unwrap_or(1);
        Ok(format!(
            "ALTER TABLE {} ALTER REINDEX {} IVFFLAT LISTS = {lists}",
            qualified_ident(self.database.as_deref(), &self.table)?,
            quote_ident(&self.name)?
        ))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

crate::mo::impl_to_sql!(CreateVectorIndex, DropIndex, Reindex);

/// One row of `SHOW INDEX FROM table`: an index and one of its columns.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IndexInfo {
    /// The index name (`Key_name`).
    pub name: String,
    /// The indexed column (`Column_name`).
    pub column: String,
    /// The index type as the server reports it (`Index_type`: `BTREE`, `FULLTEXT`, `IVFFLAT`,
    /// `HNSW`, ...).
    pub index_type: String,
    /// The index parameters as MatrixOne shows them (`Index_params`, a JSON text such as
    /// `{"lists":"2","op_type":"vector_l2_ops"}`), when the server has that column.
    pub params: Option<String>,
}

/// `SHOW INDEX FROM table`: runs to the table's [`IndexInfo`]s.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShowIndex {
    pub(crate) database: Option<String>,
    pub(crate) table: String,
}

impl MoStatement for ShowIndex {
    type Output = Vec<IndexInfo>;

    fn render(&self, _dialect: Dialect) -> Result<String> {
        Ok(format!("SHOW INDEX FROM {}", qualified_ident(self.database.as_deref(), &self.table)?))
    }

    fn decode_output(result: ResultSet) -> Result<Vec<IndexInfo>> {
        result
            .iter()
            .map(|row| {
                Ok(IndexInfo {
                    name: row.get("Key_name")?,
                    column: row.get_optional("Column_name")?.unwrap_or_default(),
                    index_type: row.get_optional("Index_type")?.unwrap_or_default(),
                    params: row.get_optional::<String>("Index_params")?.filter(|p| !p.is_empty()),
                })
            })
            .collect()
    }
}
