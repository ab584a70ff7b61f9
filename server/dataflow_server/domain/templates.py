"""Our own small template grammar for string values of task inputs and outputs.

A string may contain references in double braces, whitespace inside allowed:

    {{inputs.NAME}}                   a workflow input
    {{tasks.NAME.outputs.FIELD}}      an output of an upstream task
    {{item}}, {{index}}               in a `for_each` task: the item and its
                                      position (validation allows them only there)
    {{secrets.NAME}}                  a secret of the execution's tenant (validation
                                      allows it only in secret-capable task inputs;
                                      resolved only inside the running task)

Nothing else is accepted inside `{{ }}`: there are no expressions, filters or
calls, and nothing is ever evaluated as code. A `}}` outside a reference is
plain text; an unclosed `{{` is an error.

Typing: a string that is exactly one reference (`"{{inputs.file}}"`, nothing
outside the braces) is a *whole-value* template and yields the referenced value
with its own type (a number, a JSON object, a file...). Any other string with
references is *mixed* and yields text.

Resolved values are never parsed again, so a value that itself contains
`{{...}}` (say, a user's input) is inserted literally: no template injection.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from .errors import shorten
from .values import JsonValue, is_file_ref

__all__ = [
    "MAX_PATH_KEY",
    "MAX_REFS_PER_TEMPLATE",
    "MAX_TEMPLATE_BYTES",
    "ParsedTemplate",
    "RefKind",
    "Resolver",
    "TemplateRef",
    "TemplateRenderError",
    "TemplateSyntaxError",
    "child_path",
    "find_refs",
    "parse_template",
    "render",
    "to_text",
    "walk_strings",
]

MAX_TEMPLATE_BYTES = 64 * 1024  # UTF-8 bytes of one string value
MAX_REFS_PER_TEMPLATE = 100

_OPEN = "{{"
_CLOSE = "}}"
_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_INPUT_REF = re.compile(rf"inputs\.({_IDENT})")
_TASK_OUTPUT_REF = re.compile(rf"tasks\.({_IDENT})\.outputs\.({_IDENT})")
_SECRET_REF = re.compile(rf"secrets\.({_IDENT})")
_IDENT_RE = re.compile(_IDENT)
_REF_CHARS = re.compile(r"[A-Za-z0-9_.]*")
_EXPECTED = "expected {{inputs.NAME}} or {{tasks.NAME.outputs.FIELD}} (or {{item}}, {{index}})"
# Object keys that can be written after a dot in a field path; others are quoted.
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_\-]+")

MAX_PATH_KEY = 128

RefKind = Literal["input", "task_output", "item", "index", "secret"]
# The words that are references on their own, in a for_each task.
_ITEM_WORDS: dict[str, RefKind] = {"item": "item", "index": "index"}


@dataclass(frozen=True, slots=True)
class TemplateRef:
    """One reference: `kind` 'input' or 'secret' (field is ''), 'task_output', or
    'item' / 'index' (name and field are '')."""

    kind: RefKind
    name: str = ""
    field: str = ""

    def __str__(self) -> str:
        if self.kind == "input":
            return f"inputs.{self.name}"
        if self.kind == "task_output":
            return f"tasks.{self.name}.outputs.{self.field}"
        if self.kind == "secret":
            return f"secrets.{self.name}"
        return self.kind

    @property
    def braced(self) -> str:
        """The reference as written in a template, for messages (long ones cut)."""
        return "{{" + shorten(str(self)) + "}}"


@dataclass(frozen=True, slots=True)
class ParsedTemplate:
    """A string split into literal text and references, in order."""

    parts: tuple[str | TemplateRef, ...]

    @property
    def refs(self) -> tuple[TemplateRef, ...]:
        return tuple(p for p in self.parts if isinstance(p, TemplateRef))

    @property
    def has_refs(self) -> bool:
        return any(isinstance(p, TemplateRef) for p in self.parts)

    @property
    def is_whole_ref(self) -> bool:
        """Exactly one reference and nothing else, not even whitespace."""
        return len(self.parts) == 1 and isinstance(self.parts[0], TemplateRef)

    @property
    def whole_ref(self) -> TemplateRef | None:
        first = self.parts[0] if self.is_whole_ref else None
        return first if isinstance(first, TemplateRef) else None


class TemplateSyntaxError(ValueError):
    """A string is not a valid template; `position` is a 0-based character offset."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position})")
        self.message = message
        self.position = position


class TemplateRenderError(ValueError):
    """A resolved value cannot be used where the template puts it (a file inside text)."""


def parse_template(
    text: str,
    *,
    max_bytes: int | None = MAX_TEMPLATE_BYTES,
    max_refs: int | None = MAX_REFS_PER_TEMPLATE,
) -> ParsedTemplate:
    """Split `text` into literals and references; None disables a limit."""
    if max_bytes is not None and len(text) * 4 > max_bytes:  # cheap pre-check
        size = len(text.encode("utf-8"))
        if size > max_bytes:
            raise TemplateSyntaxError(
                f"the string is {size} bytes; a template string may be at most {max_bytes} bytes",
                0,
            )
    parts: list[str | TemplateRef] = []
    ref_count = 0
    pos = 0
    while (start := text.find(_OPEN, pos)) >= 0:
        if start > pos:
            parts.append(text[pos:start])
        end = text.find(_CLOSE, start + len(_OPEN))
        if end < 0:
            raise TemplateSyntaxError(f"unclosed '{{{{': add '}}}}'; {_EXPECTED}", start)
        inner = text[start + len(_OPEN) : end]
        nested = inner.find(_OPEN)
        if nested >= 0:
            raise TemplateSyntaxError(
                "'{{' inside a reference: references cannot be nested",
                start + len(_OPEN) + nested,
            )
        parts.append(_parse_ref(inner, start))
        ref_count += 1
        if max_refs is not None and ref_count > max_refs:
            raise TemplateSyntaxError(
                f"too many references: a template string may contain at most {max_refs}", start
            )
        pos = end + len(_CLOSE)
    if pos < len(text):
        parts.append(text[pos:])
    return ParsedTemplate(tuple(parts))


def _parse_ref(inner: str, position: int) -> TemplateRef:
    """The reference between the braces, or a message saying what is wrong with it."""
    body = inner.strip()
    if m := _INPUT_REF.fullmatch(body):
        return TemplateRef("input", m.group(1))
    if m := _TASK_OUTPUT_REF.fullmatch(body):
        return TemplateRef("task_output", m.group(1), m.group(2))
    if m := _SECRET_REF.fullmatch(body):
        return TemplateRef("secret", m.group(1))
    if (kind := _ITEM_WORDS.get(body)) is not None:
        return TemplateRef(kind)
    raise TemplateSyntaxError(_diagnose(body), position)


def _diagnose(body: str) -> str:
    shown = "'{{ " + shorten(body) + " }}'"
    if not body:
        return f"empty reference '{{{{ }}}}'; {_EXPECTED}"
    if "|" in body:
        return f"filters ('|') are not supported in {shown}; {_EXPECTED}"
    if not _REF_CHARS.fullmatch(body):
        return (
            f"{shown} is not a reference: expressions, operators and calls are not supported "
            f"(templates are never evaluated); {_EXPECTED}"
        )
    segments = body.split(".")
    root = segments[0]
    if root == "inputs":
        if len(segments) > 2:
            return (
                f"too many segments in {shown}: expected {{{{inputs.NAME}}}} "
                "(fields inside a value cannot be selected)"
            )
        return f"{shown} needs an identifier-like input name: expected {{{{inputs.NAME}}}}"
    if root == "tasks":
        if len(segments) > 4 and segments[2] == "outputs":
            return (
                f"too many segments in {shown}: expected {{{{tasks.NAME.outputs.FIELD}}}} "
                "(fields inside a value cannot be selected)"
            )
        if len(segments) >= 3 and segments[2] != "outputs":
            return f"{shown}: expected {{{{tasks.NAME.outputs.FIELD}}}} ('outputs' after the name)"
        return f"{shown} is incomplete: expected {{{{tasks.NAME.outputs.FIELD}}}}"
    if root == "secrets":
        if len(segments) > 2:
            return f"too many segments in {shown}: expected {{{{secrets.NAME}}}}"
        return f"{shown} needs an identifier-like secret name: expected {{{{secrets.NAME}}}}"
    if root in _ITEM_WORDS:
        return (
            f"too many segments in {shown}: expected {{{{{root}}}}} "
            "(fields inside a value cannot be selected)"
        )
    if root and _IDENT_RE.fullmatch(root):
        return f"unknown reference root '{root}' in {shown}; {_EXPECTED}"
    return f"{shown} is not a reference; {_EXPECTED}"


def child_path(base: str, key: str | int) -> str:
    """Field path of a list item (`base[0]`) or object member (`base.key`).

    Keys that are not plain words are quoted: `base["Content Type"]`. A key
    longer than `MAX_PATH_KEY` characters is not written out: the path stops at
    the object holding it (paths travel in error trailers, which are small).
    """
    if isinstance(key, int):
        return f"{base}[{key}]"
    if len(key) > MAX_PATH_KEY:
        return base
    if _PLAIN_KEY.fullmatch(key):
        return f"{base}.{key}"
    return f"{base}[{json.dumps(key, ensure_ascii=False)}]"


def walk_strings(value: JsonValue, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string inside `value` (object keys excluded) with its path suffix."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk_strings(item, child_path(path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk_strings(item, child_path(path, str(key)))


def find_refs(value: JsonValue) -> list[tuple[str, ParsedTemplate]]:
    """The strings inside `value` that contain references, with their path suffix
    (`""` for `value` itself, `.key` / `[0]` below it).

    Raises TemplateSyntaxError for the first invalid string (validated
    definitions have none).
    """
    found = []
    for path, text in walk_strings(value):
        parsed = _parsed_for_rendering(text)
        if parsed.has_refs:
            found.append((path, parsed))
    return found


Resolver = Callable[[TemplateRef], JsonValue]


def render(value: JsonValue, resolver: Resolver) -> JsonValue:
    """`value` with every template string resolved, recursively.

    A whole-value template yields the resolved value unchanged (any JSON type,
    file objects included); a mixed one yields text (see `to_text`). Object
    keys are never templates. Errors of `resolver` propagate.
    """
    if isinstance(value, str):
        return _render_string(value, resolver)
    if isinstance(value, list):
        return [render(item, resolver) for item in value]
    if isinstance(value, dict):
        return {key: render(item, resolver) for key, item in value.items()}
    return value


@functools.lru_cache(maxsize=4096)
def _parsed_stored(text: str) -> ParsedTemplate:
    return parse_template(text, max_bytes=None, max_refs=None)


def _parsed_for_rendering(text: str) -> ParsedTemplate:
    """A stored definition's string, parsed (limits were enforced when it was
    stored). Every execution renders the same strings: short ones are parsed
    once per process (ParsedTemplate is immutable)."""
    if len(text) <= _CACHED_TEMPLATE_CHARS:
        return _parsed_stored(text)
    return parse_template(text, max_bytes=None, max_refs=None)


_CACHED_TEMPLATE_CHARS = 2048


def _render_string(text: str, resolver: Resolver) -> JsonValue:
    parsed = _parsed_for_rendering(text)
    if not parsed.has_refs:
        return text
    if (ref := parsed.whole_ref) is not None:
        return resolver(ref)
    pieces = []
    for part in parsed.parts:
        if isinstance(part, str):
            pieces.append(part)
            continue
        resolved = resolver(part)
        if is_file_ref(resolved):
            raise TemplateRenderError(
                f"{part.braced} is a file and cannot be embedded in text; "
                "use the reference alone as the whole value"
            )
        pieces.append(to_text(resolved))
    return "".join(pieces)


def to_text(value: JsonValue) -> str:
    """How a value reads inside text.

    Integral numbers lose their `.0` (protobuf Struct turns every number into a
    float), booleans are `true`/`false`, objects and lists are compact JSON and
    null (an optional input that was not given) is the empty string. A file
    value raises TemplateRenderError.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number_text(value)
    if is_file_ref(value):
        raise TemplateRenderError("a file cannot be embedded in text")
    return json.dumps(_integral_floats_as_ints(value), separators=(",", ":"), ensure_ascii=False)


def _number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


def _integral_floats_as_ints(value: JsonValue) -> JsonValue:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_integral_floats_as_ints(v) for v in value]
    if isinstance(value, dict):
        return {k: _integral_floats_as_ints(v) for k, v in value.items()}
    return value
