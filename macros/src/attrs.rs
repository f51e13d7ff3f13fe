//! Parsing of the `#[mo(...)]` attributes and the `rename_all` rules.
//!
//! Every mistake becomes a [`syn::Error`] spanned at the offending tokens; nothing here panics.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;
use syn::{Attribute, LitStr, Token, Type};

/// The name of our helper attribute.
const MO: &str = "mo";

/// A `rename_all` rule. Field names are taken to be `snake_case` words, as serde does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameRule {
    /// `lowercase`: the name lower-cased, underscores kept.
    Lower,
    /// `UPPERCASE`: the name upper-cased, underscores kept.
    Upper,
    /// `camelCase`: `user_name` -> `userName`.
    Camel,
    /// `PascalCase`: `user_name` -> `UserName`.
    Pascal,
    /// `snake_case`: the name as written.
    Snake,
    /// `SCREAMING_SNAKE_CASE`: `user_name` -> `USER_NAME`.
    ScreamingSnake,
}

impl RenameRule {
    /// Every accepted spelling, for parsing and for the error message.
    const ALL: [(&'static str, RenameRule); 6] = [
        ("lowercase", RenameRule::Lower),
        ("UPPERCASE", RenameRule::Upper),
        ("camelCase", RenameRule::Camel),
        ("PascalCase", RenameRule::Pascal),
        ("snake_case", RenameRule::Snake),
        ("SCREAMING_SNAKE_CASE", RenameRule::ScreamingSnake),
    ];

    /// Parses the string of `rename_all = "..."`; an unknown rule is an error at the literal.
    pub fn parse(lit: &LitStr) -> syn::Result<RenameRule> {
        let value = lit.value();
        Self::ALL.iter().find(|(name, _)| *name == value).map(|(_, rule)| *rule).ok_or_else(|| {
            let expected: Vec<String> = Self::ALL.iter().map(|(name, _)| format!("\"{name}\"")).collect();
            syn::Error::new(
                lit.span(),
                format!("unknown rename_all rule \"{value}\"; expected one of {}", expected.join(", ")),
            )
        })
    }

    /// The column label for a field called `field` (already stripped of `r#`).
    pub fn apply(self, field: &str) -> String {
        match self {
            RenameRule::Lower => field.to_ascii_lowercase(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Snake => field.to_owned(),
            RenameRule::Pascal => pascal(field),
            RenameRule::Camel => {
                let pascal = pascal(field);
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => pascal,
                }
            }
        }
    }
}

/// `user_name` -> `UserName`: drop underscores and capitalize the letter after each.
fn pascal(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut capitalize = true;
    for ch in field.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            out.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// The attributes on the struct itself. Both derives parse the same set, so that one
/// `#[mo(...)]` serves a struct that derives `FromRow` and `Insertable`; each uses its keys.
#[derive(Default)]
pub struct ContainerAttrs {
    /// `rename_all = "..."`, with the span of the key (for "not allowed here" errors).
    pub rename_all: Option<(RenameRule, Span)>,
    /// `table = "t"` or `"db.t"` (`Insertable` only), with the literal's span.
    pub table: Option<(String, Span)>,
}

/// The container keys, for the "unknown key" message.
const CONTAINER_KEYS: &[&str] = &["rename_all", "table"];

impl ContainerAttrs {
    /// Collects every `#[mo(...)]` on the container.
    pub fn parse(attrs: &[Attribute]) -> syn::Result<ContainerAttrs> {
        let mut out = ContainerAttrs::default();
        for attr in mo_attrs(attrs) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename_all") {
                    let lit = string_value(&meta, "rename_all")?;
                    let rule = RenameRule::parse(&lit)?;
                    set_once(&mut out.rename_all, (rule, meta.path.span()), &meta, "rename_all")
                } else if meta.path.is_ident("table") {
                    let lit = string_value(&meta, "table")?;
                    check_table(&lit)?;
                    set_once(&mut out.table, (lit.value(), lit.span()), &meta, "table")
                } else {
                    Err(unknown_key(&meta, CONTAINER_KEYS, "container"))
                }
            })?;
        }
        Ok(out)
    }
}

/// `"t"` or `"db.t"`, as the SDK's `TableRef` reads it: caught here rather than at the first
/// insert.
fn check_table(lit: &LitStr) -> syn::Result<()> {
    let value = lit.value();
    let parts: Vec<&str> = value.split('.').collect();
    let problem = if parts.len() > 2 {
        "has more than one '.'; write \"table\" or \"database.table\""
    } else if parts.iter().any(|part| part.is_empty()) {
        "has an empty name; write \"table\" or \"database.table\""
    } else if value.contains('\0') {
        "contains NUL"
    } else {
        return Ok(());
    };
    Err(syn::Error::new(lit.span(), format!("`table = {value:?}` {problem}")))
}

/// The attributes on one field. Each option keeps the span of its key so that conflicts and
/// misplaced keys can be reported there.
#[derive(Default)]
pub struct FieldAttrs {
    /// `rename = "col"`: the column label, and the span of the key.
    pub rename: Option<(String, Span)>,
    /// `default`: a missing column or NULL gives `Default::default()`.
    pub default: Option<Span>,
    /// `skip`: never read; `Default::default()`. Never written either.
    pub skip: Option<Span>,
    /// `skip_insert`: read as usual, never written (an AUTO_INCREMENT id, a column with a
    /// server-side default).
    pub skip_insert: Option<Span>,
    /// `flatten`: the field is itself `FromRow` over the same row.
    pub flatten: Option<Span>,
    /// `json`: decode through `Json<FieldTy>`.
    pub json: Option<Span>,
    /// `try_from = "Type"`: decode as `Type`, then `TryFrom`. The span is the literal's.
    pub try_from: Option<(Type, Span)>,
}

/// The field keys, for the "unknown key" message.
const FIELD_KEYS: &[&str] = &["rename", "default", "skip", "skip_insert", "flatten", "json", "try_from"];

impl FieldAttrs {
    /// Collects every `#[mo(...)]` on a field and rejects contradictory combinations.
    pub fn parse(attrs: &[Attribute]) -> syn::Result<FieldAttrs> {
        let mut out = FieldAttrs::default();
        // Keys in the order written, so a conflict is reported at the second key.
        let mut seen: Vec<(&'static str, Span)> = Vec::new();
        for attr in mo_attrs(attrs) {
            attr.parse_nested_meta(|meta| {
                let span = meta.path.span();
                let key = match FIELD_KEYS.iter().find(|k| meta.path.is_ident(k)) {
                    Some(key) => *key,
                    None => return Err(unknown_key(&meta, FIELD_KEYS, "field")),
                };
                match key {
                    "rename" => {
                        let lit = string_value(&meta, key)?;
                        if lit.value().is_empty() {
                            return Err(syn::Error::new(lit.span(), "`rename` needs a column label"));
                        }
                        set_once(&mut out.rename, (lit.value(), span), &meta, key)?;
                    }
                    "try_from" => {
                        let lit = string_value(&meta, key)?;
                        // Parse with the literal's span so that type errors point at the string.
                        let ty: Type = lit.parse().map_err(|e| {
                            syn::Error::new(
                                lit.span(),
                                format!("`try_from` expects a type, as in \"i64\": {e}"),
                            )
                        })?;
                        set_once(&mut out.try_from, (ty, lit.span()), &meta, key)?;
                    }
                    _ => {
                        no_value(&meta, key)?;
                        let slot = match key {
                            "default" => &mut out.default,
                            "skip" => &mut out.skip,
                            "skip_insert" => &mut out.skip_insert,
                            "flatten" => &mut out.flatten,
                            // The only flag left in FIELD_KEYS.
                            _ => &mut out.json,
                        };
                        set_once(slot, span, &meta, key)?;
                    }
                }
                seen.push((key, span));
                Ok(())
            })?;
        }
        Self::check_conflicts(&seen)?;
        Ok(out)
    }

    /// `skip` and `flatten` take no other key (the column is not read, or read by another type);
    /// `json` and `try_from` are two ways to decode the same column. The error points at the
    /// later of the two keys, as written.
    fn check_conflicts(seen: &[(&'static str, Span)]) -> syn::Result<()> {
        let clash = |a: &str, b: &str| {
            a == "skip" || b == "skip" || a == "flatten" || b == "flatten" || {
                let pair = [a, b];
                pair.contains(&"json") && pair.contains(&"try_from")
            }
        };
        for (i, (later, span)) in seen.iter().enumerate() {
            if let Some((earlier, _)) = seen[..i].iter().find(|(earlier, _)| clash(earlier, later)) {
                return Err(syn::Error::new(*span, format!("`{later}` cannot be combined with `{earlier}`")));
            }
        }
        Ok(())
    }
}

/// Our attributes only; `#[serde]`, docs and the like are someone else's.
fn mo_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|attr| attr.path().is_ident(MO))
}

/// `key = "string"`; anything else is an error at the value (or at the key when it is missing).
fn string_value(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<LitStr> {
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(format!("expected `{key} = \"...\"`")));
    }
    let value = meta.value()?;
    // Parse any expression so that the error spans the whole bad value, not one token.
    let expr: syn::Expr = value.parse()?;
    match expr {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(lit), .. }) => Ok(lit),
        other => Err(syn::Error::new_spanned(other, format!("`{key}` expects a string literal"))),
    }
}

/// A flag such as `default` must not have `= value` or `(...)` after it.
fn no_value(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<()> {
    if meta.input.is_empty() || meta.input.peek(Token![,]) {
        return Ok(());
    }
    // Consume the value first, so that the error spans `key = value` or `key(...)` whole.
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _content;
        syn::parenthesized!(_content in meta.input);
    }
    Err(meta.error(format!("`{key}` takes no value; write `#[mo({key})]`")))
}

/// Stores `value` unless the key was already given.
fn set_once<T>(slot: &mut Option<T>, value: T, meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<()> {
    if slot.is_some() {
        return Err(meta.error(format!("duplicate `mo` attribute `{key}`")));
    }
    *slot = Some(value);
    Ok(())
}

fn unknown_key(meta: &ParseNestedMeta<'_>, expected: &[&str], place: &str) -> syn::Error {
    let name = meta.path.get_ident().map_or_else(|| "this path".to_owned(), |i| format!("`{i}`"));
    let expected: Vec<String> = expected.iter().map(|k| format!("`{k}`")).collect();
    let expected = match expected.as_slice() {
        [only] => only.clone(),
        many => format!("one of {}", many.join(", ")),
    };
    meta.error(format!("unknown {place} attribute {name} in `#[mo(...)]`; expected {expected}"))
}
