"""Coding on all cores and on a cluster: shards of the input, one shard function, one writer.

Why this shape:

* spaCy's own ``n_process`` pickles every Doc back through a pipe and loses to that overhead
  on short news articles (spaCy issue #5119). We ship *descriptions* of the input instead (a
  ``Shard``: input files and a range of their records), workers read and code their own
  records with the readers' own ``read_source``, and only plain dicts of coded articles come
  back.
* A shard reads only its own records: whole files of a directory (so HTML extraction is
  split too), line ranges of one JSONL/CSV file (the lines before the range are counted, never
  decoded; records are numbered by their first line, so the ranges of a file partition it).
* The input is cut into many small shards, in input order, dealt out as workers free up, at
  most ``IN_FLIGHT_PER_WORKER`` per worker at a time: results stream back to the parent, the
  only writer, which stores each article in its own transaction, in input order (so the same
  article of two copies is kept as in one process) through ``ingest.store_result``. Memory
  stays flat in the size of the corpus, and a killed run, rerun, continues where it stopped
  (stored ids are skipped before parsing).
* The same ``code_shard`` runs in the process pool (tidings/workers.py: long-lived workers
  forked from a server that loaded the coder once) and on Dask workers.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import language, readers
from .ingest import IngestReport, store_result
from .ingest import ingest as ingest_local
from .inputs import STDIN, Source, sources
from .limits import DEFAULT, Limits, resolve
from .model import Article, ReadFailure
from .pipeline import CodedArticle, Skipped, code_articles
from .settings import Settings
from .store import Store, text_hash

EXECUTORS = ("local", "process", "dask")

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

# Workers are forked from a fork server that imported tidings.preload (the coder loaded once);
# "spawn" where there is no fork server (each worker then loads the coder itself).
START_METHOD = "forkserver"
PRELOAD = ("tidings.preload",)

log = logging.getLogger(__name__)


class ExecutorError(RuntimeError):
    """The executor could not run (a Dask scheduler out of reach, say); the message says
    which and why, for the CLI to print without a traceback."""


@dataclass(frozen=True)
class Shard:
    """A picklable description of part of the input: which records one task reads.

    ``sources`` are input files (``inputs.Source``: a path and the name derived ids start
    from). Whole documents are read whole; a JSONL/CSV file's records on lines
    [``start``, ``stop``) are read (``readers.read_source``), the last range open-ended.
    ``articles`` carries already-read articles (stdin, which a worker cannot reopen).
    ``limits`` bound the reading, ``settings`` tune the coder: they travel with the shard.
    """

    sources: tuple[Source, ...] = ()
    start: int = 0
    stop: int | None = None
    date: str | None = None
    articles: tuple[dict[str, Any], ...] = ()
    limits: Limits = DEFAULT
    settings: Settings | None = None

    def describe(self) -> list[str]:
        """The inputs of the shard as a user would name them (for failures)."""
        if self.articles:
            return [f"<stdin> ({len(self.articles)} articles)"]
        if len(self.sources) == 1 and (self.start or self.stop is not None):
            end = "end" if self.stop is None else str(self.stop)
            return [f"{self.sources[0].path}:{self.start + 1}-{end}"]
        return [s.path for s in self.sources]


def read_shard(shard: Shard) -> Iterator[Article | ReadFailure]:
    """The shard's records, as ``readers.read`` would give them, reading no other record."""
    for d in shard.articles:
        yield Article.from_dict(d)
    for source in shard.sources:
        yield from readers.read_source(source, shard.date, shard.limits, shard.start, shard.stop)


# ---------------------------------------------------------------- planning


@dataclass
class Plan:
    """The shards of one run, in input order; the number of records (a progress bar's total)
    and the failures met before any shard (paths that cannot be read, stdin's bad records)."""

    shards: list[Shard] = field(default_factory=list)
    total: int | None = 0
    failures: list[ReadFailure] = field(default_factory=list)


def _task_records(total: int, workers: int) -> int:
    """Records per shard: about TASKS_PER_WORKER shards per worker, within the bounds, and a
    multiple of MIN_TASK_RECORDS (the file scan marks every MIN_TASK_RECORDS-th record)."""
    per = math.ceil(total / max(1, workers * TASKS_PER_WORKER))
    per = min(MAX_TASK_RECORDS, max(MIN_TASK_RECORDS, per))
    return math.ceil(per / MIN_TASK_RECORDS) * MIN_TASK_RECORDS


def _line_shards(source: Source, marks: list[int], step: int, base: Shard) -> list[Shard]:
    """Ranges of one JSONL/CSV file cut at every ``step``-th mark (the first line of every
    MIN_TASK_RECORDS-th record); the first starts at line 0, the last is open-ended."""
    cuts = [0] + marks[step::step]
    return [
        replace(base, sources=(source,), start=cut,
                stop=cuts[k + 1] if k + 1 < len(cuts) else None)
        for k, cut in enumerate(cuts)
    ]


def plan(
    paths: Iterable[str | Path] | str | Path,
    *,
    workers: int = 1,
    date: str | None = None,
    task_records: int | None = None,
    limits: Limits | None = None,
    settings: Settings | None = None,
) -> Plan:
    """Cut the input into shards of about ``task_records`` records (default: sized from the
    input so every worker gets ~TASKS_PER_WORKER shards), in input order. JSONL/CSV files
    are cut into line ranges at record starts, other files grouped whole; stdin is read here
    and shipped as articles."""
    date, limits = readers.check_date(date), resolve(limits)
    base = Shard(date=date, limits=limits, settings=settings)
    items: list[tuple[Source, int, list[int]] | Source | list[dict[str, Any]]] = []
    result = Plan()
    for item in sources(paths):
        if isinstance(item, ReadFailure):
            result.failures.append(item)
        elif isinstance(item, str):  # STDIN
            items.append(_read_stdin(date, limits, result.failures))
        elif readers.file_kind(Path(item.path))[0] in readers.LINE_SUFFIXES:
            count, marks = readers.record_marks(item, MIN_TASK_RECORDS, limits)
            items.append((item, count, marks))
        else:
            items.append(item)
    result.total = sum(_size(i) for i in items)
    per = task_records or _task_records(result.total, workers)
    result.shards = _cut(items, per, base)
    log.info("plan: %d records in %d shards of about %d for %d workers; %d paths failed",
             result.total, len(result.shards), per, workers, len(result.failures))
    return result


def _size(item: Any) -> int:
    return item[1] if isinstance(item, tuple) else 1 if isinstance(item, Source) else len(item)


def _read_stdin(date: str | None, limits: Limits, failures: list[ReadFailure]) -> list[dict]:
    articles = []
    for got in readers.read([STDIN], date=date, limits=limits):
        if isinstance(got, ReadFailure):
            failures.append(got)
        else:
            articles.append(got.to_dict())
    return articles


def _cut(items: list[Any], per: int, base: Shard) -> list[Shard]:
    """Shards in input order: consecutive whole files grouped ``per`` at a time, a line file
    cut into ranges, stdin's articles ``per`` at a time."""
    shards: list[Shard] = []
    group: list[Source] = []

    def flush() -> None:
        if group:
            shards.append(replace(base, sources=tuple(group)))
            group.clear()

    for item in items:
        if isinstance(item, Source):
            group.append(item)
            if len(group) >= per:
                flush()
            continue
        flush()
        if isinstance(item, tuple):
            step = max(1, per // MIN_TASK_RECORDS) if per >= MIN_TASK_RECORDS else 1
            shards.extend(_line_shards(item[0], _marks_for(item, per, base.limits), step, base))
        else:
            for k in range(0, len(item), per):
                shards.append(replace(base, articles=tuple(item[k : k + per])))
    flush()
    return shards


def _marks_for(item: tuple[Source, int, list[int]], per: int, limits: Limits) -> list[int]:
    """The marks to cut at: every MIN_TASK_RECORDS-th record's first line, or, for a
    ``per`` below MIN_TASK_RECORDS (tests cut finely), every ``per``-th record's."""
    source, _, marks = item
    if per >= MIN_TASK_RECORDS:
        return marks
    return readers.record_marks(source, per, limits)[1]


def count_records(paths: Iterable[str | Path] | str | Path) -> int | None:
    """Records in the input (lines of JSONL, rows of CSV, other files), None with stdin:
    the progress bar's total. Costs one pass over the line files, nothing decoded."""
    total = 0
    for item in sources(paths):
        if isinstance(item, str):  # STDIN
            return None
        if isinstance(item, ReadFailure):
            total += 1
        elif readers.file_kind(Path(item.path))[0] in readers.LINE_SUFFIXES:
            total += readers.record_marks(item, MAX_TASK_RECORDS)[0]
        else:
            total += 1
    return total


# ---------------------------------------------------------------- the shard function


def to_plain(result: CodedArticle | ReadFailure | Skipped) -> dict[str, Any]:
    """One coding result as a plain dict (what crosses process and network boundaries)."""
    if isinstance(result, ReadFailure):
        return {"failure": {"origin": result.origin, "kind": result.kind, "reason": result.reason}}
    if isinstance(result, Skipped):
        return {"skipped": result.article.id}
    return result.to_dict()


def code_shard(shard: Shard, skip_ids: frozenset[str] | None = None) -> list[dict[str, Any]]:
    """Read and code one shard: the one function the process pool and Dask workers run.

    Articles whose id is in ``skip_ids`` (already stored), and later copies of an article
    coded earlier in this shard, come back as {"skipped": id} without being parsed; failures
    as {"failure": {...}}; coded articles as ``CodedArticle.to_dict()``.
    """
    coded: set[str] = set()

    def skip(article: Article) -> bool:
        # A later copy (same id or same text, exactly as Store.has sees it) of an article
        # coded earlier in this shard would only be coded for the store to refuse it. The
        # same URL with another text is *not* a copy: it is a new version, which the store
        # keeps (issue #14: treating it as a copy lost 15 versions of the KCNA corpus).
        keys = {"i:" + article.id, "t:" + text_hash(article.text)}
        if keys & coded or (skip_ids is not None and article.id in skip_ids):
            return True
        coded.update(keys)
        return False

    results = code_articles(read_shard(shard), skip=skip, settings=shard.settings)
    return [to_plain(r) for r in results]


def shard_failed(shard: Shard, reason: str) -> list[dict[str, Any]]:
    """The result of a shard whose worker died on it twice: its inputs, each a failure
    (rerun to code them; nothing of them was stored)."""
    return [
        {"failure": {"origin": origin, "kind": "internal",
                     "reason": f"the worker coding it {reason}, twice; not coded"}}
        for origin in shard.describe()
    ]


_WORKER_SKIP: frozenset[str] | None = None


# A short article coded once per worker at start: it loads the model, the knowledge base,
# the matchers and the gazetteer (several seconds), so that cost is paid before the first
# shard, on every worker at once, and not inside whichever shard comes first.
WARM_TEXT = "Pyongyang, May 1 (KCNA) -- Kim Jong Un met the Russian foreign minister."


def warm() -> None:
    """Load everything coding needs in this process (the model once: nlp.load is cached),
    and build the language detector the readers use."""
    list(code_articles([Article(id="warm-up", text=WARM_TEXT, language="en")]))
    language.detect(WARM_TEXT)


def _init_worker(skip_ids: frozenset[str] | None) -> None:
    """Worker start: receive the stored ids once; warm up (instant when forked from the
    preloaded fork server)."""
    global _WORKER_SKIP
    _WORKER_SKIP = skip_ids
    warm()


def _pool_task(shard: Shard) -> list[dict[str, Any]]:
    return code_shard(shard, _WORKER_SKIP)


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
    shards: list[Shard], workers: int, skip_ids: frozenset[str] | None
) -> Iterator[list[dict[str, Any]]]:
    """Results of ``shards`` from a pool of ``workers`` processes, in plan order."""
    from .workers import Pool, TaskError

    with Pool(workers, _pool_task, on_death=shard_failed, init=_init_worker,
              init_args=(skip_ids,), start_method=START_METHOD, preload=PRELOAD) as pool:
        try:
            yield from in_order(shards, pool.submit, pool.first_done,
                                workers * IN_FLIGHT_PER_WORKER)
        except TaskError as exc:
            raise ExecutorError(f"a worker failed: {exc}") from exc


def _dask_batches(
    shards: list[Shard],
    workers: int,
    scheduler: str | None,
    skip_ids: frozenset[str] | None,
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
            lambda shard: client.submit(code_shard, shard, skip, pure=False),
            lambda futs: set(dask_wait(list(futs), return_when="FIRST_COMPLETED").done),
            threads * IN_FLIGHT_PER_WORKER,
        )


def _check(executor: str, workers: int) -> None:
    if executor not in EXECUTORS:
        raise ValueError(f"executor must be one of {', '.join(EXECUTORS)}, not {executor!r}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")


def results(
    the_plan: Plan,
    *,
    workers: int = 1,
    executor: str = "process",
    scheduler: str | None = None,
    skip_ids: frozenset[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Every result of a plan in input order, as plain dicts: its failures first, then each
    shard's results from a process pool or Dask."""
    for failure in the_plan.failures:
        yield to_plain(failure)
    if executor == "process":
        batches = _process_batches(the_plan.shards, workers, skip_ids)
    else:
        batches = _dask_batches(the_plan.shards, workers, scheduler, skip_ids)
    for batch in batches:
        yield from batch


def code_results(
    paths: Iterable[str | Path] | str | Path,
    *,
    workers: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    date: str | None = None,
    limits: Limits | None = None,
    settings: Settings | None = None,
) -> Iterator[CodedArticle | ReadFailure | Skipped]:
    """Code ``paths`` without storing (``tidings code``), in input order, on any executor."""
    from .ingest import from_plain

    _check(executor, workers)
    if executor == "local":
        yield from code_articles(readers.read(paths, date=date, limits=limits),
                                 settings=settings)
        return
    the_plan = plan(paths, workers=workers, date=date, limits=limits, settings=settings)
    for item in results(the_plan, workers=workers, executor=executor, scheduler=scheduler):
        yield from_plain(item)


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
    limits: Limits | None = None,
    settings: Settings | None = None,
) -> IngestReport:
    """Ingest ``paths`` into ``store`` in this process ("local"), a pool of ``workers``
    processes ("process") or on Dask ("dask": ``scheduler`` tcp://host:port, or a local
    cluster of ``workers`` processes). Same stored articles and events whichever executor;
    only the order of storing differs. ``on_total`` hears the number of records first;
    ``task_records`` overrides the shard size (see ``plan``); ``limits`` and ``settings``
    travel with every shard to the workers.

    Shards name files, so on a remote cluster every worker must see the inputs at the same
    paths (a shared filesystem) and have Tidings installed; stdin is read here and shipped.
    """
    _check(executor, workers)
    limits = resolve(limits)
    if executor == "local":
        if on_total is not None:
            on_total(count_records(paths))
        return ingest_local(paths, store, date=date, on_item=on_item, limits=limits,
                            settings=settings)
    the_plan = plan(paths, workers=workers, date=date, task_records=task_records, limits=limits,
                    settings=settings)
    if on_total is not None:
        on_total(the_plan.total)
    report = IngestReport(max_failures_kept=limits.max_failures_kept)
    skip_ids = frozenset(store.ids()) or None
    for item in results(the_plan, workers=workers, executor=executor, scheduler=scheduler,
                        skip_ids=skip_ids):
        store_result(item, store, report, on_item)
    return report
