"""docs/workflows.md: its example definitions pass the static check."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dataflow_server.domain.definitions import definition_from_dict
from dataflow_server.domain.validation import validate_definition, workflow_plan
from dataflow_server.tasks.registry import default_registry

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflows.md"
EXAMPLES = re.findall(r"## Example: (.+?)\n.*?```json\n(.*?)```", DOC.read_text(), re.S)


def test_the_doc_has_the_three_automations() -> None:
    assert len(EXAMPLES) == 3


@pytest.mark.parametrize(("title", "body"), EXAMPLES, ids=[t for t, _ in EXAMPLES])
def test_example_is_valid(title: str, body: str) -> None:
    raw = json.loads(body)
    defn = definition_from_dict(raw)
    task_types = default_registry().specs()
    validate_definition(defn, raw, task_types)
    plan = workflow_plan(defn, task_types)
    if title.startswith("fetch three pages"):
        summarize = plan.nodes[plan.index("summarize")]
        assert {plan.nodes[u].name for u in summarize.upstream} == {"text_a", "text_b", "text_c"}
