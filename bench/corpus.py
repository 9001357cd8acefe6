"""How long linking across articles takes on synthetic claims: entity resolution, blocking and clustering,
sources and contradictions (`claimx.corpus.link_claims`, in memory, no store).

Synthetic corpus: N claims in N/4 articles over a year, about N/8 events (each reported by 1 to 15 claims
across outlets, dated within a day of each other), places drawn from N/40 towns, targets from N/20 sites,
claimants from N/50 armed groups and 40 outlets, one claim in ten with a death figure. Nothing here is a test:
it prints figures: the candidate pairs of claims blocking lets clustering compare, against all pairs, and the
CPU and wall seconds of one `link_claims` (wall time counts whatever else the machine runs).

    .venv/bin/python bench/corpus.py              # 10,000 and 100,000 claims
    .venv/bin/python bench/corpus.py --sizes 2000
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from claimx.corpus import clustering, link_claims
from claimx.result import Claim, ClaimantKind, Evidence, GroundingStatus, Stance
from claimx.store import StoredClaim

SYLLABLES = "ka ta ri mo su la ne vo da bi ze hu ga po fi".split()


def word(rng: random.Random, n: int = 3) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(n)).capitalize()


def corpus(size: int, seed: int = 7) -> list[StoredClaim]:
    rng = random.Random(seed)
    towns = [word(rng) for _ in range(max(size // 40, 5))]
    sites = [f"the {word(rng)} {rng.choice(['base', 'checkpoint', 'depot', 'airport'])}" for _ in range(size // 20)]
    groups = [f"{word(rng)} {word(rng, 2)} Brigades" for _ in range(max(size // 50, 3))]
    outlets = [f"{word(rng, 2)} News" for _ in range(40)]
    start = date(2024, 1, 1)
    items: list[StoredClaim] = []
    while len(items) < size:
        day = start + timedelta(days=rng.randrange(365))
        town, site, group = rng.choice(towns), rng.choice(sites), rng.choice(groups)
        for _ in range(min(rng.randint(1, 15), size - len(items))):
            n = len(items)
            outlet = rng.choice(outlets)
            claimant, stance = rng.choice(
                [(group, Stance.CLAIMED_RESPONSIBILITY), ("A military official", Stance.ASSERTED)]
            )
            killed = rng.randrange(50) if rng.random() < 0.1 else None
            claim = Claim(
                id=f"c{n}",
                claimant=claimant,
                claimant_kind=ClaimantKind.ARMED_GROUP if claimant == group else ClaimantKind.ANONYMOUS_OFFICIAL,
                via=[],
                stance=stance,
                actor=group,
                target=site,
                method=[rng.choice(["drones", "rockets", "artillery"])],
                outcome=f"{killed} people killed" if killed is not None else None,
                time_text=None,
                event_date=(day + timedelta(days=rng.choice([0, 0, 1]))).isoformat(),
                place=town,
                evidence=[Evidence(quote=f"{claimant} said so.", status=GroundingStatus.EXACT)],
            )
            items.append(StoredClaim(claim, f"a{n // 4}", 1, "bench", "whole", outlet, day + timedelta(days=1), None))
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    columns = ("claims", 8), ("entities", 9), ("events", 7), ("candidate pairs", 15), ("all pairs", 15)
    print(" ".join(f"{name:>{width}}" for name, width in (*columns, ("cpu s", 7), ("wall s", 7))))
    for size in args.sizes:
        items = corpus(size)
        began, cpu = time.perf_counter(), time.process_time()
        linked = link_claims(items, {})
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        found = [f for i in items if (f := clustering.facts(i, linked.resolution))]
        compared = sum(1 for _ in clustering.candidate_pairs(found))
        print(
            f"{size:>8,} {len(linked.entities):>9,} {len(linked.events):>7,} {compared:>15,} "
            f"{size * (size - 1) // 2:>15,} {cpu:>7.1f} {seconds:>7.1f}"
        )


if __name__ == "__main__":
    main()
