//! Fulltext indexes and MATCH ... AGAINST through mosim, with a plain MySQL client over TCP.
//! Expected rows (and their order) are MatrixOne's, from
//! test/distributed/cases/fulltext/fulltext.result.

mod common;

use common::*;
use sqlx::Row;
use sqlx::mysql::MySqlConnection;

async fn ids(c: &mut MySqlConnection, sql: &str) -> Vec<i64> {
    rows(c, sql).await.iter().map(|r| r.get::<i64, _>(0)).collect()
}

const SRC: &str = "insert into src values (0, 'color is red', 't1'), (1, 'car is yellow', 'crazy car'), (2, 'sky is blue', 'no limit'), (3, 'blue is not red', 'colorful'),
(4, '遠東兒童中文是針對6到9歲的小朋友精心設計的中文學習教材，共三冊，目前已出版一、二冊。', '遠東兒童中文'),
(5, '每冊均採用近百張全幅彩圖及照片，生動活潑、自然真實，加深兒童學習印象，洋溢學習樂趣。', '遠東兒童中文'),
(6, '各個單元主題內容涵蓋中華文化及生活應用的介紹。本套教材含課本、教學指引、生字卡、學生作業本與CD，中英對照，精美大字版。本系列有繁體字及簡體字兩種版本印行。', '中文短篇小說'),
(7, '59個簡單的英文和中文短篇小說', '適合初學者'),
(8, NULL, 'NOT INCLUDED'),
(9, 'NOT INCLUDED BODY', NULL),
(10, NULL, NULL)";

#[tokio::test]
async fn match_against_answers_like_matrixone() {
    let server = server().await;
    let (mut c, db) = fresh_db(&server, "vmosim_ft").await;
    exec(&mut c, "create table src (id bigint primary key, body varchar(500), title text)").await;
    exec(&mut c, SRC).await;
    exec(&mut c, "create fulltext index ftidx on src (body, title)").await;
    // fulltext.result, in order:
    assert_eq!(
        err(&mut c, "create fulltext index ftidx02 on src (body, title)").await,
        (20105, "not supported: Fulltext index are not allowed to use the same column".to_owned())
    );
    let (code, msg) = err(&mut c, "select * from src where match(body) against('red')").await;
    assert_eq!(code, 20105, "{msg}");
    assert!(msg.contains("MATCH() AGAINST() function cannot be replaced by FULLTEXT INDEX"), "{msg}");
    let (code, msg) =
        err(&mut c, "select * from src where match(body,title) against('+]]]' in boolean mode)").await;
    assert_eq!(
        (code, msg.as_str()),
        (20101, "internal error: Invalid input search string.  search string converted to empty pattern")
    );
    exec(&mut c, "alter table src add fulltext index ftidx2 (body)").await;
    for (sql, want) in [
        ("select id from src where match(body, title) against('red')", vec![0, 3]),
        ("select id from src where match(body, title) against('教學指引')", vec![6]),
        ("select id from src where match(body, title) against('彩圖' in natural language mode)", vec![5]),
        ("select id from src where match(body, title) against('遠東' in natural language mode)", vec![4, 5]),
        (
            "select id from src where match(body, title) against('版一、二冊' in natural language mode)",
            vec![4],
        ),
        ("select id from src where match(body, title) against('+red blue' in boolean mode)", vec![3, 0]),
        ("select id from src where match(body, title) against('re*' in boolean mode)", vec![0, 3]),
        ("select id from src where match(body, title) against('+red -blue' in boolean mode)", vec![0]),
        ("select id from src where match(body, title) against('+red +blue' in boolean mode)", vec![3]),
        ("select id from src where match(body, title) against('+red ~blue' in boolean mode)", vec![0, 3]),
        ("select id from src where match(body, title) against('+red -(<blue >is)' in boolean mode)", vec![]),
        (
            "select id from src where match(body, title) against('+red +(<blue >is)' in boolean mode)",
            vec![3, 0],
        ),
        ("select id from src where match(body, title) against('\"is not red\"' in boolean mode)", vec![3]),
        ("select id from src where match(body, title) against('\"red\"' in boolean mode)", vec![0, 3]),
        (
            "select id from src where match(body, title) against('+教學指引 +短篇小說' in boolean mode)",
            vec![6],
        ),
        (
            "select id from src where match(body, title) against('+教學指引 -短篇小說' in boolean mode)",
            vec![],
        ),
        ("select id from src where match(body, title) against('\"is  not red\"' in boolean mode)", vec![]),
        ("select id from src where match(body, title) against('\"blue is red\"' in boolean mode)", vec![]),
        // A score column keeps only the matching rows, best first.
        (
            "select id, match(body, title) against('is red' in natural language mode) as score from src",
            vec![0],
        ),
        (
            "select id, match(body, title) against('遠東兒童中文' in natural language mode) as score from src",
            vec![4, 5],
        ),
        (
            "select id, match(body) against('遠東兒童中文' in natural language mode) as score from src",
            vec![4],
        ),
        ("select src.id, match(body, title) against('blue') from src", vec![2, 3]),
    ] {
        assert_eq!(ids(&mut c, sql).await, want, "{sql}");
    }
    // fulltext.result: count(*) with match(title, body): the columns in any order.
    assert_eq!(ids(&mut c, "select count(*) from src where match(title, body) against('red')").await, [2]);
    // The score is a FLOAT, twice as high for a phrase found in both columns.
    let r = rows(
        &mut c,
        "select id, match(body, title) against('遠東兒童中文' in natural language mode) as score from src",
    )
    .await;
    let (s4, s5): (f32, f32) = (r[0].get(1), r[1].get(1));
    assert!((s4 / s5 - 2.0).abs() < 1e-3, "{s4} {s5}");
    cleanup(&mut c, &[&db], &[], &[]).await;
}

#[tokio::test]
async fn fulltext_indexes_take_matrixones_parsers_and_show_in_mo_indexes() {
    let server = server().await;
    let (mut c, db) = fresh_db(&server, "vmosim_ftp").await;
    exec(&mut c, "create table t (id int primary key, body text, j json, fulltext ftj (j) with parser json)")
        .await;
    exec(&mut c, "create fulltext index ftb on t (body) with parser ngram").await;
    exec(&mut c, "insert into t values (1, 'hello world', '{\"a\": \"red apple\"}'), (2, 'other', '{\"a\": \"green\"}')").await;
    assert_eq!(ids(&mut c, "select id from t where match(body) against('hello')").await, [1]);
    assert_eq!(ids(&mut c, "select id from t where match(j) against('apple')").await, [1]);
    // The json parser indexes values, not keys (fulltext_tokenize.go).
    assert_eq!(ids(&mut c, "select id from t where match(j) against('green')").await, [2]);
    assert_eq!(ids(&mut c, "select id from t where match(j) against('+a*' in boolean mode)").await, [1]);
    // fulltext/plugin/plan/schema.go: only MatrixOne's parsers.
    assert_eq!(
        err(&mut c, "create fulltext index ftx on t (body) with parser nosuch").await,
        (20105, "not supported: Fulltext parser nosuch not supported".to_owned())
    );
    let r = rows(
        &mut c,
        &format!(
            "select name, algo, algo_params from mo_catalog.mo_indexes i join mo_catalog.mo_tables t \
             on i.table_id = t.rel_id where t.relname = 't' and t.reldatabase = '{db}' order by name"
        ),
    )
    .await;
    let got: Vec<(String, String, String)> = r.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
    assert!(got.contains(&("ftb".into(), "fulltext".into(), "{\"parser\":\"ngram\"}".into())), "{got:?}");
    assert!(got.contains(&("ftj".into(), "fulltext".into(), "{\"parser\":\"json\"}".into())), "{got:?}");
    exec(&mut c, "drop index ftb on t").await;
    let (code, _) = err(&mut c, "select id from t where match(body) against('hello')").await;
    assert_eq!(code, 20105);
    cleanup(&mut c, &[&db], &[], &[]).await;
}
