// `#[derive(Insertable)]` mistakes, one per struct; each must be reported at its own tokens.
use matrixone::Insertable;

#[derive(Insertable)]
struct NoTable {
    name: String,
}

#[derive(Insertable)]
#[mo(table = "t")]
struct Tuple(i64);

#[derive(Insertable)]
#[mo(table = "t")]
enum Kind {
    A,
}

#[derive(Insertable)]
#[mo(table = "a.b.c")]
struct TwoDots {
    name: String,
}

#[derive(Insertable)]
#[mo(table = "db.")]
struct EmptyPart {
    name: String,
}

#[derive(Insertable)]
#[mo(table = 5)]
struct TableNotString {
    name: String,
}

#[derive(Insertable)]
#[mo(tabel = "t")]
struct UnknownContainerKey {
    name: String,
}

#[derive(Insertable)]
#[mo(table = "t")]
struct Flattened {
    #[mo(flatten)]
    inner: String,
}

#[derive(Insertable)]
#[mo(table = "t")]
struct TwoFieldsOneColumn {
    name: String,
    #[mo(rename = "NAME")]
    other: String,
}

#[derive(Insertable)]
#[mo(table = "t")]
struct NothingToWrite {
    #[mo(skip)]
    a: i64,
    #[mo(skip_insert)]
    b: i64,
}

#[derive(Insertable)]
#[mo(table = "t")]
struct SkipInsertWithValue {
    #[mo(skip_insert = true)]
    id: i64,
}

#[derive(Insertable)]
#[mo(table = "t")]
struct SkipAndSkipInsert {
    #[mo(skip, skip_insert)]
    id: i64,
}

fn main() {}
