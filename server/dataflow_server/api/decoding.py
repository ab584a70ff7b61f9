"""Our own decoding of request bytes, for every RPC of our services.

grpcio decodes a request with the generated deserializer before any of our
code runs and answers a `DecodeError` as UNKNOWN, with the exception's class
in the message. `ErrorMappingInterceptor` registers our handlers with bytes in
and decodes here instead: bytes that are not a valid request (truncated,
invalid UTF-8 in a string field, garbage, nesting past protobuf's depth limit)
become INVALID_ARGUMENT with a short message and, when the bad bytes belong to
a field, a field violation naming it (`workflow.tasks[0].inputs`).
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable
from typing import Any

from google.protobuf import descriptor_pool, message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import DecodeError, Message

from ..domain.errors import FieldViolation, InvalidArgument

__all__ = ["RequestDecoder", "decoded_stream", "request_decoder"]

RequestDecoder = Callable[[bytes], Message]

_NOT_DECODABLE = (
    "could not be decoded: it is truncated, holds invalid UTF-8 in a string, "
    "or nests more than about 30 levels of objects and lists"
)
# Struct, Value...: a bad one is reported at the field that holds it.
_WELL_KNOWN = "google.protobuf"
_VARINT, _FIXED64, _LENGTH_DELIMITED, _FIXED32 = 0, 1, 2, 5


@functools.cache  # only methods grpcio found a handler for get here
def request_decoder(method: str) -> RequestDecoder | None:
    """The decoder for `/package.Service/Method`, or None for a method we do not know."""
    name = method.lstrip("/").replace("/", ".")
    try:
        descriptor = descriptor_pool.Default().FindMethodByName(name)
    except KeyError:
        return None
    message_type = message_factory.GetMessageClass(descriptor.input_type)

    def decode(data: bytes) -> Message:
        try:
            return message_type.FromString(data)
        except DecodeError:
            raise _invalid(descriptor.input_type, data) from None

    return decode


async def decoded_stream(
    decode: RequestDecoder, requests: AsyncIterator[bytes]
) -> AsyncIterator[Message]:
    """The messages of a client stream, decoded one by one as they come."""
    async for data in requests:
        yield decode(data)


def _invalid(descriptor: Descriptor, data: bytes) -> InvalidArgument:
    path, why = _locate(descriptor, data, "")
    what = f"the request is not a valid {descriptor.name}"
    if path:
        return InvalidArgument([FieldViolation(path, why)], f"{what}: {path} {why}")
    return InvalidArgument([], f"{what}: the message {why}")


def _locate(descriptor: Descriptor, data: bytes, base: str) -> tuple[str, str]:
    """The path of the first field whose bytes do not decode (`base` when the
    bytes cannot be split into fields), and what is wrong with it."""
    counts: dict[int, int] = {}
    pos = 0
    while pos < len(data):
        start = pos
        tag, pos = _varint(data, pos)
        if tag is None:
            return base, "is truncated or not protobuf"
        number, wire_type = tag >> 3, tag & 7
        field = descriptor.fields_by_number.get(number)
        index = counts.get(number, 0)
        counts[number] = index + 1
        path = base
        if field is not None:
            path = f"{base}.{field.name}" if base else field.name
            if field.is_repeated and not _is_map(field):
                path = f"{path}[{index}]"
        payload_start = pos
        if wire_type == _VARINT:
            value, pos = _varint(data, pos)
            if value is None:
                return path, "is truncated"
        elif wire_type in (_FIXED64, _FIXED32):
            pos += 8 if wire_type == _FIXED64 else 4
        elif wire_type == _LENGTH_DELIMITED:
            length, pos = _varint(data, pos)
            if length is None:
                return path, "is truncated"
            payload_start = pos
            pos += length
        else:
            return path, "is not protobuf (unsupported wire type)"
        if pos > len(data):
            return path, "is truncated"
        if field is None:
            if number == 0:
                return base, "is not protobuf (field number 0)"
            continue  # an unknown field of a valid shape is kept as unknown data
        if _decodes(descriptor, data[start:pos]):
            continue
        if field.type == FieldDescriptor.TYPE_STRING:
            return path, "is not valid UTF-8"
        if (
            field.message_type is not None
            and not _is_map(field)
            and field.message_type.file.package != _WELL_KNOWN
        ):
            return _locate(field.message_type, data[payload_start:pos], path)
        return path, _NOT_DECODABLE
    return base, _NOT_DECODABLE


def _decodes(descriptor: Descriptor, data: bytes) -> bool:
    try:
        message_factory.GetMessageClass(descriptor).FromString(data)
    except DecodeError:
        return False
    return True


def _is_map(field: FieldDescriptor) -> bool:
    message = field.message_type
    return message is not None and message.GetOptions().map_entry


def _varint(data: bytes, pos: int) -> tuple[Any, int]:
    """(value, next position), or (None, pos) when the varint is cut or too long."""
    value = 0
    for shift in range(0, 70, 7):
        if pos >= len(data):
            return None, pos
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
    return None, pos
