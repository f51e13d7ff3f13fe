//! The expansion of `#[derive(Insertable)]`: the write side of `FromRow`.
//!
//! Each written field becomes one column (its label chosen exactly as `FromRow` chooses it) and
//! one `matrixone::Value` per row. The generated code names nothing but
//! `::matrixone::__private::*` and `::core::*`, so users need no sqlx or serde_json.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;
use syn::{
    Data, DeriveInput, Fields, GenericArgument, Ident, PathArguments, Type, WherePredicate, parse_quote,
};

use crate::attrs::{ContainerAttrs, FieldAttrs};
use crate::shared::{Errors, column_label, mentions_any, private, type_params};

/// Expands the derive, or returns every attribute error found (combined).
pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let ident = &input.ident;
    let named = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => named,
            Fields::Unnamed(_) | Fields::Unit => {
                let struct_token = data.struct_token;
                return Err(syn::Error::new_spanned(
                    quote!(#struct_token #ident),
                    "`Insertable` needs a struct with named fields: the field names are the columns \
                     written",
                ));
            }
        },
        Data::Enum(data) => {
            let enum_token = data.enum_token;
            return Err(syn::Error::new_spanned(
                quote!(#enum_token #ident),
                "`Insertable` can only be derived for structs with named fields, not enums",
            ));
        }
        Data::Union(data) => {
            let union_token = data.union_token;
            return Err(syn::Error::new_spanned(
                quote!(#union_token #ident),
                "`Insertable` can only be derived for structs with named fields, not unions",
            ));
        }
    };
    let container = ContainerAttrs::parse(&input.attrs)?;
    let params = type_params(input);
    let mut bounds: Vec<WherePredicate> = Vec::new();
    let mut errors = Errors::default();
    let mut columns: Vec<String> = Vec::new();
    let mut pushes: Vec<TokenStream> = Vec::new();

    for field in &named.named {
        let Some(attrs) = errors.ok(FieldAttrs::parse(&field.attrs)) else { continue };
        let Some(name) = field.ident.as_ref() else { continue };
        if attrs.skip.is_some() || attrs.skip_insert.is_some() {
            continue;
        }
        if let Some(span) = attrs.flatten {
            errors.push(syn::Error::new(
                span,
                "`Insertable` cannot write a flattened field: list its columns as fields of this \
                 struct, or implement `matrixone::Insertable` by hand",
            ));
            continue;
        }
        let label = column_label(name, &attrs, &container);
        // MySQL and MatrixOne compare column names case-insensitively.
        if columns.iter().any(|c| c.eq_ignore_ascii_case(&label)) {
            let span = attrs.rename.as_ref().map_or_else(|| name.span(), |(_, span)| *span);
            errors.push(syn::Error::new(span, format!("column `{label}` is written by two fields")));
            continue;
        }
        let value = field_value(name, &field.ty, &attrs, &label, &params, &mut bounds);
        pushes.push(value);
        columns.push(label);
    }
    let missing_table = || {
        syn::Error::new_spanned(
            ident,
            "`Insertable` needs the table to write to: add `#[mo(table = \"...\")]` to the struct",
        )
    };
    if container.table.is_none() {
        errors.push(missing_table());
    }
    errors.finish()?;
    let Some((table, _)) = container.table else { return Err(missing_table()) };
    if columns.is_empty() {
        return Err(syn::Error::new_spanned(
            ident,
            "`Insertable` needs at least one field to write; every field is skipped",
        ));
    }

    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let mut where_clause = where_clause.cloned().unwrap_or_else(|| parse_quote!(where));
    where_clause.predicates.extend(bounds);
    let p = private();
    let values = values_ident();
    let table = Literal::string(&table);
    let columns = columns.iter().map(|c| Literal::string(c));
    Ok(quote! {
        #[automatically_derived]
        impl #impl_generics #p::Insertable for #ident #ty_generics #where_clause {
            const TABLE: &'static str = #table;
            const COLUMNS: &'static [&'static str] = &[#(#columns),*];

            // `try_from` also serves types whose conversion cannot fail (`From` gives `TryFrom`).
            #[allow(clippy::unnecessary_fallible_conversions)]
            fn push_values(&self, #values: &mut #p::Vec<#p::Value>) -> #p::Result<()> {
                #(#values.push(#pushes);)*
                ::core::result::Result::Ok(())
            }
        }
    })
}

/// The expression giving one field's `Value`, and the bounds it needs when its type is generic.
fn field_value(
    name: &Ident,
    ty: &Type,
    attrs: &FieldAttrs,
    label: &str,
    params: &[Ident],
    bounds: &mut Vec<WherePredicate>,
) -> TokenStream {
    let p = private();
    // Spanned at the field's type, so that "trait not implemented" errors point at it.
    let span = ty.span();
    let generic = mentions_any(ty, params)
        || attrs.try_from.as_ref().is_some_and(|(source, _)| mentions_any(source, params));
    let mut bound = |predicate: WherePredicate| {
        if generic {
            bounds.push(predicate);
        }
    };
    let inner = Ident::new("__inner", Span::call_site());
    let error = Ident::new("__error", Span::call_site());

    if attrs.json.is_some() {
        // `None` is SQL NULL, not the JSON text `null`, as a plain `Option<T>` field writes.
        return match option_inner(ty) {
            Some(inner_ty) => {
                bound(parse_quote!(#inner_ty: #p::Serialize));
                quote_spanned! {span=>
                    match &self.#name {
                        ::core::option::Option::Some(#inner) => #p::json_value(#inner)?,
                        ::core::option::Option::None => #p::Value::Null,
                    }
                }
            }
            None => {
                bound(parse_quote!(#ty: #p::Serialize));
                quote_spanned!(span=> #p::json_value(&self.#name)?)
            }
        };
    }
    bound(parse_quote!(#ty: ::core::clone::Clone));
    let cloned = quote_spanned!(span=> ::core::clone::Clone::clone(&self.#name));
    if let Some((source, source_span)) = &attrs.try_from {
        // The mirror of reading through `try_from`: convert into the column's type, then write.
        bound(parse_quote!(#source: ::core::convert::TryFrom<#ty>));
        bound(parse_quote!(<#source as ::core::convert::TryFrom<#ty>>::Error: ::core::fmt::Debug));
        bound(parse_quote!(#p::Value: ::core::convert::From<#source>));
        let label = Literal::string(label);
        return quote_spanned! {*source_span=>
            <#p::Value as ::core::convert::From<#source>>::from(::core::result::Result::map_err(
                <#source as ::core::convert::TryFrom<#ty>>::try_from(#cloned),
                |#error| #p::try_into_error(#label, &#error),
            )?)
        };
    }
    bound(parse_quote!(#p::Value: ::core::convert::From<#ty>));
    quote_spanned!(span=> <#p::Value as ::core::convert::From<#ty>>::from(#cloned))
}

/// `T` when `ty` is written `Option<T>` (any path ending in `Option` with one type argument).
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    match args.args.iter().collect::<Vec<_>>().as_slice() {
        [GenericArgument::Type(inner)] => Some(inner),
        _ => None,
    }
}

/// The `push_values` parameter, at the call site like `FromRow`'s row.
fn values_ident() -> Ident {
    Ident::new("__values", Span::call_site())
}
