//! Derive macros for the `matrixone` crate. Use them through `matrixone::FromRow` and
//! `matrixone::Insertable`.
//!
//! Entry points only: attribute parsing and the `rename_all` rules are in `attrs` (one parser for
//! both derives, so one set of `#[mo(...)]` attributes serves a struct that derives both), the
//! expansions in `from_row` and `insertable`, what they share in `shared`.

mod attrs;
mod from_row;
mod insertable;
mod shared;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `matrixone::FromRow`.
///
/// A struct with named fields reads each field from the column with its label (compared
/// case-insensitively; an exact match wins when two labels differ only in case). A tuple struct
/// reads its fields by position. Unit structs, enums and unions are compile errors.
///
/// # Container attribute
///
/// `#[mo(rename_all = "...")]`, named-field structs only. Field names are taken to be
/// `snake_case` words, as in serde: `"snake_case"` keeps `user_name`, `"lowercase"` and
/// `"UPPERCASE"` change the case of every letter and keep the underscores, `"camelCase"` gives
/// `userName`, `"PascalCase"` `UserName`, `"SCREAMING_SNAKE_CASE"` `USER_NAME`. A field's own
/// `rename` wins. A raw identifier `r#type` reads the column `type`.
///
/// # Field attributes
///
/// - `rename = "col"`: read the column `col` (named fields only).
/// - `default`: a missing column or a NULL gives `Default::default()`; a value that is present
///   but does not fit is still an error. For an `Option<T>` field it gives `None`.
/// - `skip`: never read; the field is `Default::default()`.
/// - `flatten`: the field's type is itself `FromRow`, built from the same row.
/// - `json`: decode the column's JSON with serde (through `matrixone::Json<FieldType>`). A NULL
///   is an error; write `json, default` on an `Option<T>` field to read NULL as `None`.
/// - `try_from = "Type"`: decode the column as `Type`, then convert with
///   `TryFrom<Type>`; a failed conversion is a `Decode` error naming the column and holding the
///   conversion error's `Debug` text. The conversion error must implement `Debug`.
///
/// `rename` and `default` combine with each other and with `json` or `try_from`. `skip` and
/// `flatten` take no other key, and `json` excludes `try_from`.
///
/// `#[mo(table = "...")]` on the struct and `#[mo(skip_insert)]` on a field belong to
/// `#[derive(Insertable)]`; `FromRow` accepts and ignores them (a `skip_insert` field is read as
/// usual).
///
/// In a tuple struct, the fields that read a column take positions 0, 1, 2, ... in order;
/// `skip` and `flatten` fields take none (a flattened type reads the row by its own rules), and
/// `default` covers a position past the end of the row. `rename` and `rename_all` are errors
/// there.
///
/// # Generics
///
/// Type parameters are supported: for each field whose type mentions one, the impl gets the
/// bound that field needs (`Decode`, `FromRow` for `flatten`, `Default` for `default`/`skip`,
/// `Json<T>: Decode` for `json`, the `TryFrom` bounds for `try_from`). Lifetime and const
/// parameters are passed through unchanged.
///
/// # Errors
///
/// A bad attribute (unknown key, a value of the wrong kind, an unknown `rename_all` rule, a
/// duplicate or contradictory key) is a compile error pointing at the offending tokens.
#[proc_macro_derive(FromRow, attributes(mo))]
pub fn derive_from_row(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    from_row::expand(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// Derives `matrixone::Insertable`: the write side of `FromRow`, for `insert` and `insert_many`.
///
/// Structs with named fields only. Each field is one column, labelled exactly as `FromRow`
/// labels it (`rename`, else `rename_all`, else the field name), and written as the
/// `matrixone::Value` its type converts into (`Value: From<FieldType>`; the field is cloned).
/// An `Option<T>` field writes NULL for `None`.
///
/// # Container attributes
///
/// - `table = "users"` or `table = "db.users"` (required): where `insert` and `insert_many`
///   write.
/// - `rename_all = "..."`: as for `FromRow`.
///
/// # Field attributes
///
/// - `rename = "col"`: write the column `col`.
/// - `skip`: never written (nor read by `FromRow`).
/// - `skip_insert`: never written, read by `FromRow` as usual: an AUTO_INCREMENT id, a column
///   with a server-side default.
/// - `json`: write the field as JSON text, serialized with serde (`T: serde::Serialize`); an
///   `Option<T>` field writes NULL for `None`, not the JSON `null`.
/// - `try_from = "Type"`: the mirror of reading through `try_from`: convert the field into `Type`
///   with `TryFrom` (so `Type: TryFrom<FieldType>`, which `From` gives), then write that; a failed
///   conversion is an `InvalidInput` error naming the column, and nothing is sent.
/// - `default` is a reading rule and is ignored here. `flatten` is a compile error.
///
/// # Errors
///
/// A bad attribute, a missing `table`, two fields writing one column, or a struct with nothing
/// to write is a compile error pointing at the offending tokens.
#[proc_macro_derive(Insertable, attributes(mo))]
pub fn derive_insertable(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    insertable::expand(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}
