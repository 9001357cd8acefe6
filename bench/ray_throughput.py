"""`claimx batch` against `claimx batch --engine ray` on this machine, against one fake OpenAI-compatible server
on loopback (tests/fakeserver.py, not a model; see throughput.py) and the same articles, and the server's
theoretical capacity (slots / latency). Three rows, one run:

- local: `claimx batch feed.jsonl -j N` into a fresh store;
- ray: `claimx batch feed.jsonl --engine ray -j N` (a local Ray started by the command, an actor pool of up to
  one actor per CPU, N articles in flight per actor), its Parquet output then imported into a fresh store;
- capacity: what the server could answer at most.

Wall time is the whole command (Ray's start-up, the import and the interpreter included); "batch" is the
batch's own time from its summary line (for Ray, from reading the articles to the manifest written).

    .venv/bin/python bench/ray_throughput.py                      # 400 articles, 0.25 s, 8 slots, -j 8
    .venv/bin/python bench/ray_throughput.py --articles 100 --latency 0.1 --slots 4 --concurrency 4
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from throughput import Server, article

CLAIMX = str(Path(sys.executable).with_name("claimx"))


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """The command's wall seconds, the batch seconds its summary reports, and that summary."""
    clock = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - clock
    summary = next((line for line in done.stderr.splitlines() if line.startswith("batch ")), "")
    seconds = re.search(r", ([\d.]+) s → ", summary)
    if done.returncode != 0 or seconds is None:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return wall, float(seconds.group(1)), summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--latency", type=float, default=0.25, help="server seconds per request")
    parser.add_argument("--slots", type=int, default=8, help="requests the server serves at once")
    parser.add_argument("--concurrency", type=int, default=8, help="-j: articles in flight (per actor for Ray)")
    args = parser.parse_args()

    print(
        f"claimx batch vs --engine ray — {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPU(s); fake OpenAI-compatible server on loopback (not a model), latency "
        f"{args.latency * 1000:.0f} ms, {args.slots} slots; {args.articles} articles, strategy whole, "
        f"-j {args.concurrency}"
    )
    server = Server(args.latency, args.slots)
    try:
        with tempfile.TemporaryDirectory() as folder:
            feed = Path(folder) / "feed.jsonl"
            lines = (
                json.dumps({"text": article(i), "publisher": "Bench Wire", "published": "2024-05-07"})
                for i in range(args.articles)
            )
            feed.write_text("\n".join(lines) + "\n")
            env = {
                **os.environ,
                "CLAIMX_BASE_URL": server.base_url,
                "CLAIMX_MODEL": "bench",
                "OPENAI_API_KEY": "x",
                "CLAIMX_RETRY_ATTEMPTS": "2",
            }
            common = [str(feed), "-j", str(args.concurrency), "-q"]
            rows = {
                "local": run([CLAIMX, "batch", *common, "--db", str(Path(folder) / "local.db")], env),
                "ray": run(
                    [CLAIMX, "batch", *common, "--engine", "ray", "--output", str(Path(folder) / "ray-out")]
                    + ["--db", str(Path(folder) / "ray.db")],
                    env,
                ),
            }
    finally:
        server.stop()
    capacity = args.slots / args.latency * 60
    print(f"\n{'engine':<10}{'wall s':>9}{'batch s':>9}{'articles/min':>14}{'of capacity':>13}")
    for name, (wall, seconds, _) in rows.items():
        rate = args.articles / seconds * 60
        print(f"{name:<10}{wall:>9.1f}{seconds:>9.1f}{rate:>14,.0f}{rate / capacity:>13.0%}")
    print(f"{'capacity':<10}{'':>9}{args.articles / capacity * 60:>9.1f}{capacity:>14,.0f}{1:>13.0%}")
    for name, (_, _, summary) in rows.items():
        print(f"\n{name}: {summary}")


if __name__ == "__main__":
    main()
