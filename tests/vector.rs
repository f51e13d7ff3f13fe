//! Vectors end to end (issue 9), against mosim (or the MatrixOne in `MATRIXONE_URL`):
//! binding and decoding `Vecf32`/`Vecf64`, the inlined literal whatever the binding mode, NaN
//! refused before sending, the dimension error as a kind, the distance functions, the kNN
//! builder and the vector index manager. Expected values follow
//! test/distributed/cases/array/array.result.
#![cfg(feature = "testing")]
mod support;

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
        // Read back in MatrixOne's text form. (That the vector went inlined, not as a parameter,
        // is shown by `a_bound_vector_is_never_prepared`.)
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

#[tokio::test]
async fn vectors_inline_in_transactions_and_in_bulk_inserts_too() {
    #[derive(matrixone::Insertable)]
    #[mo(table = "docs")]
    struct NewDoc {
        id: i64,
        emb: Vecf32,
        emb64: Vecf64,
    }
    let db = TestDatabase::builder()
        .prefix("vsdk_tx")
        .options(|o| o.prepared_statements(true))
        .create()
        .await
        .unwrap();
    docs_table(&db).await;
    let c = db.client();
    let tx = c.begin().await.unwrap();
    tx.execute(
        query("INSERT INTO docs (id, emb) VALUES (?, ?)").bind(1).bind(Vecf32::from(vec![0.5, 1.0, 2.0])),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let rows: Vec<NewDoc> = (2..=40)
        .map(|id| NewDoc {
            id,
            emb: Vecf32::from(vec![id as f32, 0.25, -1.0]),
            emb64: Vecf64::from(vec![0.1 * id as f64, 1e-9, 3.0]),
        })
        .collect();
    assert_eq!(c.insert_many(&rows).await.unwrap(), 39);
    // MatrixOne's text form, so each went as a literal.
    let text: String = c.fetch_scalar("SELECT emb FROM docs WHERE id = 1").await.unwrap();
    assert_eq!(text, "[0.5, 1, 2]");
    let back: Vec<(i64, Vecf32, Vecf64)> =
        c.fetch_all("SELECT id, emb, emb64 FROM docs WHERE id > 1 ORDER BY id").await.unwrap();
    assert_eq!(back.len(), 39);
    for ((id, emb, emb64), row) in back.iter().zip(&rows) {
        assert_eq!((*id, emb, emb64), (row.id, &row.emb, &row.emb64));
    }
    // A kNN over vecf64 with a vecf64 query.
    let hits = Knn::new("docs", "emb64", Vecf64::from(vec![2.0, 0.0, 3.0]))
        .k(1)
        .columns(["id"])
        .filter(Expr::col("emb64").is_not_null())
        .fetch::<(i64,)>(c)
        .await
        .unwrap();
    assert_eq!(hits[0].row, (20,), "{hits:?}");
}

/// `Com_stmt_prepare` of the transaction's session (MariaDB).
async fn prepares(tx: &matrixone::Transaction) -> i64 {
    let rs = tx.execute("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'").await.unwrap();
    rs.rows()[0].get::<String>(1).unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_bound_vector_is_never_prepared() {
    // On MariaDB, where statements with values are prepared by default, the session's prepare
    // counter shows which protocol carried each statement.
    let client = support::client().await;
    let table = support::unique("vsdk_vec_text");
    support::fresh_table(&client, &table, "id BIGINT PRIMARY KEY, emb TEXT").await;
    let tx = client.begin().await.unwrap();
    let before = prepares(&tx).await;
    let v = Vecf32::from(vec![1.0, 2.5, -3.0]);
    tx.execute(query(format!("INSERT INTO `{table}` (id, emb) VALUES (?, ?)")).bind(1).bind(&v))
        .await
        .unwrap();
    assert_eq!(prepares(&tx).await, before, "the statement with a vector was prepared");
    // The control: a statement with only an integer is prepared (and counted).
    let n: i64 =
        tx.fetch_scalar(query(format!("SELECT COUNT(*) FROM `{table}` WHERE id = ?")).bind(1)).await.unwrap();
    assert_eq!(n, 1);
    assert!(prepares(&tx).await > before, "the control statement was not prepared");
    let stored: String = tx.fetch_scalar(format!("SELECT emb FROM `{table}`")).await.unwrap();
    assert_eq!(stored, "[1,2.5,-3]");
    let back: Vecf32 = tx.fetch_scalar(format!("SELECT emb FROM `{table}`")).await.unwrap();
    assert_eq!(back, v);
    tx.rollback().await.unwrap();
    client.execute(format!("DROP TABLE `{table}`")).await.unwrap();
}
