"""Batch throughput against a fake OpenAI-compatible server on loopback (not a model).

The server (tests/fakeserver.py, in its own process) answers every request after a fixed latency
and serves at most --slots requests at once, so its capacity is slots / latency requests per
second. claimx runs --articles articles through `claimx.batch` into a fresh SQLite store with
--concurrency articles in flight, and the script prints:

- articles/min achieved, against the server's capacity (whole strategy: one call per article);
- claimx's own overhead per article: the client process's CPU time per article, and the wall
  time each article spent beyond the server's time for its request;
- a sequential pass with zero server latency: wall ms per article with nothing else waiting.

    .venv/bin/python bench/throughput.py                      # 1,000 articles, 0.25 s, 8 slots
    .venv/bin/python bench/throughput.py --articles 200 --latency 0.1 --slots 4 --concurrency 4
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

    def __init__(self, latency: float, slots: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.fakeserver", "--latency", str(latency), "--slots", str(slots)],
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


async def run(count: int, latency: float, slots: int, concurrency: int, offset: int = 0) -> dict:
    server = Server(latency, slots)
    try:
        todo = [from_text(article(offset + i), publisher="Bench Wire", published="2024-05-07") for i in range(count)]
        settings = settings_from(base_url=server.base_url, model="bench", api_key="x", retry_attempts=2)
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
        "added_ms": (mean_article - mean_server) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.25, help="server seconds per request")
    parser.add_argument("--slots", type=int, default=8, help="requests the server serves at once")
    parser.add_argument("--concurrency", type=int, default=8, help="articles claimx keeps in flight")
    parser.add_argument("--sequential", type=int, default=200, help="articles for the zero-latency pass (0: skip)")
    args = parser.parse_args()

    print(
        f"claimx batch throughput — {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPU(s); fake OpenAI-compatible server on loopback (not a model)"
    )
    load = asyncio.run(run(args.articles, args.latency, args.slots, args.concurrency))
    print(
        f"\n{load['articles']} articles, server latency {args.latency * 1000:.0f} ms, {args.slots} slots, "
        f"claimx concurrency {args.concurrency}, strategy whole (1 call per article)"
    )
    print(
        f"  done: {load['extracted']} extracted, {load['failed']} failed, {load['calls']} calls, {load['wall_s']:.1f} s"
    )
    print(
        f"  throughput: {load['articles_per_min']:,.0f} articles/min vs server capacity "
        f"{load['capacity_per_min']:,.0f}/min ({load['articles_per_min'] / load['capacity_per_min']:.0%})"
    )
    print(f"  claimx CPU: {load['cpu_ms_per_article']:.1f} ms per article (client process, all threads)")
    print(
        f"  per article: {load['article_ms']:.0f} ms wall, of which {load['server_ms']:.0f} ms at the server "
        f"(queueing included) → {load['added_ms']:.0f} ms added by claimx"
    )
    if args.sequential:
        solo = asyncio.run(run(args.sequential, 0.0, 1, 1, offset=10**6))
        print(f"\nsequential, zero server latency, {solo['articles']} articles, concurrency 1:")
        print(
            f"  {solo['article_ms']:.1f} ms wall per article ({solo['server_ms']:.1f} ms at the server), "
            f"{solo['cpu_ms_per_article']:.1f} ms CPU → claimx overhead ≈ {solo['added_ms']:.1f} ms per article"
        )


if __name__ == "__main__":
    main()
