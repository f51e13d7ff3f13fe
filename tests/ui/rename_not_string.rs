use matrixone::FromRow;

#[derive(FromRow)]
struct User {
    #[mo(rename = 5)]
    name: String,
}

fn main() {}
