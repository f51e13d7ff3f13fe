//! [`MoCtlResponse`]: what `mo_ctl` returned.

use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};

/// The text one `mo_ctl` call returned, parsed.
///
/// Most methods return pretty-printed JSON `{"method": "Flush", "result": [{"returnStr": "OK"}]}`;
/// then `method` and `result` are those two fields. Some return other JSON (an object keyed by
/// CN for `motablestats`) under the same envelope, and a few (`inspect`, `mergeobjects`) return
/// plain text; then `method` is empty and `result` is the whole text as a
/// [`Value::String`] (or, for JSON without the envelope, that JSON value).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MoCtlResponse {
    /// The method the server reports, as it spells it (`Flush`, `GlobalCheckpoint`,
    /// `MOTABLESTATS`); empty when the output had no `{method, result}` envelope. Compare it
    /// with [`MoCtlResponse::method_is`], which ignores case.
    pub method: String,
    /// The method's result.
    pub result: Value,
}

impl MoCtlResponse {
    /// Parses `mo_ctl`'s output. Never loses text: output that is not the JSON envelope is
    /// kept as described on [`MoCtlResponse`]. Only empty output is an error
    /// ([`ErrorKind::Decode`]): the server always writes something.
    ///
    /// ```
    /// use matrixone::mo::MoCtlResponse;
    /// let r = MoCtlResponse::parse("{\n  \"method\": \"Flush\",\n  \"result\": [\n    {\n      \"returnStr\": \"OK\"\n    }\n  ]\n}\n").unwrap();
    /// assert!(r.method_is("flush") && r.is_ok());
    /// let raw = MoCtlResponse::parse("\nmsg: merged success\n").unwrap();
    /// assert_eq!(raw.method, "");
    /// assert_eq!(raw.result, serde_json::Value::String("\nmsg: merged success\n".into()));
    /// assert!(!raw.is_ok());
    /// ```
    pub fn parse(text: &str) -> Result<MoCtlResponse> {
        if text.trim().is_empty() {
            return Err(Error::decode("mo_ctl returned empty output"));
        }
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(mut envelope)) if envelope.get("method").is_some_and(Value::is_string) => {
                let method = match envelope.remove("method") {
                    Some(Value::String(method)) => method,
                    _ => String::new(),
                };
                let result = envelope.remove("result").unwrap_or(Value::Null);
                Ok(MoCtlResponse { method, result })
            }
            Ok(other) => Ok(MoCtlResponse { method: String::new(), result: other }),
            Err(_) => Ok(MoCtlResponse { method: String::new(), result: Value::String(text.to_owned()) }),
        }
    }

    /// Whether the reported method is `name`, ignoring ASCII case.
    pub fn method_is(&self, name: &str) -> bool {
        self.method.eq_ignore_ascii_case(name)
    }

    /// Whether the call succeeded by the rule flush, checkpoints and `diskcleaner` follow:
    /// `result` is a non-empty array and every element has `"returnStr": "OK"`.
    ///
    /// Methods with another result shape (`motablestats`, `mergeobjects`, ...) are never "OK"
    /// by this rule; read their `result` yourself.
    ///
    /// ```
    /// use matrixone::mo::MoCtlResponse;
    /// let r = MoCtlResponse::parse(r#"{"method":"Checkpoint","result":[{"returnStr":"not ok"}]}"#).unwrap();
    /// assert!(!r.is_ok());
    /// ```
    pub fn is_ok(&self) -> bool {
        match &self.result {
            Value::Array(items) => {
                !items.is_empty()
                    && items.iter().all(|item| item.get("returnStr").and_then(Value::as_str) == Some("OK"))
            }
            _ => false,
        }
    }

    /// `self` when [`MoCtlResponse::is_ok`], otherwise an [`ErrorKind::Other`] error that
    /// carries the method and the whole result text.
    ///
    /// ```
    /// use matrixone::{ErrorKind, mo::MoCtlResponse};
    /// let r = MoCtlResponse::parse(r#"{"method":"Flush","result":[{"returnStr":"table not found"}]}"#).unwrap();
    /// let err = r.ensure_ok().unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Other);
    /// assert!(err.message().contains("table not found"));
    /// ```
    pub fn ensure_ok(self) -> Result<MoCtlResponse> {
        if self.is_ok() {
            return Ok(self);
        }
        let result = match &self.result {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        let method = if self.method.is_empty() { "(no method)" } else { self.method.as_str() };
        Err(Error::new(ErrorKind::Other, format!("mo_ctl {method} did not return OK: {result}")))
    }
}
