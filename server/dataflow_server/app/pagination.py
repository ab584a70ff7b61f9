"""AIP-158 page rules shared by every list call: page sizes, and pages bounded in bytes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from ..domain.errors import InvalidArgument
from ..domain.records import Page

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "bounded_page", "checked_page_size"]

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000

T = TypeVar("T")


def checked_page_size(page_size: int) -> int:
    """0 means the default; larger than the maximum is clamped (AIP-158); negative is an error."""
    if page_size < 0:
        raise InvalidArgument.single("page_size", "must not be negative")
    if page_size == 0:
        return DEFAULT_PAGE_SIZE
    return min(page_size, MAX_PAGE_SIZE)


async def bounded_page(
    fetch: Callable[[int], Awaitable[Page[T]]],
    page_size: int,
    max_bytes: int,
    size_of: Callable[[T], int],
) -> Page[T]:
    """A page of at most `page_size` items worth at most `max_bytes` (but at least
    one item), so that any page fits a client's receive limit. When items must be
    left out, the page is read again with the smaller size: the store's cursor
    then continues right after the last item kept."""
    size = page_size
    while True:
        page = await fetch(size)
        kept = _count_within(page.items, max_bytes, size_of)
        if kept == len(page.items):
            return page
        size = kept


def _count_within(items: Sequence[T], max_bytes: int, size_of: Callable[[T], int]) -> int:
    total = 0
    for count, item in enumerate(items):
        total += size_of(item)
        if total > max_bytes:
            return max(count, 1)
    return len(items)
