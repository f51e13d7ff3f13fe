//! The `experimental_*_index` switches (pkg/frontend/variables.go). On MatrixOne's main line
//! only HNSW is gated: creating an HNSW index (CREATE INDEX, or a `KEY ... USING HNSW` of
//! CREATE / ALTER TABLE) with `experimental_hnsw_index` off fails with `internal error:
//! experimental_hnsw_index is not enabled` (pkg/vectorindex/hnsw/plugin/compile/compile.go;
//! pessimistic_transaction/vector/vector_hnsw.result). IVFFLAT and fulltext indexes are not
//! gated (`ExperimentalFlag` returns "" in pkg/vectorindex/ivfflat/plugin/runtime and
//! pkg/fulltext/plugin/runtime/runtime.go), so their switches are kept but change nothing.

use crate::error::SqlError;
use crate::sql::lexer::Token;

/// Fails as MatrixOne does when the statement creates an HNSW index and the session's
/// `experimental_hnsw_index` is off. `value` reads one of the session's variables.
pub(crate) fn check<'a>(toks: &[Token], value: impl Fn(&str) -> Option<&'a str>) -> Result<(), SqlError> {
    let ddl = toks.first().is_some_and(|t| t.is_kw("create") || t.is_kw("alter"));
    if !ddl {
        return Ok(());
    }
    let hnsw = toks.windows(2).any(|w| w[0].is_kw("using") && w[1].is_kw("hnsw"));
    if hnsw && value("experimental_hnsw_index").is_none_or(|v| v == "0") {
        return Err(SqlError::internal("experimental_hnsw_index is not enabled"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::tokenize;

    #[test]
    fn hnsw_needs_its_switch() {
        let sql = "create index i using hnsw on t(b) op_type 'vector_l2_ops'";
        let e = check(&tokenize(sql.as_bytes()), |_| Some("0")).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (20101, "internal error: experimental_hnsw_index is not enabled")
        );
        assert!(check(&tokenize(sql.as_bytes()), |_| Some("1")).is_ok());
        let ivf = "create index i using ivfflat on t(b) lists = 2 op_type 'vector_l2_ops'";
        assert!(check(&tokenize(ivf.as_bytes()), |_| Some("0")).is_ok());
    }
}
