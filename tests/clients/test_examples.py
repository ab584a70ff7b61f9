"""examples/ holds the Getting Started page's two workflows; the README shows and
uses the same files, and the tests load them (tests/support/api.py), so neither
can drift from what runs."""

from __future__ import annotations

import json
import re

from tests.support.api import EXAMPLES, HELLO_WORLD, PIPELINE, seed_hello_world_body
from tests.support.servers import REPO

README = (REPO / "README.md").read_text()


def test_hello_world_is_the_pages_body_verbatim() -> None:
    assert seed_hello_world_body() == HELLO_WORLD


def test_the_readme_shows_the_pipeline_file() -> None:
    blocks = re.findall(r"```json\n(.*?)```", README, re.DOTALL)
    shown = [json.loads(b) for b in blocks if '"Summarize a web page"' in b]
    assert shown == [PIPELINE]
    assert [t["name"] for t in PIPELINE["tasks"]] == [
        "download_webpage",
        "extract_text",
        "summarize_text",
    ]


def test_the_readme_uses_every_example_and_only_existing_ones() -> None:
    named = set(re.findall(r"examples/([\w.-]+\.json)", README))
    assert (
        named
        == {p.name for p in EXAMPLES.glob("*.json")}
        == {
            "hello-world.json",
            "webpage-summary.json",
        }
    )
    assert "dataflow workflows create -f examples/hello-world.json" in README
    assert "dataflow workflows create -f examples/webpage-summary.json" in README
    # Where the pipeline is shown, the private-address setting is said.
    pipeline_section = README[README.index("examples/webpage-summary.json`):") :][:2500]
    assert "DATAFLOW_ALLOW_PRIVATE_NETWORKS=true" in pipeline_section
