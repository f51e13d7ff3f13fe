//! The expansion of `#[derive(FromRow)]`.
//!
//! Named fields read their column by label, tuple-struct fields by position. The generated code
//! names nothing but `::matrixone::__private::*` and `::core::*`, so users need no sqlx.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned as _;
use syn::{Data, DeriveInput, Field, Fields, Ident, WherePredicate, parse_quote};

use crate::attrs::{ContainerAttrs, FieldAttrs};
use crate::shared::{Errors, column_label, mentions_any, private, type_params};

/// Expands the derive, or returns every attribute error found (combined).
pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let ident = &input.ident;
    let data = match &input.data {
        Data::Struct(data) => data,
        Data::Enum(data) => {
            let enum_token = data.enum_token;
            return Err(syn::Error::new_spanned(
                quote!(#enum_token #ident),
                "`FromRow` can only be derived for structs; an enum has no single row shape \
                 (decode a column into it with `#[mo(try_from = \"...\")]` instead)",
            ));
        }
        Data::Union(data) => {
            let union_token = data.union_token;
            return Err(syn::Error::new_spanned(
                quote!(#union_token #ident),
                "`FromRow` can only be derived for structs, not unions",
            ));
        }
    };
    let container = ContainerAttrs::parse(&input.attrs)?;
    let params = type_params(input);
    let mut bounds: Vec<WherePredicate> = Vec::new();
    let mut errors = Errors::default();

    let construct = match &data.fields {
        Fields::Named(named) => {
            let inits = named.named.iter().filter_map(|field| {
                let attrs = errors.ok(FieldAttrs::parse(&field.attrs))?;
                let name = field.ident.as_ref()?;
                let label = column_label(name, &attrs, &container);
                let expr = read_field(field, &attrs, &Column::Label(label), &params, &mut bounds);
                Some(quote!(#name: #expr))
            });
            let inits: Vec<TokenStream> = inits.collect();
            quote!(Self { #(#inits,)* })
        }
        Fields::Unnamed(unnamed) => {
            if let Some((_, span)) = container.rename_all {
                errors.push(syn::Error::new(
                    span,
                    "`rename_all` is not allowed on a tuple struct: its fields are read by position",
                ));
            }
            // Only fields that read a column take a position: `skip` and `flatten` do not.
            let mut position = 0usize;
            let exprs = unnamed.unnamed.iter().filter_map(|field| {
                let attrs = errors.ok(FieldAttrs::parse(&field.attrs))?;
                if let Some((_, span)) = attrs.rename {
                    errors.push(syn::Error::new(
                        span,
                        "`rename` is not allowed on a tuple struct field: it is read by position",
                    ));
                    return None;
                }
                let column = Column::Position(position);
                if attrs.skip.is_none() && attrs.flatten.is_none() {
                    position += 1;
                }
                Some(read_field(field, &attrs, &column, &params, &mut bounds))
            });
            let exprs: Vec<TokenStream> = exprs.collect();
            quote!(Self(#(#exprs,)*))
        }
        Fields::Unit => {
            let struct_token = data.struct_token;
            return Err(syn::Error::new_spanned(
                quote!(#struct_token #ident),
                "`FromRow` cannot be derived for a unit struct: it has no fields to read; \
                 use a struct with named fields or a tuple struct",
            ));
        }
    };
    errors.finish()?;

    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let mut where_clause = where_clause.cloned().unwrap_or_else(|| parse_quote!(where));
    where_clause.predicates.extend(bounds);
    let p = private();
    let row = row_ident();
    Ok(quote! {
        #[automatically_derived]
        impl #impl_generics #p::FromRow for #ident #ty_generics #where_clause {
            fn from_row(#row: &#p::Row) -> #p::Result<Self> {
                ::core::result::Result::Ok(#construct)
            }
        }
    })
}

/// Where a field's column is: by label (named fields) or by position (tuple structs).
enum Column {
    Label(String),
    Position(usize),
}

impl Column {
    /// The argument for `Row::get`: a `&str` or a `usize` (suffixed, so inference cannot pick
    /// another integer type).
    fn index(&self) -> TokenStream {
        match self {
            Column::Label(label) => Literal::string(label).into_token_stream(),
            Column::Position(at) => Literal::usize_suffixed(*at).into_token_stream(),
        }
    }

    /// The column's label as a `&str` expression, for error messages.
    fn label(&self) -> TokenStream {
        match self {
            Column::Label(label) => Literal::string(label).into_token_stream(),
            Column::Position(at) => {
                let at = Literal::usize_suffixed(*at);
                let row = row_ident();
                let p = private();
                // Fully qualified calls: a user trait in scope cannot capture them.
                quote!(::core::option::Option::map_or(<[_]>::get(#p::Row::columns(#row), #at), "", |__c| &**__c))
            }
        }
    }
}

/// The expression that produces one field, and the bounds it needs when its type is generic.
fn read_field(
    field: &Field,
    attrs: &FieldAttrs,
    column: &Column,
    params: &[Ident],
    bounds: &mut Vec<WherePredicate>,
) -> TokenStream {
    let ty = &field.ty;
    let p = private();
    let row = row_ident();
    let index = column.index();
    // Spanned at the field's type, so that "trait not implemented" errors point at it.
    let span = ty.span();
    let default = quote_spanned!(span=> ::core::default::Default::default());
    // Locals at the call site too, for the same reason as `row_ident`.
    let [value, source_value, error] =
        ["__value", "__source", "__error"].map(|n| Ident::new(n, Span::call_site()));
    let generic = mentions_any(ty, params)
        || attrs.try_from.as_ref().is_some_and(|(source, _)| mentions_any(source, params));
    let mut bound = |predicate: WherePredicate| {
        if generic {
            bounds.push(predicate);
        }
    };
    if attrs.default.is_some() || attrs.skip.is_some() {
        bound(parse_quote!(#ty: ::core::default::Default));
    }

    if attrs.skip.is_some() {
        return default;
    }
    if attrs.flatten.is_some() {
        bound(parse_quote!(#ty: #p::FromRow));
        return quote_spanned!(span=> <#ty as #p::FromRow>::from_row(#row)?);
    }
    if attrs.json.is_some() {
        bound(parse_quote!(#p::Json<#ty>: #p::Decode));
        return if attrs.default.is_some() {
            quote_spanned! {span=>
                match #p::Row::get_optional::<#p::Json<#ty>>(#row, #index)? {
                    ::core::option::Option::Some(#value) => #value.0,
                    ::core::option::Option::None => #default,
                }
            }
        } else {
            quote_spanned!(span=> #p::Row::get::<#p::Json<#ty>>(#row, #index)?.0)
        };
    }
    if let Some((source, source_span)) = &attrs.try_from {
        bound(parse_quote!(#source: #p::Decode));
        bound(parse_quote!(#ty: ::core::convert::TryFrom<#source>));
        bound(parse_quote!(<#ty as ::core::convert::TryFrom<#source>>::Error: ::core::fmt::Debug));
        let label = column.label();
        let convert = quote_spanned! {*source_span=>
            ::core::result::Result::map_err(
                <#ty as ::core::convert::TryFrom<#source>>::try_from(#source_value),
                |#error| #p::try_from_error(#label, &#error),
            )?
        };
        return if attrs.default.is_some() {
            quote_spanned! {span=>
                match #p::Row::get_optional::<#source>(#row, #index)? {
                    ::core::option::Option::Some(#source_value) => #convert,
                    ::core::option::Option::None => #default,
                }
            }
        } else {
            quote_spanned!(span=> { let #source_value = #p::Row::get::<#source>(#row, #index)?; #convert })
        };
    }
    bound(parse_quote!(#ty: #p::Decode));
    if attrs.default.is_some() {
        // `get_optional` gives None for a missing column and for NULL; for an `Option<T>` field
        // that is `Option<Option<T>>`, whose None becomes the field's default, `None`.
        quote_spanned! {span=>
            match #p::Row::get_optional::<#ty>(#row, #index)? {
                ::core::option::Option::Some(#value) => #value,
                ::core::option::Option::None => #default,
            }
        }
    } else {
        quote_spanned!(span=> #p::Row::get::<#ty>(#row, #index)?)
    }
}

/// The `from_row` parameter. Always spanned at the call site: the field-type spans used
/// elsewhere may come from another macro's hygiene context, where this name would not resolve.
fn row_ident() -> Ident {
    Ident::new("__row", Span::call_site())
}
