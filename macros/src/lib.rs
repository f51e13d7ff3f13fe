//! Derive macros for the `matrixone` crate.
use proc_macro::TokenStream;

/// Derives `matrixone::FromRow`.
#[proc_macro_derive(FromRow, attributes(mo))]
pub fn derive_from_row(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}
