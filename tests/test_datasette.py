"""Datasette serves a claim store as it is: its JSON API lists the `claims_flat` view with the rows the
store's own claims give, and runs a full-text search over `evidence_fts`. The server runs on loopback
only, for a bounded time, and is always stopped."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import claimx
from claimx.store.export import claim_row
from tests.helpers import as_text, build_result, save

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A store with one article's claims and a verdict, and the base URL of Datasette serving it."""
    db = tmp_path / "claims.db"
    with claimx.open_store(db) as store:
        result = build_result()
        save(store, result, "art1", url="https://news.example/ain-al-assad")
        store.verify(result.claims[1].id, verdict="false", by="Desk")
    port = free_port()
    log = (tmp_path / "datasette.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(db), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                httpx.get(f"{base}/-/versions.json", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"datasette did not answer: {(tmp_path / 'datasette.log').read_text()}")
                time.sleep(0.2)
        yield base, db
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_datasette_serves_the_claims_view_as_the_store_reads_it(served: tuple[str, Path]) -> None:
    base, db = served
    rows = httpx.get(f"{base}/claims/claims_flat.json", params={"_shape": "array"}, timeout=10).json()
    with claimx.open_store(db, create=False) as store:
        claims = store.claims()
    assert len(rows) == len(claims) == 4
    assert rows == [as_text(claim_row(item)) for item in claims]
    assert rows[1]["chain"] == "A US official ← Reuters" and rows[1]["verdict"] == "false"

    sql = "SELECT claim_id FROM evidence_fts WHERE evidence_fts MATCH :q"
    found = httpx.get(f"{base}/claims.json", params={"sql": sql, "q": "drones", "_shape": "array"}, timeout=10).json()
    assert found == [{"claim_id": claims[0].claim.id}]
