"""Coding on all cores and on a cluster: shards of the input, one shard function, one writer.

Why this shape:

* spaCy's own ``n_process`` pickles every Doc back through a pipe and loses to that overhead
  on short news articles (spaCy issue #5119). We ship *descriptions* of the input instead (a
  ``Shard``: file names and a record range), workers read and code their own records, and
  only plain dicts of coded articles come back.
* A shard reads only its own records: whole files of a directory (so HTML extraction is
  split too), line/row ranges of one JSONL/CSV file (a dropped line is counted, never decoded
  or language-checked).
* The input is cut into many small shards that are dealt out as workers free up, at most
  ``IN_FLIGHT_PER_WORKER`` per worker at a time: results stream back to the parent, the only
  writer, which stores each article in its own transaction, in input order (so the same
  article of two copies is kept as in one process). Memory stays flat in the size of
  the corpus, a slow shard idles the others only once they are a few shards ahead, and a
  killed run, rerun, continues where it stopped (stored ids are skipped before parsing).
* The same ``code_shard`` runs in a process pool and on Dask workers; the spaCy model is
  loaded once per process (``nlp.load`` is cached).
"""

from __future__ import annotations

import csv
import gzip
import io
import logging
import math
import multiprocessing
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from . import readers
from .ingest import IngestReport
from .ingest import ingest as ingest_local
from .model import Article, ReadFailure
from .pipeline import CodedArticle, Skipped, code_articles
from .settings import Settings
from .store import Store, normalize_url, text_hash

EXECUTORS = ("local", "process", "dask")

# Inputs read record by record (one line / CSV row is one record), so one file can be cut
# into record ranges. Everything else (.txt .html .json) is one unit, read whole.
LINE_FORMATS = {".jsonl", ".csv"}

# Shard size in records. Each worker should get about TASKS_PER_WORKER shards so that the
# last shards to finish leave little idle time (the tail costs at most one shard per worker,
# 1/8 of its share); never fewer than MIN_TASK_RECORDS (below that nlp.pipe's batches run
# part-empty and per-shard costs, pickling and scheduling, start to show) nor more than
# MAX_TASK_RECORDS (what a worker holds before returning: a coded KCNA article pickles to
# about 4.6 kB with its sentences and events, so 256 are about 1.2 MB). 600 KCNA articles on
# 2 workers make 16 shards of 38 articles.
TASKS_PER_WORKER = 8
MIN_TASK_RECORDS = 16
MAX_TASK_RECORDS = 256

# Shards submitted or finished but not yet stored, per worker. Results are stored in input
# order, so a slow shard holds back those after it: 4 per worker lets the others run three
# shards ahead before they idle, while what waits in memory stays a few MB (see above).
IN_FLIGHT_PER_WORKER = 4

# spawn, not fork: the parent may already hold threads (Dask, rich's progress refresh, a
# database driver) and a loaded model, and forking a threaded process can deadlock. A
# spawned worker imports Tidings and loads the model once, about 3 s, paid once per run.
START_METHOD = "spawn"

log = logging.getLogger(__name__)


class ExecutorError(RuntimeError):
    """The executor could not run (a Dask scheduler out of reach, say); the message says
    which and why, for the CLI to print without a traceback."""


@dataclass(frozen=True)
class Shard:
    """A picklable description of part of the input: which records one task reads.

    The records of ``paths`` (expanded like ``readers.read``: directories recursive and
    sorted) are numbered in order: every line of a JSONL file and every row of a CSV file is
    one record, plus one closing record per such file (where a failure of the whole file, an
    empty or truncated one say, is reported); any other file is one record. The shard keeps
    record ``i`` when ``start <= i < stop`` and ``i % count == index``: ``index``/``count``
    split a stream statically (shard k of n), ``start``/``stop`` cut one file into ranges.
    ``articles`` carries already-read articles (stdin, which a worker cannot reopen).
    """

    paths: tuple[str, ...] = ()
    index: int = 0
    count: int = 1
    date: str | None = None
    start: int = 0
    stop: int | None = None
    articles: tuple[dict[str, Any], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "paths", tuple(str(p) for p in self.paths))
        if not 0 <= self.index < self.count:
            raise ValueError(f"shard index {self.index} outside 0..{self.count - 1}")

    def keeps(self, i: int) -> bool:
        return self.start <= i and (self.stop is None or i < self.stop) and (
            i % self.count == self.index
        )

    def past(self, i: int) -> bool:
        """Whether record ``i`` and every later one lie beyond this shard."""
        return self.stop is not None and i >= self.stop


# ---------------------------------------------------------------- reading a shard


def _open(path: Path, gz: bool) -> IO[bytes]:
    """Open a line-based input the way readers._read_file does (same checks, same errors)."""
    if path.stat().st_size == 0:
        raise readers.ReadError("empty", "empty file (0 bytes)")
    if not gz:
        return open(path, "rb")  # noqa: SIM115 - the caller closes it
    with open(path, "rb") as raw:
        if raw.read(2) != b"\x1f\x8b":
            raise readers.ReadError("truncated", "not a gzip stream despite the .gz name")
    # gzip.open owns its file (GzipFile(fileobj=...) would leave the file open on close).
    return io.BufferedReader(gzip.open(path, "rb"))


def _jsonl_record(
    line: bytes, where: str, fallback_id: str, date: str | None
) -> Article | ReadFailure:
    rec = readers.json_line(line, where)
    if isinstance(rec, ReadFailure):
        return rec
    return readers.from_record(rec, where, fallback_id, "jsonl", date)


# A record of a line-based file: ("slot", None) for a blank line, ("slot", thunk) for a line
# whose article the thunk builds (only when the shard keeps it), ("end", failure) for a
# failure that ends the file.
Slot = tuple[str, Any]


def _jsonl_slots(path: Path, gz: bool, stem: str, date: str | None) -> Iterator[Slot]:
    """readers._read_jsonl, one item per physical line, decoding nothing until asked."""
    origin = str(path)
    with _open(path, gz) as stream:
        head = stream.peek(readers.SNIFF_BYTES) if hasattr(stream, "peek") else b""
        readers.check_binary(head)
        seen = False
        for n, line in readers.iter_lines(stream, origin):
            if isinstance(line, ReadFailure):
                seen = True
                yield "slot", partial(lambda f: f, line)
            elif not line.strip():
                yield "slot", None
            else:
                seen = True
                yield "slot", partial(_jsonl_record, line, f"{origin}:{n}", f"{stem}-{n}", date)
        if not seen:
            raise readers.ReadError("empty", "no records (empty file)")


def _csv_slots(path: Path, gz: bool, stem: str, date: str | None) -> Iterator[Slot]:
    """readers._read_csv, one item per row; a dropped row is parsed by csv, nothing more."""
    origin = str(path)
    with _open(path, gz) as stream:
        head = stream.peek(readers.SNIFF_BYTES) if hasattr(stream, "peek") else b""
        readers.check_binary(head)
        for start, row in readers.iter_csv_rows(stream, origin):
            if isinstance(row, ReadFailure):
                yield "end", row
                return
            yield "slot", partial(readers.from_record, row, f"{origin}:{start}",
                                  f"{stem}-{start}", "csv", date)


def _line_file(
    path: Path, shard: Shard, first: int
) -> Iterator[Article | ReadFailure | int | None]:
    """Yield this shard's records of one JSONL/CSV file, then the records it used (or None
    when the shard's range ended inside the file)."""
    suffix, gz = readers.file_kind(path)
    stem = readers.stable_id(path.name[: -len(suffix + (".gz" if gz else ""))])
    slots = _jsonl_slots if suffix == ".jsonl" else _csv_slots
    # readers.guarded maps any exception to the same ReadFailure readers.read would give;
    # it comes out as a bare ReadFailure where the records come out as Slot tuples.
    stream = readers.guarded(str(path), lambda: slots(path, gz, stem, shard.date))
    used = 0
    end: ReadFailure | None = None
    try:
        for item in stream:
            if isinstance(item, ReadFailure):
                end = item
                break
            what, value = item
            if what == "end":
                end = value
                break
            if shard.past(first + used):
                yield None
                return
            if value is not None and shard.keeps(first + used):
                try:
                    record = value()
                except Exception as exc:  # noqa: BLE001 - one record must not stop a shard
                    record = ReadFailure(str(path), "malformed", f"unexpected {exc!r}")
                yield record
            used += 1
    finally:
        stream.close()
    if shard.past(first + used):
        yield None
        return
    if end is not None and shard.keeps(first + used):
        yield end
    yield used + 1


def read_shard(shard: Shard) -> Iterator[Article | ReadFailure]:
    """The shard's records, as ``readers.read`` would give them, reading no other record."""
    for d in shard.articles:
        yield Article.from_dict(d)
    i = 0
    for p in readers.expand_paths(list(shard.paths)):
        if shard.past(i):
            return
        path = Path(p)
        if p != "-" and readers.file_kind(path)[0] in LINE_FORMATS and path.is_file():
            used = None
            for item in _line_file(path, shard, i):
                if isinstance(item, (Article, ReadFailure)):
                    yield item
                else:
                    used = item
            if used is None:
                return
            i += used
        else:
            if shard.keeps(i):
                yield from readers.read([p], date=shard.date)
            i += 1


# ---------------------------------------------------------------- planning


def _count_lines(path: Path, gz: bool) -> int:
    """Physical lines of a file (as readers.iter_lines counts them); a broken file counts
    what could be read. Cheap: newline counting over raw chunks, nothing decoded."""
    n, last = 0, b"\n"
    try:
        opener = gzip.open if gz else open
        with opener(path, "rb") as f:
            while chunk := f.read(1 << 20):
                n += chunk.count(b"\n")
                last = chunk[-1:]
    except (OSError, EOFError, zlib.error):
        pass
    return n + (last != b"\n")


def _count_rows(path: Path, gz: bool) -> int:
    """Data rows of a CSV file (quoted fields may span lines, so lines are not rows)."""
    n = 0
    try:
        opener = gzip.open if gz else open
        with opener(path, "rt", encoding="utf-8-sig", errors="replace", newline="") as f:
            csv.field_size_limit(readers.MAX_ARTICLE_CHARS + 1)
            for _ in csv.reader(f):
                n += 1
    except (OSError, EOFError, zlib.error, csv.Error):
        pass
    return max(n - 1, 0)


def _records(path: Path) -> int:
    suffix, gz = readers.file_kind(path)
    return _count_rows(path, gz) if suffix == ".csv" else _count_lines(path, gz)


@dataclass
class Plan:
    """The shards of one run, the number of records (for a progress bar's total and ETA,
    None when unknown) and the failures met while reading stdin in the parent."""

    shards: list[Shard] = field(default_factory=list)
    total: int | None = 0
    failures: list[ReadFailure] = field(default_factory=list)


def plan(
    paths: Iterable[str | Path] | str | Path,
    *,
    workers: int = 1,
    date: str | None = None,
    task_records: int | None = None,
) -> Plan:
    """Cut the input into shards of about ``task_records`` records (default: sized from the
    input so every worker gets ~TASKS_PER_WORKER shards). JSONL/CSV files are cut into line
    ranges, other files are grouped whole; stdin is read here and shipped as articles."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    expanded = list(readers.expand_paths(list(paths)))
    sized: list[tuple[Path, int]] = []
    singles: list[str] = []
    stdin = False
    for p in expanded:
        if p == "-":
            stdin = True
            continue
        path = Path(p)
        if readers.file_kind(path)[0] in LINE_FORMATS and path.is_file():
            sized.append((path, _records(path)))
        else:
            singles.append(str(path))
    result = Plan()
    stdin_articles: list[dict[str, Any]] = []
    if stdin:
        for item in readers.read(["-"], date=date):
            if isinstance(item, ReadFailure):
                result.failures.append(item)
            else:
                stdin_articles.append(item.to_dict())
    total = sum(n for _, n in sized) + len(singles) + len(stdin_articles)
    result.total = total
    if task_records is None:
        per = math.ceil(total / max(1, workers * TASKS_PER_WORKER))
        task_records = min(MAX_TASK_RECORDS, max(MIN_TASK_RECORDS, per))
    for path, n in sized:
        starts = list(range(0, n, task_records)) or [0]
        for k, s in enumerate(starts):
            stop = starts[k + 1] if k + 1 < len(starts) else None  # the last range is open
            result.shards.append(Shard((str(path),), date=date, start=s, stop=stop))
    for k in range(0, len(singles), task_records):
        result.shards.append(Shard(tuple(singles[k : k + task_records]), date=date))
    for k in range(0, len(stdin_articles), task_records):
        result.shards.append(Shard(date=date, articles=tuple(stdin_articles[k : k + task_records])))
    return result


def count_records(paths: Iterable[str | Path] | str | Path) -> int | None:
    """Records in the input (lines of JSONL, rows of CSV, other files), None with stdin:
    the progress bar's total. Costs one pass of newline counting, no parsing."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    total = 0
    for p in readers.expand_paths(list(paths)):
        if p == "-":
            return None
        path = Path(p)
        line_based = readers.file_kind(path)[0] in LINE_FORMATS and path.is_file()
        total += _records(path) if line_based else 1
    return total


# ---------------------------------------------------------------- the shard function


def to_plain(result: CodedArticle | ReadFailure | Skipped) -> dict[str, Any]:
    """One coding result as a plain dict (what crosses process and network boundaries)."""
    if isinstance(result, ReadFailure):
        return {"failure": {"origin": result.origin, "kind": result.kind, "reason": result.reason}}
    if isinstance(result, Skipped):
        return {"skipped": result.article.id}
    return result.to_dict()


def code_shard(shard: Shard, skip_ids: frozenset[str] | None = None,
               settings: Settings | None = None) -> list[dict[str, Any]]:
    """Read and code one shard: the one function the process pool and Dask workers run.

    Articles whose id is in ``skip_ids`` (already stored), and later copies of an article
    of this shard, come back as {"skipped": id} without being parsed; failures as
    {"failure": {...}}; coded articles as ``CodedArticle.to_dict()``.
    """
    seen: set[str] = set()

    def skip(article: Article) -> bool:
        # A later copy (same id, URL or text, as Store.has sees it) of an article earlier in
        # this shard would only be coded for the store to refuse it: skip it unparsed. The
        # shard is a contiguous part of the input, so the first copy is the one kept, as in
        # one process. Copies in different shards are refused by Store.add, in input order.
        keys = {"i:" + article.id, "t:" + text_hash(article.text)}
        url = normalize_url(article.url)
        if url:
            keys.add("u:" + url)
        known = bool(keys & seen) or (skip_ids is not None and article.id in skip_ids)
        seen.update(keys)
        return known

    return [to_plain(r) for r in code_articles(read_shard(shard), skip=skip, settings=settings)]


_WORKER_SKIP: frozenset[str] | None = None
_WORKER_SETTINGS: Settings | None = None


# A short article coded once per worker at start: it loads the model, the knowledge base,
# the matchers and the gazetteer (several seconds), so that cost is paid before the first
# shard, on every worker at once, and not inside whichever shard comes first.
WARM_TEXT = "Pyongyang, May 1 (KCNA) -- Kim Jong Un met the Russian foreign minister."


def warm() -> None:
    """Load everything coding needs in this process (the model once: nlp.load is cached)."""
    list(code_articles([Article(id="warm-up", text=WARM_TEXT, language="en")]))


def _init_worker(skip_ids: frozenset[str] | None, settings: Settings | None) -> None:
    """Pool initializer: receive the stored ids and settings once per process, warm up once."""
    global _WORKER_SKIP, _WORKER_SETTINGS
    _WORKER_SKIP = skip_ids
    _WORKER_SETTINGS = settings
    warm()


def _pool_task(shard: Shard) -> list[dict[str, Any]]:
    return code_shard(shard, _WORKER_SKIP, _WORKER_SETTINGS)


# ---------------------------------------------------------------- executors


def in_order(
    shards: list[Shard],
    submit: Callable[[Shard], Any],
    first_done: Callable[[set[Any]], set[Any]],
    window: int,
) -> Iterator[list[dict[str, Any]]]:
    """Results of ``shards`` in plan order, computed out of order, ``window`` at most held.

    Storing in the input's order is what makes a parallel ingest store exactly what one
    process stores: of two articles with the same text or URL under different ids, the store
    keeps the one added first, and that must be the first in the input. Shards finishing
    early wait (at most ``window`` shards submitted or waiting), so memory stays bounded.
    ``submit`` starts a shard and returns its future; ``first_done`` blocks until at least
    one of the given futures has finished and returns the finished ones.
    """
    todo = iter(enumerate(shards))
    pending: dict[Any, int] = {}
    ready: dict[int, Any] = {}
    wanted = 0

    def fill() -> None:
        while len(pending) + len(ready) < window:
            nxt = next(todo, None)
            if nxt is None:
                return
            pending[submit(nxt[1])] = nxt[0]

    fill()
    while pending or ready:
        if wanted in ready:
            fut = ready.pop(wanted)
            wanted += 1
            yield fut.result()
            fill()  # after the caller stored it: at most ``window`` results alive at once
            continue
        for fut in first_done(set(pending)):
            ready[pending.pop(fut)] = fut


def _process_batches(
    shards: list[Shard], workers: int, skip_ids: frozenset[str] | None,
    settings: Settings | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """Results of ``shards`` from a pool of ``workers`` processes, in plan order."""
    ctx = multiprocessing.get_context(START_METHOD)
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(skip_ids, settings)
    )
    try:
        yield from in_order(
            shards,
            lambda shard: pool.submit(_pool_task, shard),
            lambda futs: wait(futs, return_when=FIRST_COMPLETED).done,
            workers * IN_FLIGHT_PER_WORKER,
        )
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _dask_batches(
    shards: list[Shard],
    workers: int,
    scheduler: str | None,
    skip_ids: frozenset[str] | None,
    settings: Settings | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """Results of ``shards`` from a Dask cluster (``scheduler``, or a local one of
    ``workers`` single-threaded processes), in plan order."""
    from distributed import Client, LocalCluster
    from distributed import wait as dask_wait

    with ExitStack() as stack:
        if scheduler:
            try:
                client = stack.enter_context(Client(scheduler))
            except OSError as exc:
                raise ExecutorError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from exc
        else:
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.WARNING,
                )
            )
            client = stack.enter_context(Client(cluster))
        threads = sum(client.nthreads().values()) or workers
        # Every worker loads the model and tables once, in parallel, as an ordinary task
        # pinned to it (client.run would block the worker's event loop meanwhile).
        client.gather(
            [client.submit(warm, workers=[w], pure=False) for w in client.nthreads()]
        )
        # The stored ids travel once to every worker, not once per shard.
        skip = client.scatter(skip_ids, broadcast=True) if skip_ids else None
        yield from in_order(
            shards,
            lambda shard: client.submit(code_shard, shard, skip, settings, pure=False),
            lambda futs: set(dask_wait(list(futs), return_when="FIRST_COMPLETED").done),
            threads * IN_FLIGHT_PER_WORKER,
        )


def store_result(
    item: dict[str, Any],
    store: Store,
    report: IngestReport,
    on_item: Callable[[str], None] | None = None,
) -> str:
    """Store one plain result the way tidings.ingest does; returns coded/duplicate/failed."""
    if "failure" in item:
        report.failed.append(ReadFailure(**item["failure"]))
        status = "failed"
    elif "skipped" in item:
        report.duplicate += 1
        status = "duplicate"
    else:
        article = Article.from_dict(item["article"])
        status = store.add(article, item["events"], item["sentences"])
        if status == "added":
            report.coded += 1
            report.events += len(item["events"])
            status = "coded"
        else:
            report.duplicate += 1
    if on_item is not None:
        on_item(status)
    return status


def run(
    paths: Iterable[str | Path] | str | Path,
    store: Store,
    *,
    workers: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    date: str | None = None,
    on_item: Callable[[str], None] | None = None,
    on_total: Callable[[int | None], None] | None = None,
    task_records: int | None = None,
    settings: Settings | None = None,
) -> IngestReport:
    """Ingest ``paths`` into ``store`` in this process ("local"), a pool of ``workers``
    processes ("process") or on Dask ("dask": ``scheduler`` tcp://host:port, or a local
    cluster of ``workers`` processes). Same stored articles and events whichever executor;
    only the order of storing differs. ``on_total`` hears the number of records first;
    ``task_records`` overrides the shard size (see ``plan``); ``settings`` travel with
    every shard to the workers.

    Shards name files, so on a remote cluster every worker must see the inputs at the same
    paths (a shared filesystem) and have Tidings installed; stdin is read here and shipped.
    """
    if executor not in EXECUTORS:
        raise ValueError(f"executor must be one of {', '.join(EXECUTORS)}, not {executor!r}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if executor == "local":
        if on_total is not None:
            on_total(count_records(paths))
        return ingest_local(paths, store, date=date, on_item=on_item, settings=settings)
    the_plan = plan(paths, workers=workers, date=date, task_records=task_records)
    if on_total is not None:
        on_total(the_plan.total)
    report = IngestReport()
    for failure in the_plan.failures:
        store_result({"failure": vars(failure)}, store, report, on_item)
    skip_ids = frozenset(store.ids()) or None
    if executor == "process":
        batches = _process_batches(the_plan.shards, workers, skip_ids, settings)
    else:
        batches = _dask_batches(the_plan.shards, workers, scheduler, skip_ids, settings)
    for batch in batches:
        for item in batch:
            store_result(item, store, report, on_item)
    return report
