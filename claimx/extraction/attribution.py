"""The attribution frame of a claim: what the words of its evidence settle about who claims what,
through whom and with which stance, so that a small model's guesses yield to the text wherever the
text is clear, and stay where it is not.

The cue classes follow the attribution vocabulary of PARC and FactBank: saying and reporting,
claiming responsibility, denying, accusing or alleging, threatening. A reporter or an outlet passes a
claim on and is never its actor; the claimant is the actor only of its own claim of responsibility (or
of what it denies or threatens to do).
"""

from __future__ import annotations

import re
from datetime import date

from claimx.extraction.cues import stance_of
from claimx.extraction.dates import event_date
from claimx.extraction.drafts import ClaimDraft
from claimx.result import ClaimantKind, Stance

PLACEHOLDERS = frozenset(
    {
        "unknown",
        "unspecified",
        "not specified",
        "not stated",
        "not mentioned",
        "not given",
        "n/a",
        "na",
        "none",
        "null",
        "nil",
        "the article",
        "article",
        "the source",
        "source",
        "-",
        "?",
    }
)
"""What small models write where the text says nothing; such a value is no value."""

_CUES: tuple[tuple[Stance, re.Pattern[str]], ...] = (
    (
        Stance.CLAIMED_RESPONSIBILITY,
        re.compile(
            r"\b(?:claim\w*|took|takes|take|taken|taking|accept\w*|assum\w*|bears?)\s+(?:full\s+|sole\s+)?"
            r"responsibility\b|\b(?:we|(?:his|her|its|their|our)\s+(?:group|organi[sz]ation|movement|fighters|forces|"
            r"men))\s+(?:was|were|is|are)\s+(?:\w+\s+)?responsible\b",
            re.I,
        ),
    ),
    (
        Stance.DENIED,
        re.compile(
            r"\b(?:den(?:y|ies|ied|ying|ial)|refut\w*|rejected\s+(?:the\s+)?(?:claims?|reports?|accusations?))\b", re.I
        ),
    ),
    (
        Stance.ALLEGED,
        re.compile(
            r"\b(?:accus\w*|blam\w*|alleg\w*|held\s+\S+(?:\s+\S+)?\s+responsible|point\w*\s+the\s+finger|"
            r"(?:was|were|is|are|may\s+be|might\s+be|could\s+be)\s+behind|(?:was|were)\s+carried\s+out\s+by)\b",
            re.I,
        ),
    ),
    (
        Stance.THREATENED,
        re.compile(
            r"\b(?:threat\w*|vow\w*|pledg\w*|warn\w*)\b|\bwill\s+(?:\w+\s+){0,3}?(?:be\s+subject\s+to|continu\w*|"
            r"attack\w*|strik\w*|target\w*|fir\w*|hit|retaliat\w*|respond\w*)\b"
            r"|\b(?:attacks?|strikes?|operations?|bombings?)\s+(?:are|is)\s+coming\b",
            re.I,
        ),
    ),
)
_SELF_ACT = re.compile(
    r"\b(?:we|our|us|it|its|they|their)\s+(?:\w+\s+){0,3}?(?:attack\w*|target\w*|struck|strikes?|fired|launched|"
    r"shelled|bomb\w*|hit|carried\s+out|downed|shot\s+down|destroyed|killed|ambush\w*|raided|stormed)\b"
    r"|\b(?:our|its|their)\s+(?:fighters|forces|units|mujahideen|troops|militants|members|drones)\b",
    re.I,
)
_RELAY = re.compile(
    r"\b(?:told|tells|telling|revealed\s+to|said\s+to|speaking\s+to|spoke\s+to|confirmed\s+to|in\s+an\s+interview\s+"
    r"with|in\s+a\s+statement\s+to|was\s+quoted\s+(?:as\s+telling|by))\s+(?P<relay>(?:the\s+)?(?:[A-Z][\w'’.-]*"
    r"(?:\s+(?:of\s+the\s+|of\s+|al-|Al\s+)?[A-Z][\w'’.-]*)*|reporters|journalists|news\s+agencies|the\s+press))",
)
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<relay>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)")
_SOURCE = re.compile(
    r"^\W*(?P<source>[^,;:\"“”]{2,80}?)\s+(?:has\s+|have\s+|had\s+)?(?:said|says|told|tells|claimed|claims|"
    r"announced|stated|confirmed|reported|denied|denies|warned|accused|blamed|threatened|vowed|insisted)\b"
)
_ACT = (
    r"(?:launched|attacked|struck|fired|shelled|killed|bombed|detonated|carried\s+out|entered|targeted|set\s+off|"
    r"ambushed|stormed|raided|abducted|kidnapped|shot|hit|planted)"
)
_AGENT = (  # who did it, as the content of the claim names the agent
    re.compile(r"\b(?:blam\w*|accus\w*)\s+(?P<actor>(?:the\s+)?[^,.;]{2,60}?)\s+(?:for|of)\b", re.I),
    re.compile(r"\bcarried\s+out\s+by\s+(?P<actor>[^,.;]{2,80}?)(?:\s+in\b|[,.;]|$)", re.I),
    re.compile(
        r"(?:^|\bsaid\s+|\bsays\s+|\bsay\s+)(?:that\s+)?(?P<actor>[^,.;\"“”]{2,60}?)\s+(?:may|might|could)\s+be\s+behind\b",
        re.I,
    ),
    re.compile(
        r"\b(?:said|says|say|told\s+[^,.;]{1,40}?|tells\s+[^,.;]{1,40}?)\s+(?:that\s+)?(?P<actor>[^,.;\"“”]{2,60}?)\s+"
        r"(?:had\s+|have\s+|has\s+)?" + _ACT + r"\b",
        re.I,
    ),
)
_PASSERS = re.compile(
    r"\b(?:correspondent|reporter|journalist|editor|news|agency|newspaper|television|tv|radio)\b", re.I
)

_KINDS: tuple[tuple[ClaimantKind, re.Pattern[str]], ...] = (
    (ClaimantKind.JOURNALIST, re.compile(r"\b(?:correspondent|reporter|journalist|editor|columnist)s?\b", re.I)),
    (
        ClaimantKind.NEWS_OUTLET,
        re.compile(
            r"\b(?:news\s+agency|newspaper|television|tv|radio|broadcaster|reuters|associated\s+press|afp|al\s+mayadeen|"
            r"al\s+jazeera|bbc|cnn|xinhua|tass|irna|sana|anadolu|kommersant|voice\s+of\s+america)\b",
            re.I,
        ),
    ),
    (
        ClaimantKind.ANONYMOUS_OFFICIAL,
        re.compile(r"\b(?:officials?|spokes(?:man|woman|person)|security\s+sources?)\b", re.I),
    ),
    (
        ClaimantKind.ARMED_GROUP,
        re.compile(
            r"\b(?:resistance|militants?|militias?|rebels?|insurgents?|fighters|taliban|hamas|hezbollah|houthis?|"
            r"ansar\w*|qa[ei]da|shabaa?b|islamic\s+state|isis|isil|daesh|jihad\w*|brigades?|mujahideen|guerrillas?|"
            r"liberation\s+army|front)\b",
            re.I,
        ),
    ),
    (
        ClaimantKind.ORGANIZATION,
        re.compile(
            r"\b(?:united\s+nations|u\.?n\.?|red\s+cross|red\s+crescent|human\s+rights|amnesty|ngo|organi[sz]ation|"
            r"observatory|monitor(?:ing)?\s+group|institute)\b",
            re.I,
        ),
    ),
    (
        ClaimantKind.OFFICIAL_BODY,
        re.compile(
            r"\b(?:ministry|minister|army|military|police|government|authorities|forces|command|council|committee|"
            r"department|pentagon|centcom|presidency|embassy|white\s+house|kremlin|centre|center|governor)\b",
            re.I,
        ),
    ),
    (ClaimantKind.UNKNOWN, re.compile(r"\b(?:witness(?:es)?|residents?|locals|people|reports)\b", re.I)),
)
_CAPITALISED = re.compile(r"\b[A-Z][a-z'’-]+\b")
_TITLES = frozenset(
    "mr mrs ms dr sheikh general gen colonel col major captain lieutenant sergeant prime president vice deputy chief "
    "senior interior foreign defense defence state secretary spokesman spokeswoman leader commander".split()
)


def value(text: str | None) -> str | None:
    """The text, or None when it is empty or a placeholder."""
    if text is None or text.strip().strip(".").lower() in PLACEHOLDERS:
        return None
    return text.strip()


def same_party(a: str | None, b: str | None) -> bool:
    """The same party, named with or without an article or a possessive."""
    if not a or not b:
        return False

    def bare(name: str) -> str:
        return re.sub(r"^(?:the|a|an)\s+|['’]s$", "", name.strip().lower())

    return bare(a) == bare(b) or bare(a) in bare(b).split(" ") or bare(b) in bare(a).split(" ")


def stance_cue(text: str, language: str | None = None) -> Stance | None:
    """The stance a cue of its own class settles (responsibility, denial, accusation, threat), in English or
    in the lexicon of the article's language (`cues.py`); None for plain saying and reporting."""
    return next((stance for stance, cue in _CUES if cue.search(text)), None) or stance_of(text, language)


def relays(text: str, claimant: str | None) -> list[str]:
    """Who the evidence says passed the claim on ("told Reuters", "according to X" for another source)."""
    found = [m.group("relay") for m in _RELAY.finditer(text)]
    found += [
        m.group("relay") for m in _ACCORDING.finditer(text) if claimant and not same_party(m.group("relay"), claimant)
    ]
    cleaned = [re.sub(r"^the\s+", "", r).strip().rstrip(".,;:") for r in found]
    return [r for r in cleaned if r and not same_party(r, claimant)]


def agent(text: str) -> str | None:
    """The doer the claim's content names ("blamed militants for", "carried out by", "X may be behind",
    "said X launched")."""
    for pattern in _AGENT:
        match = pattern.search(text)
        doer = match.group("actor") if match else ""
        pronoun = re.fullmatch(r"(?:it|they|we|he|she|i|you|them|us)", doer.strip(), re.I)
        if match and not pronoun and not re.search(r"\b(?:was|were|is|are|been|be|being)$", doer):
            return value(doer)
    return None


def source_span(text: str) -> str | None:
    """The speaker a sentence opens with ("Police said …", "An official, who declined to be named, said …")."""
    match = _SOURCE.search(re.sub(r",\s*who\s[^,]*,", "", text))
    return value(match.group("source")) if match else None


def _has_name(text: str) -> bool:
    """Two capitalised words in a row that are neither titles nor words of a kind: a person's name."""
    run = 0
    for word in re.findall(r"\S+", text):
        plain = word.strip(",.;:()'’\"")
        named = bool(_CAPITALISED.fullmatch(plain)) and plain.lower() not in _TITLES
        named = named and not any(words.search(plain) for _, words in _KINDS)
        run = run + 1 if named else 0
        if run >= 2:
            return True
    return False


def kind_of(claimant: str) -> ClaimantKind | None:
    """The claimant kind its words settle; None when they do not (the model's then stands)."""
    for kind, words in _KINDS:
        if words.search(claimant):
            if kind in (ClaimantKind.ANONYMOUS_OFFICIAL, ClaimantKind.OFFICIAL_BODY) and _has_name(claimant):
                return ClaimantKind.NAMED_PERSON  # a title with a name: Prime Minister Vladimir Putin
            return kind
    return ClaimantKind.NAMED_PERSON if _has_name(claimant) else None


_NAME_FILLER = frozenset({"the", "a", "an", "of", "in", "al", "and"})


def stems(name: str) -> set[str]:
    """The name's words cut to four letters, fillers left out: what a short form's words are looked up in."""
    return {w[:4] for w in re.findall(r"[a-z]+", name.lower()) if w not in _NAME_FILLER}


def canonical_names(names: list[str | None]) -> dict[str, str]:
    """Within one article, a short form stands for the longest name of the same kind whose words hold all
    of its own ("the Resistance", "Iraqi Resistance" → "Islamic Resistance in Iraq"); every other name
    stands for itself. The quotes keep the form the article used."""
    distinct = sorted({n for n in names if n}, key=len, reverse=True)
    found: dict[str, str] = {}
    for name in distinct:
        mine = stems(name)
        longer = next(
            (o for o in distinct if len(o) > len(name) and mine and mine <= stems(o) and kind_of(o) == kind_of(name)),
            None,
        )
        found[name] = found[longer] if longer else name
    return found


def settle(draft: ClaimDraft, published: date | None, language: str | None = None) -> ClaimDraft:
    """The draft with every field the evidence settles set from it, placeholders removed, and the
    model's own values kept where the text leaves them open."""
    text = " ".join(draft.evidence)
    cue, self_act = stance_cue(text, language), bool(_SELF_ACT.search(text))
    claimant = value(draft.claimant) or (source_span(draft.evidence[0]) if draft.evidence else None)
    kind = (kind_of(claimant) if claimant else None) or draft.claimant_kind
    via = [v for v in dict.fromkeys([*(value(v) for v in draft.via), *relays(text, claimant)]) if v]
    via = [v for i, v in enumerate(via) if not same_party(v, claimant) and not any(same_party(v, w) for w in via[:i])]
    stance = cue or draft.stance
    if (
        cue is None
        and stance == Stance.CLAIMED_RESPONSIBILITY
        and not (self_act and kind in (ClaimantKind.ARMED_GROUP, ClaimantKind.OFFICIAL_BODY, ClaimantKind.NAMED_PERSON))
    ):
        stance = Stance.ASSERTED  # nobody claims anything: somebody says it happened
    if cue is None and self_act and kind == ClaimantKind.ARMED_GROUP and stance == Stance.ASSERTED:
        stance = Stance.CLAIMED_RESPONSIBILITY  # a group saying it attacked claims the attack
    reporter = kind in (ClaimantKind.JOURNALIST, ClaimantKind.NEWS_OUTLET)
    if cue is None and stance in (Stance.ASSERTED, Stance.REPORTED):
        stance = Stance.REPORTED if reporter else Stance.ASSERTED  # only reporters report
    actor = value(draft.actor)
    if actor and (any(same_party(actor, v) for v in via) or _PASSERS.search(actor)):
        actor = None  # whoever passes a claim on did not do the act
    actor = actor or agent(text)
    if stance in (Stance.CLAIMED_RESPONSIBILITY, Stance.DENIED, Stance.THREATENED):
        actor = actor or claimant  # the party that claims, denies or threatens its own act
    elif stance in (Stance.ASSERTED, Stance.REPORTED, Stance.ALLEGED) and same_party(actor, claimant):
        actor = None
    resolved = event_date(value(draft.time_text), text, published, language)
    return draft.model_copy(
        update={
            "claimant": claimant,
            "claimant_kind": kind,
            "via": via,
            "stance": stance,
            "actor": actor,
            "target": value(draft.target),
            "method": [m for m in (value(m) for m in draft.method) if m],
            "outcome": value(draft.outcome),
            "time_text": value(draft.time_text),
            "event_date": resolved,
            "place": value(draft.place),
        }
    )
