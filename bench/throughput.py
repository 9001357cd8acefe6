"""Batch throughput against a fake OpenAI-compatible server on loopback (not a model): everything issue #14
asks, in one command.

The server (tests/fakeserver.py, in its own process) answers every request after a fixed latency and serves
at most --slots requests at once, so its capacity is slots / latency requests per second (strategy whole:
one call per article). For each latency (--latencies, default 250 ms and 2 s) one server is started, and the
same articles go through, one row each:

- claimx batch: `arun_batch` with -j --concurrency into a fresh store, in a child process, so its CPU time
  (all threads) is claimx's alone;
- before (with --before REF): the same, with the claimx of git commit REF (`git archive`d to a temporary
  folder), to compare CPU per article and throughput;
- ray: `claimx batch --engine ray -j N --output …` on this machine (Ray's start-up, and the import into a
  store, are outside the batch's own seconds, which the row uses);
- capacity: what the server could answer at most.

"of capacity" is over the batch's own seconds (start-up and the last round included), "steady" from the
run's first answer to its last (start-up excluded; the first round's answers, one per slot, come together
and are not counted as intervals). Then a sequential pass (-j 1, zero latency, 1 slot): wall ms per
article from one answer to the next, less the server's time, is claimx's own overhead per article.
The machine (CPUs, model) and its load average before and after each row are printed with the figures.

    .venv/bin/python bench/throughput.py --before 2c72f53                  # both latencies, both engines
    .venv/bin/python bench/throughput.py --latencies 0.25 --no-ray --sequential 0
    .venv/bin/python bench/throughput.py --capacity-change --articles 600  # 429 when full, 8 → 2 → 8 slots
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from functools import partial
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


# Run in a child process with the claimx to measure first on sys.path: the articles come as JSON on stdin, the
# figures go out as JSON on stdout. It uses only what every claimx since the batch engine has (arun_batch,
# from_text, settings_from), so it measures older commits too.
CHILD = """
import asyncio, json, sys, tempfile, time
from pathlib import Path
from claimx.batch import arun_batch
from claimx.inputs import from_text
from claimx.settings import settings_from
base_url, concurrency = sys.argv[1], int(sys.argv[2])
todo = [from_text(t, publisher="Bench Wire", published="2024-05-07") for t in json.load(sys.stdin)]
settings = settings_from(base_url=base_url, model="bench", api_key="x", retry_attempts=6)
warm = from_text("Warm-up\\nAn official said the road was closed on Monday.\\n", publisher="W", published="2024-05-07")
with tempfile.TemporaryDirectory() as folder:  # one article first: what loads on first use is not counted
    asyncio.run(arun_batch([warm], Path(folder) / "warm.db", settings=settings, concurrency=1))
    cpu, wall = time.process_time(), time.perf_counter()
    report = asyncio.run(arun_batch(todo, Path(folder) / "bench.db", settings=settings, concurrency=concurrency))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"extracted": report.extracted, "failed": len(report.failed), "seconds": wall, "cpu": cpu}))
"""


WARM_UP = 1  # the child's first answer is its warm-up article's


def child_batch(source: Path, server: Server, texts: list[str], concurrency: int) -> dict:
    """`arun_batch` over `texts` in a child process running the claimx found in `source`."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, server.base_url, str(concurrency)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(source)},
        cwd=source,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the batch failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def ray_batch(server: Server, texts: list[str], concurrency: int) -> dict:
    """`claimx batch --engine ray` over `texts`: the batch's own seconds from its summary line."""
    claimx = str(Path(sys.executable).with_name("claimx"))
    with tempfile.TemporaryDirectory() as folder:
        feed = Path(folder) / "feed.jsonl"
        feed.write_text(
            "".join(json.dumps({"text": t, "publisher": "Bench Wire", "published": "2024-05-07"}) + "\n" for t in texts)
        )
        command = [claimx, "batch", str(feed), "-j", str(concurrency), "-q", "--engine", "ray"]
        command += ["--output", str(Path(folder) / "out"), "--db", str(Path(folder) / "ray.db")]
        env = {**os.environ, "CLAIMX_BASE_URL": server.base_url, "CLAIMX_MODEL": "bench", "OPENAI_API_KEY": "x"}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    summary = next((line for line in done.stderr.splitlines() if " on Ray: " in line), "")
    found = re.search(r"(\d+) extracted.*?(\d+) failed.*?, ([\d.]+) s → ", summary)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return {"extracted": int(found[1]), "failed": int(found[2]), "seconds": float(found[3]), "cpu": None}


def measured(server: Server, slots: int, run: Callable[[], dict], warm_up: int = WARM_UP) -> dict:
    """A row: what `run` returns, with the server's answers during it (less `warm_up` first ones) and the load
    average around it."""
    before, load = server.stats(), os.getloadavg()[0]
    row = run()
    after = server.stats()
    answered = sorted(after["answered_at"][len(before["answered_at"]) + warm_up :])
    row["steady"] = (len(answered) - slots) / (answered[-1] - answered[0]) if len(answered) > slots else 0.0
    count = after["answered"] - before["answered"]
    row["server_s"] = (after["busy_seconds"] - before["busy_seconds"]) / max(count, 1)
    row["cycle_s"] = (answered[-1] - answered[0]) / (len(answered) - 1) if len(answered) > 1 else float("nan")
    row["load"] = (load, os.getloadavg()[0])
    return row


def archived(ref: str, folder: Path) -> Path:
    """The source tree of git commit `ref` in `folder` (claimx and tests/fakeserver.py)."""
    tree = folder / ref
    tree.mkdir()
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    return f"{os.cpu_count()} CPU(s), {model}, {platform.python_implementation()} {platform.python_version()}"


def table(latency: float, slots: int, concurrency: int, count: int, rows: dict[str, dict]) -> None:
    capacity = slots / latency
    print(
        f"\n{count} articles, server latency {latency * 1000:.0f} ms, {slots} slots, -j {concurrency}, strategy whole"
    )
    print(f"  {'':<16}{'articles/min':>13}{'of capacity':>13}{'steady':>8}{'CPU/article':>13}{'failed':>8}   load")
    for name, row in rows.items():
        rate = row["extracted"] / row["seconds"]
        cpu = f"{row['cpu'] / max(row['extracted'], 1) * 1000:.1f} ms" if row["cpu"] is not None else "–"
        print(
            f"  {name:<16}{rate * 60:>13,.0f}{rate / capacity:>13.0%}{row['steady'] / capacity:>8.0%}{cpu:>13}"
            f"{row['failed']:>8}   {row['load'][0]:.1f} → {row['load'][1]:.1f}"
        )
    print(f"  {'capacity':<16}{capacity * 60:>13,.0f}{1:>13.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latencies", type=float, nargs="+", default=[0.25, 2.0], help="server seconds per request")
    parser.add_argument("--seconds", type=float, default=30, help="articles per row: capacity × this many seconds")
    parser.add_argument("--articles", type=int, default=600, help="articles of the capacity-change pass")
    parser.add_argument("--latency", type=float, default=0.25, help="server latency of the capacity-change pass")
    parser.add_argument("--slots", type=int, default=8, help="requests the server serves at once")
    parser.add_argument("--concurrency", type=int, default=8, help="claimx -j: articles whose calls are in flight")
    parser.add_argument("--before", metavar="REF", help="also measure the claimx of this git commit")
    parser.add_argument("--no-ray", action="store_true", help="leave out the --engine ray row")
    parser.add_argument("--sequential", type=int, default=200, help="articles for the zero-latency pass (0: skip)")
    parser.add_argument("--capacity-change", action="store_true", help="only the changing-capacity pass")
    args = parser.parse_args()

    print(
        f"claimx batch throughput — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {machine()}, "
        f"load average {os.getloadavg()[0]:.1f}; fake OpenAI-compatible server on loopback (not a model)"
    )
    if args.capacity_change:
        capacity_change(args)
        return
    with tempfile.TemporaryDirectory() as folder:
        sources = {"claimx batch": ROOT}
        if args.before:
            sources = {f"before {args.before}": archived(args.before, Path(folder)), **sources}
        for latency in args.latencies:
            count = round(args.slots / latency * args.seconds)
            texts = [article(i) for i in range(count)]
            server = Server(latency, args.slots)
            try:
                rows = {
                    name: measured(server, args.slots, partial(child_batch, src, server, texts, args.concurrency))
                    for name, src in sources.items()
                }
                if not args.no_ray:
                    rows["--engine ray"] = measured(
                        server, args.slots, partial(ray_batch, server, texts, args.concurrency), warm_up=0
                    )
            finally:
                server.stop()
            table(latency, args.slots, args.concurrency, count, rows)
        if args.sequential:
            sequential(sources, args.sequential)


def sequential(sources: dict[str, Path], count: int) -> None:
    """-j 1 against a server with no latency and one slot: the time between answers is claimx's."""
    texts = [article(10**6 + i) for i in range(count)]
    server = Server(0.0, 1)
    try:
        solo = {name: measured(server, 1, partial(child_batch, src, server, texts, 1)) for name, src in sources.items()}
    finally:
        server.stop()
    print(f"\nsequential, zero server latency, {count} articles, -j 1:")
    for name, row in solo.items():
        cycle, at_server = row["cycle_s"] * 1000, row["server_s"] * 1000
        print(
            f"  {name:<16}{cycle:.1f} ms wall per article from one answer to the next ({at_server:.1f} ms at the "
            f"server), {row['cpu'] / row['extracted'] * 1000:.1f} ms CPU → claimx overhead ≈ {cycle - at_server:.1f} "
            f"ms per article   (load {row['load'][0]:.1f} → {row['load'][1]:.1f})"
        )


if __name__ == "__main__":
    main()
