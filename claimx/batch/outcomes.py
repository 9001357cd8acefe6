"""What a batch did: one outcome per article, and the batch's totals, summary line and counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from claimx.inputs import ArticleInput
from claimx.result import Usage

# extracted: complete now; partial: some calls gave no usable answer (kept, retried by the next batch);
# held: another running batch on the same store is extracting it.
Status = Literal["extracted", "cached", "skipped", "partial", "failed", "held"]
Stage = Literal["input", "fetch", "extract"]


@dataclass(frozen=True)
class ArticleOutcome:
    """What happened to one article in a batch."""

    article_id: str
    origin: str
    status: Status
    run_id: int | None = None
    claims: int = 0
    usage: Usage = field(default_factory=Usage)
    cost: float = 0.0
    seconds: float = 0.0
    stage: Stage | None = None
    error: str | None = None
    no_claim_bearing: bool = False  # no sentence names a source, so no claim was asked for (the result's warning)
    estimate: Usage = field(default_factory=Usage)  # what its calls were expected to use before they were sent
    estimated_cost: float = 0.0


@dataclass
class BatchOutcome:
    """Everything a batch did; `outcomes` holds one entry per distinct article, in finishing order.
    `status` is `finished`, `stopped` (its budget: `error` says which article would have exceeded it),
    `aborted` or `interrupted`; `concurrency` lists the changes of the requests-in-flight limit as
    (requests ended so far, new limit)."""

    batch_id: int
    db: Path
    total: int
    status: str = "running"
    outcomes: list[ArticleOutcome] = field(default_factory=list)
    duplicates: list[ArticleInput] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None
    concurrency: list[tuple[int, int]] = field(default_factory=list)

    def _count(self, status: Status) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def extracted(self) -> int:
        return self._count("extracted")

    @property
    def cached(self) -> int:
        return self._count("cached")

    @property
    def skipped(self) -> int:
        return self._count("skipped")

    @property
    def held(self) -> int:
        return self._count("held")

    @property
    def partial(self) -> list[ArticleOutcome]:
        return [o for o in self.outcomes if o.status == "partial"]

    @property
    def failed(self) -> list[ArticleOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def unfinished(self) -> list[ArticleOutcome]:
        """Articles this batch leaves not done: the next `claimx batch` over the same input retries them."""
        return [o for o in self.outcomes if o.status in ("partial", "failed")]

    @property
    def no_claim_bearing(self) -> int:
        """Articles for which no claim was asked for, because no sentence names a source in their language."""
        return sum(o.no_claim_bearing for o in self.outcomes)

    @property
    def claims(self) -> int:
        return sum(o.claims for o in self.outcomes if o.status not in ("skipped", "held"))

    @property
    def usage(self) -> Usage:
        total = Usage()
        for outcome in self.outcomes:
            total.add(outcome.usage)
        return total

    @property
    def left(self) -> int:
        """Articles not started (a stopped or aborted batch); the next run over the same input does them."""
        return self.total - len(self.outcomes)

    @property
    def cost(self) -> float:
        return sum(o.cost for o in self.outcomes)

    @property
    def estimate(self) -> Usage:
        """What the articles that made calls were expected to use, before sending them."""
        total = Usage()
        for outcome in self.outcomes:
            total.add(outcome.estimate)
        return total

    @property
    def estimated_cost(self) -> float:
        return sum(o.estimated_cost for o in self.outcomes)

    def counts(self) -> dict[str, Any]:
        usage = self.usage
        return {
            "articles": self.total,
            "extracted": self.extracted,
            "cached": self.cached,
            "skipped": self.skipped,
            "partial": len(self.partial),
            "failed": len(self.failed),
            "held": self.held,
            "duplicates": len(self.duplicates),
            "no_claim_bearing_sentence": self.no_claim_bearing,
            "claims": self.claims,
            "llm_calls": usage.llm_calls,
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "cost": round(self.cost, 6),
            "estimated_tokens": self.estimate.prompt_tokens + self.estimate.completion_tokens,
            "estimated_cost": round(self.estimated_cost, 6),
            "left": self.left,
        }

    def summary(self) -> str:
        c = self.counts()
        line = (
            f"batch {self.batch_id} {self.status}: {c['articles']} article(s) — {c['extracted']} extracted, "
            f"{c['cached']} served from the store, {c['skipped']} already done, {c['partial']} partial, "
            f"{c['failed']} failed; "
            f"{c['claims']} claim(s), {c['llm_calls']} LLM call(s), {c['prompt_tokens']}+{c['completion_tokens']}"
            f" tokens, ${c['cost']:.4f}, {self.seconds:.1f} s → {self.db}"
        )
        estimated = c["estimated_tokens"]
        if estimated:
            line += (
                f"\nestimated before sending: {estimated:,} tokens, ${c['estimated_cost']:.4f}; spent: "
                f"{c['prompt_tokens'] + c['completion_tokens']:,} tokens, ${c['cost']:.4f}"
            )
        if self.status == "stopped":
            line += f"\nstopped: {self.error}; {self.left} article(s) not started"
        if self.held:
            line += f"\n{self.held} article(s) left to another batch running on the same store"
        if self.no_claim_bearing:
            line += (
                f"\n{self.no_claim_bearing} article(s) had no sentence naming a source in their language, so no claim "
                "was asked for (warning no_claim_bearing_sentence; see `claimx show ARTICLE_ID`)"
            )
        if self.duplicates:
            line += f"\n{len(self.duplicates)} duplicate id(s) skipped (the first occurrence was kept)"
        return line
