"""HTML task types: `html.extract_text`.

The document is parsed by selectolax's Lexbor engine (an HTML5-conformant
parser: it sees the same tree a browser builds, malformed markup included), and
the text a reader sees is collected from it:

- never text from script, style, noscript, template, head (the title is its own
  output), svg, canvas, iframe/object/embed fallbacks, media, select/datalist,
  elements with the `hidden` attribute or an inline `display: none`, comments;
- whitespace collapsed as a browser renders it (runs of spaces, tabs and
  newlines, &nbsp; included, become one space); each block element (paragraph,
  heading, list item, table row, div, ...) and each <br> starts a new line;
  lines are separated by a single newline, empty lines dropped; <pre> keeps
  its lines and indentation; table cells are separated by a space;
- the title is the first HTML <title> (not an SVG one), whitespace collapsed,
  or empty.

Inputs larger than MAX_HTML_CHARS fail with INPUT_TOO_LARGE. Parsing runs in
a worker thread so a large page does not stall the event loop.
"""

from __future__ import annotations

import asyncio

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..domain.definitions import RetryPolicy
from ..domain.task_types import FieldSpec, TaskTypeSpec
from ..domain.values import JsonObject, ValueType
from .base import TaskContext, TaskFailure, TaskHandler

__all__ = ["HANDLERS", "MAX_HTML_CHARS", "SPECS", "extract_text"]

MAX_HTML_CHARS = 32 * 1024 * 1024

# Local and deterministic: a retry would fail the same way.
_NO_RETRY = RetryPolicy(
    max_attempts=1, initial_backoff_seconds=1.0, backoff_multiplier=2.0, max_backoff_seconds=30.0
)

EXTRACT_TEXT = TaskTypeSpec(
    name="html.extract_text",
    description="Extracts the readable text and the title of an HTML document.",
    inputs=(FieldSpec("html", ValueType.TEXT, "The HTML document.", True),),
    outputs=(
        FieldSpec("text", ValueType.TEXT, "The visible text, without markup, scripts or styles."),
        FieldSpec("title", ValueType.TEXT, "The document's <title>, or empty."),
    ),
    default_retry=_NO_RETRY,
    default_timeout_seconds=30.0,
)

SPECS: tuple[TaskTypeSpec, ...] = (EXTRACT_TEXT,)

_SKIPPED = frozenset(
    {
        "head",
        "title",
        "script",
        "style",
        "noscript",
        "template",
        "meta",
        "link",
        "base",
        "svg",
        "math",
        "canvas",
        "iframe",
        "object",
        "embed",
        "audio",
        "video",
        "picture",
        "source",
        "track",
        "map",
        "select",
        "datalist",
        "frameset",
    }
)
_BLOCKS = frozenset(
    {
        "html",
        "body",
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
_CELLS = frozenset({"td", "th"})


def _hidden(node: LexborNode) -> bool:
    attributes = node.attributes
    if "hidden" in attributes:
        return True
    style = attributes.get("style")
    return bool(style) and "display:none" in "".join(str(style).split()).lower()


class _Text:
    """Lines of visible text, built while walking the tree."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.pending: list[str] = []
        self.pre_depth = 0

    def add(self, text: str) -> None:
        self.pending.append(text)

    def end_line(self) -> None:
        raw = "".join(self.pending)
        self.pending.clear()
        if self.pre_depth:
            self.lines.extend(line.rstrip() for line in raw.split("\n") if line.strip())
        else:
            line = " ".join(raw.split())
            if line:
                self.lines.append(line)


def _children(node: LexborNode) -> list[LexborNode]:
    found: list[LexborNode] = []
    child = node.child
    while child is not None:
        found.append(child)
        child = child.next
    return found


def _visible_text(root: LexborNode) -> str:
    text = _Text()
    # Depth-first without recursion (deeply nested pages must not hit the recursion
    # limit); an element is pushed again with `leaving=True` to close it.
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag or ""
        if leaving:
            if tag in _BLOCKS:
                text.end_line()
                if tag == "pre":
                    text.pre_depth -= 1
            elif tag in _CELLS:
                text.add(" ")
            continue
        if node.is_text_node:
            text.add(node.text_content or "")
            continue
        if not node.is_element_node or tag in _SKIPPED or _hidden(node):
            continue
        if tag == "br":
            if text.pre_depth:
                text.add("\n")
            else:
                text.end_line()
            continue
        if tag in _BLOCKS:
            text.end_line()
            if tag == "pre":
                text.pre_depth += 1
        elif tag in _CELLS:
            text.add(" ")
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(_children(node)))
    text.end_line()
    return "\n".join(text.lines)


def _title(tree: LexborHTMLParser) -> str:
    for node in tree.css("title"):
        parent = node.parent
        while parent is not None and parent.tag not in ("svg", "math"):
            parent = parent.parent
        if parent is None:
            return " ".join((node.text() or "").split())
    return ""


def extract_text(html: str) -> tuple[str, str]:
    """The visible text and the title of an HTML document."""
    tree = LexborHTMLParser(html)
    root = tree.root
    return (_visible_text(root) if root is not None else ""), _title(tree)


async def run_extract_text(ctx: TaskContext, inputs: JsonObject) -> JsonObject:
    html = inputs["html"]
    if not isinstance(html, str):
        raise TaskFailure("INVALID_INPUT", "html must be text")
    if len(html) > MAX_HTML_CHARS:
        raise TaskFailure(
            "INPUT_TOO_LARGE",
            f"the HTML is {len(html)} characters; at most {MAX_HTML_CHARS} are accepted",
        )
    text, title = await asyncio.to_thread(extract_text, html)
    return {"text": text, "title": title}


HANDLERS: dict[str, TaskHandler] = {EXTRACT_TEXT.name: run_extract_text}
