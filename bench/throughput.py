"""Batch throughput against a fake OpenAI-compatible server on loopback (not a model).

The server (tests/fakeserver.py, in its own process) answers every request after a fixed latency
and serves at most --slots requests at once, so its capacity is slots / latency requests per
second. claimx runs --articles articles through `claimx.batch` into a fresh SQLite store with
--concurrency articles in flight, and the script prints:

- articles/min achieved, against the server's capacity (whole strategy: one call per article);
- claimx's CPU time per article (the client process, all threads);
- a sequential pass (-j 1) with zero server latency: wall ms per article from one answer to the next,
  beyond the server's time, in the steady state (start-up excluded): claimx's own overhead;
- with --capacity-change, a server that answers 429 when its slots are full and whose slots drop
  to a third of --slots for the middle third of the run: failed articles, throughput against the
  capacity of each third, and how claimx's limit on requests in flight followed.

    .venv/bin/python bench/throughput.py                      # 1,000 articles, 0.25 s, 8 slots
    .venv/bin/python bench/throughput.py --articles 200 --latency 2 --slots 8 --concurrency 8
    .venv/bin/python bench/throughput.py --capacity-change --articles 600 --sequential 0
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from claimx.batch import arun_batch
from claimx.inputs import from_text
from claimx.settings import settings_from


def article(i: int) -> str:
    return (
        f"Strike reported near village {i}\n"
        f"A local official said {i % 7 + 1} drones struck a fuel depot near village {i} late on Tuesday. "
        f"Residents described several loud explosions and a large fire.\n"
        f"The group that controls the area has not commented. Firefighters worked through the night, "
        f"and the regional governor promised an inquiry into the incident.\n"
    )


ROOT = Path(__file__).resolve().parent.parent  # the fake server is tests/fakeserver.py, run from here


class Server:
    """tests/fakeserver.py in a child process, so its CPU time is not counted as claimx's."""

    def __init__(self, latency: float, slots: int, *extra: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.fakeserver", "--latency", str(latency), "--slots", str(slots), *extra],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline() if self.process.stdout else ""
        if not line.startswith("PORT "):
            self.process.kill()
            raise RuntimeError(f"the fake server did not start: {line!r}")
        self.port = int(line.split()[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def stats(self) -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_stats", timeout=10) as response:
            return json.loads(response.read())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


async def run(
    count: int, latency: float, slots: int, concurrency: int, offset: int = 0, *, server_args: tuple[str, ...] = ()
) -> dict:
    server = Server(latency, slots, *server_args)
    try:
        todo = [from_text(article(offset + i), publisher="Bench Wire", published="2024-05-07") for i in range(count)]
        settings = settings_from(base_url=server.base_url, model="bench", api_key="x", retry_attempts=6)
        with tempfile.TemporaryDirectory() as folder:
            cpu, wall = time.process_time(), time.perf_counter()
            report = await arun_batch(todo, Path(folder) / "bench.db", settings=settings, concurrency=concurrency)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        stats = server.stats()
    finally:
        server.stop()
    done = report.extracted
    mean_article = sum(o.seconds for o in report.outcomes if o.status == "extracted") / max(done, 1)
    mean_server = stats["busy_seconds"] / max(stats["answered"], 1)
    # Steady state: from the first answer to the last, without start-up; the first round's answers (one per
    # slot) come together, so they are not counted as intervals.
    answered = sorted(stats["answered_at"])
    cycle = (answered[-1] - answered[0]) / (len(answered) - slots) if len(answered) > slots else float("nan")
    return {
        "articles": count,
        "extracted": done,
        "failed": len(report.failed),
        "calls": report.usage.llm_calls,
        "wall_s": wall,
        "articles_per_min": done / wall * 60,
        "capacity_per_min": slots / latency * 60 if latency else float("inf"),
        "cpu_ms_per_article": cpu / max(done, 1) * 1000,
        "article_ms": mean_article * 1000,
        "server_ms": mean_server * 1000,
        "cycle_ms": cycle * 1000,
        "answered_at": stats["answered_at"],
        "rejected_full": stats["rejected_full"],
        "limits": report.concurrency,
    }


def capacity_change(args: argparse.Namespace) -> None:
    """The server's slots drop to a third once a third of the articles are answered, and come back after
    two thirds; each third's throughput is measured against the capacity of that third."""
    low = max(1, args.slots // 3)
    first, second = args.articles // 3, 2 * args.articles // 3
    print(
        f"\ncapacity change: {args.articles} articles, latency {args.latency * 1000:.0f} ms, 429 at once when full; "
        f"slots {args.slots} → {low} after {first} answers → {args.slots} after {second}; claimx -j {args.concurrency}"
    )
    load = asyncio.run(
        run(
            args.articles,
            args.latency,
            args.slots,
            args.concurrency,
            offset=2 * 10**6,
            server_args=("--reject-when-full", "--schedule", f"{first}:{low},{second}:{args.slots}"),
        )
    )
    print(
        f"  done: {load['extracted']} extracted, {load['failed']} failed, {load['calls']} calls "
        f"({load['rejected_full']} answered 429: server full), {load['wall_s']:.1f} s"
    )
    answered = sorted(load["answered_at"])
    for start, stop, slots in ((0, first, args.slots), (first, second, low), (second, len(answered), args.slots)):
        # From the phase's first answer to the next phase's first: a rate over whole rounds of requests.
        span = (answered[stop] if stop < len(answered) else answered[-1]) - answered[start]
        got, rate = (stop - start) / span, slots / args.latency
        print(
            f"  answers {start}–{stop}, {slots} slots: {got * 60:,.0f} articles/min vs capacity {rate * 60:,.0f} "
            f"({got / rate:.0%})"
        )
    print(f"  limit on requests in flight (requests ended so far, new limit): {load['limits'][:40]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.25, help="server seconds per request")
    parser.add_argument("--slots", type=int, default=8, help="requests the server serves at once")
    parser.add_argument("--concurrency", type=int, default=8, help="claimx -j: articles whose calls are in flight")
    parser.add_argument("--sequential", type=int, default=200, help="articles for the zero-latency pass (0: skip)")
    parser.add_argument("--capacity-change", action="store_true", help="only the changing-capacity pass")
    args = parser.parse_args()

    print(
        f"claimx batch throughput — {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}; fake OpenAI-compatible server on loopback "
        "(not a model)"
    )
    if args.capacity_change:
        capacity_change(args)
        return
    load = asyncio.run(run(args.articles, args.latency, args.slots, args.concurrency))
    print(
        f"\n{load['articles']} articles, server latency {args.latency * 1000:.0f} ms, {args.slots} slots, "
        f"claimx -j {args.concurrency}, strategy whole (1 call per article)"
    )
    print(
        f"  done: {load['extracted']} extracted, {load['failed']} failed, {load['calls']} calls, {load['wall_s']:.1f} s"
    )
    print(
        f"  throughput: {load['articles_per_min']:,.0f} articles/min vs server capacity "
        f"{load['capacity_per_min']:,.0f}/min ({load['articles_per_min'] / load['capacity_per_min']:.0%})"
    )
    steady = 60_000 / load["cycle_ms"]
    print(
        f"  steady state (first answer to last, without start-up): {steady:,.0f} articles/min "
        f"({steady / load['capacity_per_min']:.0%})"
    )
    print(f"  claimx CPU: {load['cpu_ms_per_article']:.1f} ms per article (client process, all threads)")
    print(
        f"  per article: {load['article_ms']:.0f} ms wall from start to stored (waiting for a free slot included), "
        f"{load['server_ms']:.0f} ms at the server"
    )
    if args.sequential:
        solo = asyncio.run(run(args.sequential, 0.0, 1, 1, offset=10**6))
        print(f"\nsequential, zero server latency, {solo['articles']} articles, -j 1:")
        print(
            f"  {solo['cycle_ms']:.1f} ms wall per article from one answer to the next "
            f"({solo['server_ms']:.1f} ms at the server), {solo['cpu_ms_per_article']:.1f} ms CPU "
            f"→ claimx overhead ≈ {solo['cycle_ms'] - solo['server_ms']:.1f} ms per article"
        )


if __name__ == "__main__":
    main()
