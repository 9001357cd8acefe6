"""What the review page shows of a result, computed in Python so that the template only lays it out.

Only evidence that claimx located exactly or after normalisation is highlighted; a claim without
such evidence is listed beside the text ("not grounded"), never dropped, and a fuzzy match is shown
as a hint with its mismatched tokens, not as a highlight. Nothing here escapes HTML: the template is
rendered with autoescape, and the one value it takes as markup is the JSON made safe by `_json_for_script`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup

from claimx.result import (
    NO_SOURCE,
    Article,
    Claim,
    Evidence,
    ExtractionWarning,
    GroundingStatus,
    Result,
    Stance,
    Verification,
)

STANCE_LABELS: dict[Stance, str] = {
    Stance.ASSERTED: "asserted",
    Stance.CLAIMED_RESPONSIBILITY: "claimed responsibility",
    Stance.REPORTED: "reported",
    Stance.DENIED: "denied",
    Stance.ALLEGED: "alleged",
    Stance.THREATENED: "threatened",
}
STANCE_COLOURS: dict[Stance, str] = {
    Stance.ASSERTED: "#cfe3ff",
    Stance.CLAIMED_RESPONSIBILITY: "#ffd5a8",
    Stance.REPORTED: "#d3efc8",
    Stance.DENIED: "#ffc7c7",
    Stance.ALLEGED: "#e4d3ff",
    Stance.THREATENED: "#fff09a",
}
_SAFE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}")
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ji", "ks", "ps", "sd", "syr", "ug", "ur", "yi"})
"""Languages written right to left (ISO 639-1, and 639-2/3 where a language has no 639-1 code)."""
RTL_SCRIPTS = frozenset({"adlm", "arab", "hebr", "nkoo", "rohg", "syrc", "thaa"})
"""ISO 15924 script subtags written right to left: a tag such as `ku-Arab` or `pa-Arab` says so itself."""


def _json_for_script(data: object) -> Markup:
    """JSON that cannot end its <script> element or open a comment/CDATA section inside it; only after
    escaping `<`, `>` and `&` is it marked safe for the template."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def html_lang(language: str | None) -> str:
    """An article's language as an HTML `lang` value: "" (unknown) unless it is a language tag."""
    code = (language or "").strip()
    return code.replace("_", "-") if _LANGUAGE_TAG.fullmatch(code) else ""


def text_direction(lang: str) -> str:
    """The `dir` of text in `lang` (an `html_lang` value): rtl or ltr for a known language, auto (the text
    decides) when unknown."""
    if not lang:
        return "auto"
    primary, *subtags = lang.lower().split("-")
    scripts = [tag for tag in subtags if len(tag) == 4 and tag.isalpha()]
    rtl = scripts[0] in RTL_SCRIPTS if scripts else primary in RTL_LANGUAGES
    return "rtl" if rtl else "ltr"


@dataclass(frozen=True)
class Segment:
    """A run of article text between two span boundaries and the claims (keys) covering all of it."""

    start: int
    end: int
    claims: tuple[str, ...]
    starts: tuple[str, ...]


def segments(text: str, spans: list[tuple[int, int, str]]) -> list[Segment]:
    """Cut the text at every span boundary, so overlapping and nested spans never interleave tags:
    each segment carries the set of claims that cover it, in claim order."""
    bounds = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[Segment] = []
    for a, b in pairwise(bounds):
        covering = tuple(dict.fromkeys(k for s, e, k in spans if s <= a and b <= e))
        starting = tuple(dict.fromkeys(k for s, _, k in spans if s == a))
        out.append(Segment(a, b, covering, starting))
    return out


def _span(evidence: Evidence, text: str) -> tuple[int, int] | None:
    """Offsets usable for highlighting: grounded evidence inside the text. Offsets out of range
    (a hand-edited or corrupted result) are treated as not located rather than trusted."""
    start, end = evidence.start, evidence.end
    if start is None or end is None or not (0 <= start < end <= len(text)):
        return None
    return (start, end)


def _evidence_note(evidence: Evidence, text: str) -> str:
    """Where the quote was found, in words; a fuzzy match is quoted as a hint with what differs."""
    status = evidence.status
    where = _span(evidence, text)
    if status is GroundingStatus.EXACT:
        return f"found exactly at {where[0]}–{where[1]}" if where else "marked exact, but its offsets are invalid"
    if status is GroundingStatus.NORMALISED:
        if where:
            return f"found at {where[0]}–{where[1]} after folding case, punctuation, spacing, digits or diacritics"
        return "marked normalised, but its offsets are invalid"
    if status is GroundingStatus.FUZZY:
        note = "not found as written; nearest passage is only a hint"
        if where:
            note += f": “{text[where[0] : where[1]]}”"
        if evidence.mismatches:
            note += " — differs: " + " ".join(evidence.mismatches)
        return note
    return "not found in the article"


def grounded_share(part: int, whole: int) -> str:
    """The share of grounded claims as the index shows it."""
    return f"{part / whole:.0%}" if whole else "–"


def _claimant(claim: Claim) -> str:
    """The claimant as the filter groups claims: trimmed, and one label for every claim without one."""
    return claim.claimant.strip() if claim.claimant and claim.claimant.strip() else NO_SOURCE


@dataclass(frozen=True)
class Item:
    """A claim as the page shows it: a DOM-safe key, its number, its located spans, the claimant group
    (the value of its option in the claimant filter), each quote with a note on where it was found,
    its latest verdict, the id of its card (where links to the claim land) and the events it belongs to."""

    claim: Claim
    key: str
    n: int
    spans: list[tuple[int, int]]
    group: int
    evidence: list[tuple[Evidence, str]]
    verification: Verification | None
    anchor: str
    events: tuple[str, ...] = ()

    @property
    def located(self) -> bool:
        return bool(self.spans)

    @property
    def stance_label(self) -> str:
        return STANCE_LABELS[self.claim.stance]

    @property
    def rows(self) -> list[tuple[str, str]]:
        """The card's filled-in fields."""
        c = self.claim
        rows = [
            ("kind", c.claimant_kind.value.replace("_", " ")),
            ("actor", c.actor),
            ("target", c.target),
            ("method", ", ".join(c.method)),
            ("outcome (as claimed)", c.outcome),
            ("time", c.time_text),
            ("date", c.event_date),
            ("place", c.place),
        ]
        return [(label, value) for label, value in rows if value]

    @property
    def summary(self) -> str:
        """Plain text for a highlight's tooltip (set as `title`, never parsed as HTML)."""
        c = self.claim
        parts = [f"#{self.n} {c.chain} — {self.stance_label}"]
        for label, value in (
            ("actor", c.actor),
            ("target", c.target),
            ("method", ", ".join(c.method)),
            ("outcome (as claimed)", c.outcome),
            ("when", c.event_date or c.time_text),
        ):
            if value:
                parts.append(f"{label}: {value}")
        v = self.verification
        parts.append(f"verdict: {v.verdict.value} by {v.by}" if v else "unverified")
        return "\n".join(parts)


@dataclass(frozen=True)
class Run:
    """A piece of the article text as one element: plain when no claim covers it, else a highlight
    with the keys covering it, the first claim's stance, its tooltip and the claims that start here."""

    text: str
    claims: tuple[str, ...] = ()
    stance: str = ""
    title: str = ""
    starts: tuple[str, ...] = ()
    mark: str = ""


@dataclass(frozen=True)
class ArticleView:
    """One article's section of the page, and its row in a batch index."""

    result: Result
    index: int
    items: list[Item]
    claimants: list[tuple[str, int]]

    @property
    def article(self) -> Article:
        return self.result.article

    @property
    def title(self) -> str:
        first = next((line.strip() for line in self.article.text.splitlines() if line.strip()), "")
        return (first[:117] + "…") if len(first) > 120 else (first or "(empty article)")

    @property
    def lang(self) -> str:
        return html_lang(self.article.language)

    @property
    def direction(self) -> str:
        return text_direction(self.lang)

    @property
    def located(self) -> list[Item]:
        return [it for it in self.items if it.located]

    @property
    def unlocated(self) -> list[Item]:
        return [it for it in self.items if not it.located]

    @property
    def warnings(self) -> list[ExtractionWarning]:
        return self.result.warnings

    @property
    def share(self) -> str:
        return grounded_share(len(self.located), len(self.items))

    @property
    def stances(self) -> list[tuple[str, str, int]]:
        """Every stance for the filter, with how many claims have it here."""
        counts = Counter(it.claim.stance for it in self.items)
        return [(s.value, label, counts.get(s, 0)) for s, label in STANCE_LABELS.items()]

    @property
    def provenance(self) -> list[tuple[str, str]]:
        p, u = self.result.provenance, self.result.usage
        usage = (
            f"{u.llm_calls} LLM call(s), {u.reasks} re-ask(s), {u.prompt_tokens} prompt + "
            f"{u.completion_tokens} completion tokens"
        )
        return [
            ("model", p.model),
            ("endpoint", p.base_url),
            ("strategy", p.strategy),
            ("claimx", p.claimx_version),
            ("started", p.started_at.isoformat(timespec="seconds")),
            ("took", f"{p.seconds:.1f} s"),
            ("usage", usage),
            ("schema", p.schema_hash),
        ]

    @property
    def runs(self) -> list[Run]:
        """The article as segments. The markup is already in the "everything shown" state that the script
        maintains under filtering, so the page reads the same before (or without) the script."""
        text = self.article.text
        by_key = {it.key: it for it in self.items}
        spans = [(s, e, it.key) for it in self.items for s, e in it.spans]
        out = []
        for seg in segments(text, spans):
            chunk = text[seg.start : seg.end]
            if not seg.claims:
                out.append(Run(chunk))
                continue
            out.append(
                Run(
                    chunk,
                    claims=seg.claims,
                    stance=by_key[seg.claims[0]].claim.stance.value,
                    title="\n\n".join(by_key[k].summary for k in seg.claims),
                    starts=seg.starts,
                    mark=",".join(str(by_key[k].n) for k in seg.starts),
                )
            )
        return out

    @property
    def data(self) -> Markup:
        """What the script needs, as JSON for a <script type="application/json"> block."""
        claims = {
            it.key: {
                "id": it.claim.id,
                "n": it.n,
                "stance": it.claim.stance.value,
                "group": it.group,
                "grounded": it.located,
                "summary": it.summary,
            }
            for it in self.items
        }
        return _json_for_script({"colours": {s.value: c for s, c in STANCE_COLOURS.items()}, "claims": claims})


def article_view(result: Result, index: int, events: Mapping[str, tuple[str, ...]] | None = None) -> ArticleView:
    """Give every claim a key that is safe inside a space-separated attribute (its id when the id is a
    plain token and unique in the article, otherwise a generated one), and number the claimants in the
    order of the filter's options. `events` names the events each claim (by id) belongs to."""
    text = result.article.text
    counts = Counter(_claimant(c) for c in result.claims)
    claimants = sorted(counts.items(), key=lambda pair: pair[0].casefold())
    groups = {label: i for i, (label, _) in enumerate(claimants)}
    used: set[str] = set()
    items: list[Item] = []
    for n, claim in enumerate(result.claims, 1):
        key = claim.id if _SAFE_KEY.fullmatch(claim.id) and claim.id not in used else f"claim-{n}"
        while key in used:
            key += "_"
        used.add(key)
        spans = sorted({s for e in claim.evidence if e.status.grounded and (s := _span(e, text)) is not None})
        items.append(
            Item(
                claim=claim,
                key=key,
                n=n,
                spans=spans,
                group=groups[_claimant(claim)],
                evidence=[(e, _evidence_note(e, text)) for e in claim.evidence],
                verification=result.verification_of(claim.id),
                anchor=f"article-{index}-claim-{key}",
                events=(events or {}).get(claim.id, ()),
            )
        )
    return ArticleView(result=result, index=index, items=items, claimants=claimants)
