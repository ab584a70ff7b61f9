"""The API key format: prefix, randomness, checksum; tenant names; scopes."""

from __future__ import annotations

import re

import pytest

from dataflow_server.domain.access import Scope
from dataflow_server.domain.api_keys import (
    checked_key,
    checked_tenant_name,
    hash_key,
    new_key,
    scope_named,
)
from dataflow_server.domain.errors import InvalidArgument, Unauthenticated
from dataflow_server.domain.rate_limit import TokenBucket


def test_new_keys_have_the_prefix_random_part_and_a_valid_checksum() -> None:
    keys = {new_key() for _ in range(200)}
    assert len(keys) == 200
    for key in keys:
        assert re.fullmatch(r"dfk_[0-9A-Za-z]{38}", key)
        assert checked_key(key) == key
    # 32 random base62 characters: every position varies.
    assert all(len({k[4 + i] for k in keys}) > 20 for i in range(32))


def test_every_single_character_typo_is_caught_by_the_checksum() -> None:
    key = new_key()
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for position in range(4, len(key)):
        for replacement in alphabet[::7]:
            if replacement == key[position]:
                continue
            typo = key[:position] + replacement + key[position + 1 :]
            with pytest.raises(Unauthenticated, match="checksum does not match"):
                checked_key(typo)
    swapped = key[:10] + key[11] + key[10] + key[12:]
    if swapped != key:
        with pytest.raises(Unauthenticated):
            checked_key(swapped)


@pytest.mark.parametrize(
    "value", ["", "dfk_", "ghp_" + "a" * 38, "dfk_" + "a" * 37, "dfk_" + "-" * 38]
)
def test_malformed_keys_are_refused_without_quoting_them(value: str) -> None:
    with pytest.raises(Unauthenticated, match="malformed") as refused:
        checked_key(value)
    assert value not in str(refused.value) or value in ("", "dfk_")


def test_the_hash_is_sha256_hex_and_not_the_key() -> None:
    key = new_key()
    digest = hash_key(key)
    assert re.fullmatch(r"[0-9a-f]{64}", digest) and key[4:36] not in digest
    assert digest == hash_key(key) != hash_key(new_key())


@pytest.mark.parametrize("name", ["default", "acme", "team-7", "a", "x_y", "a" * 63])
def test_valid_tenant_names(name: str) -> None:
    assert checked_tenant_name(name) == name


@pytest.mark.parametrize("name", ["", "Acme", "-x", "_x", "a b", "a/b", "a" * 64, "é", "a\x00"])
def test_invalid_tenant_names(name: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        checked_tenant_name(name)
    assert refused.value.violations[0].field == "tenant"


def test_scope_names() -> None:
    assert [scope_named(s) for s in ("read", "execute", "admin")] == list(Scope)
    with pytest.raises(InvalidArgument):
        scope_named("root")


def test_token_bucket_spends_its_burst_then_refills_at_its_rate() -> None:
    bucket = TokenBucket.full(rate=2.0, capacity=3.0, now=100.0)
    assert [bucket.take(100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take(100.0) == pytest.approx(0.5)
    assert bucket.take(100.5) == 0.0
    assert bucket.take(200.0) == 0.0  # refilled, but never above the burst
    assert bucket.tokens == pytest.approx(2.0)
