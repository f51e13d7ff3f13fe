//! Vectors: MatrixOne's `vecf32`/`vecf64` values ([`crate::Vecf32`], [`crate::Vecf64`]), the
//! vector functions as sea-query expressions, a k-nearest-neighbour search builder ([`Knn`]),
//! IVF-FLAT and HNSW index statements ([`VectorIndex`]) and their manager
//! (`client.vector_indexes()`).
//!
//! ```no_run
//! # async fn demo(client: &matrixone::Client) -> matrixone::Result<()> {
//! use matrixone::{Executor, FromRow, Vecf32, query};
//! use matrixone::mo::vector::{Knn, Metric, VectorIndex};
//!
//! client.execute("CREATE TABLE docs (id BIGINT PRIMARY KEY, title TEXT, emb vecf32(3))").await?;
//! client.execute(query("INSERT INTO docs VALUES (?, ?, ?)").bind(1).bind("one").bind(Vecf32::from(vec![1.0, 0.0, 0.0]))).await?;
//! client.vector_indexes().create(VectorIndex::ivfflat("idx", "docs", "emb").lists(1)).await?;
//!
//! #[derive(FromRow)]
//! struct Doc { id: i64, title: String }
//! let hits = Knn::new("docs", "emb", vec![1.0, 0.1, 0.0]).columns(["id", "title"]).k(5).fetch::<Doc>(client).await?;
//! for hit in hits { println!("{} {} at {}", hit.row.id, hit.row.title, hit.distance); }
//! # Ok(()) }
//! ```

mod functions;
mod index;
mod manager;
mod search;
mod types;

pub use functions::{
    Metric, cosine_distance, cosine_similarity, inner_product, l1_distance, l1_norm, l2_distance,
    l2_distance_sq, l2_norm, normalize_l2, subvector, summation, vector_dims,
};
pub use index::{Algorithm, CreateVectorIndex, DropIndex, IndexInfo, Reindex, ShowIndex, VectorIndex};
pub use manager::VectorIndexManager;
pub use search::{Hit, Knn, QueryVector, RankMode};
pub use types::{Vecf32, Vecf64};
