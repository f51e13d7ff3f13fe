use matrixone::FromRow;

#[derive(FromRow)]
struct Inner {
    id: i64,
}

#[derive(FromRow)]
struct Outer {
    #[mo(skip, flatten)]
    inner: Inner,
}

fn main() {}
