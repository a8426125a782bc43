"""Schema and migrations for both backends.

One logical schema, written once with a few dialect placeholders ({pk}, {real}, {json},
{ctext}); each migration is a list of statements applied in one transaction at open, and
``meta.schema_version`` records the last one applied. Add a migration by appending to
``MIGRATIONS`` — never edit an applied one.
"""

from __future__ import annotations

from tidings.store import rollups

SCHEMA_VERSION_KEY = "schema_version"

DIALECT_TYPES = {
    "sqlite": {
        "pk": "INTEGER PRIMARY KEY",
        "real": "REAL",
        "json": "TEXT",
        # SQLite compares text bytewise already.
        "ctext": "TEXT",
        "blob": "BLOB",
        # a primary key that is another table's key: the rowid itself on SQLite
        "fk_pk": "INTEGER PRIMARY KEY",
    },
    "postgres": {
        "pk": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        "real": "DOUBLE PRECISION",
        "json": "JSONB",
        # Dates are compared as strings ("2020-12" <= "2020-12-31"): byte order, whatever the
        # server's locale.
        "ctext": 'TEXT COLLATE "C"',
        "blob": "BYTEA",
        "fk_pk": "BIGINT PRIMARY KEY",
    },
}

_V1_COMMON = [
    """
    CREATE TABLE articles (
        pk {pk},
        id TEXT NOT NULL UNIQUE,
        title TEXT,
        subtitle TEXT,
        byline TEXT,
        source TEXT,
        url TEXT,
        url_norm TEXT UNIQUE,
        published {ctext},
        dateline_place TEXT,
        dateline_date {ctext},
        language TEXT,
        caption TEXT,
        extraction TEXT NOT NULL,
        origin TEXT,
        meta {json},
        text TEXT NOT NULL,
        text_hash TEXT NOT NULL UNIQUE,
        added_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE sentences (
        article_pk BIGINT NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (article_pk, idx)
    )
    """,
    """
    CREATE TABLE events (
        pk {pk},
        article_pk BIGINT NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        id TEXT NOT NULL,
        doc_id TEXT,
        sentence_index INTEGER,
        sentence TEXT,
        event_type TEXT NOT NULL,
        mode TEXT,
        cameo TEXT,
        quad_class INTEGER,
        goldstein {real},
        plover_score {real},
        source_text TEXT,
        source_name TEXT,
        source_country TEXT,
        source_sector TEXT,
        source_code TEXT,
        target_text TEXT,
        target_name TEXT,
        target_country TEXT,
        target_sector TEXT,
        target_code TEXT,
        date {ctext},
        date_precision TEXT,
        date_text TEXT,
        date_source TEXT,
        loc_text TEXT,
        loc_name TEXT,
        loc_country TEXT,
        loc_lat {real},
        loc_lon {real},
        event_text TEXT,
        ev_start INTEGER,
        ev_end INTEGER,
        trigger_start INTEGER,
        trigger_end INTEGER,
        rule TEXT,
        has_target INTEGER NOT NULL,
        has_location INTEGER NOT NULL,
        extra {json},
        UNIQUE (article_pk, id)
    )
    """,
    """
    CREATE TABLE evidence_spans (
        event_pk BIGINT NOT NULL REFERENCES events(pk) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        start_char INTEGER,
        end_char INTEGER,
        sentence_index INTEGER,
        PRIMARY KEY (event_pk, seq)
    )
    """,
    "CREATE INDEX events_article ON events (article_pk)",
    # Filters compare upper(...) so codes match in any case; index those expressions.
    "CREATE INDEX events_source_country ON events (upper(source_country))",
    "CREATE INDEX events_target_country ON events (upper(target_country))",
    "CREATE INDEX events_type ON events (upper(event_type))",
    "CREATE INDEX events_date ON events (date)",
    "CREATE INDEX articles_published ON articles (published)",
]

# Full text: FTS5 with external content (the articles table) kept in step by triggers, so a
# rolled-back add leaves no FTS row either.
_V1_SQLITE = [
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='pk',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.pk, new.title, new.text);
    END
    """,
    """
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.pk, old.title, old.text);
    END
    """,
    """
    CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.pk, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.pk, new.title, new.text);
    END
    """,
]

# Full text: a stored generated tsvector (title weighted A, body B) with a GIN index.
_V1_POSTGRES = [
    """
    ALTER TABLE articles ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(text, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX articles_tsv ON articles USING GIN (tsv)",
]

# Version 2 (issue #6): article tone, near-duplicate links and URL versions, MinHash
# fingerprints with their LSH bands, event clusters. Existing rows get NULLs here; the store
# fills them at open (Store._upgrade_data), since tone, fingerprints and clusters are computed
# in Python.
#   url_norm stays UNIQUE and is set for the first version of a URL only; url_key holds the
#   normalised URL of every version. original_pk is the article this one copies (link_kind
#   "republication" | "abridgment" | "expansion", link_score the containment) or the first
#   version of its URL (link_kind "version", version 2, 3, ...).
_V2_COMMON = [
    "ALTER TABLE articles ADD COLUMN tone {real}",
    "ALTER TABLE articles ADD COLUMN url_key TEXT",
    "ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE articles ADD COLUMN original_pk BIGINT REFERENCES articles(pk) ON DELETE SET NULL",
    "ALTER TABLE articles ADD COLUMN link_kind TEXT",
    "ALTER TABLE articles ADD COLUMN link_score {real}",
    "ALTER TABLE articles ADD COLUMN shingles INTEGER",
    "ALTER TABLE articles ADD COLUMN minhash {blob}",
    "UPDATE articles SET url_key = url_norm",
    "CREATE INDEX articles_url_key ON articles (url_key)",
    "CREATE INDEX articles_original ON articles (original_pk)",
    "ALTER TABLE events ADD COLUMN cluster_id TEXT",
    "ALTER TABLE events ADD COLUMN cluster_key TEXT",
    "ALTER TABLE events ADD COLUMN cluster_date {ctext}",
    "CREATE INDEX events_cluster ON events (cluster_id)",
    "CREATE INDEX events_cluster_key ON events (cluster_key, cluster_date)",
]

# LSH band keys ("band:hex values") of originals and versions, 117 per article: kept lean,
# as every add writes them. Only looked up by band; articles are never deleted by Tidings,
# so the cascade's scan by article_pk needs no index of its own.
_BANDS = """
    CREATE TABLE article_bands (
        band TEXT NOT NULL,
        article_pk BIGINT NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
        PRIMARY KEY (band, article_pk)
    ){without_rowid}
"""

# The update trigger re-indexed full text on any column change; now it fires only when the
# indexed columns change, so filling tone or links does not rewrite the FTS index.
_V2_SQLITE = [
    "DROP TRIGGER articles_au",
    """
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.pk, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.pk, new.title, new.text);
    END
    """,
]

# SQLite: a WITHOUT ROWID table is the primary-key B-tree alone (one write per row, not two).
_V2_SQLITE_ALL = _V2_SQLITE + _V2_COMMON + [_BANDS.replace("{without_rowid}", " WITHOUT ROWID")]
_V2_POSTGRES_ALL = _V2_COMMON + [_BANDS.replace("{without_rowid}", "")]

# Version 3 (issue #12, "analyst views"): what the web views filter, group and sort on,
# derived from each event when it is stored (store/derive.py, store/views.py) and filled at
# open for events stored before (Store._upgrade_views). Kept apart from ``events`` in narrow
# tables: every view aggregates over the whole filtered set, and scanning a narrow row (with
# integer cluster numbers, whose DISTINCT is cheap) is several times faster than the wide
# event row with its sentence and JSON (bench/bench_web.py, 200,000 events).
#   event_facts, one row per event:
#     cluster_no         the first event pk of the event's cluster: one integer per cluster
#     when_lo / when_hi  first and last day the event's date (else its article's publication
#                        date) can mean, padded ("2024" -> "2024-00-00" .. "2024-99-99";
#                        undated "9999-99-99"): the stored sort key, and date filters that
#                        keep an event only when its whole period lies in the range
#     pub_date           the article's publication date (the publication-date view)
#     date_precision     day | month | year (an undated event stands at its publication day)
#     {side}_kind/_key   the resolved actor identity: person | organisation (key "person:Name",
#                        "org:Name") | sector (key "PRKGOV") | country (key "PRK")
#     geo_*              geo-precision (city | region | country | dateline), the place key of
#                        /events?place=, its name and the point the map draws
#     derive_version     store/derive.DERIVE_VERSION that filled the row
#   event_actors, one row per key an actor filter finds a side by (its identity, its sector
#   code, its country), with the event's cluster, article, score and the side's mention: the
#   dyad and actor filters are index lookups, actor tables need no join.
_V3_COMMON = [
    """
    CREATE TABLE event_facts (
        event_pk {fk_pk} REFERENCES events(pk) ON DELETE CASCADE,
        article_pk BIGINT NOT NULL,
        cluster_no BIGINT NOT NULL,
        when_lo {ctext} NOT NULL,
        when_hi {ctext} NOT NULL,
        pub_date {ctext},
        date_precision TEXT NOT NULL,
        event_type TEXT,
        cameo TEXT,
        quad_class INTEGER,
        goldstein {real},
        source_country TEXT,
        target_country TEXT,
        source_kind TEXT,
        source_key TEXT,
        target_kind TEXT,
        target_key TEXT,
        geo_precision TEXT,
        geo_place TEXT,
        geo_name TEXT,
        geo_lat {real},
        geo_lon {real},
        derive_version INTEGER NOT NULL
    )
    """,
    "CREATE INDEX event_facts_when ON event_facts (when_lo, article_pk)",
    "CREATE INDEX event_facts_cluster ON event_facts (cluster_no)",
    "CREATE INDEX event_facts_article ON event_facts (article_pk)",
    "CREATE INDEX event_facts_pub ON event_facts (pub_date)",
    "CREATE INDEX event_facts_geo ON event_facts (geo_place)",
    "CREATE INDEX event_facts_version ON event_facts (derive_version)",
    """
    CREATE TABLE event_actors (
        key {ctext} NOT NULL,
        side TEXT NOT NULL,
        kind TEXT NOT NULL,
        event_pk BIGINT NOT NULL REFERENCES events(pk) ON DELETE CASCADE,
        cluster_no BIGINT NOT NULL,
        article_pk BIGINT NOT NULL,
        goldstein {real},
        mention TEXT,
        PRIMARY KEY (key, side, event_pk)
    ){without_rowid}
    """,
    # from an event to its other sides (counterparts, dyads): covering, no lookup of the row
    "CREATE INDEX event_actors_event ON event_actors"
    " (event_pk, side, kind, key, cluster_no, article_pk, goldstein)",
    # the outlet filter's list and the search page's outlet facet group by it
    "CREATE INDEX articles_source ON articles (source)",
]
_V3_SQLITE = [s.replace("{without_rowid}", " WITHOUT ROWID") for s in _V3_COMMON]
_V3_POSTGRES = [s.replace("{without_rowid}", "") for s in _V3_COMMON]

# Version 4 (issue #12, "pages under 500 ms at 200,000 events"): the unfiltered actor tables
# kept at write time. An actor table or a roll-up's counterparts aggregates every
# event_actors row of the store (a country's roll-up is in nearly every event); these tables
# hold those answers, updated by Store.add in the same transaction as the rows they sum
# (store/rollups.py: the sums of the clusters and articles an add touches are taken out
# before and put back after), and filled here from the rows already stored.
#   actor_totals, one row per (key, kind): the actors table of the whole store
#   actor_pairs, one row per (key, other key, its kind): the other side of key's events
#   actor_periods, one row per (key, month, quad class): the key's timeline (a cluster in
#     its first month; "YYYY-00" for a year-only date), with mentions and summed Goldstein
#   actor_types, one row per (key, event type, quad class): the key's event types
#   (a NULL quad class or type is stored as -1 or "": key columns are NOT NULL)
#   events / as_source / as_target  distinct clusters (as a side, as source, as target)
#   mentions  distinct events          articles  distinct articles
#   n_rows    event_actors rows        gsum / gcount  Goldstein sum (in millionths, exact
#                                      whatever the order of the additions) and count
_ROLLUP_AGG = """COUNT(DISTINCT x.cluster_no) AS events,
    COUNT(DISTINCT CASE WHEN x.side = 's' THEN x.cluster_no END) AS as_source,
    COUNT(DISTINCT CASE WHEN x.side = 't' THEN x.cluster_no END) AS as_target,
    COUNT(DISTINCT x.event_pk) AS mentions, COUNT(DISTINCT x.article_pk) AS articles,
    COUNT(*) AS n_rows, COALESCE(SUM(CAST(ROUND(x.goldstein * 1000000) AS BIGINT)), 0) AS gsum,
    COUNT(x.goldstein) AS gcount"""
_ROLLUP_COLS = "events, as_source, as_target, mentions, articles, n_rows, gsum, gcount"
_ROLLUP_NUMS = """events BIGINT NOT NULL, as_source BIGINT NOT NULL, as_target BIGINT NOT NULL,
        mentions BIGINT NOT NULL, articles BIGINT NOT NULL, n_rows BIGINT NOT NULL,
        gsum BIGINT NOT NULL, gcount BIGINT NOT NULL"""
_V4_COMMON = [
    f"""
    CREATE TABLE actor_totals (
        key {{ctext}} NOT NULL,
        kind TEXT NOT NULL,
        {_ROLLUP_NUMS},
        PRIMARY KEY (key, kind)
    )
    """,
    f"""
    CREATE TABLE actor_pairs (
        key {{ctext}} NOT NULL,
        other {{ctext}} NOT NULL,
        kind TEXT NOT NULL,
        {_ROLLUP_NUMS},
        PRIMARY KEY (key, other, kind)
    )
    """,
    """
    CREATE TABLE actor_periods (
        key {ctext} NOT NULL,
        period {ctext} NOT NULL,
        quad INTEGER NOT NULL,
        events BIGINT NOT NULL,
        mentions BIGINT NOT NULL,
        goldstein {real} NOT NULL,
        PRIMARY KEY (key, period, quad)
    )
    """,
    """
    CREATE TABLE actor_types (
        key {ctext} NOT NULL,
        event_type TEXT NOT NULL,
        quad INTEGER NOT NULL,
        events BIGINT NOT NULL,
        mentions BIGINT NOT NULL,
        PRIMARY KEY (key, event_type, quad)
    )
    """,
    f"""
    INSERT INTO actor_totals (key, kind, {_ROLLUP_COLS})
    SELECT x.key AS key, x.kind AS kind, {_ROLLUP_AGG} FROM event_actors x GROUP BY x.key, x.kind
    """,
    f"""
    INSERT INTO actor_pairs (key, other, kind, {_ROLLUP_COLS})
    SELECT k.key AS key, x.key AS other, x.kind AS kind, {_ROLLUP_AGG}
    FROM event_actors k JOIN event_actors x ON x.event_pk = k.event_pk AND x.side <> k.side
    WHERE x.key <> k.key GROUP BY k.key, x.key, x.kind
    """,
    *(rollups.backfill(t) for t in rollups.ACTOR_TABLES[2:]),
    # Every open asks for the articles still to fingerprint (Store._upgrade_clusters): only
    # those of a store from before version 2. Indexed alone, the question is one lookup,
    # not a scan of every article (0.2 s at 240,000 articles, paid again by the web app's
    # search connection on its first search); a new article has its fingerprint, so the
    # index stays empty and costs a write nothing.
    "CREATE INDEX articles_unfingerprinted ON articles (pk) WHERE minhash IS NULL",
]

# Version 5 (issue #12): the dyad page of two countries kept at write time as version 4
# keeps an actor's (store/rollups.py, DYAD_TABLES). Its timeline and its three direction
# counts aggregate every event of the pair (PRK-RUS: a tenth of the store, 0.2 s); these
# hold the answers per ordered pair of 3-letter (country) keys, both orders stored.
#   dyad_totals, one row per (a, b, dir): view_counts of dyad (a, b), dir "ab" (a -> b) or
#     "both" (either way; "ba" is the row of (b, a, "ab")): events (clusters), mentions,
#     articles, gsum / gcount (the Goldstein sum in millionths and its count)
#   dyad_periods, one row per (a, b, month, dir, quad class): view_timeline of dyad (a, b)
#     (each cluster once, in its first month, "ab" when a is a source of any of its events)
_V5_COMMON = [
    """
    CREATE TABLE dyad_totals (
        a {ctext} NOT NULL,
        b {ctext} NOT NULL,
        dir TEXT NOT NULL,
        events BIGINT NOT NULL,
        mentions BIGINT NOT NULL,
        articles BIGINT NOT NULL,
        gsum BIGINT NOT NULL,
        gcount BIGINT NOT NULL,
        PRIMARY KEY (a, b, dir)
    )
    """,
    """
    CREATE TABLE dyad_periods (
        a {ctext} NOT NULL,
        b {ctext} NOT NULL,
        period {ctext} NOT NULL,
        dir TEXT NOT NULL,
        quad INTEGER NOT NULL,
        events BIGINT NOT NULL,
        mentions BIGINT NOT NULL,
        goldstein {real} NOT NULL,
        PRIMARY KEY (a, b, period, dir, quad)
    )
    """,
    rollups.DYAD_TOTALS_BACKFILL,
    rollups.backfill(rollups.DYAD_TABLES[1]),
]

# version -> statements per dialect
MIGRATIONS: list[tuple[int, dict[str, list[str]]]] = [
    (1, {"sqlite": _V1_COMMON + _V1_SQLITE, "postgres": _V1_COMMON + _V1_POSTGRES}),
    (2, {"sqlite": _V2_SQLITE_ALL, "postgres": _V2_POSTGRES_ALL}),
    (3, {"sqlite": _V3_SQLITE, "postgres": _V3_POSTGRES}),
    (4, {"sqlite": _V4_COMMON, "postgres": _V4_COMMON}),
    (5, {"sqlite": _V5_COMMON, "postgres": _V5_COMMON}),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]

META_DDL = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


def statements(version: int, dialect: str) -> list[str]:
    """The statements of one migration with the dialect's types filled in."""
    types = DIALECT_TYPES[dialect]
    for v, per_dialect in MIGRATIONS:
        if v == version:
            return [s.format(**types).strip() for s in per_dialect[dialect]]
    raise KeyError(version)
