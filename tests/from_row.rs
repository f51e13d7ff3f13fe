//! `#[derive(FromRow)]` against a real MariaDB.
#![allow(dead_code)]

use matrixone::FromRow;

#[derive(Debug, PartialEq, FromRow)]
#[mo(rename_all = "camelCase")]
struct User {
    id: i64,
    #[mo(rename = "user_name")]
    name: String,
    #[mo(default)]
    email: Option<String>,
    #[mo(skip)]
    cache: Vec<u8>,
    #[mo(json, default)]
    meta: Option<serde_json::Value>,
    #[mo(try_from = "i64")]
    small: u8,
    #[mo(try_from = "i64", default)]
    small2: u8,
    r#type: String,
}

#[derive(Debug, PartialEq, FromRow)]
struct Outer {
    #[mo(flatten)]
    user: User,
    x: i32,
}

#[derive(Debug, PartialEq, FromRow)]
struct Tup(i64, #[mo(skip)] u8, #[mo(default)] String, #[mo(try_from = "i64")] u16);

#[derive(Debug, PartialEq, FromRow)]
struct Gen<T, U: Clone>
where
    U: std::fmt::Debug,
{
    a: T,
    #[mo(default)]
    b: Vec<U>,
    #[mo(flatten)]
    c: (T, i64),
    #[mo(skip)]
    d: std::marker::PhantomData<U>,
}

#[derive(FromRow)]
struct Life<'a, const N: usize> {
    #[mo(skip)]
    x: std::marker::PhantomData<&'a [u8; N]>,
}

macro_rules! make {
    ($name:ident, $t:ty) => {
        #[derive(FromRow)]
        struct $name {
            a: $t,
            #[mo(default)]
            b: $t,
            #[mo(try_from = "i64")]
            c: $t,
        }
    };
}
make!(ViaMacro, i32);

fn is_from_row<T: FromRow>() {}

#[test]
fn derives_compile() {
    is_from_row::<User>();
    is_from_row::<Outer>();
    is_from_row::<Tup>();
    is_from_row::<Gen<i32, u8>>();
    is_from_row::<Life<'static, 3>>();
    is_from_row::<ViaMacro>();
}
