"""Half-configured or unusable TLS stops `dataflow-server` with one line naming the
variable and exit code 2, before the database is touched (like a busy port).
The handshakes themselves are tested in tests/clients/test_tls.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from dataflow_server.config import Settings
from dataflow_server.server import start_server
from dataflow_server.tls import TlsError, load_server_tls
from tests.admin.test_server_command import server_command
from tests.support.certs import Pki


def encrypted_copy(key_file: Path, to: Path) -> Path:
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    to.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"passphrase"),
        )
    )
    return to


def not_pem(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("not a certificate\n")
    return path


@pytest.mark.parametrize(
    ("case", "named"),
    [
        ("cert without key", "DATAFLOW_TLS_KEY_FILE"),
        ("not PEM", "DATAFLOW_TLS_CERT_FILE"),
        ("key of another certificate", "DATAFLOW_TLS_KEY_FILE"),
        ("encrypted key", "DATAFLOW_TLS_KEY_FILE"),
    ],
)
def test_unusable_tls_is_one_line_and_exit_2_before_the_database(
    pki: Pki, tmp_path: Path, case: str, named: str
) -> None:
    env = {
        "cert without key": {"DATAFLOW_TLS_CERT_FILE": str(pki.server_cert)},
        "not PEM": {
            "DATAFLOW_TLS_CERT_FILE": str(not_pem(tmp_path)),
            "DATAFLOW_TLS_KEY_FILE": str(pki.server_key),
        },
        "key of another certificate": {
            "DATAFLOW_TLS_CERT_FILE": str(pki.server_cert),
            "DATAFLOW_TLS_KEY_FILE": str(pki.client_key),
        },
        "encrypted key": {
            "DATAFLOW_TLS_CERT_FILE": str(pki.server_cert),
            "DATAFLOW_TLS_KEY_FILE": str(encrypted_copy(pki.server_key, tmp_path / "enc.key")),
        },
    }[case]
    done = server_command(cwd=tmp_path, env={**env, "DATAFLOW_DATA_DIR": str(tmp_path / "data")})
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("dataflow-server: ") and named in lines[0]
    assert not (tmp_path / "data").exists()  # the database was never opened


def settings(tmp_path: Path, **files: Path) -> Settings:
    return Settings(listen="127.0.0.1:0", data_dir=tmp_path / "data", **files)


def test_load_server_tls_refusals(pki: Pki, tmp_path: Path) -> None:
    missing = tmp_path / "missing.pem"
    refusals = {
        "DATAFLOW_TLS_KEY_FILE is set but DATAFLOW_TLS_CERT_FILE is not": {
            "tls_key_file": pki.server_key
        },
        "DATAFLOW_TLS_CLIENT_CA_FILE needs DATAFLOW_TLS_CERT_FILE": {
            "tls_client_ca_file": pki.ca_file
        },
        f"DATAFLOW_TLS_CERT_FILE: cannot read {missing}: No such file": {
            "tls_cert_file": missing,
            "tls_key_file": pki.server_key,
        },
        "DATAFLOW_TLS_CLIENT_CA_FILE: .* is not a PEM file": {
            "tls_cert_file": pki.server_cert,
            "tls_key_file": pki.server_key,
            "tls_client_ca_file": not_pem(tmp_path),
        },
        "DATAFLOW_TLS_CLIENT_CA_FILE: .* holds no usable CA certificate": {
            "tls_cert_file": pki.server_cert,
            "tls_key_file": pki.server_key,
            "tls_client_ca_file": pki.server_key,  # PEM, but a key
        },
    }
    for message, files in refusals.items():
        with pytest.raises(TlsError, match=message):
            load_server_tls(settings(tmp_path, **files))
    assert load_server_tls(settings(tmp_path)) is None
    both = load_server_tls(
        settings(tmp_path, tls_cert_file=pki.server_cert, tls_key_file=pki.server_key)
    )
    assert both is not None and not both.mutual
    assert "BEGIN" not in repr(both)  # the key stays out of logs


async def test_start_server_refuses_before_opening_anything(pki: Pki, tmp_path: Path) -> None:
    with pytest.raises(TlsError, match="DATAFLOW_TLS_CERT_FILE is set"):
        await start_server(settings(tmp_path, tls_cert_file=pki.server_cert))
    assert not (tmp_path / "data").exists()


def test_settings_read_the_tls_variables(tmp_path: Path) -> None:
    got = Settings.from_env(
        {
            "DATAFLOW_TLS_CERT_FILE": "/etc/dataflow/server.crt",
            "DATAFLOW_TLS_KEY_FILE": " /etc/dataflow/server.key ",
            "DATAFLOW_TLS_CLIENT_CA_FILE": "",
        }
    )
    assert got.tls_cert_file == Path("/etc/dataflow/server.crt")
    assert got.tls_key_file == Path("/etc/dataflow/server.key")
    assert got.tls_client_ca_file is None
