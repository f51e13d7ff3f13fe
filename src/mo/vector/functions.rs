//! MatrixOne's vector functions as sea-query expressions, so they compose with the selects,
//! conditions and orderings users already build with sea-query.
//!
//! Names follow MatrixOne's function list (pkg/sql/plan/function/function_id.go). Arguments are
//! any sea-query expression: a column (`Expr::col("emb")`), a vector ([`crate::Vecf32::expr`],
//! its literal inlined in the SQL text), or another function.
//!
//! ```
//! use sea_query::{Expr, ExprTrait, MysqlQueryBuilder, Order, Query};
//! use matrixone::Vecf32;
//! use matrixone::mo::vector::{cosine_similarity, l2_distance};
//!
//! let q = Vecf32::from(vec![1.0, 2.0, 3.0]);
//! let sql = Query::select()
//!     .column("id")
//!     .expr_as(cosine_similarity(Expr::col("emb"), q.expr()?), "sim")
//!     .from("docs")
//!     .and_where(Expr::col("lang").eq("en"))
//!     .order_by_expr(l2_distance(Expr::col("emb"), q.expr()?), Order::Asc)
//!     .limit(5)
//!     .to_string(MysqlQueryBuilder);
//! assert_eq!(
//!     sql,
//!     "SELECT `id`, cosine_similarity(`emb`, '[1,2,3]') AS `sim` FROM `docs` WHERE `lang` = 'en' \
//!      ORDER BY l2_distance(`emb`, '[1,2,3]') ASC LIMIT 5"
//! );
//! # Ok::<(), matrixone::Error>(())
//! ```

use sea_query::{Expr, Func};

fn call1(name: &'static str, a: impl Into<Expr>) -> Expr {
    Func::cust(name).arg(a.into()).into()
}

fn call2(name: &'static str, a: impl Into<Expr>, b: impl Into<Expr>) -> Expr {
    Func::cust(name).arg(a.into()).arg(b.into()).into()
}

macro_rules! binary {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        pub fn $name(a: impl Into<Expr>, b: impl Into<Expr>) -> Expr {
            call2(stringify!($name), a, b)
        }
    )*};
}

macro_rules! unary {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        pub fn $name(v: impl Into<Expr>) -> Expr {
            call1(stringify!($name), v)
        }
    )*};
}

binary! {
    /// `l2_distance(a, b)`: the Euclidean distance.
    ///
    /// ```
    /// use sea_query::{Expr, MysqlQueryBuilder, Query};
    /// use matrixone::mo::vector::l2_distance;
    /// let sql = Query::select().expr(l2_distance(Expr::col("a"), Expr::col("b"))).to_string(MysqlQueryBuilder);
    /// assert_eq!(sql, "SELECT l2_distance(`a`, `b`)");
    /// ```
    l2_distance;
    /// `l2_distance_sq(a, b)`: the squared Euclidean distance.
    ///
    /// ```
    /// use sea_query::{Expr, MysqlQueryBuilder, Query};
    /// use matrixone::mo::vector::l2_distance_sq;
    /// let sql = Query::select().expr(l2_distance_sq(Expr::col("a"), Expr::col("b"))).to_string(MysqlQueryBuilder);
    /// assert_eq!(sql, "SELECT l2_distance_sq(`a`, `b`)");
    /// ```
    l2_distance_sq;
    /// `l1_distance(a, b)`: the Manhattan distance.
    ///
    /// ```
    /// use sea_query::{Expr, MysqlQueryBuilder, Query};
    /// use matrixone::mo::vector::l1_distance;
    /// let sql = Query::select().expr(l1_distance(Expr::col("a"), Expr::col("b"))).to_string(MysqlQueryBuilder);
    /// assert_eq!(sql, "SELECT l1_distance(`a`, `b`)");
    /// ```
    l1_distance;
    /// `cosine_distance(a, b)`: `1 - cosine_similarity(a, b)`.
    ///
    /// ```
    /// use sea_query::{Expr, MysqlQueryBuilder, Query};
    /// use matrixone::mo::vector::cosine_distance;
    /// let sql = Query::select().expr(cosine_distance(Expr::col("a"), Expr::col("b"))).to_string(MysqlQueryBuilder);
    /// assert_eq!(sql, "SELECT cosine_distance(`a`, `b`)");
    /// ```
    cosine_distance;
    /// `cosine_similarity(a, b)`: the cosine of the angle between the vectors.
    ///
    /// ```
    /// use sea_query::{Expr, MysqlQueryBuilder, Query};
    /// use matrixone::mo::vector::cosine_similarity;
    /// let sql = Query::select().expr(cosine_similarity(Expr::col("a"), Expr::col("b"))).to_string(MysqlQueryBuilder);
    /// assert_eq!(sql, "SELECT cosine_similarity(`a`, `b`)");
    /// ```
    cosine_similarity;
    /// `inner_product(a, b)`: MatrixOne returns the **negated** dot product (`[1,2,3]` with
    /// itself gives `-14`, test/distributed/cases/array/array.result), so smaller is nearer, as
    /// for the distances.
    ///
    /// ```
    /// use sea_query::{Expr, MysqlQueryBuilder, Query};
    /// use matrixone::mo::vector::inner_product;
    /// let sql = Query::select().expr(inner_product(Expr::col("a"), Expr::col("b"))).to_string(MysqlQueryBuilder);
    /// assert_eq!(sql, "SELECT inner_product(`a`, `b`)");
    /// ```
    inner_product;
}

unary! {
    /// `normalize_l2(v)`: the vector scaled to unit length.
    ///
    /// ```
    /// use sea_query::{Expr, MysqlQueryBuilder, Query};
    /// use matrixone::mo::vector::normalize_l2;
    /// let sql = Query::select().expr(normalize_l2(Expr::col("v"))).to_string(MysqlQueryBuilder);
    /// assert_eq!(sql, "SELECT normalize_l2(`v`)");
    /// ```
    normalize_l2;
    /// `vector_dims(v)`: the number of elements.
    ///
    /// ```
    /// use sea_query::{Expr, MysqlQueryBuilder, Query};
    /// use matrixone::mo::vector::vector_dims;
    /// let sql = Query::select().expr(vector_dims(Expr::col("v"))).to_string(MysqlQueryBuilder);
    /// assert_eq!(sql, "SELECT vector_dims(`v`)");
    /// ```
    vector_dims;
    /// `l1_norm(v)`: the sum of the absolute values.
    ///
    /// ```
    /// use sea_query::{Expr, MysqlQueryBuilder, Query};
    /// use matrixone::mo::vector::l1_norm;
    /// let sql = Query::select().expr(l1_norm(Expr::col("v"))).to_string(MysqlQueryBuilder);
    /// assert_eq!(sql, "SELECT l1_norm(`v`)");
    /// ```
    l1_norm;
    /// `l2_norm(v)`: the Euclidean length.
    ///
    /// ```
    /// use sea_query::{Expr, MysqlQueryBuilder, Query};
    /// use matrixone::mo::vector::l2_norm;
    /// let sql = Query::select().expr(l2_norm(Expr::col("v"))).to_string(MysqlQueryBuilder);
    /// assert_eq!(sql, "SELECT l2_norm(`v`)");
    /// ```
    l2_norm;
    /// `summation(v)`: the sum of the elements.
    ///
    /// ```
    /// use sea_query::{Expr, MysqlQueryBuilder, Query};
    /// use matrixone::mo::vector::summation;
    /// let sql = Query::select().expr(summation(Expr::col("v"))).to_string(MysqlQueryBuilder);
    /// assert_eq!(sql, "SELECT summation(`v`)");
    /// ```
    summation;
}

/// `subvector(v, start, len)`: `len` elements from position `start` (1-based, as MatrixOne's).
///
/// ```
/// use sea_query::{Expr, MysqlQueryBuilder, Query};
/// use matrixone::mo::vector::subvector;
/// let sql = Query::select().expr(subvector(Expr::col("v"), 2, 3)).to_string(MysqlQueryBuilder);
/// assert_eq!(sql, "SELECT subvector(`v`, 2, 3)");
/// ```
pub fn subvector(v: impl Into<Expr>, start: i64, len: i64) -> Expr {
    Func::cust("subvector")
        .arg(v.into())
        .arg(Expr::cust(start.to_string()))
        .arg(Expr::cust(len.to_string()))
        .into()
}

/// How nearness is measured: the distance function a search orders by, and the `op_type` of an
/// index built for it (the op_types of test/distributed/cases/vector).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Metric {
    /// `l2_distance`, op_type `vector_l2_ops`.
    #[default]
    L2,
    /// `l2_distance_sq`, op_type `vector_l2sq_ops`.
    L2Squared,
    /// `cosine_distance`, op_type `vector_cosine_ops`.
    Cosine,
    /// `inner_product` (negated dot product), op_type `vector_ip_ops`.
    InnerProduct,
    /// `l1_distance`, op_type `vector_l1_ops`.
    L1,
}

impl Metric {
    /// The distance function's name.
    ///
    /// ```
    /// use matrixone::mo::vector::Metric;
    /// assert_eq!(Metric::Cosine.function(), "cosine_distance");
    /// ```
    pub fn function(self) -> &'static str {
        match self {
            Metric::L2 => "l2_distance",
            Metric::L2Squared => "l2_distance_sq",
            Metric::Cosine => "cosine_distance",
            Metric::InnerProduct => "inner_product",
            Metric::L1 => "l1_distance",
        }
    }

    /// The `op_type` of an index that serves this metric.
    ///
    /// ```
    /// use matrixone::mo::vector::Metric;
    /// assert_eq!(Metric::InnerProduct.op_type(), "vector_ip_ops");
    /// ```
    pub fn op_type(self) -> &'static str {
        match self {
            Metric::L2 => "vector_l2_ops",
            Metric::L2Squared => "vector_l2sq_ops",
            Metric::Cosine => "vector_cosine_ops",
            Metric::InnerProduct => "vector_ip_ops",
            Metric::L1 => "vector_l1_ops",
        }
    }

    /// The distance between `a` and `b` under this metric, as an expression (smaller is nearer).
    ///
    /// ```
    /// use sea_query::{Expr, MysqlQueryBuilder, Query};
    /// use matrixone::mo::vector::Metric;
    /// let sql = Query::select().expr(Metric::Cosine.distance(Expr::col("a"), Expr::col("b"))).to_string(MysqlQueryBuilder);
    /// assert_eq!(sql, "SELECT cosine_distance(`a`, `b`)");
    /// ```
    pub fn distance(self, a: impl Into<Expr>, b: impl Into<Expr>) -> Expr {
        call2(self.function(), a, b)
    }
}
