"""A small server-sent events reader for the tests (the wire format, RFC-free: WHATWG)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class Frame:
    id: str
    event: str
    data: str
    comment: str = ""

    def json(self) -> Any:
        return json.loads(self.data)


async def frames(response: httpx.Response) -> AsyncIterator[Frame]:
    """Every event and comment of a stream, in order, until it ends."""
    fields: dict[str, list[str]] = {}
    async for line in response.aiter_lines():
        if line == "":
            if fields:
                yield Frame(
                    "\n".join(fields.get("id", [])),
                    "\n".join(fields.get("event", [])),
                    "\n".join(fields.get("data", [])),
                )
            fields = {}
        elif line.startswith(":"):
            yield Frame("", "", "", comment=line[1:].strip())
        else:
            name, _, value = line.partition(":")
            fields.setdefault(name, []).append(value.removeprefix(" "))


async def events(response: httpx.Response) -> list[Frame]:
    """The events of a stream that ends by itself (comments dropped)."""
    return [f async for f in frames(response) if not f.comment]
