//! [`MoCtl`]: `SELECT mo_ctl(service, method, argument)`, MatrixOne's control function.

use crate::error::{Error, Result};
use crate::mo::literal::mode_independent_literal;
use crate::mo::{Dialect, MoCtlResponse, MoStatement};
use crate::result::ResultSet;

/// A call of `mo_ctl(service, method, argument)`; runs to a [`MoCtlResponse`] (unchecked: see
/// [`MoCtlResponse::is_ok`]). Usually needs the sys account.
///
/// All three arguments are constant string literals (the server refuses anything else). The
/// argument is free-form, but may not contain a backslash or NUL: see
/// [`MoCtl::call`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MoCtl {
    command: Command,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Command {
    Flush { database: String, table: String },
    Call { service: String, method: String, argument: String },
}

impl MoCtl {
    /// Flushes a table's in-memory data to storage: `mo_ctl('dn', 'flush', 'db.table')`.
    ///
    /// The server splits the argument at dots, so a database or table name containing `.`
    /// cannot be flushed by name and is refused. A quote in a name is escaped.
    ///
    /// ```
    /// use matrixone::mo::MoCtl;
    /// assert_eq!(MoCtl::flush_table("db1", "users").to_sql().unwrap(), "SELECT mo_ctl('dn', 'flush', 'db1.users')");
    /// assert!(MoCtl::flush_table("db1", "a.b").to_sql().is_err());
    /// assert_eq!(
    ///     MoCtl::flush_table("db", "t'), mo_ctl('dn','globalcheckpoint','') -- ").to_sql().unwrap(),
    ///     "SELECT mo_ctl('dn', 'flush', 'db.t''), mo_ctl(''dn'',''globalcheckpoint'','''') -- ')"
    /// );
    /// ```
    pub fn flush_table(database: impl Into<String>, table: impl Into<String>) -> MoCtl {
        MoCtl { command: Command::Flush { database: database.into(), table: table.into() } }
    }

    /// An incremental checkpoint: `mo_ctl('dn', 'checkpoint', '')` (there is no
    /// `incrementalcheckpoint` method).
    ///
    /// ```
    /// use matrixone::mo::MoCtl;
    /// assert_eq!(MoCtl::checkpoint().to_sql().unwrap(), "SELECT mo_ctl('dn', 'checkpoint', '')");
    /// ```
    pub fn checkpoint() -> MoCtl {
        MoCtl::call("dn", "checkpoint", "")
    }

    /// A global checkpoint: `mo_ctl('dn', 'globalcheckpoint', '')`.
    ///
    /// ```
    /// use matrixone::mo::MoCtl;
    /// assert_eq!(MoCtl::global_checkpoint().to_sql().unwrap(), "SELECT mo_ctl('dn', 'globalcheckpoint', '')");
    /// ```
    pub fn global_checkpoint() -> MoCtl {
        MoCtl::call("dn", "globalcheckpoint", "")
    }

    /// Any `mo_ctl` call.
    ///
    /// - `service` is `dn` or `cn`, in any case (sent lower-case). `tn` is refused: the server
    ///   does not accept it although the TN is what `dn` reaches.
    /// - `method` must be letters, digits, `_` and `-` (every method the server has, such as
    ///   `diskcleaner`, `motablestats`, `prefetch-on-subscribed`).
    /// - `argument` is free text; quotes are escaped, but a backslash or NUL is refused, because
    ///   how the server reads a backslash depends on the session's `NO_BACKSLASH_ESCAPES`.
    ///
    /// ```
    /// use matrixone::mo::MoCtl;
    /// assert_eq!(
    ///     MoCtl::call("dn", "diskcleaner", "force_gc").to_sql().unwrap(),
    ///     "SELECT mo_ctl('dn', 'diskcleaner', 'force_gc')"
    /// );
    /// assert_eq!(
    ///     MoCtl::call("CN", "motablestats", "force_update:true").to_sql().unwrap(),
    ///     "SELECT mo_ctl('cn', 'motablestats', 'force_update:true')"
    /// );
    /// assert!(MoCtl::call("tn", "flush", "db.t").to_sql().is_err());
    /// assert!(MoCtl::call("dn", "flush')--", "").to_sql().is_err());
    /// assert!(MoCtl::call("dn", "inspect", r"a\b").to_sql().is_err());
    /// ```
    pub fn call(service: impl Into<String>, method: impl Into<String>, argument: impl Into<String>) -> MoCtl {
        MoCtl {
            command: Command::Call {
                service: service.into(),
                method: method.into(),
                argument: argument.into(),
            },
        }
    }
}

impl MoStatement for MoCtl {
    type Output = MoCtlResponse;

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let (service, method, argument) = match &self.command {
            Command::Flush { database, table } => {
                for (what, name) in [("database", database), ("table", table)] {
                    if name.is_empty() {
                        return Err(Error::invalid_input(format!("flush: the {what} name is empty")));
                    }
                    if name.contains('.') {
                        return Err(Error::invalid_input(format!(
                            "flush: {what} name {name:?} contains '.', which mo_ctl cannot tell \
                             from the database/table separator"
                        )));
                    }
                }
                ("dn".to_owned(), "flush", format!("{database}.{table}"))
            }
            Command::Call { service, method, argument } => {
                let service = service.to_ascii_lowercase();
                if service != "dn" && service != "cn" {
                    return Err(Error::invalid_input(format!(
                        "mo_ctl service {service:?} is not supported; use \"dn\" or \"cn\""
                    )));
                }
                let method_ok = !method.is_empty()
                    && method.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if !method_ok {
                    return Err(Error::invalid_input(format!(
                        "mo_ctl method {method:?} must be letters, digits, '_' and '-'"
                    )));
                }
                (service, method.as_str(), argument.clone())
            }
        };
        Ok(format!(
            "SELECT mo_ctl({}, {}, {})",
            mode_independent_literal(&service)?,
            mode_independent_literal(method)?,
            mode_independent_literal(&argument)?
        ))
    }

    /// The single VARCHAR of the single row, through [`MoCtlResponse::parse`].
    fn decode_output(result: ResultSet) -> Result<MoCtlResponse> {
        let row = result.first().ok_or_else(|| Error::decode("mo_ctl returned no row"))?;
        MoCtlResponse::parse(&row.get::<String>(0)?)
    }
}

crate::mo::impl_to_sql!(MoCtl);
