"""Requests in flight: the adaptive limit on its own, and a batch against a fake server whose capacity
changes while it runs (tests/fakeserver.py). Behaviour only, never timings."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from claimx.batch import AdaptiveLimit, run_batch
from claimx.batch import article as batch_article
from claimx.extraction import identity, pipeline
from claimx.inputs import ArticleInput, from_text
from claimx.settings import Settings, settings_from
from tests.fakeserver import FakeServer

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


def articles(n: int) -> list[ArticleInput]:
    text = "Strike near town {0}\nThe army said {0} drones hit a depot near town {0}.\n"
    return [from_text(text.format(i), published="2024-05-06") for i in range(n)]


async def test_the_limit_shrinks_on_overload_once_per_round_and_grows_back_while_it_holds_requests_back() -> None:
    gate = AdaptiveLimit(8)
    tickets = [await gate.enter() for _ in range(8)]
    assert gate.in_flight == 8 and gate.limit == 8
    gate.leave(tickets.pop(), 0.1, overloaded=True)
    assert gate.limit == 6
    gate.leave(tickets.pop(), 0.1, overloaded=True)  # sent before the cut: says nothing about the new limit
    assert gate.limit == 6
    gate.leave(tickets.pop(), 0.1, overloaded=False)
    fresh = await gate.enter()
    gate.leave(fresh, 0.1, overloaded=True)  # sent under the new limit: cuts again
    assert gate.limit == 4
    for ticket in tickets:
        gate.leave(ticket, 0.1, overloaded=False)
    assert gate.in_flight == 0 and gate.limit == 4  # the limit was not holding anything back: no growth

    async def busy(rounds: int) -> None:
        async def one() -> None:
            ticket = await gate.enter()
            await asyncio.sleep(0)
            gate.leave(ticket, 0.1, overloaded=False)

        await asyncio.gather(*(one() for _ in range(rounds)))

    await busy(200)
    assert gate.limit == 8  # recovered to the maximum, never beyond
    assert [c.limit for c in gate.history] == [6, 4, 5, 6, 7, 8]


async def test_the_limit_is_never_exceeded_and_a_cancelled_waiter_holds_nothing() -> None:
    gate = AdaptiveLimit(2)
    seen: list[int] = []

    async def one() -> None:
        ticket = await gate.enter()
        seen.append(gate.in_flight)
        await asyncio.sleep(0.001)
        gate.leave(ticket, 0.001, overloaded=False)

    await asyncio.gather(*(one() for _ in range(20)))
    assert max(seen) == 2 and gate.in_flight == 0
    held = [await gate.enter(), await gate.enter()]
    waiter = asyncio.create_task(gate.enter())
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    for ticket in held:
        gate.leave(ticket, 0.001, overloaded=False)
    assert gate.in_flight == 0


async def test_latency_cuts_the_limit_after_the_first_round_only() -> None:
    gate = AdaptiveLimit(4)

    async def answers(seconds: list[float]) -> None:
        for spent in seconds:
            gate.leave(await gate.enter(), spent, overloaded=False)

    await answers([0.1, 3.0, 3.0, 3.0])  # the first round: claimx's own start-up stalls, no cut
    await answers([0.1] * 10)
    assert gate.history == []
    await answers([2.0] * 10)  # the server slowed down for real
    assert gate.limit < 4 and "latency" in gate.history[0].reason


def test_a_fixed_limit_never_changes() -> None:
    async def go() -> AdaptiveLimit:
        gate = AdaptiveLimit(3, minimum=3)
        ticket = await gate.enter()
        gate.leave(ticket, 5.0, overloaded=True)
        return gate

    gate = asyncio.run(go())
    assert gate.limit == 3 and gate.history == []


def test_a_batch_follows_a_server_whose_capacity_drops_and_recovers(tmp_path: Path) -> None:
    # A hosted API: 429 at once when its 6 slots are full; 2 slots from the 40th answer, 6 again from the 80th.
    with FakeServer(latency=0.05, slots=6, reject_when_full=True, schedule=[(40, 2), (80, 6)]) as server:
        settings = settings_from(base_url=server.base_url, model="m", api_key="x", retry_max_seconds=60)
        report = run_batch(articles(140), tmp_path / "c.db", settings=settings, concurrency=6)
    assert report.status == "finished" and not report.failed and report.extracted == 140
    assert server.stats.rejected_full > 0  # the drop was felt
    limits = [limit for _, limit in report.concurrency]
    lowest = limits.index(min(limits))
    assert min(limits) <= 3  # it backed off towards the 2 slots left
    assert max(limits[lowest:]) == 6  # and grew back to -j once the server recovered


def test_j_caps_the_requests_in_flight_and_a_batch_shares_one_client_and_prepares_and_fingerprints_each_article_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    connects: list[object] = []
    prepared: list[str] = []
    prints: list[object] = []
    real_connect, real_prepare, real_fingerprint = pipeline.connect, pipeline.prepare, identity.fingerprint

    def counting_connect(*args: object, **kwargs: object) -> object:
        connects.append(args)
        return real_connect(*args, **kwargs)  # type: ignore[arg-type]

    def counting_prepare(text: str, *args: object, **kwargs: object) -> object:
        prepared.append(text)
        return real_prepare(text, *args, **kwargs)  # type: ignore[arg-type]

    def counting_fingerprint(settings: Settings) -> dict[str, Any]:
        prints.append(settings)
        return real_fingerprint(settings)

    monkeypatch.setattr(batch_article, "connect", counting_connect)
    monkeypatch.setattr(identity, "fingerprint", counting_fingerprint)  # prepare's (not the batch's, once per batch)
    monkeypatch.setattr(batch_article, "prepare", counting_prepare)
    monkeypatch.setattr(pipeline, "prepare", counting_prepare)  # aextract would count here if it prepared again
    with FakeServer(latency=0.02, slots=64) as server:
        settings = settings_from(base_url=server.base_url, model="m", api_key="x")
        report = run_batch(articles(30), tmp_path / "c.db", settings=settings, concurrency=3)
    assert report.extracted == 30
    assert server.stats.max_in_flight <= 3  # six articles worked on, three requests in flight
    assert len(connects) == 1
    assert sorted(prepared) == sorted(a.text for a in articles(30) if a.text)
    assert len(prints) == 30  # the job's, which its cache key and its result's provenance both use
