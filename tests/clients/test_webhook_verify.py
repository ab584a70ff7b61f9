"""The TypeScript, Go and Java webhook verifiers (`verifyWebhook`,
`dataflow.VerifyWebhook`, `Webhooks.verify`) against deliveries signed by the
server's own signer (dataflow_server.webhooks.signing, the Standard Webhooks
reference library): each client's `verify-webhook` example must accept the
genuine ones (one secret, a rotation's two signatures, the second of two known
secrets) and reject a tampered body, an unknown secret, a timestamp too old or
too new and missing headers — the same verdicts as the Python client's
`verify_webhook`."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dataflow_client import WebhookVerificationError, verify_webhook
from dataflow_server.webhooks.signing import generate_secret, signed_headers
from tests.clients.programs import BUILD_TIMEOUT, LANGUAGES, Command, build

RUN_TIMEOUT = 120.0
KNOWN, SECOND = generate_secret(), generate_secret()
OLD, UNKNOWN = generate_secret(), generate_secret()
BODY = json.dumps(
    {"type": "execution.completed", "data": {"status": "COMPLETED", "title": "Grüße, 世界"}},
    ensure_ascii=False,
).encode()

# file name: (signing secrets, timestamp - now, body sent, headers dropped, verdict)
CASES: dict[str, tuple[list[str], timedelta, bytes, tuple[str, ...], str]] = {
    "genuine": ([KNOWN], timedelta(0), BODY, (), "verified execution.completed"),
    "rotation": ([OLD, KNOWN], timedelta(0), BODY, (), "verified execution.completed"),
    "second-secret": ([SECOND], timedelta(0), BODY, (), "verified execution.completed"),
    "tampered": (
        [KNOWN],
        timedelta(0),
        BODY.replace(b"COMPLETED", b"FAILED"),
        (),
        "rejected: no matching signature found",
    ),
    "unknown-secret": ([UNKNOWN], timedelta(0), BODY, (), "rejected: no matching signature found"),
    "old": ([KNOWN], -timedelta(minutes=10), BODY, (), "rejected: message timestamp too old"),
    "new": ([KNOWN], timedelta(minutes=10), BODY, (), "rejected: message timestamp too new"),
    "unsigned": (
        [KNOWN],
        timedelta(0),
        BODY,
        ("webhook-signature",),
        "rejected: missing required headers",
    ),
}


def write_deliveries(directory: Path) -> dict[str, Path]:
    """One file per case: the headers the server sends (signed now, after the
    builds) and the body received."""
    now = datetime.now(UTC)
    paths = {}
    for name, (secrets, offset, body, dropped, _) in CASES.items():
        headers = signed_headers(secrets, f"msg_{name}", now + offset, BODY)
        for header in dropped:
            del headers[header]
        paths[name] = directory / f"{name}.json"
        paths[name].write_text(json.dumps({"headers": headers, "body": body.decode()}))
    return paths


def python_verdict(path: Path) -> str:
    delivery = json.loads(path.read_text())
    try:
        event = verify_webhook(delivery["headers"], delivery["body"].encode(), [KNOWN, SECOND])
    except WebhookVerificationError:
        return "rejected"
    return f"verified {event['type']}"


@pytest.fixture(scope="module", params=LANGUAGES)
def program(request: pytest.FixtureRequest) -> Command:
    return build(request.param, ("verify-webhook",))


@pytest.mark.timeout(BUILD_TIMEOUT + RUN_TIMEOUT + 60)
def test_verifies_what_the_server_signs(program: Command, tmp_path: Path) -> None:
    paths = write_deliveries(tmp_path)
    done = subprocess.run(
        program("verify-webhook", *map(str, paths.values())),
        env={**os.environ, "DATAFLOW_WEBHOOK_SECRETS": f"{KNOWN},{SECOND}"},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    verdicts = dict(line.split(": ", 1) for line in done.stdout.splitlines())
    assert verdicts == {str(paths[name]): case[-1] for name, case in CASES.items()}, done.stderr
    assert done.returncode == 1  # some were rejected

    # The Python client agrees on every case.
    for name, path in paths.items():
        assert python_verdict(path) == CASES[name][-1].split(":")[0]


@pytest.mark.timeout(BUILD_TIMEOUT + RUN_TIMEOUT + 60)
def test_all_genuine_exits_0(program: Command, tmp_path: Path) -> None:
    paths = write_deliveries(tmp_path)
    done = subprocess.run(
        program("verify-webhook", str(paths["genuine"]), str(paths["rotation"])),
        env={**os.environ, "DATAFLOW_WEBHOOK_SECRETS": KNOWN},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": verified execution.completed\n") == 2
