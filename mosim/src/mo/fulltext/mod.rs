//! MatrixOne's fulltext search: `CREATE FULLTEXT INDEX ... [WITH PARSER ngram | json]` and
//! `MATCH (...) AGAINST (...)` answered as MatrixOne answers them
//! (test/distributed/cases/fulltext/*.result).
//!
//! - [`index`]: no two fulltext indexes on the same columns;
//! - [`pattern`]: search strings parsed as MatrixOne parses them, with its tokenizer;
//! - [`query`]: MATCH ... AGAINST computed by mosim in SQL (matches, ranking, ordering);
//! - the index DDL is rewritten with the other dialect rewrites (`sql::dialect::fulltext_ddl`).

pub(crate) mod index;
pub(crate) mod pattern;
pub(crate) mod query;
