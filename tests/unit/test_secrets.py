"""Pure parts of secrets: the reference grammar, masking, key parsing, the AEAD."""

from __future__ import annotations

import base64
import os

import pytest

from dataflow_server.domain.secrets import MASK, SecretUnavailable, mask, mask_value
from dataflow_server.domain.templates import TemplateRef, parse_template
from dataflow_server.vault.cipher import Sealed, SecretCipher
from dataflow_server.vault.keys import SecretsKeyError, parse_key


def test_a_secret_reference_parses() -> None:
    parsed = parse_template("Bearer {{ secrets.api_token }}")
    assert parsed.refs == (TemplateRef("secret", "api_token"),)
    assert parsed.refs[0].braced == "{{secrets.api_token}}"


def test_mask_replaces_every_value_longest_first() -> None:
    values = ["abcd", "abcdefgh"]
    assert mask("x abcdefgh y abcd", values) == f"x {MASK} y {MASK}"
    assert mask("a short one: abc", ["abc"]) == "a short one: abc"  # < 4 characters
    nested = {"h": ["k=abcd"], "abcd": 1, "n": 2}
    assert mask_value(nested, values) == {"h": [f"k={MASK}"], MASK: 1, "n": 2}


@pytest.mark.parametrize("encode", [base64.b64encode, base64.urlsafe_b64encode])
def test_keys_in_either_base64_alphabet(encode: object) -> None:
    raw = os.urandom(32)
    text = encode(raw).decode().rstrip("=")  # type: ignore[operator]
    assert parse_key(text, "K").material == raw
    assert "material" not in repr(parse_key(text, "K"))


@pytest.mark.parametrize("text", ["", "c2hvcnQ=", "not base64 at all!", "A" * 100])
def test_malformed_keys_are_refused(text: str) -> None:
    with pytest.raises(SecretsKeyError, match="must be the base64 of 32 random bytes"):
        parse_key(text, "DATAFLOW_SECRETS_KEY")


def test_a_sealed_value_opens_only_for_its_tenant_and_name() -> None:
    cipher = SecretCipher(parse_key(base64.b64encode(os.urandom(32)).decode(), "K"))
    sealed = cipher.seal("default", "token", "v4lue")
    assert b"v4lue" not in sealed.ciphertext
    assert cipher.open("default", "token", sealed) == "v4lue"
    assert cipher.seal("default", "token", "v4lue").nonce != sealed.nonce
    for tenant, name in (("other", "token"), ("default", "other")):
        with pytest.raises(SecretUnavailable, match="altered"):
            cipher.open(tenant, name, sealed)
    tampered = Sealed(
        sealed.ciphertext[:-1] + bytes([sealed.ciphertext[-1] ^ 1]), sealed.nonce, sealed.key_id
    )
    with pytest.raises(SecretUnavailable):
        cipher.open("default", "token", tampered)
