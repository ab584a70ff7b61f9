"""Constants shared by the clients and the CLI. Imports nothing heavy."""

from __future__ import annotations

import os

__all__ = [
    "ADDRESS_ENV",
    "API_KEY_ENV",
    "CA_FILE_ENV",
    "CHUNK_SIZE",
    "CLIENT_CERT_FILE_ENV",
    "CLIENT_KEY_FILE_ENV",
    "DEFAULT_ADDRESS",
    "MAX_WAIT_SECONDS",
    "TERMINAL_EVENT_TYPES",
    "TERMINAL_STATUSES",
    "TLS_ENV",
    "resolve_address",
]

#: Environment variable naming the server address.
ADDRESS_ENV = "DATAFLOW_ADDRESS"
#: Environment variable holding the API key sent with every call.
API_KEY_ENV = "DATAFLOW_API_KEY"
#: Environment variable naming the CA certificate(s) that verify a TLS server (PEM).
CA_FILE_ENV = "DATAFLOW_CA_FILE"
#: Environment variables naming the client certificate and key (PEM) for mutual TLS.
CLIENT_CERT_FILE_ENV = "DATAFLOW_CLIENT_CERT_FILE"
CLIENT_KEY_FILE_ENV = "DATAFLOW_CLIENT_KEY_FILE"
#: Environment variable turning TLS on (``true``) with the system's trusted roots.
TLS_ENV = "DATAFLOW_TLS"
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
#: The longest ExecuteWorkflow `wait` the server accepts (``run`` follows the
#: execution's events beyond it).
MAX_WAIT_SECONDS = 60.0
#: How long past its `wait` a run's ExecuteWorkflow may take to answer.
RUN_ANSWER_SLACK_SECONDS = 10.0
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
