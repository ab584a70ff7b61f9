"""The web console in a real browser, against a live server: list, run from the form,
live execution to COMPLETED with playable audio, failure, cancel, retry, webhooks,
injection strings rendered as text, the id box, phone width, and a crash survived."""

from __future__ import annotations

import asyncio
import json
import os
import re
import uuid
from typing import Any

import httpx
from playwright.async_api import FilePayload, Page, expect

from tests.support.receiver import Receiver
from tests.ui.conftest import ARTIFACTS, PHONE, ConsoleServer, Ui

XSS_SCRIPT = "<script>window.__pwned = 1</script>"
XSS_IMG = '"><img src=x onerror="window.__pwned = 1">'
LIVE_TIMEOUT_MS = 30_000
OUTPUTS = "section[aria-labelledby=outputs-heading]"
ECHO = {"template": "{{inputs.text}}"}


def hello_world(title: str) -> dict[str, Any]:
    """The Getting Started page's workflow, asking for WAV (which the stand-in makes playable)."""
    return {
        "title": title,
        "description": "A simple text-to-speech workflow",
        "inputs": [{"name": "text", "type": "text", "description": "Text to convert to speech"}],
        "tasks": [
            {
                "name": "text_to_speech",
                "type": "openai.audio.tts",
                "inputs": {"text": "{{inputs.text}}", "voice": "alloy", "format": "wav"},
            }
        ],
        "outputs": [
            {"name": "audio", "type": "file", "value": "{{tasks.text_to_speech.outputs.audio}}"}
        ],
    }


def sleeper(title: str, seconds: float) -> dict[str, Any]:
    """Waits, then echoes its text input: a run that stays RUNNING for a while."""
    return {
        "title": title,
        "inputs": [{"name": "text", "type": "text"}],
        "tasks": [
            {"name": "wait", "type": "core.sleep", "inputs": {"seconds": seconds}},
            {"name": "echo", "type": "text.template", "inputs": {"template": "{{inputs.text}}"}},
        ],
        "outputs": [{"name": "echo", "type": "text", "value": "{{tasks.echo.outputs.text}}"}],
    }


async def create(api: httpx.AsyncClient, workflow: dict[str, Any]) -> str:
    answer = await api.post("/workflows", json=workflow)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["workflow_id"])


async def execute(api: httpx.AsyncClient, workflow_id: str, inputs: dict[str, Any]) -> str:
    answer = await api.post(f"/workflows/{workflow_id}/executions", json={"inputs": inputs})
    assert answer.status_code in (200, 201), answer.text
    return str(answer.json()["workflow_execution_id"])


def unique(title: str) -> str:
    return f"{title} {uuid.uuid4().hex[:6]}"


async def expect_status(page: Page, status: str) -> None:
    await expect(page.locator(".head-status .status")).to_have_attribute(
        "data-status", status, timeout=LIVE_TIMEOUT_MS
    )


async def mark_document(page: Page) -> None:
    """A flag that a reload would erase: the page must update in place."""
    await page.evaluate("window.__sameDocument = true")


async def assert_same_document(page: Page) -> None:
    assert await page.evaluate("window.__sameDocument === true"), "the page was reloaded"


async def test_every_ui_path_is_the_app_with_a_strict_policy(api: httpx.AsyncClient) -> None:
    """Any /ui/… path answers the app's page (views have URLs); files are files."""
    assert (await api.get("/ui")).headers["location"] == "/ui/"
    for path in ("/ui/", "/ui/workflows/wf-x", "/ui/executions/we-x", "/ui/anything/else"):
        page = await api.get(path)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert '<script type="module" src="/ui/static/app.js">' in page.text
        policy = page.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "default-src 'none'" in policy
        assert "unsafe-inline" not in policy
    script = await api.get("/ui/static/app.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.headers["x-content-type-options"] == "nosniff"
    assert (await api.get("/ui/static/missing.js")).status_code == 404


async def test_run_from_the_form_to_completed_audio_with_webhooks(
    ui: Ui, api: httpx.AsyncClient, console_server: ConsoleServer, receiver: Receiver
) -> None:
    title = unique("Hello World Workflow")
    workflow_id = await create(api, hello_world(title))
    page = ui.page

    await ui.open("/ui/")
    await page.get_by_label("Search by title").fill(title)
    link = page.get_by_role("link", name=title)
    await expect(link).to_be_visible()
    await ui.screenshot("workflows")
    await link.click()
    await expect(page).to_have_url(re.compile(f"/ui/workflows/{workflow_id}$"))
    await expect(page.get_by_role("heading", name=title)).to_be_visible()
    await expect(page.locator(".task-defs")).to_contain_text("openai.audio.tts")

    # The TTS answer is held back 2 s, so that RUNNING is seen before COMPLETED.
    console_server.openai.hang_next(2.0)
    await page.get_by_label("text (text, required)").fill("Hello from the browser")
    await page.get_by_label("Webhook URL (optional)").fill(receiver.url)
    await ui.screenshot("workflow")
    await page.get_by_role("button", name="Run workflow").click()

    await expect(page).to_have_url(re.compile(r"/ui/executions/we-[^/]+$"))
    await mark_document(page)
    await expect_status(page, "RUNNING")
    await expect(page.locator('.tl-row[data-task="text_to_speech"] .status')).to_have_text(
        re.compile("RUNNING")
    )
    await expect_status(page, "COMPLETED")
    await assert_same_document(page)
    await expect(page.locator('.tl-row[data-task="text_to_speech"] .tl-completed')).to_be_visible()

    audio = page.locator(OUTPUTS).locator("audio")
    await expect(audio).to_have_count(1)
    played = await audio.evaluate(
        """async (a) => {
            if (a.readyState < 1) await new Promise((ok, ko) => {
                a.addEventListener("loadedmetadata", ok, { once: true });
                const failed = () => ko(new Error("audio error " + a.error?.code));
                a.addEventListener("error", failed, { once: true });
                a.load();
            });
            await a.play();
            await new Promise((ok) => setTimeout(ok, 300));
            return { duration: a.duration, time: a.currentTime, error: a.error };
        }"""
    )
    assert played["error"] is None
    assert 4.0 < played["duration"] < 6.0  # the stand-in's WAV: 5 s at 8 kHz
    assert played["time"] > 0
    await expect(page.get_by_role("link", name=re.compile("^Download speech"))).to_be_visible()

    # The webhook log: deliveries listed, one redelivered from its button.
    deliveries = page.locator(".deliveries tbody tr")
    await expect(deliveries.filter(has_text="execution.completed")).to_have_count(
        1, timeout=LIVE_TIMEOUT_MS
    )
    await expect(deliveries.filter(has_text="DELIVERED").first).to_be_visible(
        timeout=LIVE_TIMEOUT_MS
    )
    before = len(receiver.delivered())
    await (
        deliveries.filter(has_text="execution.completed")
        .get_by_role("button", name=re.compile("Redeliver"))
        .click()
    )
    await expect(
        deliveries.filter(has_text="execution.completed").locator("td").nth(2)
    ).to_have_text("2", timeout=LIVE_TIMEOUT_MS)
    assert len(receiver.delivered()) > before
    await ui.screenshot("execution")


async def test_failed_task_shows_its_error_and_retry_completes_live(
    ui: Ui, api: httpx.AsyncClient, console_server: ConsoleServer
) -> None:
    workflow_id = await create(api, hello_world(unique("Fails once")))
    console_server.openai.fail_next(400, message="the model refused this text")
    execution_id = await execute(api, workflow_id, {"text": "fail, then succeed"})
    page = ui.page

    await ui.open(f"/ui/executions/{execution_id}")
    await expect_status(page, "FAILED")
    await expect(page.locator(".error-box").first).to_contain_text("the model refused this text")
    row = page.locator('.tl-row[data-task="text_to_speech"]')
    await expect(row.locator(".status")).to_have_text(re.compile("FAILED"))
    await row.get_by_role("button").click()
    await expect(row.locator(".tl-details .error-box")).to_contain_text(
        "the model refused this text"
    )
    await expect(page.get_by_role("button", name="Cancel execution")).to_have_count(0)
    await ui.screenshot("execution-failed")

    await mark_document(page)
    await page.get_by_role("button", name="Retry execution").click()
    await expect_status(page, "COMPLETED")
    await assert_same_document(page)
    await expect(page.locator(OUTPUTS).locator("audio")).to_have_count(1)


async def open_running(ui: Ui, api: httpx.AsyncClient, seconds: float, text: str) -> Page:
    """The page of a new execution that waits `seconds`, once it shows RUNNING."""
    workflow_id = await create(api, sleeper(unique("Sleeps"), seconds))
    execution_id = await execute(api, workflow_id, {"text": text})
    await ui.open(f"/ui/executions/{execution_id}")
    await expect_status(ui.page, "RUNNING")
    return ui.page


async def test_cancel_from_the_button(ui: Ui, api: httpx.AsyncClient) -> None:
    page = await open_running(ui, api, 60, "never echoed")
    await expect(page.locator('.tl-row[data-task="echo"] .tl-none')).to_have_text("not started")
    await mark_document(page)
    await page.get_by_role("button", name="Cancel execution").click()
    await expect_status(page, "CANCELLED")
    await assert_same_document(page)
    await expect(page.locator('.tl-row[data-task="wait"] .status')).to_have_text(
        re.compile("CANCELLED")
    )
    await expect(page.get_by_role("button", name="Retry execution")).to_be_visible()


def typed_inputs(title: str) -> dict[str, Any]:
    """One input of every type; the outputs hand them back."""
    kinds = ["text", "number", "integer", "boolean", "json", "file"]
    return {
        "title": title,
        "inputs": [{"name": f"a_{kind}", "type": kind} for kind in kinds],
        "tasks": [
            {
                "name": "say",
                "type": "text.template",
                "inputs": {"template": "{{inputs.a_text}} {{inputs.a_integer}}"},
            }
        ],
        "outputs": [
            {"name": "said", "type": "text", "value": "{{tasks.say.outputs.text}}"},
            {"name": "json", "type": "json", "value": "{{inputs.a_json}}"},
            {"name": "document", "type": "file", "value": "{{inputs.a_file}}"},
        ],
    }


async def test_run_form_for_every_input_type_with_a_file_upload(
    ui: Ui, api: httpx.AsyncClient
) -> None:
    workflow_id = await create(api, typed_inputs(unique("Typed")))
    page = ui.page
    await ui.open(f"/ui/workflows/{workflow_id}")
    await page.get_by_label("a_text (text, required)").fill("counted")
    await page.get_by_label("a_number (number, required)").fill("2.5")
    await page.get_by_label("a_integer (integer, required)").fill("7")
    await page.get_by_label("a_boolean (boolean, required)").check()
    await page.get_by_label("a_file (file, required)").set_input_files(
        files=[FilePayload(name="notes.txt", mimeType="text/plain", buffer=b"uploaded notes")]
    )

    # Invalid JSON is caught in the page; an integer that is not one, by the API.
    await page.get_by_label("a_json (json, required)").fill("{not json")
    await page.get_by_role("button", name="Run workflow").click()
    await expect(page.locator("#input-a_json-error")).to_have_text("is not valid JSON")
    await page.get_by_label("a_json (json, required)").fill('{"k": [1, 2]}')
    await page.get_by_label("a_integer (integer, required)").fill("7.5")
    ui.allow("status of 400")  # the refused request, on purpose
    await page.get_by_role("button", name="Run workflow").click()
    await expect(page.locator("#input-a_integer-error")).to_contain_text("integer")
    await expect(page.get_by_label("a_integer (integer, required)")).to_have_attribute(
        "aria-invalid", "true"
    )

    await page.get_by_label("a_integer (integer, required)").fill("7")
    await page.get_by_role("button", name="Run workflow").click()
    await expect(page).to_have_url(re.compile(r"/ui/executions/we-[^/]+$"))
    await expect_status(page, "COMPLETED")
    outputs = page.locator(OUTPUTS)
    await expect(outputs.locator("pre.text")).to_have_text("counted 7")
    await expect(outputs.locator("pre.json")).to_contain_text('"k"')
    download = outputs.get_by_role("link", name="Download notes.txt")
    href = await download.get_attribute("href")
    assert href is not None
    assert (await api.get(href)).content == b"uploaded notes"


async def test_injection_strings_render_as_text(ui: Ui, api: httpx.AsyncClient) -> None:
    title = f"{XSS_SCRIPT} {uuid.uuid4().hex[:6]}"
    workflow = sleeper(title, 0)
    workflow["description"] = XSS_IMG
    workflow_id = await create(api, workflow)
    execution_id = await execute(api, workflow_id, {"text": f"{XSS_IMG} {XSS_SCRIPT}"})
    page = ui.page

    await ui.open("/ui/")
    await expect(page.get_by_text(title)).to_be_visible()
    await expect(page.get_by_text(XSS_IMG)).to_be_visible()
    await ui.open(f"/ui/workflows/{workflow_id}")
    await expect(page.get_by_role("heading", name=title)).to_be_visible()
    await ui.open(f"/ui/executions/{execution_id}")
    await expect_status(page, "COMPLETED")
    # The output (and the input) show the strings as text.
    await expect(page.locator("pre.text", has_text=f"{XSS_IMG} {XSS_SCRIPT}")).to_have_count(2)
    assert await page.evaluate("window.__pwned") is None
    assert await page.locator("img[src=x], main script").count() == 0


async def test_id_box_status_filter_and_pages(ui: Ui, api: httpx.AsyncClient) -> None:
    workflow_id = await create(api, sleeper(unique("Many runs"), 0))
    ids = [await execute(api, workflow_id, {"text": str(n)}) for n in range(21)]
    page = ui.page

    await ui.open("/ui/")
    await page.get_by_label("Go to id").fill(workflow_id)
    await page.get_by_label("Go to id").press("Enter")
    await expect(page).to_have_url(re.compile(f"/ui/workflows/{workflow_id}$"))
    rows = page.locator(".executions tbody tr")
    await expect(rows).to_have_count(20)
    await page.get_by_role("button", name="Next →").click()
    await expect(rows).to_have_count(1)
    await page.get_by_role("button", name="← Previous").click()
    await expect(rows).to_have_count(20)
    await page.get_by_label("Status").select_option("FAILED")
    await expect(page).to_have_url(re.compile(r"\?status=FAILED$"))
    await expect(page.get_by_text("No FAILED executions.")).to_be_visible()

    await page.get_by_label("Go to id").fill(ids[0])
    await page.get_by_label("Go to id").press("Enter")
    await expect(page).to_have_url(re.compile(f"/ui/executions/{ids[0]}$"))
    await expect_status(page, "COMPLETED")
    await page.go_back()
    await expect(page).to_have_url(re.compile(f"/ui/workflows/{workflow_id}"))

    await page.get_by_label("Go to id").fill("hello")
    await page.get_by_label("Go to id").press("Enter")
    await expect(page.get_by_role("alert")).to_contain_text("Enter a workflow id")

    ui.allow("404")  # the unknown execution, on purpose
    await ui.open("/ui/executions/we-doesnotexist")
    await expect(page.locator(".error-box")).to_contain_text(re.compile("not found", re.I))


async def test_phone_width_has_no_sideways_scroll(ui: Ui, api: httpx.AsyncClient) -> None:
    workflow_id = await create(api, hello_world(unique("Phone")))
    execution_id = await execute(api, workflow_id, {"text": "small screen"})
    page = ui.page
    await page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    for path in ("/ui/", f"/ui/workflows/{workflow_id}", f"/ui/executions/{execution_id}"):
        await ui.open(path)
        await expect(page.locator("main h1")).to_be_visible()
        if "executions" in path:
            await expect_status(page, "COMPLETED")
        overflow = await page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    await ui.screenshot("execution-phone")


async def rendered_at(page: Page, selector: str, count: int) -> float:
    """performance.now() (ms since the navigation started) at the first animation
    frame with `count` elements matching `selector` (checked in the page, so that
    Playwright's polling adds nothing; page.evaluate is not subject to the CSP)."""
    return float(
        await page.evaluate(
            """([selector, count]) => new Promise((resolve) => {
                const check = () => document.querySelectorAll(selector).length >= count
                    ? resolve(performance.now()) : requestAnimationFrame(check);
                check();
            })""",
            [selector, count],
        )
    )


async def wait_completed(api: httpx.AsyncClient, execution_id: str) -> None:
    for _ in range(600):
        answer = await api.get(f"/executions/{execution_id}")
        if answer.json()["status"] == "COMPLETED":
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{execution_id} did not complete")


async def test_first_views_with_many_executions_stored(ui: Ui, api: httpx.AsyncClient) -> None:
    """Measures (and reports; no timed assertion) how fast the first views render
    with many executions stored. `make test` stores 100; docs/ui.md records a run
    with DATAFLOW_UI_EXECUTIONS=1000."""
    count = int(os.environ.get("DATAFLOW_UI_EXECUTIONS", "100"))
    workflow_id = await create(api, sleeper(unique("Busy"), 0))
    limit = asyncio.Semaphore(16)

    async def one(n: int) -> str:
        async with limit:
            return await execute(api, workflow_id, {"text": str(n)})

    ids = await asyncio.gather(*(one(n) for n in range(count)))
    await wait_completed(api, ids[-1])  # measure an idle server
    page = ui.page
    figures: dict[str, float] = {"executions_stored": count}

    await ui.open(f"/ui/workflows/{workflow_id}")
    figures["workflow_view_ms"] = await rendered_at(page, ".executions tbody tr", 20)
    await ui.open("/ui/")
    figures["workflows_view_ms"] = await rendered_at(page, ".workflows .recent", 1)

    # A workflow of 100 tasks (the most a workflow may have): the page draws every row.
    wide = {
        "title": unique("A hundred tasks"),
        "inputs": [{"name": "text", "type": "text"}],
        "tasks": [
            {"name": f"step_{n:03}", "type": "text.template", "inputs": ECHO} for n in range(100)
        ],
        "outputs": [{"name": "last", "type": "text", "value": "{{tasks.step_099.outputs.text}}"}],
    }
    wide_execution = await execute(api, await create(api, wide), {"text": "wide"})
    await wait_completed(api, wide_execution)
    await ui.open(f"/ui/executions/{wide_execution}")
    figures["execution_view_100_tasks_ms"] = await rendered_at(page, ".tl-row", 100)
    await expect_status(page, "COMPLETED")
    print(f"first views: {figures}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "first-view.json").write_text(json.dumps(figures, indent=2))
    assert all(value > 0 for value in figures.values())


async def test_live_page_resumes_after_the_server_restarts(
    ui: Ui, api: httpx.AsyncClient, console_server: ConsoleServer
) -> None:
    """The page follows the stream; the server is killed (SIGKILL) and started again
    mid-run; the page reconnects by itself, resumes from the last event, and ends
    COMPLETED without a reload. (Last in the module: it restarts the shared server.)"""
    page = await open_running(ui, api, 3, "still here")
    await expect(page.locator(".live")).to_have_text("Live")
    await mark_document(page)

    ui.allow(r"net::ERR_|Failed to load resource")  # the stream while the server is down
    console_server.process.kill()
    await expect(page.locator(".live")).to_have_text("Reconnecting…")
    await asyncio.to_thread(console_server.start_again)
    await expect_status(page, "COMPLETED")
    await assert_same_document(page)
    await expect(page.locator('.tl-row[data-task="echo"] .status')).to_have_text(
        re.compile("COMPLETED")
    )
    await expect(page.locator("pre.text", has_text="still here")).to_have_count(2)
