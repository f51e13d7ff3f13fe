//! Derive macros for the `matrixone` crate. Use them through `matrixone::FromRow`; the
//! attributes are documented on the `matrixone::FromRow` trait.
//!
//! Entry points only: attribute parsing is in `attrs`, the expansion in `from_row`.

mod attrs;
mod from_row;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `matrixone::FromRow` for a struct with named fields (columns by label, compared
/// case-insensitively) or a tuple struct (columns by position).
///
/// Container attribute: `#[mo(rename_all = "snake_case" | "lowercase" | "UPPERCASE" |
/// "camelCase" | "PascalCase" | "SCREAMING_SNAKE_CASE")]`. Field attributes: `#[mo(rename =
/// "col")]`, `#[mo(default)]`, `#[mo(skip)]`, `#[mo(flatten)]`, `#[mo(json)]`,
/// `#[mo(try_from = "i64")]`. A bad attribute is a compile error pointing at it.
#[proc_macro_derive(FromRow, attributes(mo))]
pub fn derive_from_row(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    from_row::expand(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}
