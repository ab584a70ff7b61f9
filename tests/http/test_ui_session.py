"""The console's session over plain HTTP (httpx), on SQLite and PostgreSQL: the cookie's
flags, CSRF and origin checks on state changes, sign-out and key revocation."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from dataflow_server.app.api_keys import issue_key, revoke_key
from dataflow_server.server import DataflowServer
from dataflow_server.store.api_keys import ApiKeyStore
from tests.ui.test_console import sleeper

COOKIE = "dataflow_session"
KEYED = [{"auth": "required", "key_cache_seconds": 0.001}]


@pytest_asyncio.fixture
async def base_url(server: DataflowServer) -> str:
    assert server.http is not None
    return f"http://{server.http.address}"


@pytest_asyncio.fixture
async def browser_like(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client that sends what a same-origin page would (but no CSRF token by itself)."""
    async with httpx.AsyncClient(
        base_url=base_url, headers={"origin": base_url, "sec-fetch-site": "same-origin"}
    ) as client:
        yield client


async def new_key(server: DataflowServer, tenant: str = "acme") -> tuple[str, str]:
    record, secret = await issue_key(ApiKeyStore(server.store), tenant=tenant, scope="admin")
    return record.key_id, secret


async def new_session(server: DataflowServer, client: httpx.AsyncClient) -> tuple[str, str, str]:
    """A new key's id, the key, and the CSRF token of the session `client` opens with it."""
    key_id, key = await new_key(server)
    answer = await client.post("/ui/session", json={"api_key": key})
    assert answer.status_code == 201, answer.text
    return key_id, key, str(answer.json()["csrf_token"])


@pytest.mark.parametrize("server_settings", KEYED)
async def test_sign_in_sets_a_strict_http_only_cookie_and_a_bad_key_none(
    server: DataflowServer, browser_like: httpx.AsyncClient, base_url: str
) -> None:
    refused = await browser_like.post("/ui/session", json={"api_key": "dfk_wrong"})
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert "set-cookie" not in refused.headers and not browser_like.cookies
    shown = await browser_like.get("/ui/session")
    assert shown.json() == {"auth": "required", "signed_in": False}

    _, key = await new_key(server)
    answer = await browser_like.post("/ui/session", json={"api_key": key})
    assert answer.status_code == 201
    flags = [f.strip().lower() for f in answer.headers["set-cookie"].split(";")]
    assert flags[0].startswith(f"{COOKIE}=") and key.lower() not in flags[0]
    assert {"httponly", "samesite=strict", "path=/"} <= set(flags)
    assert "secure" not in flags  # plain HTTP; Secure is set when served over TLS
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert body["tenant_id"] == "acme" and body["scope"] == "admin" and body["csrf_token"]
    again = (await browser_like.get("/ui/session")).json()
    assert again["signed_in"] and again["csrf_token"] == body["csrf_token"]
    first = browser_like.cookies[COOKIE]
    await browser_like.post("/ui/session", json={"api_key": key})  # again: a new session
    assert browser_like.cookies[COOKIE] != first
    async with httpx.AsyncClient(base_url=base_url, cookies={COOKIE: first}) as replaced:
        assert (await replaced.get("/workflows")).status_code == 401

    # Signing in from another site's page (login CSRF) is refused.
    cross = await browser_like.post(
        "/ui/session", json={"api_key": key}, headers={"sec-fetch-site": "cross-site"}
    )
    assert cross.status_code == 403


@pytest.mark.parametrize("server_settings", KEYED)
async def test_state_changes_by_cookie_need_the_csrf_token_and_this_origin(
    server: DataflowServer, browser_like: httpx.AsyncClient, base_url: str
) -> None:
    _, key, csrf = await new_session(server, browser_like)
    workflow = sleeper("By cookie", 0.1)

    assert (await browser_like.get("/workflows")).status_code == 200  # reads: cookie alone
    refusals = {
        "no token": {},
        "wrong token": {"x-csrf-token": "0" * 64},
        "cross-site": {"x-csrf-token": csrf, "sec-fetch-site": "cross-site"},
        "same-site": {"x-csrf-token": csrf, "sec-fetch-site": "same-site"},
    }
    for why, headers in refusals.items():
        answer = await browser_like.post("/workflows", json=workflow, headers=headers)
        assert answer.status_code == 403, why
        assert answer.headers["content-type"] == "application/problem+json", why
        assert answer.json()["code"] == "PERMISSION_DENIED", why
    detail = (await browser_like.post("/workflows", json=workflow)).json()["detail"]
    assert "CSRF token" in detail and "x-csrf-token" in detail
    async with httpx.AsyncClient(base_url=base_url, cookies=browser_like.cookies) as bare:
        other = {"origin": "http://evil.example", "x-csrf-token": csrf}
        assert (await bare.post("/workflows", json=workflow, headers=other)).status_code == 403
        no_origin = {"x-csrf-token": csrf}
        assert (await bare.post("/workflows", json=workflow, headers=no_origin)).status_code == 403
    assert (await browser_like.get("/workflows")).json().get("workflows", []) == []

    made = await browser_like.post("/workflows", json=workflow, headers={"x-csrf-token": csrf})
    assert made.status_code == 201, made.text
    # An Authorization header is not subject to CSRF (a browser never adds it by itself).
    async with httpx.AsyncClient(
        base_url=base_url, headers={"authorization": f"Bearer {key}"}
    ) as scripted:
        assert (await scripted.post("/workflows", json=workflow)).status_code == 201
    assert len((await browser_like.get("/workflows")).json()["workflows"]) == 2


@pytest.mark.parametrize("server_settings", KEYED)
async def test_sign_out_and_revocation_end_sessions(
    server: DataflowServer, browser_like: httpx.AsyncClient, base_url: str
) -> None:
    _, _, csrf = await new_session(server, browser_like)
    token = browser_like.cookies[COOKIE]
    assert (await browser_like.delete("/ui/session")).status_code == 403  # no CSRF token
    out = await browser_like.delete("/ui/session", headers={"x-csrf-token": csrf})
    assert out.status_code == 204 and COOKIE not in browser_like.cookies
    async with httpx.AsyncClient(base_url=base_url, cookies={COOKIE: token}) as stale:
        assert (await stale.get("/workflows")).status_code == 401

    key_id, _, _ = await new_session(server, browser_like)
    assert (await browser_like.get("/workflows")).status_code == 200
    await revoke_key(ApiKeyStore(server.store), key_id)
    ended = await browser_like.get("/workflows")
    assert ended.status_code == 401 and "revoked" in ended.json()["detail"]
    assert (await browser_like.get("/ui/session")).json()["signed_in"] is False


async def test_with_authentication_off_there_is_no_sign_in(
    browser_like: httpx.AsyncClient,
) -> None:
    assert (await browser_like.get("/ui/session")).json() == {"auth": "off"}
    refused = await browser_like.post("/ui/session", json={"api_key": "dfk_x"})
    assert refused.status_code == 409 and "off" in refused.json()["detail"]
