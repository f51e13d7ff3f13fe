use matrixone::FromRow;

#[derive(FromRow)]
struct User {
    #[mo(renam = "user_name")]
    name: String,
}

fn main() {}
