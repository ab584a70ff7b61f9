"""Raw gRPC calls: bytes in, bytes out (identity serializers), for sending what
no generated stub would (garbage, truncated or hand-made messages)."""

from __future__ import annotations

from typing import Any

import grpc

__all__ = ["raw_stream_unary", "raw_unary_stream", "raw_unary_unary"]


def raw_unary_unary(channel: grpc.aio.Channel, method: str) -> Any:
    return channel.unary_unary(method, request_serializer=None, response_deserializer=None)


def raw_unary_stream(channel: grpc.aio.Channel, method: str) -> Any:
    return channel.unary_stream(method, request_serializer=None, response_deserializer=None)


def raw_stream_unary(channel: grpc.aio.Channel, method: str) -> Any:
    return channel.stream_unary(method, request_serializer=None, response_deserializer=None)
