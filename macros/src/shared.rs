//! What both derives need: the path generated code goes through, column labels, generic
//! parameters, and collecting errors across fields.

use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::ext::IdentExt as _;
use syn::{DeriveInput, Ident, Type};

use crate::attrs::{ContainerAttrs, FieldAttrs};

/// The path every generated item goes through.
pub fn private() -> TokenStream {
    quote!(::matrixone::__private)
}

/// The column label of a named field: its `rename`, else the container's `rename_all` applied
/// to its name, else its name (a raw identifier `r#type` gives `type`).
pub fn column_label(name: &Ident, field: &FieldAttrs, container: &ContainerAttrs) -> String {
    match (&field.rename, &container.rename_all) {
        (Some((rename, _)), _) => rename.clone(),
        (None, Some((rule, _))) => rule.apply(&name.unraw().to_string()),
        (None, None) => name.unraw().to_string(),
    }
}

/// The struct's type parameters (lifetimes and consts need no bounds).
pub fn type_params(input: &DeriveInput) -> Vec<Ident> {
    input.generics.type_params().map(|param| param.ident.clone()).collect()
}

/// Whether `ty` mentions one of `params`, so that it needs a where-clause bound (a concrete
/// type is checked in the body instead, where the error points at the field).
pub fn mentions_any(ty: &Type, params: &[Ident]) -> bool {
    fn walk(tokens: TokenStream, params: &[Ident]) -> bool {
        tokens.into_iter().any(|tree| match tree {
            TokenTree::Ident(ident) => params.contains(&ident),
            TokenTree::Group(group) => walk(group.stream(), params),
            TokenTree::Punct(_) | TokenTree::Literal(_) => false,
        })
    }
    !params.is_empty() && walk(ty.to_token_stream(), params)
}

/// Collects errors from several fields, so that one compile reports them all.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    /// The value, or `None` after recording the error.
    pub fn ok<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|e| self.push(e)).ok()
    }

    pub fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}
