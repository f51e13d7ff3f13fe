//! The only places that write user input into SQL text.
//!
//! - [`quote`]: identifiers (backtick-quoted, backticks doubled) and the MatrixOne names that the
//!   server splices into its own SQL unescaped, which are validated instead.
//! - [`escape`]: string literals, in either backslash mode of the session.
//! - [`bind`]: renders [`crate::Value`]s as literals and places them at `?` placeholders.
//! - `session`: finds the statements that change the session (`SET`, `USE`, `BEGIN`, ...).
//!
//! Every other module builds SQL only from constant text and these functions' output.

pub mod bind;
pub mod escape;
pub mod quote;
pub(crate) mod session;

pub use bind::{count_placeholders, inline_values, push_literal};
pub use escape::{EscapeMode, push_string_literal, string_literal};
pub use quote::{qualified_ident, quote_ident, validate_object_name};
