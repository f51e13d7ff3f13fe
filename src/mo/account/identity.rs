//! [`Identity`]: who the session is, `current_account_name()`, `current_user_name()`,
//! `current_role_name()` (MatrixOne's functions, test/distributed/cases/function/
//! account_info_func.result).

use crate::error::{Error, Result};
use crate::mo::{Dialect, MoStatement, Requires};
use crate::result::ResultSet;

/// The session's account, user and role, as MatrixOne reports them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Identity {
    /// `current_account_name()`.
    pub account: String,
    /// `current_user_name()`.
    pub user: String,
    /// `current_role_name()`.
    pub role: String,
}

impl Identity {
    /// `SELECT current_account_name(), current_user_name(), current_role_name()`; runs to
    /// [`Identity`].
    ///
    /// ```
    /// use matrixone::mo::Identity;
    /// assert_eq!(
    ///     Identity::current().to_sql().unwrap(),
    ///     "SELECT current_account_name(), current_user_name(), current_role_name()"
    /// );
    /// ```
    pub fn current() -> CurrentIdentity {
        CurrentIdentity(())
    }
}

/// The statement behind [`Identity::current`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CurrentIdentity(());

impl MoStatement for CurrentIdentity {
    type Output = Identity;

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        Ok("SELECT current_account_name(), current_user_name(), current_role_name()".to_owned())
    }

    fn decode_output(result: ResultSet) -> Result<Identity> {
        let row = result.first().ok_or_else(Error::row_not_found)?;
        Ok(Identity { account: row.get(0)?, user: row.get(1)?, role: row.get(2)? })
    }
}

crate::mo::impl_to_sql!(CurrentIdentity);
