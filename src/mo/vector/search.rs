//! [`Knn`]: a k-nearest-neighbour search over a vector column, returning typed rows with their
//! distance.

use sea_query::{Condition, Expr, IntoCondition, MysqlQueryBuilder, Query};

use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::from_row::FromRow;
use crate::mo::vector::Metric;
use crate::mo::vector::{Vecf32, Vecf64};
use crate::sql::{qualified_ident, quote_ident};
use crate::statement::Statement;
use crate::value::Value;

/// The query vector of a search: either precision.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum QueryVector {
    /// A `vecf32` query.
    F32(Vecf32),
    /// A `vecf64` query.
    F64(Vecf64),
}

impl QueryVector {
    fn to_literal(&self) -> Result<String> {
        match self {
            QueryVector::F32(v) => v.to_literal(),
            QueryVector::F64(v) => v.to_literal(),
        }
    }
}

impl From<Vecf32> for QueryVector {
    fn from(v: Vecf32) -> Self {
        QueryVector::F32(v)
    }
}
impl From<&Vecf32> for QueryVector {
    fn from(v: &Vecf32) -> Self {
        QueryVector::F32(v.clone())
    }
}
impl From<Vecf64> for QueryVector {
    fn from(v: Vecf64) -> Self {
        QueryVector::F64(v)
    }
}
impl From<&Vecf64> for QueryVector {
    fn from(v: &Vecf64) -> Self {
        QueryVector::F64(v.clone())
    }
}
impl From<Vec<f32>> for QueryVector {
    fn from(v: Vec<f32>) -> Self {
        QueryVector::F32(v.into())
    }
}
impl From<&[f32]> for QueryVector {
    fn from(v: &[f32]) -> Self {
        QueryVector::F32(v.into())
    }
}

/// MatrixOne's `BY RANK WITH OPTION 'mode=...'`: how a vector index and a filter combine
/// (pkg/sql/parsers/dialect/mysql/mysql_sql.y, `BY RANK WITH OPTION`; test/distributed/cases/vector).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RankMode {
    /// `mode=pre`: filter first, then rank what is left (exact among the filtered rows).
    Pre,
    /// `mode=post`: rank through the index, then filter (may return fewer than `k` rows).
    Post,
    /// `mode=force`: use the vector index whatever the planner would choose.
    Force,
}

impl RankMode {
    fn option(self) -> &'static str {
        match self {
            RankMode::Pre => "'mode=pre'",
            RankMode::Post => "'mode=post'",
            RankMode::Force => "'mode=force'",
        }
    }
}

/// One row of a [`Knn`] search: the row as `T` and its distance to the query vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit<T> {
    /// The row, decoded with `T`'s [`FromRow`].
    pub row: T,
    /// Its distance under the search's [`Metric`] (smaller is nearer).
    pub distance: f64,
}

/// A k-nearest-neighbour search: `SELECT cols, <metric>(column, query) AS distance FROM table
/// [WHERE filter] ORDER BY <metric>(column, query) LIMIT k [BY RANK WITH OPTION 'mode=..']`.
///
/// The query vector is inlined as its literal; the filter's values are bound.
///
/// ```
/// use sea_query::{Expr, ExprTrait};
/// use matrixone::Vecf32;
/// use matrixone::mo::vector::{Knn, Metric, RankMode};
///
/// let knn = Knn::new("docs", "emb", Vecf32::from(vec![1.0, 2.0]))
///     .metric(Metric::Cosine)
///     .k(3)
///     .columns(["id", "title"])
///     .filter(Expr::col("lang").eq("en"))
///     .mode(RankMode::Pre);
/// assert_eq!(
///     knn.to_sql().unwrap(),
///     "SELECT `id`, `title`, cosine_distance(`emb`, '[1,2]') AS `distance` FROM `docs` \
///      WHERE `lang` = 'en' ORDER BY cosine_distance(`emb`, '[1,2]') ASC LIMIT 3 \
///      BY RANK WITH OPTION 'mode=pre'"
/// );
/// assert!(Knn::new("docs", "emb", vec![f32::NAN]).to_sql().is_err());
/// ```
#[derive(Debug, Clone)]
pub struct Knn {
    database: Option<String>,
    table: String,
    column: String,
    query: QueryVector,
    metric: Metric,
    k: u64,
    filter: Option<Condition>,
    columns: Vec<String>,
    mode: Option<RankMode>,
    distance_alias: String,
}

impl Knn {
    /// The `k` (default 10) rows of `table` nearest to `query` in `column`, by
    /// [`Metric::L2`] unless [`Knn::metric`] says otherwise; all columns unless [`Knn::columns`].
    pub fn new(table: impl Into<String>, column: impl Into<String>, query: impl Into<QueryVector>) -> Knn {
        Knn {
            database: None,
            table: table.into(),
            column: column.into(),
            query: query.into(),
            metric: Metric::L2,
            k: 10,
            filter: None,
            columns: Vec::new(),
            mode: None,
            distance_alias: "distance".into(),
        }
    }

    /// The table's database (default: the session's).
    ///
    /// ```
    /// use matrixone::mo::vector::Knn;
    /// let sql = Knn::new("docs", "emb", vec![1.0]).database("db").k(1).to_sql().unwrap();
    /// assert!(sql.contains("FROM `db`.`docs`"));
    /// ```
    pub fn database(mut self, database: impl Into<String>) -> Knn {
        self.database = Some(database.into());
        self
    }

    /// The distance measure (default [`Metric::L2`]); match the index's `op_type` for it to be
    /// used.
    ///
    /// ```
    /// use matrixone::mo::vector::{Knn, Metric};
    /// let sql = Knn::new("t", "v", vec![1.0]).metric(Metric::InnerProduct).to_sql().unwrap();
    /// assert!(sql.starts_with("SELECT *, inner_product(`v`, '[1]') AS `distance`"));
    /// ```
    pub fn metric(mut self, metric: Metric) -> Knn {
        self.metric = metric;
        self
    }

    /// How many rows (default 10; 0 is refused when the search renders).
    ///
    /// ```
    /// use matrixone::mo::vector::Knn;
    /// assert!(Knn::new("t", "v", vec![1.0]).k(5).to_sql().unwrap().ends_with("LIMIT 5"));
    /// assert!(Knn::new("t", "v", vec![1.0]).k(0).to_sql().is_err());
    /// ```
    pub fn k(mut self, k: u64) -> Knn {
        self.k = k;
        self
    }

    /// Only rows matching `condition` (a sea-query condition; its values are bound).
    ///
    /// ```
    /// use sea_query::{Cond, Expr, ExprTrait};
    /// use matrixone::mo::vector::Knn;
    /// let knn = Knn::new("t", "v", vec![1.0]).filter(Cond::all().add(Expr::col("a").gt(1)).add(Expr::col("b").is_null()));
    /// let stmt = knn.to_statement().unwrap();
    /// assert!(stmt.sql().contains("WHERE `a` > ? AND `b` IS NULL ORDER BY"));
    /// assert_eq!(stmt.values().len(), 1);
    /// ```
    pub fn filter(mut self, condition: impl IntoCondition) -> Knn {
        self.filter = Some(condition.into_condition());
        self
    }

    /// The columns to return (default: all, `*`).
    ///
    /// ```
    /// use matrixone::mo::vector::Knn;
    /// let sql = Knn::new("t", "v", vec![1.0]).columns(["id"]).to_sql().unwrap();
    /// assert!(sql.starts_with("SELECT `id`, l2_distance(`v`, '[1]') AS `distance` FROM `t`"));
    /// ```
    pub fn columns<I, S>(mut self, columns: I) -> Knn
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.columns = columns.into_iter().map(Into::into).collect();
        self
    }

    /// MatrixOne's `BY RANK WITH OPTION 'mode=..'` (default: none, the server decides).
    ///
    /// ```
    /// use matrixone::mo::vector::{Knn, RankMode};
    /// let sql = Knn::new("t", "v", vec![1.0]).mode(RankMode::Post).to_sql().unwrap();
    /// assert!(sql.ends_with("LIMIT 10 BY RANK WITH OPTION 'mode=post'"));
    /// ```
    pub fn mode(mut self, mode: RankMode) -> Knn {
        self.mode = Some(mode);
        self
    }

    /// The label of the distance column (default `distance`), when a returned column has that
    /// name.
    ///
    /// ```
    /// use matrixone::mo::vector::Knn;
    /// let sql = Knn::new("t", "v", vec![1.0]).distance_as("d").to_sql().unwrap();
    /// assert!(sql.contains("AS `d` FROM"));
    /// ```
    pub fn distance_as(mut self, alias: impl Into<String>) -> Knn {
        self.distance_alias = alias.into();
        self
    }

    /// The statement: SQL with the filter's values bound (the query vector is inlined).
    pub fn to_statement(&self) -> Result<Statement> {
        if self.k == 0 {
            return Err(Error::invalid_input("a kNN search needs k >= 1"));
        }
        let literal = self.query.to_literal()?;
        let distance = format!("{}({}, {literal})", self.metric.function(), quote_ident(&self.column)?);
        let mut sql = String::with_capacity(128 + 2 * distance.len());
        sql.push_str("SELECT ");
        if self.columns.is_empty() {
            sql.push('*');
        } else {
            for (i, c) in self.columns.iter().enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&quote_ident(c)?);
            }
        }
        sql.push_str(", ");
        sql.push_str(&distance);
        sql.push_str(" AS ");
        sql.push_str(&quote_ident(&self.distance_alias)?);
        sql.push_str(" FROM ");
        sql.push_str(&qualified_ident(self.database.as_deref(), &self.table)?);
        let mut values = Vec::new();
        if let Some(filter) = &self.filter {
            // sea-query renders the condition (quoting its own column names, binding its values);
            // a constant select around it is cut away.
            let (rendered, bound) =
                Query::select().expr(Expr::cust("1")).cond_where(filter.clone()).build(MysqlQueryBuilder);
            match rendered.strip_prefix("SELECT 1 WHERE ") {
                Some(condition) => {
                    sql.push_str(" WHERE ");
                    sql.push_str(condition);
                }
                // An empty condition renders no WHERE: nothing to filter by.
                None if rendered == "SELECT 1" => {}
                None => {
                    return Err(Error::invalid_input(format!(
                        "the kNN filter rendered as {rendered:?}, not as a WHERE condition"
                    )));
                }
            }
            values = bound.into_iter().map(Value::try_from).collect::<Result<Vec<Value>>>()?;
        }
        sql.push_str(" ORDER BY ");
        sql.push_str(&distance);
        sql.push_str(" ASC LIMIT ");
        sql.push_str(&self.k.to_string());
        if let Some(mode) = self.mode {
            sql.push_str(" BY RANK WITH OPTION ");
            sql.push_str(mode.option());
        }
        Ok(values.into_iter().fold(Statement::new(sql), Statement::bind))
    }

    /// The SQL with the filter's values inlined (for logs and tests; running uses
    /// [`Knn::to_statement`]).
    pub fn to_sql(&self) -> Result<String> {
        let stmt = self.to_statement()?;
        crate::sql::inline_values(stmt.sql(), stmt.values(), crate::sql::EscapeMode::Backslash)
    }

    /// Runs the search: the rows as `T` (its [`FromRow`] reads the returned columns by name) with
    /// their distance, nearest first.
    pub async fn fetch<T: FromRow + Send>(&self, executor: &impl Executor) -> Result<Vec<Hit<T>>> {
        let rs = executor.execute(self.to_statement()?).await?;
        rs.iter()
            .map(|row| {
                Ok(Hit { row: T::from_row(row)?, distance: row.get::<f64>(self.distance_alias.as_str())? })
            })
            .collect()
    }
}
