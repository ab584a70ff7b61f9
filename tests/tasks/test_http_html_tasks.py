"""http.request and html.extract_text end to end: gRPC API → engine → guarded client →
real loopback web servers (SQLite and PostgreSQL).

The in-process server refuses private networks by default; tests that need to
reach the loopback web server run it with `allow_private_networks=True`
(the `server_settings` fixture of tests/support/servers.py).
"""

from __future__ import annotations

import copy
from typing import Any

import grpc
import pytest
from google.protobuf import json_format

from dataflow.v1 import execution_pb2, execution_service_pb2
from dataflow_server.config import Settings
from dataflow_server.tasks import html_tasks
from dataflow_server.tasks.html_tasks import extract_text
from dataflow_server.tasks.http_tasks import decode_body
from tests.net.loopback import Recorded, Reply, loopback_server
from tests.support.api import PIPELINE, Stubs, create_request, stubs, wait_terminal
from tests.support.openai_server import FakeOpenAI, chat_answer

ES = execution_service_pb2
EX = execution_pb2.Execution
TR = execution_pb2.TaskRun
FAST_RETRY = {"max_attempts": 2, "initial_backoff_seconds": 0.01}
PRIVATE_OK = pytest.mark.parametrize(
    "server_settings", [{"allow_private_networks": True}], ids=["private-allowed"]
)

PAGE = """<!DOCTYPE html>
<html lang="fr"><head>
<meta charset="iso-8859-1">
<title>Le  Café
 du coin</title>
<style>body { font-family: serif } .secret { display: none }</style>
<script>var tracking = "<b>do not show</b>"; document.write("<p>nope</p>");</script>
</head>
<body>
<!-- a comment that is not text -->
<nav><a href="/">Accueil</a> | <a href="/menu">Menu</a></nav>
<h1>Bienvenue au  <em>Café</em></h1>
<p>Notre   café est   torréfié
   sur place.</p>
<p>Ouvert de <b>8h</b> à <b>18h</b>.<br>Fermé le lundi.</p>
<noscript>Activez JavaScript</noscript>
<template><p>template text</p></template>
<div hidden>caché</div>
<ul><li>Espresso</li><li>Crème brûlée</li></ul>
<script type="application/ld+json">{"@type": "CafeOrCoffeeShop"}</script>
</body></html>
"""
EXPECTED_TEXT = (
    "Accueil | Menu\n"
    "Bienvenue au Café\n"
    "Notre café est torréfié sur place.\n"
    "Ouvert de 8h à 18h.\n"
    "Fermé le lundi.\n"
    "Espresso\n"
    "Crème brûlée"
)


def one_task(
    task_type: str,
    inputs: dict[str, Any],
    outputs: dict[str, str],
    **task: Any,
) -> dict[str, Any]:
    return {
        "title": f"one {task_type}",
        "inputs": [{"name": "url", "type": "text", "required": False, "default": ""}],
        "tasks": [{"name": "t", "type": task_type, "inputs": inputs, **task}],
        "outputs": [
            {"name": name, "type": kind, "value": f"{{{{tasks.t.outputs.{name}}}}}"}
            for name, kind in outputs.items()
        ],
    }


def request_task(**inputs: Any) -> dict[str, Any]:
    retry = inputs.pop("retry", FAST_RETRY)
    return one_task(
        "http.request",
        {"url": "{{inputs.url}}", **inputs},
        {"status": "integer", "headers": "json", "body": "text", "content_type": "text"},
        retry=retry,
    )


async def run(api: Stubs, definition: dict[str, Any], inputs: dict[str, Any]) -> Any:
    created = await api.workflows.CreateWorkflow(create_request(definition))
    request = json_format.ParseDict(
        {"workflow_id": created.workflow_id, "inputs": inputs}, ES.ExecuteWorkflowRequest()
    )
    reply = await api.executions.ExecuteWorkflow(request)
    await wait_terminal(api, reply.workflow_execution_id)
    got = await api.executions.GetExecution(
        ES.GetExecutionRequest(workflow_execution_id=reply.workflow_execution_id)
    )
    return got.execution


def outputs(execution: Any) -> dict[str, Any]:
    return dict(json_format.MessageToDict(execution.outputs))


def page_reply(_: Recorded) -> Reply:
    return Reply(
        200,
        [("Content-Type", "text/html; charset=ISO-8859-1"), ("X-Served-By", "loopback")],
        PAGE.encode("iso-8859-1"),
    )


# ------------------------------------------------------------------ the seed's pipeline


@PRIVATE_OK
async def test_download_then_extract_text(channel: grpc.aio.Channel) -> None:
    definition = copy.deepcopy(PIPELINE)
    definition["tasks"] = definition["tasks"][:2]  # the summary needs OpenAI: its own tests
    definition["outputs"] = [
        {"name": "text", "type": "text", "value": "{{tasks.extract_text.outputs.text}}"},
        {"name": "title", "type": "text", "value": "{{tasks.extract_text.outputs.title}}"},
        {"name": "status", "type": "integer", "value": "{{tasks.download_webpage.outputs.status}}"},
        {
            "name": "type",
            "type": "text",
            "value": "{{tasks.download_webpage.outputs.content_type}}",
        },
        {"name": "headers", "type": "json", "value": "{{tasks.download_webpage.outputs.headers}}"},
    ]
    async with loopback_server(page_reply) as web:
        execution = await run(stubs(channel), definition, {"webpage_url": web.url("/cafe")})
    assert execution.status == EX.COMPLETED, execution.error
    got = outputs(execution)
    assert got["text"] == EXPECTED_TEXT
    assert got["title"] == "Le Café du coin"
    assert got["status"] == 200
    assert got["type"] == "text/html; charset=ISO-8859-1"
    assert got["headers"]["x-served-by"] == "loopback"
    for absent in ("<", "tracking", "do not show", "font-family", "Activez", "template", "caché"):
        assert absent not in got["text"]
    (seen,) = web.requests
    assert (seen.method, seen.target) == ("GET", "/cafe")
    assert seen.headers["user-agent"].startswith("Dataflow/")


@PRIVATE_OK
async def test_the_seed_pipeline_summarises_the_visible_text(
    openai_env: FakeOpenAI, channel: grpc.aio.Channel
) -> None:
    """download_webpage → extract_text → summarize_text, the Getting Started pipeline."""
    async with loopback_server(page_reply) as web:
        execution = await run(stubs(channel), PIPELINE, {"webpage_url": web.url("/cafe")})
    assert execution.status == EX.COMPLETED, execution.error
    (chat,) = openai_env.requests_to("/chat/completions")
    prompt = chat.json["messages"][-1]["content"]
    assert prompt == "Summarize: " + EXPECTED_TEXT
    for markup in ("<", ">", "tracking", "font-family", "Activez"):
        assert markup not in prompt
    assert outputs(execution) == {"summary": chat_answer(prompt)}
    assert [t.status for t in execution.tasks] == [TR.COMPLETED] * 3


@PRIVATE_OK
async def test_request_sends_method_headers_body(channel: grpc.aio.Channel) -> None:
    def echo(request: Recorded) -> Reply:
        return Reply(
            201,
            [
                ("Content-Type", "application/json"),
                ("Set-Cookie", "a=1"),
                ("Set-Cookie", "b=2"),
                ("X-Mixed-Case", "yes"),
            ],
            b'{"created": true, "caf\xc3\xa9": 1}',
        )

    definition = request_task(
        method="POST",
        headers={"Content-Type": "application/json", "X-Api-Key": "k-123"},
        body='{"name": "café"}',
    )
    async with loopback_server(echo) as web:
        execution = await run(stubs(channel), definition, {"url": web.url("/items?x=1")})
    assert execution.status == EX.COMPLETED, execution.error
    got = outputs(execution)
    assert got["status"] == 201
    assert got["body"] == '{"created": true, "café": 1}'  # no charset: UTF-8
    assert got["content_type"] == "application/json"
    assert got["headers"]["set-cookie"] == "a=1, b=2"
    assert got["headers"]["x-mixed-case"] == "yes"
    (seen,) = web.requests
    assert (seen.method, seen.target) == ("POST", "/items?x=1")
    assert seen.body == '{"name": "café"}'.encode()
    assert seen.headers["x-api-key"] == "k-123"
    assert seen.headers["content-type"] == "application/json"


# ------------------------------------------------------------------ status semantics


@PRIVATE_OK
@pytest.mark.parametrize(
    ("status", "code", "retryable", "attempts"),
    [
        (404, "UPSTREAM_REJECTED", False, 1),
        (400, "UPSTREAM_REJECTED", False, 1),
        (503, "UPSTREAM_UNAVAILABLE", True, 2),
        (500, "UPSTREAM_UNAVAILABLE", True, 2),
        (429, "RATE_LIMITED", True, 2),
        (504, "UPSTREAM_TIMEOUT", True, 2),
    ],
)
async def test_error_statuses_fail_the_task(
    channel: grpc.aio.Channel, status: int, code: str, retryable: bool, attempts: int
) -> None:
    reply = Reply(status, [("Content-Type", "text/plain")], b"went wrong: details")
    async with loopback_server(reply) as web:
        execution = await run(stubs(channel), request_task(), {"url": web.url("/x?token=s3cr3t")})
        assert len(web.requests) == attempts
    assert execution.status == EX.FAILED
    (task,) = execution.tasks
    assert (task.status, task.attempts) == (TR.FAILED, attempts)
    assert (task.error.code, task.error.retryable) == (code, retryable)
    assert f"answered HTTP {status}" in task.error.message
    assert "went wrong: details" in task.error.message
    assert "s3cr3t" not in task.error.message  # the query string is never quoted


@PRIVATE_OK
async def test_allow_error_status_returns_the_response(channel: grpc.aio.Channel) -> None:
    reply = Reply(404, [("Content-Type", "text/plain; charset=utf-8")], b"no such thing")
    async with loopback_server(reply) as web:
        execution = await run(
            stubs(channel), request_task(allow_error_status=True), {"url": web.url()}
        )
    assert execution.status == EX.COMPLETED, execution.error
    assert (outputs(execution)["status"], outputs(execution)["body"]) == (404, "no such thing")


@PRIVATE_OK
async def test_a_retryable_status_then_success(channel: grpc.aio.Channel) -> None:
    def flaky(request: Recorded) -> Reply:
        return Reply(503) if len(web.requests) == 1 else Reply(200, body=b"fine")

    async with loopback_server(flaky) as web:
        execution = await run(stubs(channel), request_task(), {"url": web.url()})
    assert execution.status == EX.COMPLETED, execution.error
    assert execution.tasks[0].attempts == 2 and outputs(execution)["body"] == "fine"


# ------------------------------------------------------------------ limits and refusals


@pytest.mark.parametrize(
    "server_settings",
    [{"allow_private_networks": True, "max_http_response_bytes": 1024}],
    ids=["cap-1KiB"],
)
async def test_response_size_cap_fails_the_task(channel: grpc.aio.Channel) -> None:
    def pages(request: Recorded) -> Reply:
        if request.target == "/small":
            return Reply(200, body=b"s" * 1024)
        return Reply(200, [("Content-Type", "text/plain")], stream=[b"x" * 512] * 8)

    async with loopback_server(pages) as web:
        api = stubs(channel)
        small = await run(api, request_task(), {"url": web.url("/small")})
        big = await run(api, request_task(), {"url": web.url("/big")})
    assert small.status == EX.COMPLETED, small.error
    assert big.status == EX.FAILED
    (task,) = big.tasks
    assert (task.error.code, task.error.retryable, task.attempts) == (
        "RESPONSE_TOO_LARGE",
        False,
        1,
    )
    assert "larger than the limit of 1 KiB" in task.error.message
    assert "DATAFLOW_HTTP_MAX_RESPONSE_BYTES" in task.error.message


@pytest.mark.parametrize(
    "template",
    ["http://127.0.0.1:{port}/", "http://0x7f000001:{port}/", "http://localhost:{port}/"],
)
async def test_private_destinations_are_blocked_by_default(
    channel: grpc.aio.Channel, template: str
) -> None:
    async with loopback_server(page_reply) as web:
        execution = await run(
            stubs(channel), request_task(), {"url": template.format(port=web.port)}
        )
        assert web.connections == 0
    assert execution.status == EX.FAILED
    (task,) = execution.tasks
    assert (task.error.code, task.error.retryable, task.attempts) == (
        "DESTINATION_BLOCKED",
        False,
        1,
    )
    assert "loopback address" in task.error.message
    assert "DATAFLOW_ALLOW_PRIVATE_NETWORKS" in task.error.message


async def test_metadata_endpoint_is_blocked(channel: grpc.aio.Channel) -> None:
    execution = await run(
        stubs(channel), request_task(), {"url": "http://169.254.169.254/latest/meta-data/"}
    )
    (task,) = execution.tasks
    assert task.error.code == "DESTINATION_BLOCKED"
    assert "cloud metadata endpoint" in task.error.message


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"headers": {"X-Count": 5}}, "must be a string"),
        ({"headers": ["X-A: b"]}, "JSON object"),
        ({"headers": {"Bad Name": "x"}}, "not a valid header name"),
        ({"headers": {"X-A": "a\r\nInjected: yes"}}, "line break"),
        ({"headers": {"Host": "internal"}}, "set by the client"),
    ],
)
async def test_invalid_headers(
    channel: grpc.aio.Channel, inputs: dict[str, Any], message: str
) -> None:
    execution = await run(stubs(channel), request_task(**inputs), {"url": "http://example.com/"})
    (task,) = execution.tasks
    assert (task.error.code, task.attempts) == ("INVALID_INPUT", 1)
    assert message in task.error.message


@pytest.mark.parametrize(
    ("url", "message"),
    [("ftp://example.com/file", "only http and https"), ("http://u:p@example.com/", "credentials")],
)
async def test_invalid_urls(channel: grpc.aio.Channel, url: str, message: str) -> None:
    execution = await run(stubs(channel), request_task(), {"url": url})
    (task,) = execution.tasks
    assert (task.error.code, task.error.retryable) == ("INVALID_INPUT", False)
    assert message in task.error.message


@PRIVATE_OK
async def test_connection_refused_is_retryable(channel: grpc.aio.Channel) -> None:
    async with loopback_server(page_reply) as web:
        url = web.url()
    execution = await run(stubs(channel), request_task(), {"url": url})  # nobody listens now
    (task,) = execution.tasks
    assert (task.error.code, task.error.retryable, task.attempts) == (
        "UPSTREAM_UNAVAILABLE",
        True,
        2,
    )


@PRIVATE_OK
async def test_timeout_is_retryable(channel: grpc.aio.Channel) -> None:
    async with loopback_server(Reply(200, body=b"late", delay=2.0)) as web:
        execution = await run(
            stubs(channel),
            request_task(timeout_seconds=0.2, retry={"max_attempts": 1}),
            {"url": web.url()},
        )
    (task,) = execution.tasks
    assert (task.error.code, task.error.retryable) == ("UPSTREAM_TIMEOUT", True)


async def test_extract_text_input_cap(
    channel: grpc.aio.Channel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_tasks, "MAX_HTML_CHARS", 100)
    definition = one_task("html.extract_text", {"html": "<p>" + "x" * 200}, {"text": "text"})
    execution = await run(stubs(channel), definition, {})
    (task,) = execution.tasks
    assert (task.error.code, task.error.retryable) == ("INPUT_TOO_LARGE", False)


# ------------------------------------------------------------------ the pure parts


def test_settings_read_the_response_cap() -> None:
    assert Settings.from_env({}).max_http_response_bytes == 10 * 1024 * 1024
    env = {"DATAFLOW_HTTP_MAX_RESPONSE_BYTES": "2048"}
    assert Settings.from_env(env).max_http_response_bytes == 2048


@pytest.mark.parametrize(
    ("content", "content_type", "expected"),
    [
        ("café".encode("iso-8859-1"), "text/html; charset=iso-8859-1", "café"),
        (b"\x93quoted\x94", "text/plain; charset=ISO-8859-1", "\u201cquoted\u201d"),  # as cp1252
        ("café".encode(), "text/plain", "café"),
        ("café".encode(), "application/json", "café"),
        (b"caf\xe9", "text/plain", "caf\ufffd"),  # not UTF-8: replaced, not a failure
        ("café".encode(), "text/plain; charset=no-such-charset", "café"),
        ("\ufeffcafé".encode("utf-8"), "text/plain; charset=iso-8859-1", "café"),  # BOM wins
        ("café".encode("utf-16"), "", "café"),
        (
            '<html><head><meta charset="windows-1252"></head>café'.encode("cp1252"),
            "text/html",
            '<html><head><meta charset="windows-1252"></head>café',
        ),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">мир'.encode(
                "koi8-r"
            ),
            "text/html",
            '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">мир',
        ),
        ("日本".encode("shift_jis"), "text/plain; charset=Shift_JIS", "日本"),
    ],
)
def test_decode_body(content: bytes, content_type: str, expected: str) -> None:
    assert decode_body(content, content_type) == expected


@pytest.mark.parametrize(
    ("html", "text", "title"),
    [
        (PAGE, EXPECTED_TEXT, "Le Café du coin"),
        ("plain text, no markup", "plain text, no markup", ""),
        ("", "", ""),
        ("<p>a<b>b</b> c</p><p>d</p>", "ab c\nd", ""),
        ("<div>one<div>two</div>three</div>", "one\ntwo\nthree", ""),
        ("<p>x&nbsp;&nbsp;y &amp; z &lt;tag&gt;</p>", "x y & z <tag>", ""),
        (
            "<table><tr><th>k</th><td>v</td></tr><tr><td>1</td><td>2</td></tr></table>",
            "k v\n1 2",
            "",
        ),
        ("<pre>  a\n    b\n\n</pre><p>c</p>", "  a\n    b\nc", ""),
        ("<p>unclosed <b>bold <i>both</p>after", "unclosed bold both\nafter", ""),
        ("<span style='display: none'>no</span><span style='color:red'>yes</span>", "yes", ""),
        ("<svg><title>icon</title><text>t</text></svg><p>p</p>", "p", ""),
        ("<title>a</title><svg><title>icon</title></svg>", "", "a"),
        ("<select><option>one<option>two</select>ok", "ok", ""),
        ("<body>x<script>alert(1)</script><style>p{}</style>y</body>", "xy", ""),
        ("<p>line<br>break<br/><br>again</p>", "line\nbreak\nagain", ""),
        ("<textarea>typed\ntext</textarea>", "typed text", ""),
    ],
)
def test_extract_text(html: str, text: str, title: str) -> None:
    assert extract_text(html) == (text, title)


def test_extract_text_survives_deep_nesting() -> None:
    assert extract_text("<div>" * 10_000 + "deep" + "</div>" * 10_000) == ("deep", "")
