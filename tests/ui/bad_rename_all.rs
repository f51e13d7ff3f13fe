use matrixone::FromRow;

#[derive(FromRow)]
#[mo(rename_all = "kebab-case")]
struct User {
    user_name: String,
}

fn main() {}
