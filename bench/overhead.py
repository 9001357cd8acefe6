"""Where claimx's per-article overhead goes: its own code against the libraries it calls (issue #14).

A sequential batch (`-j 1`, strategy whole, one call per article) against the fake server on loopback with no
latency, first timed alone, then again under cProfile. Each function's own time is charged to the package its
file is in (claimx, dateparser, openai, instructor, jinja2, ...); time in the standard library and in built-ins
is charged to whichever package called them, in proportion to the calls. The profiler slows everything down, so
each package's share of the profiled time is applied to the article's unprofiled wall time less the server's.

    .venv/bin/python bench/overhead.py --articles 300
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import re
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.throughput import Server, article, machine
from claimx.batch import arun_batch
from claimx.inputs import from_text
from claimx.settings import settings_from

ROOT = Path(__file__).resolve().parent.parent
_SITE = re.compile(r"site-packages/([^/]+)")

Function = tuple[str, int, str]


def package(filename: str) -> str | None:
    """The package a function's file belongs to; None for the standard library and built-ins."""
    if found := _SITE.search(filename):
        return found.group(1).split(".")[0].split("-")[0]
    if filename.startswith(str(ROOT / "claimx")):
        return "claimx"
    if filename.startswith(str(ROOT)):
        return "bench"
    return None


def by_package(stats: dict[Function, tuple[Any, ...]]) -> dict[str, float]:
    """Seconds of own time per package, the standard library's and the built-ins' charged to their callers."""
    seconds: defaultdict[str, float] = defaultdict(float)

    def charge(function: Function, spent: float, depth: int = 0) -> None:
        owner = package(function[0])
        callers = stats[function][4] if function in stats else {}
        total = sum(timing[2] for timing in callers.values())
        if owner is not None or depth > 8 or not total:
            seconds[owner or "python (not called from a package)"] += spent
            return
        for caller, timing in callers.items():
            charge(caller, spent * timing[2] / total, depth + 1)

    for function, (_, _, own, _, _) in stats.items():
        charge(function, own)
    return seconds


async def batch(server: Server, texts: list[str], folder: Path, name: str) -> None:
    settings = settings_from(base_url=server.base_url, model="bench", api_key="x", strategy="whole")
    todo = [from_text(text, publisher="Bench Wire", published="2024-05-07") for text in texts]
    await arun_batch(todo, folder / f"{name}.db", settings=settings, concurrency=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="articles per pass")
    parser.add_argument("--top", type=int, default=14, help="packages to list")
    args = parser.parse_args()
    print(
        f"claimx overhead by package — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {machine()}, "
        f"load average {os.getloadavg()[0]:.1f}; {args.articles} articles, -j 1, strategy whole, fake server, "
        "no latency"
    )
    server = Server(0.0, 1)
    try:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            asyncio.run(batch(server, [article(10**7)], folder, "warm"))  # what loads on first use is not counted
            before = server.stats()
            wall = time.perf_counter()
            asyncio.run(batch(server, [article(i) for i in range(args.articles)], folder, "timed"))
            wall = (time.perf_counter() - wall) / args.articles
            at_server = (server.stats()["busy_seconds"] - before["busy_seconds"]) / args.articles
            profile = cProfile.Profile()
            profile.runcall(asyncio.run, batch(server, [article(10**6 + i) for i in range(args.articles)], folder, "p"))
    finally:
        server.stop()
    seconds = by_package(pstats.Stats(profile).stats)  # type: ignore[attr-defined]
    ranked = sorted(seconds.items(), key=lambda item: -item[1])
    profiled = sum(seconds.values())
    overhead = wall - at_server
    print(
        f"  unprofiled: {wall * 1000:.1f} ms wall per article, {at_server * 1000:.1f} ms at the server → "
        f"{overhead * 1000:.1f} ms overhead, split by the profile's shares:"
    )
    for name, spent in ranked[: args.top]:
        print(f"  {name:<36}{spent / profiled * overhead * 1000:6.2f} ms  {spent / profiled:6.1%}")
    rest = sum(spent for _, spent in ranked[args.top :])
    print(f"  {'(the other packages)':<36}{rest / profiled * overhead * 1000:6.2f} ms  {rest / profiled:6.1%}")


if __name__ == "__main__":
    main()
