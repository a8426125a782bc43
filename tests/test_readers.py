"""readers.read on real files: every input kind, every bad-input kind, gzip, dirs, stdin."""

from __future__ import annotations

import gzip
import io
import json
import re
import shutil
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidings import readers
from tidings.limits import Limits
from tidings.model import ERROR_KINDS, Article, ReadFailure

FIX = Path(__file__).resolve().parent / "fixtures" / "readers"


def one(path) -> Article | ReadFailure:
    items = list(readers.read(path))
    assert len(items) == 1, items
    return items[0]


def failure(path, kind: str) -> ReadFailure:
    item = one(path)
    assert isinstance(item, ReadFailure), item
    assert item.kind == kind, item
    assert item.kind in ERROR_KINDS
    return item


# ---------------------------------------------------------------- good inputs


def test_txt_seed(seed_path):
    art = one(seed_path)
    assert isinstance(art, Article)
    assert art.id == "seed-rodong-2020-04-23"
    assert art.extraction == "text"
    assert art.origin == str(seed_path)
    assert art.text.startswith("Historic DPRK-Russia milestone")
    assert art.language == "en"


def test_date_fills_published_only_when_missing(seed_path, shared):
    assert one(seed_path).published is None
    assert list(readers.read(seed_path, date="2020-04-23"))[0].published == "2020-04-23"
    kcna = shared / "corpus" / "kcna_2024_dev.jsonl"
    first = next(readers.read(kcna, date="1999-01-01"))
    assert first.published == "2023-12-24"  # the record's own date wins


def test_jsonl_streams_records_with_line_origins(shared):
    path = shared / "corpus" / "kcna_2024_dev.jsonl"
    it = readers.read(path)
    first, second = next(it), next(it)
    assert first.id == "kcna-6ca5e2e361e8"
    assert first.origin == f"{path}:1" and second.origin == f"{path}:2"
    assert first.title.startswith("Japan's Discharge")
    assert first.source == "KCNA" and first.url.startswith("http://www.kcna.kp/")
    assert first.extraction == "jsonl" and first.meta["topic"] == "News Commentary"


def test_csv_rows(shared):
    path = shared / "corpus" / "rodong_sinmun_en_sample.csv"
    items = list(readers.read(path))
    assert len(items) == 600 and all(isinstance(a, Article) for a in items)
    first = items[0]
    assert first.id == "rodong_sinmun_en_0000"
    assert first.published == "2018-01-08"
    assert first.title == "DPRK's Strategic Decision Is Just"
    assert first.origin == f"{path}:2"
    assert first.extraction == "csv"


def test_json_shapes():
    assert one(FIX / "one.json").id == "kcna-6ca5e2e361e8"
    items = list(readers.read(FIX / "list.json"))
    assert [a.origin for a in items] == [f"{FIX / 'list.json'}[0]", f"{FIX / 'list.json'}[1]"]
    items = list(readers.read(FIX / "articles.json.gz"))
    assert len(items) == 3 and all(isinstance(a, Article) for a in items)


def test_html_page_metadata(shared):
    page = shared / "html" / "trafilatura_eval_en" / "html" / "abc13.com-Copperfield.html.gz"
    art = one(page)
    assert isinstance(art, Article), art
    assert art.extraction == "trafilatura"
    assert art.published == "2023-11-09"
    assert art.title.startswith("Aisha's Salon and Spa chain bans men")
    assert art.source == "ABC13 Houston"
    assert art.id == "abc13.com-Copperfield"


def test_encodings_cp1252_and_utf16_decode():
    a, b = one(FIX / "cp1252.txt"), one(FIX / "utf16.txt")
    assert isinstance(a, Article) and isinstance(b, Article)
    assert a.text == b.text
    assert "delegation\u2019s" in a.text and "caf\u00e9" in a.text


def test_short_english_is_not_rejected():
    art = one(FIX / "short.txt")
    assert isinstance(art, Article) and art.language == "en"


# ---------------------------------------------------------------- gzip of each kind


def test_gzip_of_each_kind(shared, tmp_path):
    assert one(FIX / "seed.txt.gz").text.startswith("Historic DPRK-Russia milestone")
    assert [a.id for a in readers.read(FIX / "kcna3.jsonl.gz")][:1] == ["kcna-6ca5e2e361e8"]
    assert len(list(readers.read(FIX / "rodong3.csv.gz"))) == 3
    assert len(list(readers.read(FIX / "articles.json.gz"))) == 3
    page = shared / "html" / "trafilatura_eval_en" / "html" / "abc13.com-Copperfield.html.gz"
    htm = tmp_path / "page.htm.gz"
    shutil.copy(page, htm)
    a, b = one(page), one(htm)
    assert a.extraction == b.extraction == "trafilatura"
    assert a.text == b.text and b.id == "page"


def test_truncated_gzip_keeps_earlier_records():
    items = list(readers.read(FIX / "truncated.jsonl.gz"))
    assert all(isinstance(a, Article) for a in items[:-1]) and len(items) > 1
    assert isinstance(items[-1], ReadFailure) and items[-1].kind == "truncated"
    failure(FIX / "truncated.txt.gz", "truncated")


# ---------------------------------------------------------------- bad inputs


def test_empty_and_blank():
    failure(FIX / "empty.txt", "empty")
    failure(FIX / "blank.txt", "empty")


def test_binary():
    failure(FIX / "image.txt", "binary")


def test_undecodable_bytes():
    f = failure(FIX / "korean-euckr.txt", "encoding")
    assert "not UTF-8" in f.reason


def test_unsupported_and_missing(tmp_path):
    failure(FIX / "notes.docx", "unsupported")
    failure(tmp_path / "nope.txt", "missing")


def test_language_names_the_language():
    assert "Korean" in failure(FIX / "korean.txt", "language").reason
    assert "Russian" in failure(FIX / "russian.txt", "language").reason


def test_html_without_article():
    failure(FIX / "no_article.html", "no_article")


def test_malformed_jsonl_lines_do_not_stop_the_file():
    items = list(readers.read(FIX / "malformed.jsonl"))
    kinds = [a.kind if isinstance(a, ReadFailure) else "ok" for a in items]
    assert kinds == ["ok", "malformed", "malformed", "ok"]
    assert items[1].origin == f"{FIX / 'malformed.jsonl'}:2"
    failure(FIX / "broken.json", "malformed")


def test_file_over_cap_rejected_by_stat(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:  # sparse 50 MB file of NULs: reading it would say "binary"
        f.truncate(50 * 1024 * 1024)
    opened: list[str] = []
    real_open = open

    def spy(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    f = failure(big, "too_large")
    assert str(big) not in opened
    assert "52,428,800" in f.reason


def test_gzip_over_cap_when_decompressed(tmp_path):
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"word " * (readers.MAX_FILE_BYTES // 5 + 1)))
    assert path.stat().st_size < readers.MAX_FILE_BYTES
    failure(path, "too_large")


def test_jsonl_is_streamed(tmp_path):
    """The first records of a 1 GB JSONL come out without the file being read whole."""
    path = tmp_path / "huge.jsonl"
    lines = gzip.decompress((FIX / "kcna3.jsonl.gz").read_bytes())
    with open(path, "wb") as f:
        f.write(lines * 4)
        f.truncate(1024**3)  # sparse: no disk is used for the rest
    it = readers.read(path)
    firsts = [next(it) for _ in range(12)]
    assert [a.origin for a in firsts] == [f"{path}:{n}" for n in range(1, 13)]
    it.close()


def test_article_over_cap(shared):
    items = list(readers.read(FIX / "kcna3.jsonl.gz", limits=Limits(max_article_chars=1000)))
    # the first two KCNA texts are over 1000 characters, the third (985) under
    assert [getattr(a, "kind", "ok") for a in items] == ["too_large", "too_large", "ok"]


def test_jsonl_line_over_cap_is_skipped_not_loaded(tmp_path):
    lines = (FIX / "malformed.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "lines.jsonl"
    short = json.dumps({"id": "s", "text": "Kim Jong Un met Putin in Vladivostok on Tuesday."})
    path.write_text(lines[0] + short + "\n", encoding="utf-8")
    items = list(readers.read(path, limits=Limits(max_article_chars=500)))
    assert items[0].kind == "too_large" and items[0].origin.endswith(":1")
    assert items[1].id == "s"


def test_extraction_timeout_main_thread(shared, monkeypatch):
    monkeypatch.setattr(readers, "EXTRACTION_TIMEOUT_S", 1e-6)
    page = shared / "html" / "trafilatura_eval_en" / "html" / "abc13.com-Copperfield.html.gz"
    f = failure(page, "timeout")
    assert "longer than" in f.reason


def test_extraction_timeout_worker_thread(shared, monkeypatch):
    monkeypatch.setattr(readers, "EXTRACTION_TIMEOUT_S", 1e-6)
    page = shared / "html" / "trafilatura_eval_en" / "html" / "abc13.com-Copperfield.html.gz"
    out: list = []
    t = threading.Thread(target=lambda: out.extend(readers.read(page)))
    t.start()
    t.join()
    assert [getattr(x, "kind", None) for x in out] == ["timeout"]


def test_run_with_timeout_returns_value_and_reraises():
    assert readers.run_with_timeout(lambda: 42, 5.0) == 42
    with pytest.raises(ZeroDivisionError):
        readers.run_with_timeout(lambda: 1 / 0, 5.0)


# ---------------------------------------------------------------- directories and stdin


def test_directory_recursive_sorted_stable(tmp_path, seed_path):
    (tmp_path / "b").mkdir()
    shutil.copy(seed_path, tmp_path / "b" / "seed.txt")
    shutil.copy(FIX / "kcna3.jsonl.gz", tmp_path / "a.jsonl.gz")
    shutil.copy(FIX / "empty.txt", tmp_path / "b" / "0empty.txt")
    (tmp_path / "README.md").write_text("# not an article\n")
    first = [(getattr(x, "origin", None), getattr(x, "kind", "ok")) for x in readers.read(tmp_path)]
    again = [(getattr(x, "origin", None), getattr(x, "kind", "ok")) for x in readers.read(tmp_path)]
    assert first == again
    assert [o for o, _ in first] == [
        f"{tmp_path / 'a.jsonl.gz'}:1",
        f"{tmp_path / 'a.jsonl.gz'}:2",
        f"{tmp_path / 'a.jsonl.gz'}:3",
        str(tmp_path / "b" / "0empty.txt"),
        str(tmp_path / "b" / "seed.txt"),
    ]
    assert [k for _, k in first] == ["ok", "ok", "ok", "empty", "ok"]


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_text(monkeypatch, seed_path):
    data = seed_path.read_bytes()
    _stdin(monkeypatch, data)
    art = one("-")
    assert art.extraction == "text" and art.origin == "<stdin>"
    assert re.fullmatch(r"stdin-[0-9a-f]{12}", art.id)
    _stdin(monkeypatch, data)
    assert one("-").id == art.id  # stable: a hash of the text


def test_stdin_jsonl(monkeypatch):
    _stdin(monkeypatch, gzip.decompress((FIX / "kcna3.jsonl.gz").read_bytes()))
    items = list(readers.read("-"))
    assert [a.origin for a in items] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]
    assert items[0].id == "kcna-6ca5e2e361e8"
    rec = json.loads(gzip.decompress((FIX / "kcna3.jsonl.gz").read_bytes()).splitlines()[0])
    del rec["id"]
    _stdin(monkeypatch, json.dumps(rec).encode("utf-8"))
    art = one("-")
    assert art.id == readers._text_id(rec["text"]) and art.origin == "<stdin>:1"


def test_stdin_json_html_and_bad(monkeypatch, shared):
    _stdin(monkeypatch, (FIX / "list.json").read_bytes())
    assert len(list(readers.read("-"))) == 2
    page = shared / "html" / "trafilatura_eval_en" / "html" / "abc13.com-Copperfield.html.gz"
    _stdin(monkeypatch, gzip.decompress(page.read_bytes()))
    assert one("-").extraction == "trafilatura"
    _stdin(monkeypatch, (FIX / "image.txt").read_bytes())
    assert one("-").kind == "binary"
    _stdin(monkeypatch, b"")
    assert one("-").kind == "empty"


def test_sniff():
    assert readers.sniff('{"id": 1, "text": "a"}\n{"id": 2}') == ".jsonl"
    assert readers.sniff('{\n  "text": "a"\n}') == ".json"
    assert readers.sniff("[{}]") == ".json"
    assert readers.sniff("<!DOCTYPE html><html></html>") == ".html"
    assert readers.sniff("Historic DPRK-Russia milestone\n\nBy Ri Hak Nam") == ".txt"


def test_never_raises_on_all_fixtures():
    items = list(readers.read([FIX, FIX / "notes.docx", "/nonexistent/x.jsonl"]))
    assert all(isinstance(x, Article | ReadFailure) for x in items)
    kinds = {x.kind for x in items if isinstance(x, ReadFailure)}
    assert {"empty", "binary", "encoding", "malformed", "truncated", "language"} <= kinds


# ---------------------------------------------------------------- gold HTML sets

# Measured over the whole sets with the current extractor (see the report of issue #2):
# trafilatura_eval_en titles 89/122 = 0.730, dates 100/112 = 0.893;
# htmldate_news_en dates 70/79 = 0.886. Thresholds are those minus a margin of 0.05.
# Pages rejected as non-English (7 German/Spanish pages in the trafilatura set, 3
# Hindi/Gujarati/Thai pages in the htmldate set) are left out of the denominators.
TITLE_MIN = 0.68
DATE_MIN_TRAFILATURA = 0.84
DATE_MIN_HTMLDATE = 0.83


def _norm(s: str | None) -> str:
    return re.sub(r"\s+", " ", s or "").strip().casefold()


@pytest.mark.slow
def test_trafilatura_eval_titles_and_dates(shared):
    base = shared / "html" / "trafilatura_eval_en"
    gold = json.loads((base / "evaldata_en.json").read_text(encoding="utf-8"))
    titles = dates = t_ok = d_ok = 0
    for g in gold.values():
        art = one(base / g["file"])
        if isinstance(art, ReadFailure):
            assert art.kind == "language", art
            continue
        if g.get("title"):
            titles += 1
            t_ok += _norm(art.title) == _norm(g["title"])
        if g.get("date"):
            dates += 1
            d_ok += art.published == g["date"][:10]
    assert t_ok / titles >= TITLE_MIN
    assert d_ok / dates >= DATE_MIN_TRAFILATURA


@pytest.mark.slow
def test_htmldate_news_dates(shared):
    base = shared / "html" / "htmldate_news_en"
    gold = json.loads((base / "gold_dates_en.json").read_text(encoding="utf-8"))
    n = ok = 0
    for g in gold.values():
        art = one(base / g["file"])
        if isinstance(art, ReadFailure):
            assert art.kind == "language", art
            continue
        if isinstance(g.get("date"), str):
            n += 1
            ok += art.published == g["date"]
    assert ok / n >= DATE_MIN_HTMLDATE


# ---------------------------------------------------------------- fuzz: never raises

HEADS = [b'{"text": ', b"<html><p>", b"\x1f\x8b\x08\x00", b"\xff\xfe<\x00", b"doc_id,text\n"]

@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda t: t.encode("utf-8")),
        st.sampled_from(HEADS).flatmap(lambda h: st.binary(max_size=200).map(lambda t: h + t)),
    ),
    suffix=st.sampled_from([".txt", ".html", ".jsonl", ".json", ".csv", ".txt.gz", ".jsonl.gz"]),
)
def test_arbitrary_bytes_never_raise(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    for item in readers.read(path):
        assert isinstance(item, Article | ReadFailure)
        if isinstance(item, ReadFailure):
            assert item.kind in ERROR_KINDS
