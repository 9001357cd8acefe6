"""What several test modules share: the checkout's paths, the credential headers no recording may
keep, the byte-exact cassette body matcher, a stored result built the way the pipeline builds one, and
a claim row as the store's SQL views show it."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from claimx.extraction import prompts
from claimx.extraction.claims import ground, to_claim
from claimx.extraction.drafts import ClaimDraft, ClaimDrafts
from claimx.extraction.identity import cache_key_of, fingerprint_of, work_key
from claimx.extraction.plan import PROMPT_NAMES
from claimx.inputs import from_text
from claimx.result import Article, Provenance, Result, Usage
from claimx.store import Store

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SECRET_HEADERS = [
    "authorization",
    "api-key",
    "x-api-key",
    "openai-organization",
    "openai-project",
    "cookie",
    "set-cookie",
    "proxy-authorization",
]
LOCAL_URL = "http://127.0.0.1:8734/v1"


def same_body(new: Any, recorded: Any) -> None:
    """Byte-exact request bodies. vcrpy's own `body` matcher builds a text diff for every recorded request
    that is not the one asked for: it made the dev-set replay (201 calls) take 30 s instead of 4. A changed prompt,
    schema or article still fails, with this message."""
    if new.body != recorded.body:
        raise AssertionError(
            "the request body differs from the recording (changed prompt, schema or article): "
            "re-record the cassette against the local server"
        )


ARTICLE = (
    "Rebels strike bases in Iraq and Syria\n"
    "The Islamic Resistance in Iraq said it attacked the Ain al-Assad base with drones on Wednesday, "
    "according to Al Mayadeen.\n"
    "A US official told Reuters that two rockets hit the Shadadi base on Tuesday and caused no casualties.\n"
    "The ministry denied that its forces shelled the village of Kfar Kila.\n"
    "The weather was cold.\n"
)
DRAFTS = [
    {
        "evidence": [
            (
                "The Islamic Resistance in Iraq said it attacked the Ain al-Assad base with drones on Wednesday, "
                "according to Al Mayadeen."
            )
        ],
        "claimant": "The Islamic Resistance in Iraq",
        "claimant_kind": "armed_group",
        "via": ["Al Mayadeen"],
        "stance": "claimed_responsibility",
        "actor": "The Islamic Resistance in Iraq",
        "target": "the Ain al-Assad base",
        "method": ["drones"],
        "time_text": "on Wednesday",
        "event_date": "2023-12-13",
        "place": "Ain al-Assad",
    },
    {
        "evidence": [
            ("A US official told Reuters that two rockets hit the Shadadi base on Tuesday and caused no casualties.")
        ],
        "claimant": "A US official",
        "claimant_kind": "anonymous_official",
        "via": ["Reuters"],
        "stance": "reported",
        "target": "the Shadadi base",
        "method": ["rockets"],
        "outcome": "caused no casualties",
        "time_text": "on Tuesday",
        "event_date": "2023-12-11/2023-12-12",
        "place": "Shadadi",
    },
    {
        "evidence": ["The ministry denied that its forces shelled the village of Kfar Kila."],
        "claimant": "The ministry",
        "claimant_kind": "official_body",
        "stance": "denied",
        "actor": "its forces",
        "target": "the village of Kfar Kila",
        "method": ["shelling"],
        "place": "Kfar Kila",
    },
    {
        "evidence": ["Officials said the convoy was ambushed."],
        "claimant": "Officials",
        "claimant_kind": "unknown",
        "stance": "alleged",
        "method": ["ambush"],
    },
]


def build_result(
    text: str = ARTICLE,
    drafts: list[dict] | None = None,
    *,
    model: str = "test-model",
    published: date | None = date(2023, 12, 14),
    publisher: str | None = "Al Mayadeen English",
) -> Result:
    """A Result made the way the pipeline makes one (grounding, claim ids), without any LLM."""
    sha = hashlib.sha256(text.encode()).hexdigest()
    claims = []
    for fields in drafts if drafts is not None else DRAFTS:
        draft = ClaimDraft.model_validate({"via": [], "method": [], **fields})
        claims.append(to_claim(draft, ground(draft, text, 0), sha))
    return Result(
        article=Article(text=text, sha256=sha, source="text", publisher=publisher, published=published),
        claims=claims,
        usage=Usage(llm_calls=1, prompt_tokens=900, completion_tokens=300),
        provenance=Provenance(
            model=model,
            base_url="http://127.0.0.1:9/v1",
            strategy="whole",
            prompt_hashes={n: prompts.load(n).sha256 for n in PROMPT_NAMES["whole"]},
            schema_hash=prompts.schema_hash(ClaimDrafts),
            parameters={"temperature": 0.0, "max_tokens": 2048, "max_reasks": 2},
            claimx_version="test",
            started_at=datetime(2024, 1, 1, tzinfo=UTC),
            seconds=1.5,
        ),
    )


def save(store: Store, result: Result, article_id: str = "art1", url: str | None = None) -> int:
    article = from_text(
        result.article.text,
        id=article_id,
        published=result.article.published,
        publisher=result.article.publisher,
        url=url,
    )
    key = work_key(fingerprint_of(result), article.published, article.publisher)
    return store.save_result(article, result, work_key=key, cache_key=cache_key_of(result))


def as_text(row: dict[str, Any]) -> dict[str, Any]:
    """A CSV export row (`claim_row`) as the SQL views show it: lists as '; ' text, booleans as 0/1."""
    return {k: "; ".join(v) if isinstance(v, list) else int(v) if isinstance(v, bool) else v for k, v in row.items()}


def text_of(i: int, faults: tuple[str, str, str] = ("", "", "")) -> str:
    """Three claim-bearing sentences (one call each with `sentences`); a marker makes its call fail."""
    a, b, c = (f" {f}" if f else "" for f in faults)
    return (
        f"Fighting in district {i}\n"
        f"The army said {i} drones struck a depot{a} in district {i}. "
        f"A police officer said rebels fired rockets at checkpoint{b} {i}. "
        f"Residents said the market{c} of district {i} stayed closed.\n"
    )
