"""Results for the review-page tests (unit and browser): plain, hostile, and with every grounding status."""

from __future__ import annotations

from datetime import UTC, date, datetime

from claimx.extraction.grounding import locate
from claimx.report.event import EventClaim, EventSheet, SourceColumn
from claimx.result import (
    Article,
    Claim,
    ClaimantKind,
    Evidence,
    ExtractionWarning,
    GroundingStatus,
    Provenance,
    Result,
    Stance,
    Usage,
)

TEXT = (
    "Gaza, 14 Dec 2023.\n"
    "The ministry said that 12 people were killed in the strike on the market, and the army denied any "
    "involvement.\n"
    "A spokesman said the group \u201cclaimed responsibility\u201d for the rocket attack on the base.\n"
    "Witnesses told Reuters that two drones hit the power station.\n"
)
ARABIC_FIRST = "قَالَ المُتَحَدِّثُ إِنَّ ١٢ شخصا قتلوا"
ARABIC_TEXT = (
    f"{ARABIC_FIRST} في الغارة على السوق.\n"
    "ونفى الجيشُ أيَّ تورطٍ في الهجوم على المستشفى.\n"
    "وقال شهود لرويترز إن طائرتين مسيرتين ضربتا محطة الكهرباء.\n"
)
XSS_CLAIMANT = "</script><script>alert(2)</script>"
XSS_TEXT = (
    "Breaking <script>alert(1)</script> news.\n"
    'Officials said an image <img src=x onerror=alert(1)> was posted, with a <a href="javascript:alert(3)">link</a>.\n'
    'The agency reported <img src=x onerror="window.__xss=1"> and <script>window.__xss=2</script> in a post.\n'
    "Comments <!-- --> and ]]> and &amp; and <style>body{display:none}</style> stay text.\n"
)


def evidence(text: str, quote: str, status: GroundingStatus = GroundingStatus.EXACT, **extra: object) -> Evidence:
    """Evidence located exactly as `locate` would: offsets of the first occurrence."""
    if status.grounded:
        start = text.index(quote) if status is GroundingStatus.EXACT else extra.pop("start")
        end = start + len(quote) if status is GroundingStatus.EXACT else extra.pop("end")
        return Evidence(quote=quote, start=start, end=end, status=status, **extra)
    return Evidence(quote=quote, status=status, **extra)


def make_claim(
    claim_id: str, stance: Stance, evidence: list[Evidence], claimant: str | None = "The ministry", **fields: object
) -> Claim:
    base: dict[str, object] = {
        "claimant_kind": ClaimantKind.OFFICIAL_BODY,
        "via": [],
        "actor": None,
        "target": None,
        "method": [],
        "outcome": None,
        "time_text": None,
        "event_date": None,
        "place": None,
    }
    base.update(fields)
    return Claim(id=claim_id, claimant=claimant, stance=stance, evidence=evidence, **base)


def make_result(
    text: str,
    claims: list[Claim],
    warnings: list[ExtractionWarning] | None = None,
    publisher: str | None = "Test Wire",
    language: str | None = None,
) -> Result:
    article = Article(
        text=text, sha256="ab" * 32, source="text", publisher=publisher, published=date(2023, 12, 14), language=language
    )
    return Result(
        article=article,
        claims=claims,
        provenance=Provenance(
            model="test-model",
            base_url="http://127.0.0.1:1/v1",
            strategy="whole",
            prompt_hashes={},
            schema_hash="0" * 12,
            parameters={},
            claimx_version="0.1.0",
            started_at=datetime(2023, 12, 15, 10, 0, tzinfo=UTC),
            seconds=1.5,
        ),
        usage=Usage(llm_calls=1),
        warnings=warnings or [],
    )


def sample_result() -> Result:
    """Six claims, one per stance: two in one sentence, a partial overlap, a normalised match, a fuzzy
    hint (ungrounded, verified) and a quote that was not found (ungrounded)."""
    spokesman_quote = 'the group "claimed responsibility" for the rocket attack'
    start = TEXT.index("the group \u201c")
    claims = [
        make_claim(
            "c1asserted",
            Stance.ASSERTED,
            [evidence(TEXT, "The ministry said that 12 people were killed in the strike on the market")],
            target="the market",
            outcome="12 people were killed",
            method=["strike"],
            time_text="on Wednesday",
            event_date="2023-12-13",
            place="Gaza",
        ),
        make_claim(
            "c2denied",
            Stance.DENIED,
            [evidence(TEXT, "the army denied any involvement")],
            claimant="the army",
            claimant_kind=ClaimantKind.ARMED_GROUP,
        ),
        make_claim(
            "c3reported",
            Stance.REPORTED,
            [evidence(TEXT, "said that 12 people were killed")],
            claimant="Health officials",
            via=["The ministry"],
        ),
        make_claim(
            "c4claimed",
            Stance.CLAIMED_RESPONSIBILITY,
            [
                evidence(
                    TEXT, spokesman_quote, GroundingStatus.NORMALISED, start=start, end=start + len(spokesman_quote)
                )
            ],
            claimant="the group",
            via=["A spokesman"],
            target="the base",
            method=["rocket"],
        ),
        make_claim(
            "c5alleged",
            Stance.ALLEGED,
            [
                Evidence(
                    quote="Witnesses told Reuters that three drones hit the power station",
                    start=TEXT.index("Witnesses"),
                    end=TEXT.index("station.") + 7,
                    status=GroundingStatus.FUZZY,
                    mismatches=["-three", "+two"],
                )
            ],
            claimant="Witnesses",
            via=["Reuters"],
            target="the power station",
        ),
        make_claim(
            "c6threat",
            Stance.THREATENED,
            [evidence(TEXT, "We will strike again", GroundingStatus.NOT_FOUND)],
            claimant=XSS_CLAIMANT,
        ),
    ]
    result = make_result(
        TEXT,
        claims,
        warnings=[
            ExtractionWarning(
                code="kept_unvalidated",
                message="claim kept although <b>validation</b> failed",
                claim_id="c6threat",
                detail="no attribution cue",
            ),
        ],
    )
    result.verify(
        "c5alleged",
        verdict="mostly_false",
        by="Desk <editor>",
        note="two drones, not three",
        evidence=["javascript:alert(4)"],
        at=datetime(2023, 12, 16, 9, 30, tzinfo=UTC),
    )
    return result


def located(text: str, quote: str) -> Evidence:
    """Evidence located by claimx's own aligner, as the pipeline would locate it."""
    match = locate(quote, text)
    return Evidence(quote=quote, start=match.start, end=match.end, status=match.status)


def arabic_result(language: str | None = "ar") -> Result:
    """A right-to-left article: an exact quote at the very start, one grounded only after folding
    (diacritics and tatweel dropped, hamza written plain), one with a number, and one not found."""
    claims = [
        make_claim("ar1", Stance.ASSERTED, [located(ARABIC_TEXT, ARABIC_FIRST)], claimant="المتحدث"),
        make_claim(
            "ar2",
            Stance.DENIED,
            [located(ARABIC_TEXT, "ونفى الجيـش اي تورط في الهجوم")],
            claimant="الجيش",
            claimant_kind=ClaimantKind.ARMED_GROUP,
        ),
        make_claim(
            "ar3",
            Stance.REPORTED,
            [located(ARABIC_TEXT, "طائرتين مسيرتين ضربتا محطة الكهرباء")],
            claimant="شهود",
            via=["رويترز"],
        ),
        make_claim("ar4", Stance.THREATENED, [located(ARABIC_TEXT, "سنضرب مرة أخرى")], claimant="الجماعة"),
    ]
    return make_result(ARABIC_TEXT, claims, publisher="وكالة الأنباء", language=language)


def xss_result() -> Result:
    """An article full of markup, with claims whose evidence covers it and a hostile claimant."""
    claims = [
        make_claim(
            "x1",
            Stance.ASSERTED,
            [evidence(XSS_TEXT, "Officials said an image <img src=x onerror=alert(1)>")],
            claimant=XSS_CLAIMANT,
            outcome='<img src=x onerror="window.__xss=3">',
        ),
        make_claim(
            "x2",
            Stance.REPORTED,
            [evidence(XSS_TEXT, 'reported <img src=x onerror="window.__xss=1"> and <script>window.__xss=2</script>')],
            claimant="The agency",
            via=['<a href="javascript:window.__xss=4">relay</a>'],
            target="javascript:window.__xss=5",
        ),
        make_claim(
            "x3",
            Stance.ALLEGED,
            [evidence(XSS_TEXT, "<script>alert(9)</script>", GroundingStatus.NOT_FOUND)],
            claimant="<svg onload=alert(5)>",
        ),
    ]
    return make_result(
        XSS_TEXT,
        claims,
        publisher="<script>alert(6)</script>",
        warnings=[ExtractionWarning(code="<x>", message="</script><script>alert(7)</script>")],
    )


def sample_event(article_id: str = "article-1", elsewhere: str = "other-article") -> EventSheet:
    """An event over `sample_result`'s claims as the article `article_id`: the ministry's 12 dead against 40 in
    an article not on the page (`elsewhere`), the army's denial of the ministry's account, and health officials
    relayed by the ministry."""
    claims = {c.id: c for c in sample_result().claims}
    figures = ("figures", "deaths: 12 people were killed (12) against 40 killed (40)")
    denied = ("denied", "the army: asserted against denied")
    forty = make_claim("z40", Stance.ASSERTED, [], outcome="40 killed", target="the market")
    return EventSheet(
        id="ev-0123456789ab",
        dates="2023-12-13",
        places=("Gaza",),
        targets=("the market",),
        methods=("strike",),
        actors=("the army",),
        outlets=("Test Wire", "Other Wire"),
        sources=(
            SourceColumn(
                "The ministry",
                ("asserted",),
                (
                    EventClaim(claims["c1asserted"], article_id, "Test Wire", (figures, denied)),
                    EventClaim(forty, elsewhere, "Other Wire", (figures,)),
                ),
            ),
            SourceColumn(
                "the army", ("denied",), (EventClaim(claims["c2denied"], article_id, "Test Wire", (denied,)),)
            ),
            SourceColumn(
                "Health officials", ("reported",), (EventClaim(claims["c3reported"], article_id, "Test Wire"),)
            ),
        ),
        contradictions=(figures, denied),
    )


# --- helpers to read the page back --------------------------------------------------------------
