"""The command line: a thin layer over the Python API.

Exit codes: 0 everything coded, 1 some inputs failed (each named on stderr with its
reason), 2 usage error (a bad option, filter or query, an output file that cannot be
written, a read command given a --db that does not exist: one line on stderr), 3 the store
could not be written or reached (read-only file, full disk, server gone): one line on stderr,
and every article stored before it is kept. A reader that closes the pipe early
(``tidings events | head``) is normal use: exit 0, nothing on stderr.

Commands that only read (events, export, timeline, search, show, summary) open the store
read-only: they work on a read-only file and never wait for a writer's lock. ``-v`` logs what
Tidings does to stderr (``-vv`` more); ``--limit NAME=VALUE`` changes a bound of
tidings/limits.py for the command.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.core import TyperGroup

from . import __version__, formats
from .limits import DEFAULT, Limits
from .settings import Settings, SettingsError, describe


class _Commands(TyperGroup):
    """The command group, with one addition: a closed stdout ends a command quietly, exit 0.

    click turns EPIPE into exit 1 before any handler of ours runs, which breaks
    `set -o pipefail` scripts around `tidings events | head`. Output left in the buffer is
    flushed here too, where a closed pipe can still be caught, not at interpreter exit.
    """

    def invoke(self, ctx: Any) -> Any:  # (the base takes typer's vendored click Context)
        try:
            result = super().invoke(ctx)
        except BrokenPipeError:
            _discard_stdout()
            raise typer.Exit(0) from None
        except typer.Exit:
            _flush_stdout()
            raise
        _flush_stdout()
        return result


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _discard_stdout()


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that what is still buffered goes nowhere at exit."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (a test's capture): nothing is flushed to a pipe at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


app = typer.Typer(
    cls=_Commands,
    add_completion=False,
    no_args_is_help=True,
    help="Tidings: news articles in, political event data out (PLOVER / CAMEO).",
)


def _print_version(value: bool) -> None:
    if value:
        try:
            typer.echo(f"tidings {__version__}")
        except BrokenPipeError:  # parsed before _Commands.invoke: handled here
            _discard_stdout()
        raise typer.Exit(0)


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="print the version and exit"),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True,
                                help="log what Tidings does to stderr (-vv: more)"),
    limit: list[str] = typer.Option(
        [], "--limit", metavar="NAME=VALUE",
        help="change a bound of tidings/limits.py (docs/limits.md), e.g. max_query_terms=16"),
) -> None:
    """Options before the command; the app's help text is the Typer's above."""
    global _limits
    if verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        logging.getLogger("tidings").addHandler(handler)
        logging.getLogger("tidings").setLevel(LOG_LEVELS.get(verbose, logging.DEBUG))
    try:
        _limits = Limits.parse(limit)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--limit") from None


# Tables piped to a file or a closing note would wrap at rich's default 80 columns.
PIPED_TABLE_WIDTH = 220


class _Stdout(Console):
    """rich's console for stdout, but a closed pipe is left to _Commands (exit 0): rich's own
    handler exits 1."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


out = _Stdout(soft_wrap=True, width=None if sys.stdout.isatty() else PIPED_TABLE_WIDTH)
err = Console(stderr=True)

DEFAULT_DB = "tidings.db"
USAGE_EXIT = 2
STORE_ERROR_EXIT = 3  # see the module docstring
TERMINATED_EXIT = 128 + signal.SIGTERM
# -v: INFO, -vv: DEBUG, on stderr; without -v the library logs to its NullHandler only.
LOG_LEVELS = {1: logging.INFO, 2: logging.DEBUG}
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# The bounds of this run (--limit); the defaults unless the callback changed them.
_limits: Limits = DEFAULT


def _db(db: str | None) -> str:
    return db or os.environ.get("TIDINGS_DB") or DEFAULT_DB


def _existing_db(db: str | None) -> str:
    """The store a read command opens: a SQLite path must exist (usage error 2 otherwise).

    Opening a missing SQLite file would create it, and its folders, and answer from an empty
    store: a typo in --db would look like a store with no events.
    """
    from .store.backends import scheme_of

    target = _db(db)
    if scheme_of(target) != "sqlite":
        return target  # the backend says whether the database exists (exit 3 if not)
    if not Path(target).expanduser().is_file():
        raise typer.BadParameter(f"no store at {target} (ingest creates one)",
                                 param_hint="'--db' / TIDINGS_DB")
    return target


class By(StrEnum):
    month = "month"
    year = "year"


def _store(db: str | None, read_only: bool = False) -> Any:
    """The store of --db: opened read-only for the read commands (which need it to exist)."""
    from .store import Store

    target = _existing_db(db) if read_only else _db(db)
    return Store(target, read_only=read_only, limits=_limits)


def _format(value: str) -> str:
    """A format name of the writer registry (formats.py); usage error otherwise."""
    try:
        formats.get(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return value


def _date(value: str | None) -> str | None:
    """--date as YYYY-MM-DD; an unreadable one is a usage error, never ignored."""
    if value is None:
        return None
    from .readers import check_date

    try:
        return check_date(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


@contextmanager
def _user_errors() -> Iterator[None]:
    """A filter, query or output file the user got wrong: one line, exit 2."""
    from .store import QueryError

    try:
        yield
    except (QueryError, ValueError) as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(USAGE_EXIT) from None
    except BrokenPipeError:  # a reader that left early: _Commands ends quietly
        raise
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        err.print(f"error: cannot write{where}: {exc.strerror or exc}", markup=False,
                  highlight=False)
        raise typer.Exit(USAGE_EXIT) from None


FmtOpt = typer.Option("table", "--format", "-f", callback=_format,
                      help="table, jsonl, csv, gdelt, plover (formats.py)")
DateOpt = typer.Option(None, callback=_date, help="publication date (YYYY-MM-DD) where none")
DbOpt = typer.Option(None, "--db", help="SQLite path or postgresql:// URL [env TIDINGS_DB]")
# The event filters, shared by `events` and `export` (and the store's events() keywords).
DyadOpt = typer.Option(None, help="two country codes, e.g. PRK-RUS")
ActorOpt = typer.Option(None, help='actor name or code, e.g. "Kim Jong Un"')
TypeOpt = typer.Option(None, "--type", help="PLOVER type, e.g. CONSULT")
QuadOpt = typer.Option(None, "--quad", help="quad class 1-4")
SinceOpt = typer.Option(None, help="YYYY, YYYY-MM or YYYY-MM-DD")
UntilOpt = typer.Option(None, help="inclusive at its precision")
QueryOpt = typer.Option(None, "--q", help="full-text filter on the article")
# Written `--setting NAME VALUE` (main() joins the pair; NAME=VALUE is read too).
SettingOpt = typer.Option(
    None, "--setting", metavar="NAME VALUE",
    help="override a setting of the coder, e.g. --setting coref_window_chars 800 "
    "(repeatable; `tidings settings` lists them)",
)


def _settings(pairs: list[str] | None) -> Settings:
    """The coder's settings with the command line's overrides; a bad one is a usage error."""
    given: list[tuple[str, str]] = []
    for pair in pairs or []:
        name, eq, value = pair.partition("=")
        if not eq:
            raise typer.BadParameter(f"{pair!r} has no value: write --setting NAME VALUE",
                                     param_hint="--setting")
        given.append((name, value))
    try:
        return Settings.of(given)
    except SettingsError as exc:
        raise typer.BadParameter(str(exc), param_hint="--setting") from exc


def _join_setting_values(argv: list[str]) -> list[str]:
    """``--setting NAME VALUE`` → ``--setting NAME=VALUE``, the one token typer reads."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] == "--setting" and i + 2 < len(argv) and "=" not in argv[i + 1]:
            out += ["--setting", f"{argv[i + 1]}={argv[i + 2]}"]
            i += 3
            continue
        out.append(argv[i])
        i += 1
    return out


def _progress() -> Progress:
    """A progress bar on stderr with rate and elapsed time; silent when not a terminal."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


class Executor(StrEnum):
    local = "local"
    process = "process"
    dask = "dask"


WorkersOpt = typer.Option(1, "--workers", "-w", min=1, help="processes coding shards of the input")
ExecutorOpt = typer.Option(
    None, "--executor",
    help="local (this process), process (a pool of --workers) or dask "
    "[default: dask with --scheduler, process with --workers > 1, else local]",
)
SchedulerOpt = typer.Option(
    None, "--scheduler",
    help="Dask scheduler tcp://HOST:PORT; without it --executor dask starts a local "
    "cluster of --workers processes",
)


def _executor(executor: Executor | None, workers: int, scheduler: str | None) -> str:
    kind = executor.value if executor else (
        "dask" if scheduler else "process" if workers > 1 else "local"
    )
    if scheduler and kind != "dask":
        raise typer.BadParameter("--scheduler needs --executor dask", param_hint="--scheduler")
    return kind


class _FailurePrinter:
    """Prints each failure on stderr as it comes, the first ``max_failures_kept`` of them;
    counts the rest (a million bad lines must not be a million lines of output)."""

    def __init__(self, limits: Limits) -> None:
        from .ingest import IngestReport

        self.report = IngestReport(max_failures_kept=limits.max_failures_kept)

    def __call__(self, failure: Any) -> None:
        if len(self.report.failed) < self.report.max_failures_kept:
            err.print(f"failed {failure}", markup=False, highlight=False)
        self.report.fail(failure)

    def close(self) -> int:
        """Say how many were not printed; the exit code."""
        rest = self.report.failed_count - len(self.report.failed)
        if rest:
            err.print(self.report.lines()[-1].strip(), markup=False, highlight=False)
        return self.report.exit_code


@app.command()
def code(
    paths: list[str] = typer.Argument(..., help="files, directories, or - for stdin"),
    fmt: str = typer.Option("jsonl", "--format", "-f", callback=_format,
                            help="jsonl, table, csv, gdelt, plover (formats.py)"),
    date: str | None = DateOpt,
    workers: int = WorkersOpt,
    executor: Executor | None = ExecutorOpt,
    scheduler: str | None = SchedulerOpt,
    setting: list[str] | None = SettingOpt,
) -> None:
    """Code articles and print their events, without storing them.

    Example: tidings code sample/articles/seed-rodong-2020-04-23.txt --format table
    """
    from .executors import ExecutorError, code_results
    from .model import ReadFailure
    from .pipeline import CodedArticle

    kind = _executor(executor, workers, scheduler)
    failures = _FailurePrinter(_limits)
    config = _settings(setting)

    def coded_events() -> Iterator[Mapping[str, Any]]:
        for result in code_results(paths, workers=workers, executor=kind, scheduler=scheduler,
                                   date=date, limits=_limits, settings=config):
            if isinstance(result, ReadFailure):
                failures(result)
            elif isinstance(result, CodedArticle):
                yield from result.events

    writer = formats.get(fmt)
    if writer.needs_path:
        raise typer.BadParameter(f"{fmt} needs a file: use tidings export", param_hint="--format")
    try:
        writer.write(coded_events(), out.file)
    except ExecutorError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(USAGE_EXIT) from exc
    raise typer.Exit(failures.close())


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="files, directories, or - for stdin"),
    db: str | None = DbOpt,
    date: str | None = DateOpt,
    workers: int = WorkersOpt,
    executor: Executor | None = ExecutorOpt,
    scheduler: str | None = SchedulerOpt,
    setting: list[str] | None = SettingOpt,
) -> None:
    """Code articles and store them; re-running adds nothing already stored.

    Example: tidings ingest sample/articles --db tidings.db --workers 2
    """
    import time

    from .executors import ExecutorError, run

    kind = _executor(executor, workers, scheduler)
    config = _settings(setting)
    with _store(db) as store, _progress() as progress:
        task = progress.add_task("ingest", total=None, rate="")
        start = time.monotonic()
        done = 0

        def total(n: int | None) -> None:
            progress.update(task, total=n)

        def tick(status: str) -> None:
            nonlocal done
            done += 1
            rate = done / max(time.monotonic() - start, 1e-6)
            progress.update(task, advance=1, rate=f"{rate:.1f} art/s")

        try:
            report = run(
                paths, store, workers=workers, executor=kind, scheduler=scheduler, date=date,
                on_item=tick, on_total=total, limits=_limits, settings=config,
            )
        except ExecutorError as exc:
            err.print(f"error: {exc}", markup=False, highlight=False)
            raise typer.Exit(USAGE_EXIT) from exc
    for line in report.lines():
        err.print(line, highlight=False, markup=False)
    raise typer.Exit(report.exit_code)


@app.command()
def events(
    dyad: str | None = DyadOpt,
    actor: str | None = ActorOpt,
    type: str | None = TypeOpt,
    quad: int | None = QuadOpt,
    since: str | None = SinceOpt,
    until: str | None = UntilOpt,
    q: str | None = QueryOpt,
    limit: int | None = typer.Option(None, help="at most this many events"),
    fmt: str = FmtOpt,
    unique: bool = typer.Option(
        False, "--unique", help="one row per event cluster (not per mention), with counts"
    ),
    db: str | None = DbOpt,
) -> None:
    """List stored events with filters.

    Example: tidings events --dyad PRK-RUS --type CONSULT --since 2019-01 --until 2020-12
    """
    from . import export as exporter

    with _user_errors(), _store(db, read_only=True) as store:
        exporter.write(
            store, fmt, out.file, unique=unique, dyad=dyad, actor=actor, type=type,
            quad_class=quad, since=since, until=until, q=q, limit=limit,
        )


@app.command()
def export(
    fmt: str = typer.Option(..., "--format", "-f", callback=_format,
                            help="gdelt|plover|csv|jsonl|parquet (formats.py)"),
    output: str = typer.Option(..., "--output", "-o", help="file to write (- for stdout)"),
    dyad: str | None = DyadOpt,
    actor: str | None = ActorOpt,
    type: str | None = TypeOpt,
    quad: int | None = QuadOpt,
    since: str | None = SinceOpt,
    until: str | None = UntilOpt,
    q: str | None = QueryOpt,
    unique: bool = typer.Option(False, "--unique", help="one row per event cluster"),
    db: str | None = DbOpt,
) -> None:
    """Export stored events for GDELT tooling, PLOVER/POLECAT users, pandas or R.

    gdelt is GDELT 2.0's 61-column event table (one row per event cluster); docs/export.md
    lists every format's columns. Example: tidings export --format gdelt -o prk.tsv --dyad PRK-RUS
    """
    from . import export as exporter

    with _user_errors(), _store(db, read_only=True) as store:
        n = exporter.write(
            store, fmt, output, unique=unique, dyad=dyad, actor=actor, type=type,
            quad_class=quad, since=since, until=until, q=q,
        )
    err.print(f"{n} rows written to {output}", markup=False, highlight=False)


@app.command()
def timeline(
    a: str = typer.Argument(..., help="first actor (country code)"),
    b: str = typer.Argument(..., help="second actor (country code)"),
    by: By = typer.Option(By.month, "--by"),
    db: str | None = DbOpt,
    as_json: bool = typer.Option(False, "--json", help="JSON Lines instead of a table"),
    unique: bool = typer.Option(False, "--unique", help="count event clusters, not mentions"),
    tone: bool = typer.Option(False, "--tone", help="add the mean article tone (AvgTone)"),
) -> None:
    """Events between two actors per period, both directions, by quad class.

    Example: tidings timeline PRK RUS --by year --unique --tone
    """
    with _user_errors(), _store(db, read_only=True) as store:
        rows = store.timeline(a, b, by=by.value, unique=unique, tone=tone)
    if as_json:
        for row in rows:
            out.file.write(json.dumps(row) + "\n")
        return
    out.print(_timeline_table(rows, a, b))


def _timeline_table(rows: list[dict], a: str, b: str) -> Table:
    with_tone = any("tone" in row for row in rows)
    table = Table(
        "period", "direction", "verb coop", "mat coop", "verb confl", "mat confl", "total",
        "PLOVER score", *(["tone"] if with_tone else []), title=f"{a} - {b}",
    )
    for row in rows:
        tone = row.get("tone")
        table.add_row(
            str(row.get("period")), str(row.get("direction")),
            *(str(row.get(f"q{i}", 0)) for i in range(1, 5)),
            str(row.get("total", 0)), f"{row.get('plover_score', 0):.1f}",
            *([("-" if tone is None else f"{tone:+.2f}")] if with_tone else []),
        )
    return table


@app.command()
def search(
    query: str = typer.Argument(..., help="full-text query"),
    limit: int = typer.Option(10, help="number of hits"),
    db: str | None = DbOpt,
) -> None:
    """Full-text search over stored articles (bm25 ranking), with each hit's events.

    Example: tidings search "Vladivostok summit"
    """
    with _user_errors(), _store(db, read_only=True) as store:
        hits = store.search(query, limit=limit)
    for hit in hits:
        out.print(
            f"[bold]{hit.get('id')}[/bold]  {hit.get('published') or ''}  {hit.get('title') or ''}"
        )
        out.print("   " + (hit.get("snippet") or "").replace("\n", " "), highlight=False)
        for event in hit.get("events", []):
            out.print("   - " + " | ".join(formats.table_row(event)[2:8]), highlight=False)


@app.command()
def show(
    article_id: str = typer.Argument(..., help="article id"),
    db: str | None = DbOpt,
) -> None:
    """An article's metadata, text and events with their evidence sentences.

    Example: tidings show seed-rodong-2020-04-23
    """
    with _store(db, read_only=True) as store:
        art = store.article(article_id)
    if art is None:
        err.print(f"no article with id {article_id!r}", markup=False)
        raise typer.Exit(1)
    for key in ("id", "title", "subtitle", "byline", "source", "published", "dateline_place",
                "dateline_date", "url", "caption"):
        if art.get(key):
            out.print(f"[bold]{key}[/bold]: {art[key]}", highlight=False)
    out.print()
    out.print(art.get("text", ""), highlight=False, markup=False)
    out.print()
    for event in art.get("events", []):
        out.print(" | ".join(formats.table_row(event)[2:8]), highlight=False, markup=False)
        out.print(f"    evidence: {event.get('sentence')}", highlight=False, markup=False)


@app.command()
def summary(db: str | None = DbOpt) -> None:
    """A readable summary of a store: articles, events by type, top dyads, PRK-RUS timeline.

    Example: tidings summary --db tidings.db
    """
    with _store(db, read_only=True) as store:
        s = store.summary()
        rows = store.timeline("PRK", "RUS", by="year")
    out.print(f"[bold]articles coded:[/bold] {s.get('articles')}   "
              f"[bold]events:[/bold] {s.get('events')} "
              f"({s.get('unique_events')} unique across articles)")
    types = Table("event type", "events", title="Events by type")
    for etype, n in s.get("events_by_type", {}).items():
        types.add_row(str(etype), str(n))
    out.print(types)
    dyads = Table("dyad", "events", title="Top dyads")
    for d in s.get("top_dyads", []):
        dyads.add_row(str(d.get("dyad")), str(d.get("events")))
    out.print(dyads)
    out.print(_timeline_table(rows, "PRK", "RUS"))


@app.command()
def evaluate(
    gold: list[str] = typer.Argument(..., help="gold .jsonl, quad-class .tsv or .jsonl.gz"),
    errors: bool = typer.Option(False, "--errors", help="list every FP and FN"),
    limit: int | None = typer.Option(None, help="score only the first N items of each file"),
    split: list[str] = typer.Option(
        [], "--split", help="only these splits of the project's gold (train, dev, test)"),
    ablate: bool = typer.Option(
        False, "--ablate", help="rules alone against rules + model, on dev and test"),
) -> None:
    """Score the coder on gold sets with the rules of tests/data/gold/README.md.

    The project's gold (tests/gold) is reported per split, train, dev and test side by
    side; --errors lists the errors of train and dev only, never of test.

    Example: tidings evaluate tests/gold --errors --split dev
    """
    from .evaluate import cli_evaluate
    from .gold import SPLITS

    bad = [s for s in split if s not in SPLITS]
    if bad:
        raise typer.BadParameter(f"unknown split {bad[0]!r}; one of {', '.join(SPLITS)}",
                                 param_hint="--split")
    raise typer.Exit(cli_evaluate(gold, errors=errors, limit=limit,
                                  splits=tuple(split) or SPLITS, ablate=ablate))


@app.command()
def train(
    gold: list[str] = typer.Argument(
        None, help="gold .jsonl files or folders (tests/gold and tests/gold/external)"),
    out: Path = typer.Option(None, "-o", "--out", help="model file to write"),
    cv: bool = typer.Option(False, "--cv", help="only print a 5-fold cross-validation on "
                            "the train split (no model written)"),
    repeats: int = typer.Option(1, "--repeats", min=1,
                                help="with --cv: read the best setting again on this many "
                                "assignments of documents to folds, printing the mean F1 "
                                "with its lowest and highest"),
) -> None:
    """Rebuild the decide stage's model: trained on the gold's train split, its strength
    and threshold chosen on dev; deterministic, and the file records the train data's hash.

    Example: tidings train tests/gold tests/gold/external -o tidings/data/model/scorer.json

    Example: tidings train --cv --repeats 3 (how far the train split's F1 moves with the folds)
    """
    from .scorer import MODEL_PATH
    from .train import DEFAULT_GOLD
    from .train import train as run_train

    if cv:
        from .train import CV_SALTS, print_cross_validation

        if repeats > len(CV_SALTS):
            raise typer.BadParameter(f"at most {len(CV_SALTS)} fold assignments",
                                     param_hint="--repeats")
        print_cross_validation(gold or list(DEFAULT_GOLD), repeats)
        return
    if repeats != 1:
        raise typer.BadParameter("--repeats reads the cross-validation: give it with --cv",
                                 param_hint="--repeats")
    meta = run_train(gold or list(DEFAULT_GOLD), out or MODEL_PATH)
    print(f"trained on {meta['train_documents']} documents, chosen on "
          f"{meta['dev_documents']} dev documents -> {out or MODEL_PATH}")
    for regime, r in meta["per_regime"].items():
        chosen = r["chosen"]
        if r.get("decider") == "rules":
            same = r.get("model_on_same_f1")
            print(f"  {regime}: the rules alone (F1 {r['rules_alone_f1']:.3f} on train's new "
                  f"and dev documents) beat the model on the same documents (F1 "
                  f"{same if same is None else format(same, '.3f')})")
            continue
        setting = ("boosted trees" if chosen.get("learner") == "trees"
                   else f"logistic, C={chosen['C']} by cross-validation on train")
        print(f"  {regime}: {r['train_documents']} train documents ({r['train_candidates']} "
              f"candidates), {setting}, threshold="
              f"{chosen['threshold']} on {r['dev_documents']} dev documents pooled with "
              f"train's out-of-fold predictions (F1 dev {chosen['dev_f1']:.3f}, train CV "
              f"{chosen['cv_f1']:.3f}, pooled {chosen['pooled_f1']:.3f})")


@app.command()
def serve(
    db: str | None = DbOpt,
    host: str = typer.Option("127.0.0.1", help="bind address (loopback unless told)"),
    port: int = typer.Option(8000, help="port"),
    allow_ingest: bool = typer.Option(False, help="enable POST /api/articles (token printed)"),
    workers: int = typer.Option(1, min=1, help="server processes (one per core uses them all)"),
    access_log: bool = typer.Option(True, help="log a line per request"),
    setting: list[str] = typer.Option(
        [], "--setting", "-s", metavar="NAME=VALUE",
        help="override a web guardrail (repeatable), e.g. search_timeout_s=5; "
        "names and ranges: tidings/web/settings.py"),
) -> None:
    """Serve the web app and HTTP API over a store.

    Example: tidings serve --db tidings.db --port 8000 --workers 2 --setting page_size=100
    """
    from .web import settings as web_settings
    from .web.app import serve as run_server

    try:
        conf = web_settings.WebSettings().with_overrides(web_settings.parse_pairs(setting))
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--setting") from exc
    # Read-only serving needs a store; with --allow-ingest an empty one is a start.
    target = _db(db) if allow_ingest else _existing_db(db)
    run_server(target, host=host, port=port, allow_ingest=allow_ingest, workers=workers,
               access_log=access_log, settings=conf)


def _store_error(exc: BaseException) -> str | None:
    """One line for a store that cannot be written or reached; None for other errors."""
    from .store import StoreError

    if not isinstance(exc, StoreError):
        return None
    return f"store error: {exc}; articles stored before this are kept, rerun to continue"


def _terminated(signum: int, frame: Any) -> None:
    """SIGTERM ends the command as Ctrl-C would: the open transaction rolls back, worker
    processes are stopped, the store is closed (the default action would skip all that)."""
    raise SystemExit(TERMINATED_EXIT)


@app.command()
def settings() -> None:
    """List the coder's settings: name, type, default and what each is for.

    Example: tidings code article.txt --setting coref_window_chars 800
    """
    table = Table("setting", "type", "default", "help", show_lines=False)
    for name, kind, default, help_text in describe():
        shown = ",".join(default) if isinstance(default, tuple) else str(default)
        table.add_row(name, kind, shown, help_text)
    out.print(table)


def main() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGTERM, _terminated)
    try:
        app(args=_join_setting_values(sys.argv[1:]))
    except Exception as exc:  # a store failure is the user's to fix: no traceback for it
        message = _store_error(exc)
        if message is None:
            raise
        err.print(message, markup=False, highlight=False, soft_wrap=True)
        raise SystemExit(STORE_ERROR_EXIT) from None


if __name__ == "__main__":
    main()

