//! `SHOW PUBLICATIONS`: mosim has no publications, but answers with MatrixOne's columns and
//! wire types, including the non-MySQL type 0xF1 that MatrixOne sends (reference §7c, §10.4).

use crate::mo::Action;
use crate::wire::response::{TYPE_DATETIME, TYPE_MO_TEXT, TYPE_VAR_STRING};

/// An empty result set shaped like MatrixOne's SHOW PUBLICATIONS.
pub(crate) fn show() -> Action {
    Action::Rows(
        vec![
            ("publication", TYPE_VAR_STRING),
            ("database", TYPE_VAR_STRING),
            ("tables", TYPE_MO_TEXT),
            ("sub_account", TYPE_MO_TEXT),
            ("subscribed_accounts", TYPE_MO_TEXT),
            ("create_time", TYPE_DATETIME),
            ("update_time", TYPE_DATETIME),
            ("comments", TYPE_MO_TEXT),
        ],
        Vec::new(),
    )
}
