"""Near-duplicates: republications and abridgments linked to their originals (MinHash LSH)."""

from __future__ import annotations

import csv
import json
import random
import re

import pytest

from tidings import dedup
from tidings.store.common import text_hash


@pytest.fixture(scope="module")
def kcna(shared) -> dict[str, dict]:
    with (shared / "corpus" / "kcna_2024_dev.jsonl").open(encoding="utf-8") as f:
        return {a["id"]: a for a in map(json.loads, f)}


@pytest.fixture(scope="module")
def distinct(shared, kcna) -> list[dict]:
    """KCNA + Rodong Sinmun articles, one per distinct text (exact copies are the store's
    text-hash rule, not this module's)."""
    with (shared / "corpus" / "rodong_sinmun_en_sample.csv").open(encoding="utf-8") as f:
        rodong = [{"id": r["doc_id"], **r} for r in csv.DictReader(f)]
    seen: set[str] = set()
    out = []
    for a in [*kcna.values(), *rodong]:
        h = text_hash(a["text"])
        if h not in seen:
            seen.add(h)
            out.append({"id": a["id"], "text": a["text"], "url": a["url"]})
    return out


def _sentences(text: str) -> list[str]:
    return [s for p in text.split("\n") if p.strip() for s in re.split(r"(?<=[.!?])\s+", p)]


def abridge(text: str, keep) -> str:
    """An abridgment as the seed article is one: some sentences kept, an attribution line."""
    sents = _sentences(text)
    kept = [s for i, s in enumerate(sents) if keep(i, len(sents))]
    return "\n".join(kept) + "\n(Abridgment compiled from Rodong Sinmun and KCNA - May 1, 2024)"


def rodong_style(text: str) -> str:
    """A KCNA text as Rodong Sinmun's English site prints it: no dateline or trailer, one
    paragraph, curly apostrophes, the byline appended."""
    body = re.sub(r"^[^\n]*?\(KCNA\) --\s*", "", text).replace(" -0-", "")
    return " ".join(body.split("\n")).replace("'", "\u2019") + " Rodong Sinmun"


def test_shingles_stay_within_sentences_and_drop_furniture(seed_path):
    sh = dedup.shingles("Pyongyang, May 1 (KCNA) -- One two three four five. Six seven. -0-")
    assert sh == {"one two three four five", "six seven"}
    seed = dedup.shingles(seed_path.read_text(encoding="utf-8"))
    assert not any("compiled" in s for s in seed)
    assert dedup.shingles("") == set()


def test_abridgment_of_real_article_links_to_original(kcna):
    original = kcna["kcna-6f9e3f6aa162"]  # Kim Jong Un receives Sergei Shoigu
    index = dedup.NearDuplicateIndex(text_of={original["id"]: original["text"]}.get)
    index.add(original["id"], original["text"])
    short = abridge(original["text"], lambda i, n: i % 2 == 0)
    [m] = index.query(short)
    assert m.id == original["id"] and m.kind == "abridgment" and m.containment >= 0.9
    # the original arriving after its abridgment is an expansion of it
    index2 = dedup.NearDuplicateIndex(text_of={"short": short}.get)
    index2.add("short", short)
    [m2] = index2.query(original["text"])
    assert m2.kind == "expansion"


def test_republication_in_another_outlet_style(kcna):
    original = kcna["kcna-3da54c85fc20"]  # Kim Jong Un receives Russian military delegation
    copy = rodong_style(original["text"])
    assert text_hash(copy) != text_hash(original["text"])  # not an exact duplicate
    links = dedup.link([{"id": "o", "text": original["text"]}, {"id": "c", "text": copy}])
    assert links["c"].id == "o" and links["c"].kind == "republication"
    # without the texts the MinHash estimate still finds it
    index = dedup.NearDuplicateIndex()
    index.add("o", original["text"])
    assert [m.id for m in index.query(copy)] == ["o"]


@pytest.mark.parametrize(
    "a, b",
    [
        ("kcna-e7dfbdfe5db4", "kcna-e664c9f23bcd"),  # Koreans in Japan: group arrives / leaves
        ("kcna-39ccc0d88224", "kcna-0a14b188c668"),  # foreign delegation arrives / leaves
        ("kcna-92a015f0d67f", "kcna-1f3115fcfb4c"),  # the corpus' highest-containment pair
        ("kcna-6414416122e2", "kcna-99932ccd9400"),  # two wreaths, Hanoi and Pyongyang
    ],
)
def test_templated_reports_of_different_events_are_not_linked(kcna, a, b):
    links = dedup.link([{"id": a, "text": kcna[a]["text"]}, {"id": b, "text": kcna[b]["text"]}])
    assert links == {}


def test_corpus_precision_and_abridgment_recall(distinct):
    """The measurement behind the constants: over the 1,625 distinct texts of both corpora no
    two articles are linked (their closest pairs are templates of different events or
    re-translations), and every sentence-dropping abridgment finds its original."""
    assert len(distinct) == 1625
    rng = random.Random(7)
    long = [a for a in distinct if len(_sentences(a["text"])) >= 8]
    rules = [
        lambda i, n: i % 3 != 1,  # a third dropped
        lambda i, n: i % 2 == 0,  # every other sentence
        lambda i, n: i < max(2, int(n * 0.4)),  # the first 40%
    ]
    sample = rng.sample(long, 60)
    copies = [
        {"id": f"abr-{a['id']}", "text": abridge(a["text"], rules[n % 3]), "of": a["id"]}
        for n, a in enumerate(sample)
    ]
    links = dedup.link(distinct + copies)
    false_links = {k: v.id for k, v in links.items() if not k.startswith("abr-")}
    assert false_links == {}
    found = sum(links.get(c["id"]) is not None and links[c["id"]].id == c["of"] for c in copies)
    assert found == len(copies)


def test_containment_estimate():
    # |A| = 10 inside |B| = 40: J = 10/40
    assert dedup.containment_from(0.25, 10, 40) == pytest.approx(1.0)
    assert dedup.containment_from(0.0, 10, 40) == 0.0
    assert dedup.judge(0.95, 0.95, 5, 5) == "republication"
    assert dedup.judge(0.3, 1.0, 5, 40) is None  # too short to call an abridgment
    assert dedup.judge(0.3, 0.95, 30, 100) == "abridgment"


def test_fingerprints_for_a_store(kcna):
    """The store keeps (size, MinHash bytes) and LSH band keys; best_match verifies."""
    original = kcna["kcna-6f9e3f6aa162"]["text"]
    short = abridge(original, lambda i, n: i < 4)
    other = kcna["kcna-6ca5e2e361e8"]["text"]  # an unrelated commentary
    fo, fs, fx = (dedup.fingerprint(t) for t in (original, short, other))
    b, r = dedup.lsh_bands()
    assert len(fo.hashvalues) == 4 * dedup.NUM_PERM and len(fo.bands()) == b and r >= 1
    assert fo.size == len(dedup.shingles(original))
    assert dedup.estimate(fo, fo) == (1.0, 1.0)
    assert dedup.estimate(fs, fo)[0] == pytest.approx(fs.minhash().jaccard(fo.minhash()))
    assert set(fs.bands()) & set(fo.bands())  # a candidate through a shared band
    texts = {"o": original, "x": other}
    m = dedup.best_match(short, fs, [("x", fx), ("o", fo)], texts.get)
    assert m is not None and m.id == "o" and m.kind == "abridgment"
    assert dedup.best_match(other, fx, [("o", fo)], texts.get) is None
