"""Constants shared by the clients and the CLI. Imports nothing heavy."""

from __future__ import annotations

import os

__all__ = [
    "ADDRESS_ENV",
    "CHUNK_SIZE",
    "DEFAULT_ADDRESS",
    "TERMINAL_EVENT_TYPES",
    "TERMINAL_STATUSES",
    "resolve_address",
]

#: Environment variable naming the server address.
ADDRESS_ENV = "DATAFLOW_ADDRESS"
#: Address used when neither an argument nor ``DATAFLOW_ADDRESS`` gives one.
DEFAULT_ADDRESS = "127.0.0.1:50051"
#: Size of the chunks files are uploaded in (the server accepts at most 1 MiB).
CHUNK_SIZE = 1024 * 1024
#: Event types after which an execution is terminal.
TERMINAL_EVENT_TYPES: tuple[str, ...] = (
    "execution.completed",
    "execution.failed",
    "execution.cancelled",
)
#: Names of the terminal execution statuses.
TERMINAL_STATUSES: frozenset[str] = frozenset({"COMPLETED", "FAILED", "CANCELLED"})


def resolve_address(address: str | None = None) -> str:
    """The address to dial: ``address``, else ``$DATAFLOW_ADDRESS``, else the default."""
    if address:
        return address
    return os.environ.get(ADDRESS_ENV) or DEFAULT_ADDRESS


# Executions carry task outputs (up to the server's 64 MiB message limit).
CHANNEL_OPTIONS: tuple[tuple[str, int], ...] = (
    ("grpc.max_receive_message_length", 64 * 1024 * 1024),
)
