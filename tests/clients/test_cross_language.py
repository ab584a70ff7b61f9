"""The TypeScript, Go and Java Hello World examples (client/*/) against one
real server whose `openai.audio.tts` task talks to the loopback OpenAI
stand-in: each is built with its make target, run with `make example-<lang>`,
and must end COMPLETED with the audio bytes the stand-in answered for its text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dataflow_client import DataflowClient, ExecutionStatus
from tests.clients.conftest import LiveServer, require_toolchain, run_make_build, run_step
from tests.support.openai_server import speech_bytes

# language: (make suffix, the text its example speaks)
CLIENTS = {
    "typescript": ("ts", "Hello from TypeScript"),
    "go": ("go", "Hello from Go"),
    "java": ("java", "Hello from Java"),
}
# A first build downloads toolchain packages (npm, Go modules, Maven); later ones are quick.
BUILD_TIMEOUT = 900.0
RUN_TIMEOUT = 120.0


@pytest.mark.timeout(BUILD_TIMEOUT + RUN_TIMEOUT + 60)
@pytest.mark.parametrize("language", list(CLIENTS))
def test_example_completes_with_the_audio(
    language: str, live_server: LiveServer, tmp_path: Path
) -> None:
    require_toolchain(language)
    suffix, text = CLIENTS[language]
    run_make_build(f"build-{suffix}", timeout=BUILD_TIMEOUT)

    audio = tmp_path / f"hello-{suffix}.mp3"
    step = run_step(
        ["make", "--no-print-directory", f"example-{suffix}"],
        timeout=RUN_TIMEOUT,
        env={"DATAFLOW_ADDRESS": live_server.address, "DATAFLOW_AUDIO_OUT": str(audio)},
        check=False,
    )
    out = step.output
    assert step.returncode == 0, out
    assert "status: COMPLETED" in out.splitlines(), out

    # Every event was printed, in order, up to the terminal one.
    events = re.findall(r"^event (\d+): (\S+) ", out, re.MULTILINE)
    assert [int(seq) for seq, _ in events] == list(range(1, len(events) + 1)), out
    assert [kind for _, kind in events][:1] == ["execution.pending"], out
    assert events[-1][1] == "execution.completed", out
    assert "task.completed" in [kind for _, kind in events], out

    # The downloaded audio is what the stand-in answered for this text.
    assert audio.read_bytes() == speech_bytes(text)
    spoken = [r.json.get("input") for r in live_server.openai.requests_to("/audio/speech")]
    assert text in spoken

    # The server agrees: the execution the example printed is COMPLETED with that file.
    match = re.search(r"^execution: (we-\S+)", out, re.MULTILINE)
    assert match, out
    with DataflowClient(live_server.address) as client:
        execution = client.get_execution(match.group(1))
        assert execution.status is ExecutionStatus.COMPLETED
        assert execution.inputs["text"] == text
        file_id = execution.outputs["audio"].file_id
        assert f"audio: {file_id} " in out
