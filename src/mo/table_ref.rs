//! [`TableRef`]: a table named as `"t"`, `"db.t"` or `("db", "t")`.

use crate::error::{Error, Result};
use crate::sql::qualified_ident;

/// A table, optionally qualified by its database.
///
/// Built from `"t"`, `"db.t"` (split at the dot) or `("db", "t")`. The string forms are plain
/// names, not SQL: backticks are not removed but quoted. A string with more than one dot is
/// ambiguous and refused when the statement renders; name such a table with the tuple form.
///
/// ```
/// use matrixone::mo::TableRef;
/// assert_eq!(TableRef::from("test.users").to_sql().unwrap(), "`test`.`users`");
/// assert_eq!(TableRef::from("users").to_sql().unwrap(), "`users`");
/// assert_eq!(TableRef::from(("my.db", "users")).to_sql().unwrap(), "`my.db`.`users`");
/// assert!(TableRef::from("a.b.c").to_sql().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TableRef(Form);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Form {
    Text(String),
    Pair(String, String),
}

impl TableRef {
    /// The database (if any) and the table, validated.
    ///
    /// ```
    /// use matrixone::mo::TableRef;
    /// assert_eq!(TableRef::from("test.users").parts().unwrap(), (Some("test"), "users"));
    /// assert_eq!(TableRef::from("users").parts().unwrap(), (None, "users"));
    /// assert!(TableRef::from("test.").parts().is_err());
    /// ```
    pub fn parts(&self) -> Result<(Option<&str>, &str)> {
        let (db, table) = match &self.0 {
            Form::Pair(db, table) => (Some(db.as_str()), table.as_str()),
            Form::Text(text) => match text.split_once('.') {
                Some((_, rest)) if rest.contains('.') => {
                    return Err(Error::invalid_input(format!(
                        "table {text:?} has more than one '.'; pass (database, table) instead"
                    )));
                }
                Some((db, table)) => (Some(db), table),
                None => (None, text.as_str()),
            },
        };
        if db.is_some_and(str::is_empty) || table.is_empty() {
            return Err(Error::invalid_input(format!("table {self} has an empty part")));
        }
        Ok((db, table))
    }

    /// The quoted SQL form: `` `db`.`t` `` or `` `t` ``.
    pub fn to_sql(&self) -> Result<String> {
        let (db, table) = self.parts()?;
        qualified_ident(db, table)
    }
}

impl std::fmt::Display for TableRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Form::Text(text) => write!(f, "{text:?}"),
            Form::Pair(db, table) => write!(f, "({db:?}, {table:?})"),
        }
    }
}

impl From<&str> for TableRef {
    fn from(text: &str) -> TableRef {
        TableRef(Form::Text(text.to_owned()))
    }
}

impl From<String> for TableRef {
    fn from(text: String) -> TableRef {
        TableRef(Form::Text(text))
    }
}

impl From<&String> for TableRef {
    fn from(text: &String) -> TableRef {
        TableRef(Form::Text(text.clone()))
    }
}

impl<D: Into<String>, T: Into<String>> From<(D, T)> for TableRef {
    fn from((db, table): (D, T)) -> TableRef {
        TableRef(Form::Pair(db.into(), table.into()))
    }
}
