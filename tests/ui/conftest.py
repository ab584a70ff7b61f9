"""Browser tests of the web console (/ui/): Debian's Chromium driven by Playwright,
against a real `dataflow-server` process whose HTTP port serves the console and
the API, with its OpenAI tasks talking to the loopback stand-in.

One browser for the session and one server per module; each test gets a fresh
browser context (its own profile) and fails on any JavaScript error or console
error of its pages, unless it names the error it provokes (`ui.allow(...)`).
Screenshots go to test-artifacts/ui/ (or $DATAFLOW_TEST_ARTIFACTS/ui).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, ConsoleMessage, Page, async_playwright

from tests.support.openai_server import FakeOpenAI
from tests.support.servers import REPO, ServerProcess, new_server_process

CHROMIUM = Path(os.environ.get("DATAFLOW_CHROMIUM", "/usr/bin/chromium"))
# Offline and quiet: no first-run UI, no background requests, no QUIC; audio may
# start without a click (the tests play the audio element).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
ARTIFACTS = Path(os.environ.get("DATAFLOW_TEST_ARTIFACTS", REPO / "test-artifacts")) / "ui"
LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@dataclass
class ConsoleServer:
    """A server process with its HTTP port, and the OpenAI stand-in it uses."""

    process: ServerProcess
    openai: FakeOpenAI
    http_url: str

    def start_again(self) -> None:
        """Start the (killed) server again on the same ports and data."""
        self.process.start()
        wait_http(self.http_url)


def wait_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{url}/ui/", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url}/ui/ not answering after {timeout}s")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def console_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    openai = FakeOpenAI().start()
    process = new_server_process(
        None,  # SQLite: the console only talks HTTP, which tests/http runs on both
        tmp_path_factory.mktemp("ui") / "data",
        {
            **openai.env(),
            "DATAFLOW_SHUTDOWN_GRACE_SECONDS": "2",
            "DATAFLOW_LEASE_SECONDS": "2",
            # The webhook receiver of the tests is on loopback.
            "DATAFLOW_ALLOW_PRIVATE_NETWORKS": "1",
        },
    )
    server = ConsoleServer(process, openai, f"http://{process.http_address}")
    try:
        process.start()
        wait_http(server.http_url)
        yield server
    finally:
        process.kill()
        openai.stop()


@pytest_asyncio.fixture
async def api(console_server: ConsoleServer) -> AsyncIterator[httpx.AsyncClient]:
    """The public HTTP API of the server, as a user's script sees it."""
    async with httpx.AsyncClient(base_url=console_server.http_url, timeout=30.0) as client:
        yield client


@pytest_asyncio.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"the browser tests need Chromium at {CHROMIUM}: apt-get install chromium "
            "(.ci/run installs it), or set DATAFLOW_CHROMIUM",
            pytrace=False,
        )
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            await launched.close()


@dataclass
class Ui:
    """One browser page on the console, with the errors its pages reported."""

    page: Page
    base_url: str
    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    async def open(self, path: str) -> None:
        await self.page.goto(f"{self.base_url}{path}")

    def allow(self, pattern: str) -> None:
        """An error message the test provokes on purpose (e.g. a refused request)."""
        self.allowed.append(re.compile(pattern))

    def unexpected_errors(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]

    async def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        await self.page.screenshot(path=str(path), full_page=True)
        return path


@asynccontextmanager
async def open_ui(browser: Browser, base_url: str) -> AsyncIterator[Ui]:
    """A fresh browser context on the console at `base_url`; fails on unexpected errors."""
    context = await browser.new_context(viewport=LAPTOP)  # type: ignore[arg-type]
    page = await context.new_page()
    ui = Ui(page, base_url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            ui.errors.append(f"console: {message.text} at {message.location.get('url')}")

    def on_page_error(error: Any) -> None:
        ui.errors.append(f"page error: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    try:
        yield ui
    finally:
        await context.close()
    assert ui.unexpected_errors() == [], "JavaScript or console errors"


@pytest_asyncio.fixture
async def ui(browser: Browser, console_server: ConsoleServer) -> AsyncIterator[Ui]:
    async with open_ui(browser, console_server.http_url) as opened:
        yield opened
