"""Drafts to claims: each quote located in the article, a stable id, duplicates merged, and every
answer the model gave either kept or named in a warning."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from claimx.extraction.attribution import (
    affiliations,
    canonical_names,
    group_actor,
    has_speaker,
    referent,
    referents,
    same_party,
    settle,
    source_span,
)
from claimx.extraction.calls import UnitResult
from claimx.extraction.cues import english
from claimx.extraction.dates import claim_date
from claimx.extraction.drafts import ClaimDraft, SentenceAnswer, draft_problems
from claimx.extraction.grounding import locate
from claimx.extraction.layout import Reflowed
from claimx.extraction.lead import headline_end, lede_end
from claimx.result import (
    CallRecord,
    Claim,
    ClaimantKind,
    Evidence,
    ExtractionWarning,
    FailedUnit,
    GroundingStatus,
    Stance,
    Usage,
)


def claim_id(article_sha: str, draft: ClaimDraft, evidence: list[Evidence]) -> str:
    """Stable across runs: the same claimant, stance and first quote position give the same id."""
    anchor = f"{evidence[0].start}" if evidence and evidence[0].start is not None else draft.evidence[0]
    key = "\x1f".join([article_sha, draft.claimant or "", draft.stance, anchor, draft.target or ""])
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def ground(draft: ClaimDraft, text: str, position: int) -> list[Evidence]:
    evidence = []
    for quote in draft.evidence:
        match = locate(quote, text, after=position)
        evidence.append(
            Evidence(quote=quote, start=match.start, end=match.end, status=match.status, mismatches=match.mismatches)
        )
    return evidence


def into_original(evidence: Evidence, text: str, layout: Reflowed) -> Evidence:
    """Evidence located in the re-flowed text the model read, placed in the text as given. A quote that
    is exact there but crosses a line break in the original differs from it in whitespace: `normalised`."""
    if evidence.start is None or evidence.end is None:
        return evidence
    start, end = layout.to_original(evidence.start, evidence.end)
    status = evidence.status
    if status is GroundingStatus.EXACT and text[start:end] != evidence.quote.strip():
        status = GroundingStatus.NORMALISED
    return evidence.model_copy(update={"start": start, "end": end, "status": status})


def to_claim(draft: ClaimDraft, evidence: list[Evidence], article_sha: str) -> Claim:
    """The claim of a draft; a draft from an English article names its claimant in English already."""
    fields = {"claimant_english": draft.claimant, **draft.model_dump(exclude={"evidence"})}
    return Claim(id=claim_id(article_sha, draft, evidence), evidence=evidence, **fields)


@dataclass
class Assembled:
    """Claims from a set of calls, what a reviewer should know about them, their cost, the calls
    that gave no usable answer, and the log of every request."""

    claims: list[Claim] = field(default_factory=list)
    warnings: list[ExtractionWarning] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    failed: list[FailedUnit] = field(default_factory=list)
    calls: list[CallRecord] = field(default_factory=list)


def log_of(result: UnitResult, text: str, article_sha: str, claim_ids: list[str]) -> list[CallRecord]:
    """A unit's requests as logged: named after the unit, the article referenced instead of copied, and the
    claims on the request whose answer gave them (the last one answered)."""
    calls = [
        c.referencing(text, article_sha).model_copy(update={"unit": result.unit.key, "label": result.unit.label})
        for c in result.outcome.calls
    ]
    if claim_ids and (answered := [c for c in calls if c.error is None and c.response is not None]):
        answered[-1].claim_ids = list(dict.fromkeys(claim_ids))
    return calls


def _settled(result: UnitResult, language: str | None) -> tuple[list[ClaimDraft], list[ExtractionWarning]]:
    """A unit's drafts with what their words settle, and its warnings: the exchange's, and a claim the model gave
    an English sentence that names no speaker (`attribution.has_speaker`), set aside in a warning that holds it."""
    unit = result.unit
    warnings = [
        w.model_copy(update={"message": f"{unit.label}: {w.message}", "unit": unit.key})
        for w in result.outcome.warnings
    ]
    kept = []
    for answered in result.outcome.drafts.claims if result.outcome.drafts else []:
        found = settle(answered, language)
        if issubclass(unit.schema, SentenceAnswer) and not has_speaker(answered.evidence[0], found.claimant):
            warnings.append(
                ExtractionWarning(
                    code="no_speaker",
                    message=f"{unit.label}: set aside a claim by {found.claimant!r}: the sentence names no speaker, "
                    "so the model took the claimant from elsewhere",
                    detail=found.model_dump_json(),
                    unit=unit.key,
                )
            )
        else:
            kept.append(found)
    return kept, warnings


def _named(
    found: ClaimDraft, names: dict[str, str], described: dict[str, str]
) -> tuple[str | None, ClaimantKind | None]:
    """A claim's claimant and its kind by the article's own name for it: its longest name of the party
    (`canonical_names`), or the name of the institution the claimant or the sentence's opening describes ("The
    observatory said …": `referent`)."""
    claimant = names.get(found.claimant or "", found.claimant)
    opener = source_span(found.evidence[0]) if described and found.evidence else None
    named = referent(claimant, described) or referent(opener, described)
    return named or (claimant, found.claimant_kind)


def assemble(
    text: str,
    article_sha: str,
    results: list[UnitResult],
    known: set[str] | None = None,
    *,
    published: date | None = None,
    layout: Reflowed | None = None,
    language: str | None = None,
) -> Assembled:
    """Turn every unit's drafts into claims; nothing the model returned is dropped unannounced.
    `known` holds the ids of claims already kept (from an earlier, partial run of the same article).
    With `layout`, the calls read its re-flowed text: quotes are located there and placed in `text`.
    A claim read twice, in the overlap of two chunks, is the same claim (same id) and kept once.
    `language` says how the drafts are checked (`drafts.draft_problems`)."""
    out = Assembled()
    seen_text = layout.text if layout else text
    seen = set(known or ())
    settled = {id(result): _settled(result, language) for result in results}
    names = canonical_names([d.claimant for drafts, _ in settled.values() for d in drafts])
    groups, described = (affiliations(seen_text), referents(seen_text)) if english(language) else ({}, {})
    produced: dict[str, list[str]] = {}  # claim ids by unit, duplicates included
    for result in results:
        unit, outcome = result.unit, result.outcome
        out.usage.add(outcome.usage)
        out.warnings += settled[id(result)][1]
        if outcome.drafts is None:
            reason = "; ".join(outcome.unresolved)
            if outcome.error is not None:
                code, message = "call_failed", f"{unit.label}: {reason}"
            else:
                code = "unparseable_output"
                message = f"{unit.label}: no usable answer after {outcome.usage.llm_calls} request(s): {reason}"
            out.warnings.append(ExtractionWarning(code=code, message=message, detail=outcome.raw, unit=unit.key))
            out.failed.append(FailedUnit(key=unit.key, label=unit.label, reason=message))
            continue
        position = unit.position
        for found in settled[id(result)][0]:
            claimant, kind = _named(found, names, described)
            actor = claimant if found.actor and found.actor == found.claimant else found.actor
            actor = group_actor(found.stance, claimant, actor, groups)
            draft = found.model_copy(update={"claimant": claimant, "claimant_kind": kind, "actor": actor})
            located = ground(draft, seen_text, position)
            evidence = [into_original(e, text, layout) for e in located] if layout else located
            first = next((e for e in evidence if e.grounded and e.start is not None and e.end is not None), None)
            span = (first.start or 0, first.end or 0) if first else None
            threat = draft.stance == Stance.THREATENED
            quotes = " ".join(draft.evidence)
            dated = claim_date(
                draft.time_text, quotes, text, span, published=published, language=language, threat=threat
            )
            draft = draft.model_copy(update={"event_date": dated})
            claim = to_claim(draft, evidence, article_sha)
            produced.setdefault(unit.key, []).append(claim.id)
            if claim.id in seen:
                out.warnings.append(
                    ExtractionWarning(
                        code="duplicate_merged",
                        claim_id=claim.id,
                        message=f"{unit.label}: the same claim was returned twice; kept once",
                        unit=unit.key,
                    )
                )
                continue
            seen.add(claim.id)
            out.claims.append(claim)
            if grounded := [e.start for e in located if e.grounded and e.start is not None]:
                position = max(position, min(grounded))
            problems = draft_problems(draft, seen_text, language)
            if problems:
                out.warnings.append(
                    ExtractionWarning(
                        code="kept_unvalidated",
                        claim_id=claim.id,
                        message=f"kept after {outcome.usage.reasks} re-ask(s) with problems: " + "; ".join(problems),
                        unit=unit.key,
                    )
                )
    out.claims, folded, into = fold(carry_relays(out.claims), text)
    out.warnings += folded
    produced = {key: [into.get(claim_id, claim_id) for claim_id in ids] for key, ids in produced.items()}
    out.calls = [call for r in results for call in log_of(r, text, article_sha, produced.get(r.unit.key, []))]
    return out


def _span(claim: Claim) -> tuple[int, int] | None:
    """Where the claim's first located quote stands: found exactly, after normalisation, or by the fuzzy aligner
    (a quote the model copied loosely still stands where the aligner placed it)."""
    located = [e for e in claim.evidence if e.start is not None and e.end is not None]
    return (located[0].start or 0, located[0].end or 0) if located else None


def _names_headline_claimant(claim: Claim, other: Claim, headline: int) -> bool:
    """Whether the body claim's quote names the headline claim's claimant: "Rebels Claim Bombing" restates "A
    rebel commander said his group carried out the bombing" only if that quote names the rebels' group."""
    top, body = (claim, other) if (_span(claim) or (0, 0))[1] <= headline else (other, claim)
    name = (top.claimant or "").casefold()
    return bool(name) and any(name in e.quote.casefold() for e in body.evidence)


def _part(claim: Claim, headline: int, lede: int) -> int:
    """Where a claim stands in its story: 0 in the headline, 1 in the lede, 2 below it."""
    end = (_span(claim) or (0, 0))[1]
    return 0 if end <= headline else 1 if end <= lede else 2


_FILLED = ("target", "place", "event_date", "outcome")
"""Fields a folded claim takes from the claim folded into it when it has none of its own."""
_GOING_ON = (Stance.ASSERTED, Stance.REPORTED)
"""Stances of a statement that may go on from the claimant's sentence before ("He added that …")."""
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(?:\s|$)|\n")
"""Where a sentence ends: its stop, or the end of a line (a headline ends with none)."""


def _next_sentence(text: str, before: tuple[int, int], after: tuple[int, int]) -> bool:
    """Whether `after` stands in the sentence right after the one `before` ends in."""
    between = text[before[1] : after[0]]
    return before[1] <= after[0] and len(_SENTENCE_END.findall(between)) <= 1


_PRONOUN_SPEAKER = re.compile(r"^\W*(?:he|she|they)\s+(?:also\s+)?(?:said|says|told|tells|added|warned|warns)\b", re.I)
"""A sentence whose speaker is only a pronoun: "He said …", "She added …"."""


def carry_relays(claims: list[Claim]) -> list[Claim]:
    """A statement whose speaker is only a pronoun ("He said Taliban militants plan …") came by the relay of the
    claim told just before it, when that claim is the same claimant's ("Mehsud told news agencies …"): the
    pronoun names the last speaker."""
    located = sorted((span, i) for i, c in enumerate(claims) if (span := _span(c)))
    carried = list(claims)
    for (_, before), (_, at) in pairwise(located):
        claim, last = claims[at], carried[before]
        quote = claim.evidence[0].quote if claim.evidence else ""
        if not claim.via and last.via and same_party(last.claimant, claim.claimant) and _PRONOUN_SPEAKER.match(quote):
            carried[at] = claim.model_copy(update={"via": last.via})
    return carried


_ONCE_PER_ACT = (Stance.CLAIMED_RESPONSIBILITY, Stance.DENIED)
"""Stances a claimant takes once per act: the lede's claim of responsibility (or denial) is the body's."""


def fold(claims: list[Claim], text: str) -> tuple[list[Claim], list[ExtractionWarning], dict[str, str]]:
    """One claim per claimant per statement: a claim whose quote overlaps an earlier claim's quote from
    the same claimant, that only restates in the headline a body claim of that claimant (or of the same
    stance, whose quote names the headline's claimant), that claims (or denies) in the lede the act the
    same claimant claims (or denies) below it, or that goes on in the next sentence with what the same
    claimant says of it ("He added that the attacks were months in the making"), is folded into that claim,
    its evidence kept there, and the target, place, date and outcome it alone names too. Returns the claims
    kept, a warning per fold, and the id of the claim each folded claim went into (so the call log names a
    claim the result holds)."""
    headline, lede = headline_end(text), lede_end(text)
    kept: list[Claim] = []
    warnings = []
    into_id: dict[str, str] = {}
    for claim in claims:
        span = _span(claim)
        into = None
        for i, other in enumerate(kept):
            theirs = _span(other)
            if not (span and theirs):
                continue
            overlap = min(span[1], theirs[1]) - max(span[0], theirs[0])
            in_headline = span[1] <= headline < theirs[0] or theirs[1] <= headline < span[0]
            if same_party(claim.claimant, other.claimant):
                in_lede = span[1] <= lede < theirs[0] or theirs[1] <= lede < span[0]
                one_act = in_lede and claim.stance == other.stance and claim.stance in _ONCE_PER_ACT
                goes_on = claim.stance in _GOING_ON and _next_sentence(text, theirs, span)
                if overlap > 0.5 * min(span[1] - span[0], theirs[1] - theirs[0]) or in_headline or one_act or goes_on:
                    into = i
                    break
            elif in_headline and claim.stance == other.stance and _names_headline_claimant(claim, other, headline):
                into = i
                break
        if into is None:
            kept.append(claim)
            continue
        target, restated = kept[into], claim
        if _part(target, headline, lede) < _part(restated, headline, lede):  # keep the claim told in full
            target, restated = restated, target
        quotes = {e.quote for e in target.evidence}
        evidence = [*target.evidence, *(e for e in restated.evidence if e.quote not in quotes)]
        blanks = {f: getattr(restated, f) for f in _FILLED if getattr(target, f) is None and getattr(restated, f)}
        kept[into] = target.model_copy(update={"evidence": evidence, **blanks})
        into_id |= {restated.id: target.id, **{k: target.id for k, v in into_id.items() if v == restated.id}}
        warnings.append(
            ExtractionWarning(
                code="duplicate_merged",
                claim_id=target.id,
                message=f"claim {restated.id} restated claim {target.id} of the same claimant; kept once",
            )
        )
    return kept, warnings, into_id
