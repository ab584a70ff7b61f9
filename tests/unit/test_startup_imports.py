"""The server starts without the OpenAI SDK: it is imported with the OpenAI task
handlers, when the first OpenAI task runs (tasks/openai_specs.py says why).
That OpenAI tasks then run is covered by tests/tasks/test_openai_tasks.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join([str(REPO / "server"), str(REPO / "client/python")]),
}


def test_the_server_and_its_registry_load_without_the_openai_sdk() -> None:
    snippet = (
        "import sys\n"
        "import dataflow_server.main, dataflow_server.server\n"
        "from dataflow_server.tasks.registry import default_registry\n"
        "registry = default_registry()\n"
        "assert registry.handler('openai.chat.completion') is not None\n"
        "assert registry.spec('openai.audio.tts').resource == 'openai'\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('openai', 'pydantic'))\n"
        "assert not heavy, heavy[:5]\n"
        "import dataflow_server.tasks.openai_tasks\n"  # what the first OpenAI task does
        "assert 'openai' in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", snippet], env=ENV, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
