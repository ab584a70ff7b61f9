"""Signing in to the console when the server requires API keys (DATAFLOW_AUTH=required):
a real server process, keys made with `dataflow-server keys create`, Chromium."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from tests.support.servers import REPO, ServerProcess, new_server_process
from tests.ui.conftest import Ui, open_ui, wait_http
from tests.ui.test_console import (
    LIVE_TIMEOUT_MS,
    OUTPUTS,
    assert_same_document,
    expect_status,
    mark_document,
    sleeper,
)

COOKIE = "dataflow_session"


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = new_server_process(
        None,
        tmp_path_factory.mktemp("ui-auth") / "data",
        {
            "DATAFLOW_AUTH": "required",
            # A revocation by the CLI (another process) is seen after this long.
            "DATAFLOW_KEY_CACHE_SECONDS": "0.05",
            "DATAFLOW_SHUTDOWN_GRACE_SECONDS": "2",
        },
    )
    try:
        process.start()
        wait_http(f"http://{process.http_address}")
        yield process
    finally:
        process.kill()


def keys_command(server: ServerProcess, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "dataflow_server.main", "keys", *args],
        env=server.env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def create_key(server: ServerProcess, tenant: str, scope: str = "admin") -> str:
    return keys_command(server, "create", "--tenant", tenant, "--scope", scope).splitlines()[-1]


def revoke_tenant_keys(server: ServerProcess, tenant: str) -> None:
    for key in json.loads(keys_command(server, "list", "--tenant", tenant, "--json")):
        keys_command(server, "revoke", key["id"])


@pytest_asyncio.fixture
async def signed_out(browser: Browser, keyed_server: ServerProcess) -> AsyncIterator[Ui]:
    async with open_ui(browser, f"http://{keyed_server.http_address}") as ui:
        yield ui


async def create_workflow(base_url: str, key: str, title: str) -> None:
    headers = {"authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers) as client:
        answer = await client.post("/workflows", json=sleeper(title, 2))
        assert answer.status_code == 201, answer.text


async def sign_in(page: Page, key: str) -> None:
    await page.get_by_label("API key").fill(key)
    await page.get_by_role("button", name="Sign in").click()


def tenant() -> str:
    return f"t{uuid.uuid4().hex[:8]}"


async def test_sign_in_see_own_workflows_run_live_and_sign_out(
    signed_out: Ui, keyed_server: ServerProcess
) -> None:
    ui, page = signed_out, signed_out.page
    mine, theirs = tenant(), tenant()
    key, other_key = create_key(keyed_server, mine), create_key(keyed_server, theirs)
    my_title, their_title = f"Mine {mine}", f"Theirs {theirs}"
    await create_workflow(ui.base_url, key, my_title)
    await create_workflow(ui.base_url, other_key, their_title)

    await ui.open("/ui/")
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    ui.allow("status of 401")  # the refused sign-in below
    await sign_in(page, "dfk_not_a_real_key")
    await expect(page.get_by_role("alert")).to_contain_text("API key")
    assert await page.context.cookies() == []
    await ui.screenshot("sign-in-refused")

    await sign_in(page, key)
    await expect(page.locator(".session-bar .tenant")).to_have_text(mine)
    await expect(page.get_by_role("link", name=my_title)).to_be_visible()
    await expect(page.get_by_role("link", name=their_title)).to_have_count(0)
    [cookie] = await page.context.cookies()
    assert cookie["name"] == COOKIE and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/" and not cookie["secure"]  # plain HTTP here
    assert await page.evaluate("document.cookie") == ""  # out of the page scripts' reach
    assert key not in json.dumps(await page.context.storage_state())

    # A POST from the page (with its CSRF token), then the execution live over SSE.
    await page.get_by_role("link", name=my_title).click()
    await page.get_by_label("text (text, required)").fill("signed in")
    await page.get_by_role("button", name="Run workflow").click()
    await expect(page).to_have_url(re.compile(r"/ui/executions/we-[^/]+$"))
    await mark_document(page)
    await expect_status(page, "RUNNING")
    await expect_status(page, "COMPLETED")
    await assert_same_document(page)  # moved by the event stream, not a reload
    await expect(page.locator(OUTPUTS)).to_contain_text("signed in")
    await ui.screenshot("signed-in-execution")

    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert await page.context.cookies() == []
    # The old cookie's session is gone on the server too.
    async with httpx.AsyncClient(base_url=ui.base_url, cookies={COOKIE: cookie["value"]}) as old:
        refused = await old.get("/workflows")
    assert refused.status_code == 401


async def test_revoking_the_key_ends_its_session(
    signed_out: Ui, keyed_server: ServerProcess
) -> None:
    ui, page = signed_out, signed_out.page
    mine = tenant()
    key = create_key(keyed_server, mine, scope="read")
    await ui.open("/ui/")
    await sign_in(page, key)
    await expect(page.locator(".session-bar")).to_contain_text(f"{mine} (read)")

    revoke_tenant_keys(keyed_server, mine)
    await page.reload()
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    await expect(page.get_by_role("status")).to_contain_text("revoked")
