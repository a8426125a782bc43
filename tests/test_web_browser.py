"""The web pages in a real browser: Debian's Chromium driven by Playwright, against the app
served by uvicorn on loopback over a store of real articles.

Screenshots go to test-artifacts/screenshots/ (kept by CI as artefacts). Skipped only when
/usr/bin/chromium is missing; never runs ``playwright install``.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from test_web_api import XSS_ID, XSS_TEXT, hand_code, real_articles, xss_article

from tidings import pipeline
from tidings.store import Store
from tidings.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
TOKEN = "browser-test-token"
SERVER_START_S = 20  # how long to wait for uvicorn to accept connections
VIEWPORT = {"width": 1360, "height": 900}
INGEST_TIMEOUT_S = 120  # first ingest loads the spaCy model

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def coded_store(shared: Path, path: Path) -> Store:
    """The seed and real KCNA articles coded by the real pipeline, plus one hostile article
    (hand-coded, so its evidence is sure to cover the payload)."""
    store = Store(str(path))
    for result in pipeline.code_articles(real_articles(shared)):
        assert isinstance(result, pipeline.CodedArticle), result
        assert store.add(result.article, result.events, result.sentences) == "added"
    hostile = xss_article()
    store.add(hostile, hand_code(hostile))
    return store


@pytest.fixture(scope="module")
def server(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = coded_store(shared, tmp_path_factory.mktemp("browser") / "web.db")
    assert store.count_events(dyad="PRK-RUS") > 0
    app = create_app(store, allow_ingest=True, token=TOKEN)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_S
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=SERVER_START_S)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watched:
    """A page that records JS errors, console errors, dialogs and off-host requests."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport=VIEWPORT)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("dialog", self._dialog)
        self.page.on("request", self._request)

    def _dialog(self, d: Any) -> None:
        self.dialogs.append(d.message)
        d.dismiss()

    def _request(self, r: Any) -> None:
        if not (r.url.startswith(self.base) or r.url.startswith(("data:", "about:"))):
            self.foreign.append(r.url)

    def goto(self, path: str) -> Any:
        resp = self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return resp

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs
        assert self.foreign == [], self.foreign

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def tab(browser: Any, server: str) -> Iterator[Watched]:
    w = Watched(browser, server)
    yield w
    w.close()


def test_search_to_article_to_dyad_by_clicking(tab: Watched) -> None:
    page = tab.page
    tab.goto("/")
    tab.shot("01-home")
    page.fill("#q", "Putin Vladivostok")
    page.click(".bigsearch button")
    page.wait_for_selector(".hit")
    assert page.locator(".snippet mark").count() >= 1
    tab.shot("02-search")
    page.click(".hit .hittitle >> nth=0")
    page.wait_for_selector("#doctext mark.ev")
    assert "/articles/seed-rodong-2020-04-23" in page.url
    marks = page.locator("#doctext mark.ev")
    assert marks.count() >= 1
    selected = page.locator(".evcard.selected")
    for i in range(marks.count()):  # the first passage whose event has two countries
        marks.nth(i).click()
        assert selected.count() >= 1
        assert selected.first.is_visible()
        assert "→" in selected.first.inner_text()
        assert page.locator(".evcard:visible").count() == selected.count()
        if selected.locator("a.dyadlink").count():
            break
    tab.shot("03-article")
    selected.locator("a.dyadlink").first.click()
    page.wait_for_selector("#timeline svg rect")
    assert "/dyad?" in page.url
    assert page.locator("#timeline svg .bars rect").count() >= 1
    assert page.locator("#timeline svg path.scoreline").count() == 1
    assert page.locator("table.events tbody tr").count() >= 1
    tab.shot("04-dyad")
    page.check("input[name=dir][value=ab]")
    assert page.locator("#timeline svg").count() == 1
    page.click("table.events a.artlink >> nth=0")
    page.wait_for_selector("#doctext")
    assert page.locator(".evcard.selected").count() == 1  # the #ev- anchor selects it
    tab.clean()


def test_every_page_renders_without_errors(tab: Watched) -> None:
    for name, path, ready in (
        ("05-actors", "/actors", "#network svg circle"),
        ("06-actor", "/actors/PRK", "#timeline svg rect"),
        ("07-map", "/map", "#map svg circle"),
        ("08-dyad-empty", "/dyad", "form.dyadform"),
        ("09-api-docs", "/docs", ".swagger-ui .opblock"),
    ):
        resp = tab.goto(path)
        assert resp.status == 200
        tab.page.wait_for_selector(ready)
        tab.shot(name)
    tab.goto("/actors")
    assert tab.page.locator("#network svg .node").count() >= 2
    assert tab.page.locator("#network svg .edges line").count() >= 1
    tab.goto("/map")
    tab.page.locator("#map svg circle.place").first.click()
    assert tab.page.locator("#place-events li").count() >= 1
    tab.page.click(".zoom button[data-view^='700']")
    tab.shot("10-map-east-asia")
    tab.clean()


def _nothing_ran(tab: Watched) -> None:
    page = tab.page
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.title() != "pwned"
    assert page.locator("#doctext img, #doctext script, .meta img").count() == 0
    assert "<script>window.__xss" in page.locator("#doctext").inner_text()
    assert tab.dialogs == []


def test_hostile_stored_article_runs_nothing(tab: Watched) -> None:
    tab.goto(f"/articles/{XSS_ID}")
    _nothing_ran(tab)
    assert "<script>" in tab.page.locator("h1").inner_text()
    tab.page.locator("#doctext mark.ev").first.click()
    _nothing_ran(tab)
    tab.shot("11-hostile-article")
    tab.goto("/?q=denounced")
    assert tab.page.evaluate("typeof window.__xss") == "undefined"


def test_hostile_article_ingested_through_the_api_runs_nothing(tab: Watched) -> None:
    r = httpx.post(tab.base + "/api/articles", headers={"X-Tidings-Token": TOKEN},
                   json={"text": XSS_TEXT, "title": "<img src=x onerror=alert(1)>",
                         "date": "2024-05-02"},
                   timeout=INGEST_TIMEOUT_S)
    assert r.status_code == 201, r.text
    tab.goto(r.json()["url"])
    _nothing_ran(tab)
    assert "onerror" in tab.page.locator("h1").inner_text()
    tab.shot("12-hostile-ingested")
