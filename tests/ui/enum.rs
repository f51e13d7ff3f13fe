use matrixone::FromRow;

#[derive(FromRow)]
enum Level {
    Cluster,
    Account,
}

fn main() {}
