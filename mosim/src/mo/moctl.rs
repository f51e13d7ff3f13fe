//! `SELECT mo_ctl(service, method, parameter)` (reference §3): the storage-control calls
//! tests use, answered with MatrixOne's exact pretty JSON. MariaDB has nothing to flush.

use crate::error::SqlError;
use crate::mo::Action;
use crate::sql::rewrite::{ident, sql_str};

/// Every method MatrixOne knows (pkg/sql/plan/function/ctl/types.go:32-65).
const KNOWN_METHODS: [&str; 34] = [
    "PING",
    "FLUSH",
    "TASK",
    "USESNAPSHOT",
    "GETSNAPSHOT",
    "CHECKPOINT",
    "GLOBALCHECKPOINT",
    "FORCEGC",
    "INSPECT",
    "LABEL",
    "WORKSTATE",
    "SYNCCOMMIT",
    "ADDFAULTPOINT",
    "BACKUP",
    "TRACESPAN",
    "COREDUMP",
    "INTERCEPTCOMMIT",
    "MERGEOBJECTS",
    "DISKCLEANER",
    "GETPROTOCOLVERSION",
    "SETPROTOCOLVERSION",
    "REMOVEREMOTELOCKTABLE",
    "GETLATESTBIND",
    "UNSUBSCRIBE_TABLE",
    "TXN-TRACE",
    "RELOAD-AUTO-INCREMENT-CACHE",
    "READER",
    "GET-TABLE-SHARDS",
    "MOTABLESTATS",
    "WORKSPACETHRESHOLD",
    "TABLE-EXTRA",
    "PREFETCH-ON-SUBSCRIBED",
    "GCCATALOGCACHE",
    "REFRESHVIEWMETADATA",
];

/// `json.Pretty({"method": m, "result": [{"returnStr": "OK"}]})`: 2-space indent, final newline.
pub(crate) fn ok_json(method: &str) -> String {
    format!(
        "{{\n  \"method\": \"{method}\",\n  \"result\": [\n    {{\n      \"returnStr\": \"OK\"\n    }}\n  ]\n}}\n"
    )
}

/// Answers a mo_ctl call as a one-row, one-VARCHAR-column result labelled like MatrixOne's.
pub(crate) fn execute(service: &str, method: &str, param: &str) -> Result<Action, SqlError> {
    let svc = service.to_uppercase();
    if svc != "DN" && svc != "CN" {
        return Err(SqlError::not_supported(format!("service type {svc} not supported")));
    }
    let upper = method.to_uppercase();
    let name = match upper.as_str() {
        "FLUSH" => "Flush",
        "CHECKPOINT" => "Checkpoint",
        "GLOBALCHECKPOINT" => "GlobalCheckpoint",
        "DISKCLEANER" => "DiskCleaner",
        _ if KNOWN_METHODS.contains(&upper.as_str()) => {
            return Err(SqlError::not_supported(format!("command {upper} is not simulated by mosim")));
        }
        _ => return Err(SqlError::not_supported(format!("command {upper} not supported"))),
    };
    let label = format!("mo_ctl({service}, {method}, {param})");
    Ok(Action::Forward(format!("SELECT {} AS {}", sql_str(&ok_json(name)), ident(&label))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flush_json_is_byte_exact() {
        assert_eq!(
            ok_json("Flush"),
            "{\n  \"method\": \"Flush\",\n  \"result\": [\n    {\n      \"returnStr\": \"OK\"\n    }\n  ]\n}\n"
        );
        let e = execute("tn", "flush", "a.b").unwrap_err();
        assert_eq!((e.code, e.message.as_str()), (20105, "not supported: service type TN not supported"));
    }
}
