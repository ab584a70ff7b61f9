"""The task catalogue: registry behaviour and the declared types."""

from __future__ import annotations

import pytest

from dataflow_server.domain.definitions import RetryPolicy
from dataflow_server.domain.task_types import FieldSpec, TaskTypeSpec
from dataflow_server.domain.validation import NAME_PATTERN
from dataflow_server.domain.values import ValueType, describe_mismatch
from dataflow_server.tasks.registry import TaskRegistry, default_registry

CATALOGUE = {
    "openai.audio.tts": ({"text", "voice", "model", "format", "api_key"}, {"audio": "file"}),
    "openai.chat.completion": (
        {"prompt", "system", "model", "temperature", "max_tokens", "api_key"},
        {"text": "text", "usage": "json"},
    ),
    "openai.audio.transcription": ({"audio", "model", "language", "api_key"}, {"text": "text"}),
    "openai.embeddings": ({"text", "model", "api_key"}, {"embedding": "json"}),
    "openai.images.generate": ({"prompt", "size", "model", "api_key"}, {"image": "file"}),
    "http.request": (
        {"url", "method", "headers", "body", "timeout_seconds", "allow_error_status"},
        {"status": "integer", "headers": "json", "body": "text", "content_type": "text"},
    ),
    "html.extract_text": ({"html"}, {"text": "text", "title": "text"}),
    "text.template": ({"template"}, {"text": "text"}),
    "json.parse": ({"text"}, {"value": "json"}),
    "core.sleep": ({"seconds"}, {}),
}

REGISTRY = default_registry()


def _spec(name: str) -> TaskTypeSpec:
    spec = REGISTRY.spec(name)
    assert spec is not None, name
    return spec


def _input(type_name: str, field: str) -> FieldSpec:
    found = _spec(type_name).input(field)
    assert found is not None, field
    return found


class TestRegistry:
    def test_register_and_look_up(self) -> None:
        spec = TaskTypeSpec("x.y", "d", (), ())
        registry = TaskRegistry()
        registry.register(spec, handler="impl")
        assert registry.spec("x.y") is spec
        assert registry.handler("x.y") == "impl"
        assert "x.y" in registry
        assert registry.spec("nope") is None
        assert registry.handler("nope") is None

    def test_duplicate_names_are_refused(self) -> None:
        registry = TaskRegistry([TaskTypeSpec("x.y", "d", (), ())])
        with pytest.raises(ValueError, match="already registered"):
            registry.register(TaskTypeSpec("x.y", "other", (), ()))

    def test_attach_handler_needs_a_declared_type(self) -> None:
        registry = TaskRegistry([TaskTypeSpec("x.y", "d", (), ())])
        assert registry.handler("x.y") is None
        registry.attach_handler("x.y", "impl")
        assert registry.handler("x.y") == "impl"
        with pytest.raises(KeyError):
            registry.attach_handler("nope", "impl")

    def test_sorted_iteration_and_read_only_specs(self) -> None:
        registry = TaskRegistry(TaskTypeSpec(n, "d", (), ()) for n in ["b.b", "a.a", "c.c"])
        assert [s.name for s in registry] == ["a.a", "b.b", "c.c"]
        specs = registry.specs()
        assert list(specs) == ["a.a", "b.b", "c.c"]
        with pytest.raises(TypeError):
            specs["d.d"] = TaskTypeSpec("d.d", "d", (), ())  # type: ignore[index]

    def test_default_registry_has_the_builtin_handlers(self) -> None:
        implemented = {spec.name for spec in REGISTRY if REGISTRY.handler(spec.name) is not None}
        assert {"core.sleep", "text.template", "json.parse"} <= implemented


class TestCatalogue:
    def test_exactly_the_documented_types(self) -> None:
        assert set(REGISTRY.specs()) == set(CATALOGUE)

    @pytest.mark.parametrize("name", sorted(CATALOGUE))
    def test_inputs_and_outputs(self, name: str) -> None:
        spec = _spec(name)
        inputs, outputs = CATALOGUE[name]
        assert {f.name for f in spec.inputs} == inputs
        assert {f.name: f.type.value for f in spec.outputs} == outputs

    @pytest.mark.parametrize("spec", list(REGISTRY), ids=lambda s: s.name)
    def test_declarations_are_consistent(self, spec: TaskTypeSpec) -> None:
        assert spec.description
        for f in (*spec.inputs, *spec.outputs):
            assert f.description, f"{spec.name}.{f.name} has no description"
            assert NAME_PATTERN.fullmatch(f.name)
        for f in spec.inputs:
            # a required input has no default; defaults and allowed values are valid literals
            assert not (f.required and f.default is not None), f.name
            if f.default is not None:
                assert describe_mismatch(f.type, f.default) is None, f.name
                if f.allowed_values:
                    assert f.default in f.allowed_values
            for allowed in f.allowed_values:
                assert describe_mismatch(f.type, allowed) is None
        assert not any(f.required for f in spec.outputs)
        assert spec.default_timeout_seconds > 0
        assert spec.default_retry.max_attempts is not None

    def test_tts(self) -> None:
        voice = _input("openai.audio.tts", "voice")
        assert voice.default == "alloy"
        assert set(voice.allowed_values) == {
            "alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage",
            "shimmer", "verse",
        }  # fmt: skip
        fmt = _input("openai.audio.tts", "format")
        assert fmt.default == "mp3"
        assert set(fmt.allowed_values) == {"mp3", "opus", "aac", "flac", "wav", "pcm"}
        assert _input("openai.audio.tts", "model").default == "gpt-4o-mini-tts"
        assert _input("openai.audio.tts", "text").required

    def test_chat_completion_bounds(self) -> None:
        temperature = _input("openai.chat.completion", "temperature")
        assert (temperature.type, temperature.minimum, temperature.maximum) == (
            ValueType.NUMBER, 0, 2,
        )  # fmt: skip
        max_tokens = _input("openai.chat.completion", "max_tokens")
        assert (max_tokens.type, max_tokens.minimum) == (ValueType.INTEGER, 1)
        assert _input("openai.chat.completion", "model").default == "gpt-4o-mini"

    def test_other_defaults(self) -> None:
        assert _input("openai.audio.transcription", "audio").type is ValueType.FILE
        assert _input("openai.audio.transcription", "model").default == "whisper-1"
        assert _input("openai.embeddings", "model").default == "text-embedding-3-small"
        size = _input("openai.images.generate", "size")
        assert size.default == "1024x1024"
        assert "1792x1024" in size.allowed_values
        assert _input("openai.images.generate", "model").default == "dall-e-3"

    def test_http_request(self) -> None:
        method = _input("http.request", "method")
        assert method.default == "GET"
        assert set(method.allowed_values) == {
            "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
        }  # fmt: skip
        timeout = _input("http.request", "timeout_seconds")
        assert timeout.default == 30
        assert timeout.maximum == 300
        assert timeout.minimum is not None and timeout.minimum > 0
        assert _input("http.request", "headers").type is ValueType.JSON
        assert _input("http.request", "url").required

    def test_sleep(self) -> None:
        seconds = _input("core.sleep", "seconds")
        assert seconds.required
        assert (seconds.minimum, seconds.maximum) == (0, 3600)
        assert _spec("core.sleep").default_timeout_seconds > 3600

    def test_retry_policies(self) -> None:
        network = RetryPolicy(3, 1.0, 2.0, 30.0)
        for name in ("openai.audio.tts", "openai.chat.completion", "http.request"):
            assert _spec(name).default_retry == network
        assert _spec("openai.chat.completion").default_timeout_seconds == 120
        assert _spec("http.request").default_timeout_seconds == 60
        for name in ("html.extract_text", "text.template", "json.parse", "core.sleep"):
            assert _spec(name).default_retry.max_attempts == 1
