"""AIP-158 page size rules shared by every list call."""

from __future__ import annotations

from ..domain.errors import InvalidArgument

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


def checked_page_size(page_size: int) -> int:
    """0 means the default; larger than the maximum is clamped (AIP-158); negative is an error."""
    if page_size < 0:
        raise InvalidArgument.single("page_size", "must not be negative")
    if page_size == 0:
        return DEFAULT_PAGE_SIZE
    return min(page_size, MAX_PAGE_SIZE)
