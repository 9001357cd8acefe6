"""Claims out of the store: JSONL (lossless, reads back), CSV, Parquet, an ACLED-style event CSV,
and schema.org ClaimReview JSON-LD for claims that carry a verification.

Every format says what a claim is: somebody's assertion. The ACLED-style rows are candidate
events for a coder to review, and their notes name who claims what; they are not coded events.

    >>> from claimx.store.export import export
    >>> from claimx.store import Store
    >>> with Store("claimx.db") as store:
    ...     export(store.claims(grounded_only=True), "acled", "events.csv")
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any, Literal

from claimx import errors, jsonl
from claimx.result import NO_SOURCE, Claim, ClaimantKind, Verdict, Verification, event_range
from claimx.store.queries import StoredClaim

Format = Literal["jsonl", "csv", "parquet", "acled", "claimreview"]
FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet", "acled", "claimreview")

CSV_COLUMNS = (
    "article_id",
    "claim_id",
    "claimant",
    "claimant_kind",
    "via",
    "chain",
    "stance",
    "actor",
    "target",
    "method",
    "outcome",
    "time_text",
    "event_date",
    "place",
    "grounded",
    "quote",
    "quote_start",
    "quote_end",
    "evidence_count",
    "publisher",
    "published",
    "url",
    "model",
    "run_id",
    "verdict",
    "verified_by",
    "verified_at",
)
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "location",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "claimx_claim_id",
    "claimx_article_id",
    "claimx_claimant",
    "claimx_stance",
    "claimx_grounded",
    "claimx_verdict",
)

# Method words → (ACLED event type, sub-event type); the first rule that matches wins, so the
# most specific come first.
SUB_EVENT_RULES: tuple[tuple[str, str, str], ...] = (
    (r"suicide", "Explosions/Remote violence", "Suicide bomb"),
    (r"chemical|sarin|chlorine|mustard gas|nerve agent", "Explosions/Remote violence", "Chemical weapon"),
    (r"intercept|shot down|air defen[cs]e|downed", "Strategic developments", "Disrupted weapons use"),
    (
        (
            r"\bdrones?\b|\buavs?\b|unmanned|air ?strikes?|airstrikes?|air raids?|warplanes?|fighter jets?|\bjets?\b|"
            r"aircraft|helicopters?|bombers?|aerial|kamikaze"
        ),
        "Explosions/Remote violence",
        "Air/drone strike",
    ),
    (
        r"\bied\b|improvised explosive|roadside bomb|landmines?|\bmines?\b|car bomb|vbied|booby",
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
    ),
    (r"grenades?", "Explosions/Remote violence", "Grenade"),
    (
        (
            r"shell(s|ing|ed)?\b|artillery|mortars?|rockets?|missiles?|howitzers?|katyushas?|projectiles?|\bgrad\b|"
            r"ballistic|cruise missile|mlrs|tank fire"
        ),
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    (r"abduct|kidnap|hostage", "Violence against civilians", "Abduction/forced disappearance"),
    (r"arrest|detain|detention", "Strategic developments", "Arrests"),
    (
        (
            r"clash|firefight|gunfight|gunfire|small arms|rifles?|snipers?|ambush|machine ?guns?|shooting|gunmen|"
            r"assault|raid|storm"
        ),
        "Battles",
        "Armed clash",
    ),
)
_VERDICT_RATING = {
    Verdict.TRUE: (5, "True"),
    Verdict.MOSTLY_TRUE: (4, "Mostly true"),
    Verdict.MIXED: (3, "Mixed"),
    Verdict.MOSTLY_FALSE: (2, "Mostly false"),
    Verdict.FALSE: (1, "False"),
    Verdict.UNPROVEN: (None, "Unproven"),
}
_PERSON_KINDS = {ClaimantKind.NAMED_PERSON, ClaimantKind.ANONYMOUS_OFFICIAL, ClaimantKind.JOURNALIST}


class ExportError(errors.ClaimxError):
    """An export cannot be written as asked (a missing optional package, a binary format to stdout)."""


# ---------------------------------------------------------------------------------------------
# Rows


def _first_quote(claim: Claim) -> tuple[str, int | None, int | None]:
    grounded = [e for e in claim.evidence if e.grounded] or claim.evidence
    if not grounded:
        return "", None, None
    return grounded[0].quote, grounded[0].start, grounded[0].end


def claim_row(item: StoredClaim) -> dict[str, Any]:
    """One flat row (the CSV and Parquet columns); lists are kept as lists."""
    claim, verdict = item.claim, item.verification
    quote, start, end = _first_quote(claim)
    return {
        "article_id": item.article_id,
        "claim_id": claim.id,
        "claimant": claim.claimant,
        "claimant_kind": claim.claimant_kind.value,
        "via": list(claim.via),
        "chain": claim.chain,
        "stance": claim.stance.value,
        "actor": claim.actor,
        "target": claim.target,
        "method": list(claim.method),
        "outcome": claim.outcome,
        "time_text": claim.time_text,
        "event_date": claim.event_date,
        "place": claim.place,
        "grounded": claim.grounded,
        "quote": quote,
        "quote_start": start,
        "quote_end": end,
        "evidence_count": len(claim.evidence),
        "publisher": item.publisher,
        "published": item.published.isoformat() if item.published else None,
        "url": item.url,
        "model": item.model,
        "run_id": item.run_id,
        "verdict": verdict.verdict.value if verdict else None,
        "verified_by": verdict.by if verdict else None,
        "verified_at": verdict.at.isoformat() if verdict else None,
    }


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def jsonl_record(item: StoredClaim) -> dict[str, Any]:
    """The lossless record: the claim exactly as claimx returns it, where it came from, and its verdicts."""
    return {
        "article_id": item.article_id,
        "run_id": item.run_id,
        "model": item.model,
        "strategy": item.strategy,
        "publisher": item.publisher,
        "published": item.published.isoformat() if item.published else None,
        "url": item.url,
        "claim": item.claim.model_dump(mode="json"),
        "verifications": [v.model_dump(mode="json") for v in item.verifications],
    }


def read_jsonl(source: str | Path | IO[str]) -> list[StoredClaim]:
    """Read a claimx JSONL export back into `StoredClaim`s (the same claims that were written); a bad
    line stops the read with an `InputError` naming the file and the line."""
    return jsonl.read_jsonl(source, _stored_claim, what="a claimx claim record")


def _stored_claim(data: dict[str, Any]) -> StoredClaim:
    """One line of `write_jsonl` back into the claim it was written from."""
    return StoredClaim(
        claim=Claim.model_validate(data["claim"]),
        article_id=data["article_id"],
        run_id=data["run_id"],
        model=data["model"],
        strategy=data["strategy"],
        publisher=data.get("publisher"),
        published=date.fromisoformat(data["published"]) if data.get("published") else None,
        url=data.get("url"),
        verifications=tuple(Verification.model_validate(v) for v in data.get("verifications", [])),
    )


def sub_event(method: Iterable[str]) -> tuple[str, str]:
    """ACLED event type and sub-event type from a claim's method words ('' when none fits)."""
    words = " ".join(method).lower()
    for pattern, event_type, sub_event_type in SUB_EVENT_RULES:
        if words and re.search(pattern, words):
            return event_type, sub_event_type
    return "", ""


def _dedupe_chain(names: Iterable[str | None]) -> list[str]:
    chain: list[str] = []
    for name in names:
        if name and (not chain or chain[-1].lower() != name.lower()):
            chain.append(name)
    return chain


def acled_row(item: StoredClaim) -> dict[str, Any]:
    """A candidate event in ACLED's column names. actor1 is the reported perpetrator, else the
    claimant; actor2 the target; the date is the claim's event date (its start for an interval),
    else the publication date with month precision; source is the relay chain to the publisher."""
    claim = item.claim
    event_type, sub_event_type = sub_event(claim.method)
    days = event_range(claim.event_date)
    # ACLED time precision: 1 the day is known, 2 within a week, 3 within a month or less precise.
    precision: int | str
    if days:
        span = (days[1] - days[0]).days
        event_date, precision, dated = days[0].isoformat(), 1 if span == 0 else 2 if span <= 7 else 3, "event date as claimed"
    elif item.published:
        event_date, precision, dated = item.published.isoformat(), 3, "date of publication (no event date stated)"
    else:
        event_date, precision, dated = "", "", "no date"
    chain = _dedupe_chain([claim.claimant or NO_SOURCE, *claim.via, item.publisher])
    quote, _, _ = _first_quote(claim)
    relays = f", relayed by {' ← '.join(chain[1:])}" if len(chain) > 1 else ""
    verdict = item.verification
    notes = (
        f"CLAIM, not a verified event. Claimant: {claim.claimant or 'unnamed source'} "
        f'(stance: {claim.stance.value}){relays}. Quote: "{quote}". Date: {dated}.'
    )
    if claim.outcome:
        notes += f" Outcome as claimed: {claim.outcome}."
    notes += f" Verification: {verdict.verdict.value} by {verdict.by}." if verdict else " Unverified."
    return {
        "event_id_cnty": claim.id,
        "event_date": event_date,
        "year": event_date[:4] if event_date else "",
        "time_precision": precision,
        "disorder_type": _disorder_type(event_type),
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": claim.actor or claim.claimant or "",
        "actor2": claim.target or "",
        "location": claim.place or "",
        "source": " ← ".join(chain),
        "source_scale": "",
        "notes": notes,
        "fatalities": "",
        "claimx_claim_id": claim.id,
        "claimx_article_id": item.article_id,
        "claimx_claimant": claim.claimant or "",
        "claimx_stance": claim.stance.value,
        "claimx_grounded": "true" if claim.grounded else "false",
        "claimx_verdict": verdict.verdict.value if verdict else "",
    }


def _disorder_type(event_type: str) -> str:
    if not event_type:
        return ""
    return "Strategic developments" if event_type == "Strategic developments" else "Political violence"


def _agent(name: str | None, kind: ClaimantKind | None = None) -> dict[str, Any]:
    return {"@type": "Person" if kind in _PERSON_KINDS else "Organization", "name": name or "Unknown"}


def claim_review(
    item: StoredClaim, *, reviewer_url: str | None = None, reviewer_type: str = "Organization"
) -> dict[str, Any] | None:
    """A schema.org ClaimReview for the claim's latest verdict, or None when it has none."""
    verdict = item.verification
    if verdict is None:
        return None
    claim = item.claim
    quote, _, _ = _first_quote(claim)
    value, label = _VERDICT_RATING[verdict.verdict]
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": label}
    if value is not None:
        rating.update(ratingValue=value, bestRating=5, worstRating=1)
    appearance: dict[str, Any] = {"@type": "CreativeWork"}
    if item.url:
        appearance["url"] = item.url
    if item.publisher:
        appearance["publisher"] = {"@type": "Organization", "name": item.publisher}
    if item.published:
        appearance["datePublished"] = item.published.isoformat()
    appearance["identifier"] = f"claimx:article:{item.article_id}"
    reviewed: dict[str, Any] = {
        "@type": "Claim",
        "author": _agent(claim.claimant, claim.claimant_kind),
        "appearance": appearance,
    }
    if item.published:
        reviewed["datePublished"] = item.published.isoformat()
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": f"claimx:claim:{claim.id}",
        "claimReviewed": quote or claim.outcome or claim.chain,
        "author": {"@type": reviewer_type, "name": verdict.by},
        "datePublished": verdict.at.date().isoformat(),
        "reviewRating": rating,
        "itemReviewed": reviewed,
    }
    if reviewer_url:
        review["url"] = reviewer_url
    if verdict.note:
        review["reviewBody"] = verdict.note
    if verdict.evidence:
        review["citation"] = list(verdict.evidence)
    return review


# ---------------------------------------------------------------------------------------------
# Writers


@contextmanager
def _text_out(target: str | Path | IO[str] | None) -> Iterator[IO[str]]:
    if target is None or str(target) == "-":
        yield sys.stdout
    elif isinstance(target, (str, Path)):
        with open(target, "w", encoding="utf-8", newline="") as stream:
            yield stream
    else:
        yield target


def write_jsonl(items: Iterable[StoredClaim], target: str | Path | IO[str] | None) -> int:
    count = 0
    with _text_out(target) as out:
        for item in items:
            out.write(json.dumps(jsonl_record(item), ensure_ascii=False) + "\n")
            count += 1
    return count


def _write_csv(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], target: str | Path | IO[str] | None) -> int:
    count = 0
    with _text_out(target) as out:
        writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_value(v) for k, v in row.items()})
            count += 1
    return count


def write_csv(items: Iterable[StoredClaim], target: str | Path | IO[str] | None) -> int:
    return _write_csv((claim_row(i) for i in items), CSV_COLUMNS, target)


def write_acled(items: Iterable[StoredClaim], target: str | Path | IO[str] | None) -> int:
    return _write_csv((acled_row(i) for i in items), ACLED_COLUMNS, target)


def write_claimreview(
    items: Iterable[StoredClaim],
    target: str | Path | IO[str] | None,
    *,
    reviewer_url: str | None = None,
    reviewer_type: str = "Organization",
) -> int:
    """A JSON array of ClaimReview objects, one per verified claim (unverified ones are left out)."""
    reviews = [
        r
        for r in (claim_review(i, reviewer_url=reviewer_url, reviewer_type=reviewer_type) for i in items)
        if r is not None
    ]
    with _text_out(target) as out:
        out.write(json.dumps(reviews, ensure_ascii=False, indent=2) + "\n")
    return len(reviews)


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ExportError(
            "Parquet export needs pyarrow, an optional extra: pip install 'claimx[parquet]' (or pip install pyarrow)"
        ) from None
    return pyarrow


def parquet_schema() -> Any:
    pa = _pyarrow()
    string, integer = pa.string(), pa.int64()
    types = {
        "via": pa.list_(string),
        "method": pa.list_(string),
        "grounded": pa.bool_(),
        "quote_start": integer,
        "quote_end": integer,
        "evidence_count": integer,
        "run_id": integer,
        "published": pa.date32(),
    }
    return pa.schema([(name, types.get(name, string)) for name in CSV_COLUMNS])


def write_parquet(items: Iterable[StoredClaim], target: str | Path) -> int:
    pa = _pyarrow()
    if target is None or str(target) == "-" or not isinstance(target, (str, Path)):
        raise ExportError("Parquet is binary: give a file with -o/--output")
    rows = [claim_row(i) for i in items]
    for row in rows:
        row["published"] = date.fromisoformat(row["published"]) if row["published"] else None
    table = pa.Table.from_pylist(rows, schema=parquet_schema())
    pa.parquet.write_table(table, str(target))
    return len(rows)


WRITERS: dict[str, Callable[..., int]] = {
    "jsonl": write_jsonl,
    "csv": write_csv,
    "parquet": write_parquet,
    "acled": write_acled,
    "claimreview": write_claimreview,
}


def export(
    items: Iterable[StoredClaim], fmt: Format | str, target: str | Path | IO[str] | None = None, **options: Any
) -> int:
    """Write claims in one of `FORMATS` to a path, a stream, or stdout (None / "-"); returns how
    many records were written (ClaimReview: verified claims only)."""
    if fmt not in WRITERS:
        raise ExportError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    return WRITERS[fmt](items, target, **options)


def to_string(items: Iterable[StoredClaim], fmt: Format | str, **options: Any) -> str:
    """A text export as a string (not Parquet)."""
    buffer = io.StringIO()
    export(items, fmt, buffer, **options)
    return buffer.getvalue()
