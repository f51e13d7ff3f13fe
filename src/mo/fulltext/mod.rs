//! Fulltext search: index statements ([`FulltextIndex`]), `MATCH .. AGAINST` as a sea-query
//! expression ([`match_against`], also the relevance column) and [`BooleanQuery`], which turns
//! user words into a boolean-mode query without letting them act as operators.
//!
//! ```no_run
//! # async fn demo(client: &matrixone::Client) -> matrixone::Result<()> {
//! use sea_query::{Order, Query};
//! use matrixone::Executor;
//! use matrixone::mo::fulltext::{BooleanQuery, FulltextIndex, match_boolean};
//!
//! client.run(FulltextIndex::create("ft", "docs", ["title", "body"])).await?;
//! let words = BooleanQuery::new().must("vector").should("index search");
//! let select = Query::select()
//!     .column("id")
//!     .expr_as(match_boolean(["title", "body"], &words)?, "score")
//!     .from("docs")
//!     .and_where(match_boolean(["title", "body"], &words)?)
//!     .order_by("score", Order::Desc)
//!     .limit(10)
//!     .to_owned();
//! let hits: Vec<(i64, f64)> = client.fetch_all(&select).await?;
//! # Ok(()) }
//! ```

mod index;
mod search;

pub use index::{CreateFulltextIndex, FulltextIndex, Parser};
pub use search::{BooleanQuery, SearchMode, match_against, match_boolean, match_natural};
