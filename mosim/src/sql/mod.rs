//! Reading SQL: the tokenizer, the MatrixOne statement parser, plain-SQL rewriting, and the
//! guard on MatrixOne's catalog databases.

pub(crate) mod guard;
pub(crate) mod lexer;
pub(crate) mod parse;
pub(crate) mod rewrite;
pub(crate) mod statement;
pub(crate) mod variables;
