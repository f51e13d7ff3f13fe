use matrixone::FromRow;

#[derive(FromRow)]
struct Pair(i64, #[mo(rename = "name")] String);

fn main() {}
