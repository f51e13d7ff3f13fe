//! Vectors end to end (issue 9), against mosim (or the MatrixOne in `MATRIXONE_URL`):
//! binding and decoding `Vecf32`/`Vecf64`, the inlined literal whatever the binding mode, NaN
//! refused before sending, the dimension error as a kind, the distance functions, the kNN
//! builder and the vector index manager. Expected values follow
//! test/distributed/cases/array/array.result.
#![cfg(feature = "testing")]

use matrixone::mo::vector::{
    Knn, Metric, RankMode, VectorIndex, cosine_similarity, inner_product, l2_distance, vector_dims,
};
use matrixone::testing::TestDatabase;
use matrixone::{ConnectOptions, ErrorKind, Executor, FromRow, Vecf32, Vecf64, query};
use sea_query::{Expr, ExprTrait, Query};

#[derive(Debug, FromRow, PartialEq)]
struct Doc {
    id: i64,
    emb: Vecf32,
    emb64: Option<Vecf64>,
}

async fn docs_table(db: &TestDatabase) {
    db.client()
        .execute("CREATE TABLE docs (id BIGINT PRIMARY KEY, lang VARCHAR(8), emb vecf32(3), emb64 vecf64(3))")
        .await
        .unwrap();
}

#[tokio::test]
async fn vectors_bind_and_decode_in_both_binding_modes() {
    for prepared in [false, true] {
        let db = TestDatabase::builder()
            .prefix("vsdk_bind")
            .options(if prepared { |o: ConnectOptions| o.prepared_statements(true) } else { |o| o })
            .create()
            .await
            .unwrap();
        docs_table(&db).await;
        let c = db.client();
        let v = Vecf32::from(vec![1.0, 2.5, -3.0]);
        let w = Vecf64::from(vec![0.1, 1e-7, 4.0]);
        c.execute(
            query("INSERT INTO docs (id, lang, emb, emb64) VALUES (?, ?, ?, ?)")
                .bind(1)
                .bind("en")
                .bind(&v)
                .bind(w.clone()),
        )
        .await
        .unwrap();
        // mosim reformats a vector *literal* into MatrixOne's text and stores a parameter as
        // sent: `[1, 2.5, -3]` shows the vector went inlined, even with prepared statements on.
        let text: String = c.fetch_scalar("SELECT emb FROM docs WHERE id = 1").await.unwrap();
        assert_eq!(text, "[1, 2.5, -3]", "prepared={prepared}");
        let docs: Vec<Doc> = c.fetch_all("SELECT id, emb, emb64 FROM docs").await.unwrap();
        assert_eq!(docs, vec![Doc { id: 1, emb: v.clone(), emb64: Some(w) }]);
        let one: Vecf32 =
            c.fetch_scalar(query("SELECT emb FROM docs WHERE lang = ?").bind("en")).await.unwrap();
        assert_eq!(one.as_slice(), &[1.0, 2.5, -3.0]);
    }
}

#[tokio::test]
async fn non_finite_vectors_are_refused_before_sending() {
    let db = TestDatabase::builder().prefix("vsdk_nan").create().await.unwrap();
    docs_table(&db).await;
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        let err = db
            .client()
            .execute(
                query("INSERT INTO docs (id, emb) VALUES (?, ?)")
                    .bind(1)
                    .bind(Vecf32::from(vec![1.0, bad, 3.0])),
            )
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
        assert!(err.message().contains("element 1"), "{err}");
    }
    let n: i64 = db.client().fetch_scalar("SELECT COUNT(*) FROM docs").await.unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn a_dimension_mismatch_is_a_typed_error() {
    let db = TestDatabase::builder().prefix("vsdk_dims").create().await.unwrap();
    docs_table(&db).await;
    let err = db
        .client()
        .execute(query("INSERT INTO docs (id, emb) VALUES (?, ?)").bind(1).bind(Vecf32::from(vec![1.0, 2.0])))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::VectorDimensionMismatch, "{err}");
    assert!(err.message().contains("expected vector dimension 3 != actual dimension 2"), "{err}");
}

#[tokio::test]
async fn distance_functions_compose_with_sea_query() {
    let db = TestDatabase::builder().prefix("vsdk_fn").create().await.unwrap();
    docs_table(&db).await;
    let c = db.client();
    c.execute(
        query("INSERT INTO docs (id, lang, emb) VALUES (1, 'en', ?), (2, 'de', ?)")
            .bind(Vecf32::from(vec![1.0, 2.0, 3.0]))
            .bind(Vecf32::from(vec![3.0, 0.0, 4.0])),
    )
    .await
    .unwrap();
    let q = Vecf32::from(vec![1.0, 2.0, 3.0]);
    let select = Query::select()
        .column("id")
        .expr_as(l2_distance(Expr::col("emb"), q.expr().unwrap()), "l2")
        .expr_as(inner_product(Expr::col("emb"), q.expr().unwrap()), "ip")
        .expr_as(cosine_similarity(Expr::col("emb"), q.expr().unwrap()), "cos")
        .expr_as(vector_dims(Expr::col("emb")), "dims")
        .from("docs")
        .and_where(Expr::col("lang").eq("en"))
        .to_owned();
    let rows: Vec<(i64, f64, f64, f64, i64)> = c.fetch_all(&select).await.unwrap();
    // array.result: l2_distance(b, "[1,2,3]") = 0, inner_product = -14, cosine_similarity = 1.
    assert_eq!(rows.len(), 1);
    let (id, l2, ip, cos, dims) = rows[0];
    assert_eq!((id, dims), (1, 3));
    assert!(l2.abs() < 1e-6 && (ip + 14.0).abs() < 1e-6 && (cos - 1.0).abs() < 1e-6, "{rows:?}");
}

#[derive(Debug, FromRow)]
struct Named {
    id: i64,
    lang: String,
}

#[tokio::test]
async fn knn_returns_typed_rows_with_their_distance() {
    let db = TestDatabase::builder().prefix("vsdk_knn").create().await.unwrap();
    docs_table(&db).await;
    let c = db.client();
    for (id, lang, v) in [
        (1, "en", [0.0, 0.0, 1.0]),
        (2, "en", [0.0, 1.0, 0.0]),
        (3, "de", [0.0, 0.0, 0.9]),
        (4, "en", [1.0, 0.0, 0.0]),
        (5, "en", [0.0, 0.1, 1.0]),
    ] {
        c.execute(
            query("INSERT INTO docs (id, lang, emb) VALUES (?, ?, ?)")
                .bind(id)
                .bind(lang)
                .bind(Vecf32::from(v)),
        )
        .await
        .unwrap();
    }
    let hits = Knn::new("docs", "emb", vec![0.0, 0.0, 1.0])
        .columns(["id", "lang"])
        .k(3)
        .filter(Expr::col("lang").eq("en"))
        .mode(RankMode::Pre)
        .fetch::<Named>(c)
        .await
        .unwrap();
    let ids: Vec<i64> = hits.iter().map(|h| h.row.id).collect();
    assert_eq!(ids, [1, 5, 2], "{hits:?}");
    assert!(hits.iter().all(|h| h.row.lang == "en"));
    assert!(hits[0].distance.abs() < 1e-6);
    assert!((hits[1].distance - 0.1).abs() < 1e-6, "{hits:?}");
    assert!((hits[2].distance - 2f64.sqrt()).abs() < 1e-6, "{hits:?}");

    // Cosine: 3 points the same way as 1 (distance 0); the filter is gone, k = 2.
    let hits = Knn::new("docs", "emb", Vecf32::from(vec![0.0, 0.0, 2.0]))
        .metric(Metric::Cosine)
        .columns(["id", "lang"])
        .k(2)
        .fetch::<Named>(c)
        .await
        .unwrap();
    let mut ids: Vec<i64> = hits.iter().map(|h| h.row.id).collect();
    ids.sort();
    assert_eq!(ids, [1, 3], "{hits:?}");
    assert!(hits.iter().all(|h| h.distance.abs() < 1e-6));
}

#[tokio::test]
async fn vector_indexes_are_created_listed_and_dropped() {
    let db = TestDatabase::builder().prefix("vsdk_idx").create().await.unwrap();
    docs_table(&db).await;
    let c = db.client();
    let indexes = c.vector_indexes();
    indexes
        .create(VectorIndex::ivfflat("idx_ivf", "docs", "emb").lists(2).op_type(Metric::Cosine))
        .await
        .unwrap();
    assert!(indexes.exists("docs", "idx_ivf").await.unwrap());
    let listed = indexes.list("docs").await.unwrap();
    assert!(
        listed.iter().any(|i| i.name == "idx_ivf" && i.column == "emb" && i.index_type == "ivfflat"),
        "{listed:?}"
    );
    let params = |listed: Vec<matrixone::mo::vector::IndexInfo>| {
        listed.into_iter().find(|i| i.name == "idx_ivf").and_then(|i| i.params).unwrap_or_default()
    };
    let before = params(indexes.list("docs").await.unwrap());
    assert!(before.contains(r#""lists":"2""#) && before.contains("vector_cosine_ops"), "{before}");
    indexes.reindex("docs", "idx_ivf", 8).await.unwrap();
    let after = params(indexes.list("docs").await.unwrap());
    assert!(after.contains(r#""lists":"8""#), "{after}");
    indexes.drop("docs", "idx_ivf").await.unwrap();
    assert!(!indexes.exists("docs", "idx_ivf").await.unwrap());

    // HNSW is behind MatrixOne's experimental switch, off by default.
    let err = indexes
        .create(VectorIndex::hnsw("idx_h", "docs", "emb").m(16).ef_construction(64))
        .await
        .unwrap_err();
    assert!(err.message().contains("experimental_hnsw_index is not enabled"), "{err}");
    assert!(!indexes.exists("docs", "idx_h").await.unwrap());
}

#[tokio::test]
async fn session_variables_hold_on_every_pooled_connection() {
    // The Python SDK's bug: a `SET` reaches one pooled connection. With the setting in
    // ConnectOptions every connection has it, also those the pool opens later.
    let db = TestDatabase::builder()
        .prefix("vsdk_init")
        .options(|o| o.max_connections(4).session_variable("experimental_hnsw_index", 1))
        .create()
        .await
        .unwrap();
    docs_table(&db).await;
    let c = db.client();
    // Four transactions at once hold four distinct connections, opened one by one on demand.
    let txs = futures_util::future::try_join_all((0..4).map(|_| c.begin())).await.unwrap();
    let mut ids = Vec::new();
    for tx in &txs {
        let (id, on): (i64, i64) =
            tx.fetch_one("SELECT CONNECTION_ID(), @@experimental_hnsw_index").await.unwrap();
        assert_eq!(on, 1, "connection {id}");
        ids.push(id);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4, "{ids:?}");
    for tx in txs {
        tx.rollback().await.unwrap();
    }
    // And the switch works: HNSW can be created from any connection.
    c.vector_indexes().create(VectorIndex::hnsw("idx_h", "docs", "emb").m(16)).await.unwrap();
    assert!(c.vector_indexes().exists("docs", "idx_h").await.unwrap());
}

#[tokio::test]
async fn bad_session_variables_fail_connect_before_sending() {
    let err = matrixone::Client::connect_with(
        ConnectOptions::new().host("127.0.0.1").port(1).session_variable("a = 1; DROP DATABASE x; --", 1),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
}
