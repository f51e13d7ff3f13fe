//! Reading SQL: the tokenizer, the MatrixOne statement parser, and plain-SQL rewriting.

pub(crate) mod lexer;
pub(crate) mod parse;
pub(crate) mod rewrite;
pub(crate) mod statement;
