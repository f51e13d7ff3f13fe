// Several more mistakes, one per derive; each must be reported at its own tokens.
use matrixone::FromRow;

#[derive(FromRow)]
struct Duplicate {
    #[mo(rename = "a")]
    #[mo(rename = "b")]
    name: String,
}

#[derive(FromRow)]
struct EmptyRename {
    #[mo(rename = "")]
    name: String,
}

#[derive(FromRow)]
struct FlagWithValue {
    #[mo(default = true)]
    name: String,
    #[mo(json(pretty))]
    other: String,
}

#[derive(FromRow)]
struct JsonTryFrom {
    #[mo(json, try_from = "i64")]
    value: u8,
}

#[derive(FromRow)]
struct BadType {
    #[mo(try_from = "not a type")]
    value: u8,
}

#[derive(FromRow)]
#[mo(rename_all = "camelCase")]
struct TupleRenameAll(i64);

#[derive(FromRow)]
struct Unit;

#[derive(FromRow)]
union Bits {
    a: u32,
    b: f32,
}

#[derive(FromRow)]
#[mo(default)]
struct FieldKeyOnContainer {
    name: String,
}

fn main() {}
