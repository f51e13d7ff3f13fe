//! MatrixOne's vectors: `vecf32(n)` / `vecf64(n)` columns, their text form, the vector
//! functions and vector indexes (reference §9; test/distributed/cases/array, vector).
//!
//! - [`text`]: MatrixOne's text form of a vector, in and out, and its errors;
//! - [`hooks`]: the one call the session makes before running a plain statement;
//! - [`index_rules`]: MatrixOne's rules for a new IVFFLAT / HNSW index;
//! - [`keys`]: vector columns stay out of primary keys and ordinary indexes;
//! - [`reindex`]: `ALTER TABLE ... ALTER REINDEX` updates a vector index's parameters;
//! - [`switches`]: `experimental_hnsw_index` gates HNSW indexes;
//! - [`values`]: vector literals written to vector columns are checked against the column's
//!   dimension and stored in MatrixOne's form, before MariaDB sees the statement;
//! - [`wire`]: vector columns are described on the wire as MatrixOne describes them;
//! - the rewrites of plain SQL live with the other dialect rewrites:
//!   `sql::dialect::vector_types` (column types), `sql::dialect::vector_functions`
//!   (distance functions), `sql::dialect::vector_index` (IVFFLAT / HNSW index DDL);
//! - [`SETUP`]: the stored functions those rewrites call, installed in the backend's
//!   `mo_catalog` at start-up.

pub(crate) mod hooks;
pub(crate) mod index_rules;
pub(crate) mod keys;
pub(crate) mod reindex;
pub(crate) mod switches;
pub(crate) mod text;
pub(crate) mod values;
pub(crate) mod wire;

/// Stored functions in `mo_catalog` that the vector rewrites call. Errors are raised with
/// MatrixOne's code and text (SIGNAL ... MYSQL_ERRNO = 20301); distances between two vector
/// expressions lay the second out at fixed width (`mo_vector_fixed`) and read it by position
/// in one pass over the first (JSON_TABLE).
pub(crate) const SETUP: [&str; 7] = [
    r"CREATE OR REPLACE FUNCTION mo_catalog.mo_vector_dim_error(column_dim BIGINT, given_dim BIGINT) RETURNS DOUBLE
      DETERMINISTIC NO SQL
      BEGIN
        DECLARE msg VARCHAR(200) DEFAULT CONCAT('invalid input: expected vector dimension ', column_dim,
          ' != actual dimension ', given_dim, '.');
        SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 20301, MESSAGE_TEXT = msg;
        RETURN NULL;
      END",
    r"CREATE OR REPLACE FUNCTION mo_catalog.mo_vector_ops_error(a BIGINT, b BIGINT) RETURNS DOUBLE
      DETERMINISTIC NO SQL
      BEGIN
        DECLARE msg VARCHAR(200) DEFAULT CONCAT('invalid input: vector ops between different dimensions (', a,
          ', ', b, ') is not permitted.');
        SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 20301, MESSAGE_TEXT = msg;
        RETURN NULL;
      END",
    // MatrixOne rounds a cosine similarity that is 1 or -1 as a float32 to exactly that
    // (pkg/vectorize/moarray/external.go, CosineSimilarity).
    r"CREATE OR REPLACE FUNCTION mo_catalog.mo_vector_clamp(c DOUBLE) RETURNS DOUBLE
      DETERMINISTIC NO SQL
      RETURN CASE WHEN c IS NULL THEN NULL
                  WHEN c >= 1 - POW(2, -25) AND c <= 1 + POW(2, -24) THEN 1
                  WHEN c <= -1 + POW(2, -25) AND c >= -1 - POW(2, -24) THEN -1
                  ELSE c END",
    // A vector laid out for reading element i by position: 8 bytes of dimension, then each
    // element in 32 bytes (binary, so SUBSTRING does not scan characters).
    r"CREATE OR REPLACE FUNCTION mo_catalog.mo_vector_fixed(v LONGTEXT) RETURNS LONGBLOB
      DETERMINISTIC READS SQL DATA
      BEGIN
        DECLARE r LONGBLOB;
        IF v IS NULL OR NOT JSON_VALID(v) THEN RETURN NULL; END IF;
        SELECT CAST(GROUP_CONCAT(LPAD(j.x, 32, ' ') ORDER BY j.i SEPARATOR '') AS BINARY) INTO r
          FROM JSON_TABLE(v, '$[*]' COLUMNS(i FOR ORDINALITY, x DOUBLE PATH '$')) AS j;
        RETURN CAST(CONCAT(LPAD(JSON_LENGTH(v), 8, ' '), r) AS BINARY);
      END",
    r"CREATE OR REPLACE FUNCTION mo_catalog.mo_vector_distance(kind VARCHAR(32), a LONGTEXT, b LONGTEXT) RETURNS DOUBLE
      DETERMINISTIC READS SQL DATA
      BEGIN
        DECLARE na, nb BIGINT;
        DECLARE f LONGBLOB;
        DECLARE dot, xx, yy, sq, l1, cosine DOUBLE;
        IF a IS NULL OR b IS NULL THEN RETURN NULL; END IF;
        SET na = JSON_LENGTH(a), nb = JSON_LENGTH(b);
        IF na <> nb THEN RETURN mo_catalog.mo_vector_ops_error(na, nb); END IF;
        SET f = mo_catalog.mo_vector_fixed(b);
        SELECT SUM(v.x * v.y), SUM(v.x * v.x), SUM(v.y * v.y), SUM(POW(v.x - v.y, 2)), SUM(ABS(v.x - v.y))
          INTO dot, xx, yy, sq, l1
          FROM (SELECT j.x, CAST(SUBSTRING(f, 9 + (j.i - 1) * 32, 32) AS DOUBLE) AS y
                FROM JSON_TABLE(a, '$[*]' COLUMNS(i FOR ORDINALITY, x DOUBLE PATH '$')) AS j) AS v;
        SET cosine = mo_catalog.mo_vector_clamp(dot / NULLIF(SQRT(xx) * SQRT(yy), 0));
        RETURN CASE kind
          WHEN 'l2_distance' THEN SQRT(sq)
          WHEN 'l2_distance_sq' THEN sq
          WHEN 'inner_product' THEN -dot
          WHEN 'l1_distance' THEN l1
          WHEN 'cosine_similarity' THEN cosine
          ELSE 1 - cosine END;
      END",
    // A prepared statement's parameter bound for a vector column (`values`): checked like a
    // literal (array/array.result's errors), spaced like MatrixOne's text (`[1, 2, 3]`).
    r"CREATE OR REPLACE FUNCTION mo_catalog.mo_vector_in(v LONGTEXT, dim BIGINT) RETURNS LONGTEXT
      DETERMINISTIC NO SQL
      BEGIN
        DECLARE n BIGINT;
        DECLARE msg VARCHAR(512);
        IF v IS NULL THEN RETURN NULL; END IF;
        IF NOT JSON_VALID(v) OR JSON_TYPE(v) <> 'ARRAY' OR JSON_LENGTH(v) = 0 THEN
          SET msg = CONCAT('internal error: malformed vector input: ', LEFT(v, 400));
          SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 20101, MESSAGE_TEXT = msg;
        END IF;
        SET n = JSON_LENGTH(v);
        IF n <> dim THEN
          SET msg = CONCAT('invalid input: expected vector dimension ', dim, ' != actual dimension ', n, '.');
          SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 20301, MESSAGE_TEXT = msg;
        END IF;
        RETURN JSON_LOOSE(v);
      END",
    r"CREATE OR REPLACE FUNCTION mo_catalog.mo_vector_normalize_l2(a LONGTEXT) RETURNS LONGTEXT
      DETERMINISTIC READS SQL DATA
      BEGIN
        DECLARE n DOUBLE;
        DECLARE r LONGTEXT;
        IF a IS NULL THEN RETURN NULL; END IF;
        SELECT SQRT(SUM(j.x * j.x)) INTO n FROM JSON_TABLE(a, '$[*]' COLUMNS(x DOUBLE PATH '$')) AS j;
        IF n = 0 THEN RETURN a; END IF;
        SELECT CONCAT('[', GROUP_CONCAT(j.x / n ORDER BY j.i SEPARATOR ', '), ']') INTO r
          FROM JSON_TABLE(a, '$[*]' COLUMNS(i FOR ORDINALITY, x DOUBLE PATH '$')) AS j;
        RETURN r;
      END",
];
