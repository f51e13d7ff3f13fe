//! Reading SQL: the tokenizer, the MatrixOne statement parser, plain-SQL rewriting (with the
//! dialect differences in `dialect/`), and the guard on MatrixOne's catalog databases.

pub(crate) mod cursor;
pub(crate) mod dialect;
pub(crate) mod guard;
pub(crate) mod lexer;
pub(crate) mod parse;
pub(crate) mod rewrite;
pub(crate) mod statement;
pub(crate) mod variables;
