//! Fulltext end to end (issue 9), against mosim (or the MatrixOne in `MATRIXONE_URL`): the index
//! builder, `MATCH .. AGAINST` in natural-language and boolean mode as sea-query expressions, the
//! relevance column, and user words that stay words in boolean mode.
#![cfg(feature = "testing")]

use matrixone::mo::fulltext::{
    BooleanQuery, FulltextIndex, Parser, SearchMode, match_against, match_boolean, match_natural,
};
use matrixone::testing::TestDatabase;
use matrixone::{Executor, query};
use sea_query::{Order, Query};

const COLS: [&str; 2] = ["title", "body"];

async fn articles() -> TestDatabase {
    let db = TestDatabase::builder().prefix("vsdk_ft").create().await.unwrap();
    let c = db.client();
    c.execute("CREATE TABLE articles (id BIGINT PRIMARY KEY, title VARCHAR(200), body TEXT)").await.unwrap();
    c.run(FulltextIndex::create("ft_articles", "articles", COLS)).await.unwrap();
    for (id, title, body) in [
        (1, "Apple harvest", "fresh apples from the orchard"),
        (2, "Rotten fruit", "rotten bananas and old apples"),
        (3, "Banana bread", "baking bread with ripe bananas, more bananas"),
        // Capitalised: MatrixOne lower-cases Latin words (pkg/monlp/tokenizer/simple.go).
        (4, "Orchard walk", "quiet trees under the evening sky"),
    ] {
        c.execute(query("INSERT INTO articles VALUES (?, ?, ?)").bind(id).bind(title).bind(body))
            .await
            .unwrap();
    }
    db
}

async fn ids(db: &TestDatabase, condition: sea_query::Expr) -> Vec<i64> {
    let select = Query::select()
        .column("id")
        .from("articles")
        .and_where(condition)
        .order_by("id", Order::Asc)
        .to_owned();
    db.client().fetch_all::<(i64,)>(&select).await.unwrap().into_iter().map(|(id,)| id).collect()
}

#[tokio::test]
async fn the_index_is_created_and_dropped() {
    let db = articles().await;
    let c = db.client();
    let listed = c.vector_indexes().list("articles").await.unwrap();
    let ft: Vec<_> = listed.iter().filter(|i| i.name == "ft_articles").collect();
    assert_eq!(ft.len(), 2, "{listed:?}");
    assert!(ft.iter().all(|i| i.index_type.eq_ignore_ascii_case("FULLTEXT")), "{listed:?}");
    c.run(FulltextIndex::drop("ft_articles", "articles")).await.unwrap();
    assert!(!c.vector_indexes().exists("articles", "ft_articles").await.unwrap());
}

#[tokio::test]
async fn natural_language_search_ranks_with_a_relevance_column() {
    let db = articles().await;
    assert_eq!(ids(&db, match_natural(COLS, "bananas")).await, [2, 3]);
    let select = Query::select()
        .column("id")
        .expr_as(match_natural(COLS, "bananas"), "score")
        .from("articles")
        .and_where(match_natural(COLS, "bananas"))
        .order_by("score", Order::Desc)
        .to_owned();
    let ranked: Vec<(i64, f64)> = db.client().fetch_all(&select).await.unwrap();
    assert_eq!(ranked.iter().map(|r| r.0).collect::<Vec<_>>(), [3, 2], "{ranked:?}");
    assert!(ranked[0].1 > ranked[1].1 && ranked[1].1 > 0.0, "{ranked:?}");
    // A quote in the search text is a value, not SQL.
    assert_eq!(ids(&db, match_natural(COLS, "'bananas\"")).await, [2, 3]);
}

#[tokio::test]
async fn boolean_mode_with_the_safe_builder() {
    let db = articles().await;
    let q = BooleanQuery::new().must("bananas").must_not("rotten");
    assert_eq!(ids(&db, match_boolean(COLS, &q).unwrap()).await, [3]);
    let q = BooleanQuery::new().should("orchard bread");
    assert_eq!(ids(&db, match_boolean(COLS, &q).unwrap()).await, [1, 3, 4]);
}

#[tokio::test]
async fn user_operators_are_not_operators() {
    let db = articles().await;
    // Typed as it is, `-bananas` excludes and `appl*` widens...
    assert_eq!(ids(&db, match_against(COLS, "orchard -bananas", SearchMode::Boolean)).await, [1, 4]);
    assert_eq!(ids(&db, match_against(COLS, "appl*", SearchMode::Boolean)).await, [1, 2]);
    // ...through the builder they are words: `-bananas` looks for bananas, `appl*` for `appl`.
    let q = BooleanQuery::new().should("orchard -bananas");
    assert_eq!(q.to_query().unwrap(), "orchard bananas");
    assert_eq!(ids(&db, match_boolean(COLS, &q).unwrap()).await, [1, 2, 3, 4]);
    assert_eq!(
        ids(&db, match_boolean(COLS, &BooleanQuery::new().should("appl*")).unwrap()).await,
        Vec::<i64>::new()
    );
    // Unbalanced quotes and brackets cannot break the query.
    let q = BooleanQuery::new().must("(\"bananas").must_not("rotten)");
    assert_eq!(ids(&db, match_boolean(COLS, &q).unwrap()).await, [3]);
    // Nothing left to look for is refused before sending.
    assert!(match_boolean(COLS, &BooleanQuery::new().should("+-~*")).is_err());
}

#[tokio::test]
async fn parsers_ngram_and_json() {
    let db = TestDatabase::builder().prefix("vsdk_ftp").create().await.unwrap();
    let c = db.client();
    c.execute("CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT, doc JSON)").await.unwrap();
    c.run(FulltextIndex::create("ft_body", "notes", ["body"]).parser(Parser::Ngram)).await.unwrap();
    c.run(FulltextIndex::create("ft_doc", "notes", ["doc"]).parser(Parser::Json)).await.unwrap();
    let listed = c.vector_indexes().list("notes").await.unwrap();
    assert!(
        listed
            .iter()
            .any(|i| i.name == "ft_body" && i.params.as_deref().is_some_and(|p| p.contains("ngram"))),
        "{listed:?}"
    );
    for (id, body, doc) in [
        (1, "中文全文检索测试", r#"{"fruit": "apple", "color": "red"}"#),
        (2, "向量检索与混合搜索", r#"{"fruit": "banana", "color": "yellow"}"#),
    ] {
        c.execute(query("INSERT INTO notes VALUES (?, ?, ?)").bind(id).bind(body).bind(doc)).await.unwrap();
    }
    let select = |condition| {
        Query::select().column("id").from("notes").and_where(condition).order_by("id", Order::Asc).to_owned()
    };
    let found: Vec<(i64,)> = c.fetch_all(&select(match_natural(["body"], "全文检索"))).await.unwrap();
    assert_eq!(found, [(1,)]);
    let found: Vec<(i64,)> = c.fetch_all(&select(match_natural(["body"], "检索"))).await.unwrap();
    assert_eq!(found, [(1,), (2,)]);
    let found: Vec<(i64,)> = c.fetch_all(&select(match_natural(["doc"], "yellow"))).await.unwrap();
    assert_eq!(found, [(2,)]);
}
