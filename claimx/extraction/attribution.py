"""The attribution frame of a claim: what the words of its evidence settle about who claims what,
through whom and with which stance, so that a small model's guesses yield to the text wherever the
text is clear, and stay where it is not.

The cue classes follow the attribution vocabulary of PARC and FactBank: saying and reporting,
claiming responsibility, denying, accusing or alleging, threatening. A reporter or an outlet passes a
claim on and is never its actor; the claimant is the actor only of its own claim of responsibility (or
of what it denies or threatens to do).

The English frame's words are below; the nine other lexicon languages have theirs in `frames.py`, read by
the same rules. Wire copy in capitals alone is read through a mixed-case copy (`cased`): the words a frame
knows (function words, cue verbs) in lower case, every other word capitalised, as a name would be.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from claimx.extraction.act import WEAPONS, means_named, outcome_stated
from claimx.extraction.cues import ATTRIBUTION_CUE, LEXICONS, english, stance_of
from claimx.extraction.drafts import ClaimDraft, TranslatedDraft, stated
from claimx.extraction.frames import FRAMES, Frame
from claimx.extraction.lead import headline_end
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
            r"(?:responsibility|credit)\b|\b(?:we|(?:his|her|its|their|our)\s+(?:group|organi[sz]ation|movement|fighters|forces|"
            r"men))\s+(?:was|were|is|are)\s+(?:\w+\s+)?responsible\b|\b(?:was|were)\s+carried\s+out\s+by\s+"
            r"(?:his|her|its|their|our)\s+(?:group|organi[sz]ation|movement|fighters|forces|men|mujahideen)\b",
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
            r"(?:was|were|is|are|may\s+be|might\s+be|could\s+be)\s+(?:behind|the\s+work\s+of)|involvement\s+of|"
            rf"(?:was|were)\s+carried\s+out\s+by\s+(?!(?:his|her|its|their|our)\s|(?:an?\s+|the\s+)?(?:{WEAPONS})\b))",
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
_OWN_VERB = (
    r"(?:attack\w*|target\w*|strikes?|struck|fired|launched|shelled|bomb\w*|hit|carr(?:y|ied)\s+out|downed|"
    r"shot\s+down|destroyed|killed|ambush\w*|raided|stormed)\b"
)
"""The acts a party says it did in the first person ("we attacked", "our units struck")."""
_SELF_ACT = re.compile(
    r"\b(?:we|our|us)\s+(?:(?!not\b|never\b)\w+\s+){0,3}?"
    + _OWN_VERB
    + r"|\b(?:it|they)\s+(?:(?:had|has|have)\s+)?(?:attacked|targeted|struck|fired|launched|shelled|bombed|hit|"
    r"carried\s+out|downed|shot\s+down|destroyed|killed|ambushed|raided|stormed)\b"
    r"|\b(?:it|they)\s+(?:was|were|is|are)\s+(?:attacking|targeting|striking|firing|launching|shelling|bombing|"
    r"hitting|raiding|storming)\b"
    r"|\b(?:our|its|their)\s+(?:fighters|forces|units|mujahideen|troops|militants|members|drones)\b"
    r"|\b(?:was|were)\s+(?:in\s+)?(?:revenge|retaliation|a\s+response)\s+(?:for|to)\b",
    re.I,
)
"""Words by which a party owns an act: "we attacked", "it struck", "it was targeting", "its fighters", and
giving the attack its reason ("the bombings were revenge for …"). "It" and "they" own an act only as its
doer: "their participation in the attacks" or "their investigation shows the bombs" may be somebody else's."""
_SELF_DENIAL = re.compile(
    r"\bwe\s+(?:\w+\s+)?(?:not|never)\s+(?:\w+\s+){0,2}?"
    + _OWN_VERB
    + r"|\bwe\s+\w+n['’]t\s+(?:\w+\s+){0,2}?"
    + _OWN_VERB,
    re.I,
)
"""A party disowning an act in the first person: "we do not target civilians", "we didn't carry out"."""
_OUTLET = (
    r"(?:the\s+)?(?:[A-Z][\w'’.-]*(?:\s+(?:of\s+the\s+|of\s+|al-|Al\s+)?[A-Z][\w'’.-]*)*|reporters|journalists|"
    r"news\s+agencies|the\s+press)"
)
"""Whom a claim is passed on to or by: a name, or the press."""
_MEDIUM = (
    r"(?:(?i:state(?:-run)?|official|semi-official|local|national)\s+)?"
    r"(?:news\s+agency|broadcaster|television|TV|radio|newspaper|daily|channel|media|agency)"
)
"""An outlet named by what it is: "state television", "the official news agency"."""
_RELAY = re.compile(
    r"\b(?:told|tells|telling|revealed\s+to|said\s+to|speaking\s+to|spoke\s+to|confirmed\s+to|in\s+an\s+interview\s+"
    rf"with|in\s+a\s+statement\s+to|was\s+quoted\s+as\s+telling)\s+(?P<relay>{_OUTLET})"
    rf"|\b(?:carried|broadcast|aired|published|reported|relayed|quoted|cited)\s+by\s+(?:the\s+)?(?:{_MEDIUM}\s+)?"
    rf"(?P<by>{_OUTLET})"
    rf"|(?:[Tt]he\s+)?(?P<quoting>{_MEDIUM}|{_OUTLET})\s+(?:quoted|cited)\s+[^.;]{{2,80}}?\s+as\s+saying"
    rf"|,\s+(?:[Tt]he\s+)?(?P<reported>{_MEDIUM}|{_OUTLET})\s+reported\b"
    rf"|(?P<citing>{_OUTLET})\s+(?:reported|said|quoted)\s*,?\s+citing\b"
    rf"|\b[Cc]iting\s+[^,;]{{2,60}},\s+(?:[Tt]he\s+)?(?P<cites>{_MEDIUM}|{_OUTLET})\s+(?:reported|said)\b",
)
"""A claim passed on: told to an outlet ("told Reuters"), carried or quoted by one ("in a statement carried by
the state news agency SANA"), or an outlet quoting, citing or reporting the source ("State television quoted the
minister as saying", "Reuters reported, citing two officials", "…, state media reported")."""
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<relay>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)")
_SOURCE = re.compile(
    r"^\W*(?P<source>[^,;:\"“”]{2,80}?)\s+(?:has\s+|have\s+|had\s+)?(?:said|says|told|tells|claimed|claims|"
    r"announced|stated|confirmed|reported|denied|denies|warned|accused|blamed|threatened|vowed|insisted)\b"
)
_SAYS = r"(?:said|says|told\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*|added|reported|confirmed|announced|stated)"
_JOINED = r"(?!(?:although|though|but|and|or|while|as|because|since|when|after|before|if|who|which)\b)"
"""Not a clause's conjunction or relative pronoun: a source starts with its own words."""
_LATER = re.compile(
    rf",\s+{_JOINED}(?P<after>[^,;\"“”]{{2,60}}?)\s+{_SAYS}(?:\s+[^,;\"“”]{{1,40}})?(?:,\s+[^,;\"“”]{{1,60}})?\s*[.!]?$"
    r"|,\s+(?:said|says|added)\s+(?P<before>(?:an?|the|[A-Z][\w'’.-]*)\s[^;\"“”]{1,60}?)\s*[.!]?$"
    r"|\b(?i:according\s+to|in\s+the\s+(?:view|words)\s+of|(?:the|an?)\s+assessment\s+of)\s+(?P<cited>[^,;.\"“”]{2,60})"
)
"""A source named after the content it is the source of: "…, a hospital official said on condition of anonymity",
"…, said a spokesman for the army", "…, according to the ministry", "That was the assessment of the governor"."""
_SUBORDINATE = r"\b(?:after|before|when|as|since|while)\s+"
"""What opens a clause told beside the main one: where a speaker or a doer of its own may stand."""
_ASIDE = re.compile(
    _SUBORDINATE + r"(?P<source>(?:an?|the)\s+(?:[\w'’-]+\s+){0,3}?[\w'’-]+)\s+"
    r"(?:had\s+|has\s+)?(?:said|says|told|announced|claimed|confirmed|denied|warned|accused)\b"
)
"""A speaker in a clause of its own: "The blasts occurred a day after an Israeli official said …"."""
_ACT = (
    r"(?:launched|attacked|struck|fired|shelled|killed|bombed|detonated|carried\s+out|entered|targeted|set\s+off|"
    r"ambushed|stormed|raided|abducted|kidnapped|shot|hit|planted|seized|captured|overran|overrun|"
    r"(?:took|taken)\s+(?:over|control)|burned|burnt|torched|opened\s+fire|executed|beheaded|massacred|looted|occupied)"
)
_ACTS = re.compile(_ACT, re.I)
_AGENT = (  # who did it, as the content of the claim names the agent
    re.compile(r"\b(?:blam\w*|accus\w*)\s+(?P<actor>(?:the\s+)?[^,.;]{2,60}?)\s+(?:for|of)\b", re.I),
    re.compile(r"\bblam\w*\s+[^,.;]{2,60}\s+on\s+(?P<actor>[^,.;]{2,60}?)\s*(?:[,.;]|$)", re.I),  # blamed it on X
    re.compile(r"\bblam\w*\s+(?P<actor>[^,.;]{2,60}?)\s*(?:[,.;]|$)", re.I),  # "blamed al-Qaida."
    re.compile(r"\bcarried\s+out\s+by\s+(?P<actor>[^,.;]{2,80}?)(?:\s+in\b|[,.;]|$)", re.I),
    re.compile(
        r"(?:^|\bsaid\s+|\bsays\s+|\bsay\s+)(?:that\s+)?(?P<actor>[^,.;\"“”]{2,60}?)\s+(?:may|might|could)\s+be\s+behind\b",
        re.I,
    ),
    re.compile(  # "said militants, using guns and explosives, killed": an aside between the doer and the act
        r"\b(?:said|says|say|told\s+[^,.;]{1,40}?|tells\s+[^,.;]{1,40}?)\s+(?:that\s+)?(?P<actor>[^,.;\"“”]{2,60}?)"
        r"(?:\s*,[^,.;\"“”]{2,60},)?\s+(?:had\s+|have\s+|has\s+)?" + _ACT + r"\b",
        re.I,
    ),
    re.compile(  # a threat names who will act: "said Taliban militants plan to attack government buildings"
        r"\b(?:said|says|say|warned|warns)\s+(?:that\s+)?(?P<actor>[^,.;\"“”]{2,60}?)\s+(?:will|would|plans?\s+to|"
        r"intends?\s+to|vows?\s+to)\s+(?:\w+\s+){0,2}?(?:attack|strike|target|hit|bomb|kill)\w*\b",
        re.I,
    ),
)
_BACKDROP = (  # the doer of the act the claim is about, named as what happened before or around it
    re.compile(  # the act in a clause of its own: "147 are dead after al-Shabab militants attacked a university"
        _SUBORDINATE + r"(?P<actor>(?:(?!\b(?:said|says|say|told|and|but|who|which|that)\b)"
        r"[^,.;\"“”]){2,60}?)\s+(?:had\s+|have\s+|has\s+)?" + _ACT + r"\b",
        re.I,
    ),
    re.compile(  # the act named by a noun, its doer after "by": "Saturday's attack on the mall by Islamist gunmen"
        r"\b(?:attacks?|assaults?|bombings?|raids?|ambush(?:es)?|massacres?|killings?|abductions?|kidnappings?)\b"
        r"[^,.;\"“”]{0,60}?\bby\s+(?P<actor>[^,.;\"“”]{2,60}?)\s*(?:[,.;]|$)",
        re.I,
    ),
)
_MEANS = re.compile(rf"\b(?:{WEAPONS}|blasts?|explosions?|strikes?|devices?|mines?|fire)$", re.I)
"""A doer whose head is a means ("drones hit the base", "a bomb blast killed two") names how, not who."""
_PASSERS = re.compile(
    r"\b(?:correspondent|reporter|journalist|editor|news|agency|newspaper|television|tv|radio)\b", re.I
)

_KINDS: tuple[tuple[ClaimantKind, re.Pattern[str]], ...] = (
    (ClaimantKind.JOURNALIST, re.compile(r"\b(?:correspondent|reporter|journalist|editor|columnist)s?\b", re.I)),
    (
        ClaimantKind.NEWS_OUTLET,
        re.compile(
            r"\b(?:news\s+agency|newspaper|television|tv|radio|broadcaster|reuters|associated\s+press|afp|al\s+mayadeen|"
            r"al\s+jazeera|bbc|cnn|xinhua|tass|irna|sana|anadolu|kommersant|voice\s+of\s+america|media)\b",
            re.I,
        ),
    ),
    (
        ClaimantKind.ANONYMOUS_OFFICIAL,
        re.compile(
            r"\b(?:officials?|spokes(?:man|woman|person)|security\s+sources?|senators?|lawmakers?|legislators?|"
            r"diplomats?)\b",
            re.I,
        ),
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
    (
        ClaimantKind.UNKNOWN,
        re.compile(
            r"\b(?:witness(?:es)?|residents?|locals|people|reports|activists|sources|survivors|villagers)\b", re.I
        ),
    ),
)
_REPORTERS = (ClaimantKind.JOURNALIST, ClaimantKind.NEWS_OUTLET)
_CAPITALISED = re.compile(r"\b[A-Z][a-z'’-]+\b")
_TITLES = frozenset(
    "mr mrs ms dr sheikh general gen colonel col major captain lieutenant sergeant prime president vice deputy chief "
    "senior interior foreign defense defence state secretary spokesman spokeswoman leader commander".split()
)


_PLAIN = frozenset(
    "the a an of in on at to for from by with as and or but that this these those it its he she they we you i his "
    "her their our us them was were is are be been being has have had will would may might could who which what "
    "when where while telling speaking spoke interview news agencies press reporters journalists over about into "
    "after before than then there here not no one two three four five six seven eight nine ten several some many "
    "dozens hundreds".split()
)
"""English words an all-capitals sentence writes in lower case in its mixed-case copy (with its cue verbs and
verbs of attack)."""
_WORD = re.compile(r"[^\W\d_]+")


def all_caps(text: str) -> bool:
    """Whether every cased letter of the text is a capital (wire copy), with two at least."""
    letters = [c for c in text if c.isupper() or c.islower()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


def cased(text: str, language: str | None = None) -> str:
    """An all-capitals text as mixed case, of the same length: words of the frame (function words and cue
    verbs of the language) lower, every other word capitalised like a name; any other text as it is."""
    frame = FRAMES.get(language or "")
    if not all_caps(text) or (frame is not None and not frame.cased):
        return text
    cues = (ATTRIBUTION_CUE, _ACTS) if frame is None else (LEXICONS[frame.language].cue,)
    plain = _PLAIN if frame is None else frame.plain

    def recase(match: re.Match[str]) -> str:
        word = match.group()
        common = word.lower() in plain or any(cue.fullmatch(word) for cue in cues)
        mixed = word.lower() if common else word[0] + word[1:].lower()
        return mixed if len(mixed) == len(word) else word

    return _WORD.sub(recase, text)


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


_UNCLAIMED = re.compile(
    r"\b(?:no\s+one|nobody|no\s+(?:\w+\s+)?(?:group|organi[sz]ation|faction|party)|not|never)\s+"
    r"(?:(?:has|have|had|yet|immediately|so\s+far|publicly|been|be|was|were)\s+)*$",
    re.I,
)
"""What before a claim of responsibility says that nobody made it: "no one has yet claimed", "was not claimed"."""


def _cued(stance: Stance, cue: re.Pattern[str], text: str) -> bool:
    """Whether the cue stands in the text as said: a responsibility nobody claimed ("no group has claimed
    responsibility") is no claim of it."""
    if stance != Stance.CLAIMED_RESPONSIBILITY:
        return cue.search(text) is not None
    return any(not _UNCLAIMED.search(text[: m.start()]) for m in cue.finditer(text))


_CLAIMER = re.compile(
    r"(?P<claimer>(?:[A-Z][\w'’.-]*|al-[\w'’-]+)(?:\s+(?:(?:of|in|for|the|and)\s+)*(?:[A-Z][\w'’.-]*|al-[\w'’-]+))*)"
    r"(?:\s+\([^()]{1,30}\))?\s+(?:has\s+|have\s+|had\s+)?(?:(?:also|now|later|quickly|swiftly|since)\s+)?"
    r"(?:claimed|claims|claim|took|taken|takes|accepted|accepts|assumed|assumes)\s+(?:full\s+|sole\s+)?responsibility\b"
)
"""The name right before "claimed responsibility": who the sentence says claims. Case-sensitive, so a headline's
title case ("Militant Leader Claims Responsibility") names nobody."""
_NO_NAME = frozenset({"the", "a", "an", "it", "they", "he", "she", "we", "this", "that", "its", "their", "his", "her"})
_TELLS = re.compile(r"\b(?:said|says|say|told|tells|reported|reports|confirmed|announced|stated|added)\b")
_CITED = re.compile(r"\baccording\s+to\b", re.I)


def claimer(text: str, claimant: str | None) -> tuple[str, str | None] | None:
    """Who claims responsibility in the sentence, when that is not the model's claimant: the name before
    "claimed responsibility" replaces a claimant the sentence does not name, or a speaker who tells of the
    claim ("Police said Al-Shabab claimed responsibility", "Al-Shabab claimed responsibility, according to police":
    the police pass Al-Shabab's claim on). Returns the claimer and that speaker (None when the sentence does not
    name the model's claimant); None when the model's claimant stands."""
    for match in _CLAIMER.finditer(text):
        if _UNCLAIMED.search(text[: match.start("claimer")]):
            continue
        words = match.group("claimer").split()
        while words and words[0].lower() in _NO_NAME:
            words.pop(0)
        name = " ".join(words)
        if not name or not any(_a_party(w, None) for w in words) or same_party(name, claimant):
            continue
        if claimant is None or claimant.lower() not in text.lower():
            return name, None
        said = text.lower().find(claimant.lower())
        if said < match.start("claimer") and _TELLS.search(text[said : match.start("claimer")]):
            return name, claimant
        if said > match.end() and _CITED.search(text[match.end() : said]):
            return name, claimant
    return None


def stance_cue(text: str, language: str | None = None) -> Stance | None:
    """The stance a cue of its own class settles (responsibility, denial, accusation, threat), in English or
    in the lexicon of the article's language (`cues.py`); None for plain saying and reporting."""
    return next((stance for stance, cue in _CUES if _cued(stance, cue, text)), None) or stance_of(text, language)


def relays(text: str, claimant: str | None, language: str | None = None) -> list[str]:
    """Who the evidence says passed the claim on ("told Reuters", "according to X" for another source, and
    in other languages the speaker who cites the claimant: "X, citant Y"), as the text writes them."""
    frame = FRAMES.get(language or "")
    seen = cased(text, language)
    if frame is not None:
        return _frame_relays(text, seen, claimant, frame)
    spans = [m.span(m.lastgroup or "relay") for m in _RELAY.finditer(seen)]
    spans += [
        m.span("relay") for m in _ACCORDING.finditer(seen) if claimant and not same_party(m.group("relay"), claimant)
    ]
    cleaned = [_trimmed(seen, start, end) for start, end in spans]
    found = [text[start:end] for start, end in cleaned]
    return [r for r in found if r and not same_party(r, claimant)]


def _trimmed(seen: str, start: int, end: int) -> tuple[int, int]:
    """A relay's span without a leading "the" and trailing punctuation (as `relays` always cut it)."""
    span = seen[start:end]
    lead = re.match(r"the\s+", span)
    start += lead.end() if lead else 0
    span = seen[start:end].strip()
    start = seen.index(span, start) if span else start
    return start, start + len(span.rstrip(".,;:"))


def _frame_relays(text: str, seen: str, claimant: str | None, frame: Frame) -> list[str]:
    spans = [_name(seen, m.span("relay"), frame) for pattern in frame.recipients for m in pattern.finditer(seen)]
    spans += [
        span
        for pattern in frame.according
        for m in pattern.finditer(seen)
        if claimant and (span := _name(seen, m.span("relay"), frame)) and not _same(text[slice(*span)], claimant)
    ]
    citing = [at for cited, at in _cited(seen, frame) if claimant and _same(text[slice(*cited)], claimant)]
    if citing:  # the speaker passes the cited claim on: "El diario La Voz, citando a fuentes militares"
        opening = (len(seen) - len(seen.lstrip()), len(seen[: citing[0]].rstrip(" ,،")))
        spans.append(_speaker(seen, frame, citing=False) or opening)
    found: list[str] = []
    for start, end in spans:
        relay = text[start:end]
        if end > start and not _same(relay, claimant) and not any(_same(relay, f) for f in found):
            found.append(relay)
    return found


def _same(a: str, b: str | None) -> bool:
    """The same party, also when one span holds the other (a cited "source militaire" and the claimant
    "une source militaire")."""
    if not b:
        return False
    x, y = a.strip().lower(), b.strip().lower()

    def within(part: str, whole: str) -> bool:
        return bool(part) and re.search(rf"(?<!\w){re.escape(part)}(?!\w)", whole) is not None

    return same_party(a, b) or within(x, y) or within(y, x)


@dataclass(frozen=True)
class _Words:
    """The words of a raw span after a frame word, with their offsets in the sentence; a French elision
    (l'AFP, d'un) is no part of the word."""

    seen: str
    frame: Frame
    spans: list[tuple[int, int]]

    @classmethod
    def of(cls, seen: str, span: tuple[int, int], frame: Frame) -> _Words:
        start, end = span
        spans = []
        for m in re.finditer(r"\S+", seen[start:end]):
            elided = frame.cased and re.match(r"[ldLD]['’]\w", m.group())
            spans.append((start + m.start() + (2 if elided else 0), start + m.end()))
        return cls(seen, frame, spans)

    def word(self, i: int) -> str:
        return self.seen[slice(*self.spans[i])]

    def plain(self, i: int) -> bool:
        return self.word(i).lower() in self.frame.plain

    def capital(self, i: int) -> bool:
        word = self.word(i)
        return word[:1].isupper() or (word[:1].isdigit() and len(word) > 1)

    def kinded(self, first: int, last: int) -> bool:
        """Whether a word of kind ends the words first..last ("source militaire")."""
        words = self.seen[self.spans[first][0] : self.spans[last][1]]
        return any(m.end() == len(words) for p in self.frame.kinds.values() for m in p.finditer(words))

    def outlet(self, i: int) -> bool:
        kinds = self.frame.kinds
        return any(kinds[k].search(self.word(i)) for k in (ClaimantKind.NEWS_OUTLET, ClaimantKind.JOURNALIST))

    def between(self, first: int, last: int) -> tuple[int, int]:
        start, end = self.spans[first][0], self.spans[last][1]
        return start, start + len(self.seen[start:end].rstrip(".,;:’'"))


def _name(seen: str, span: tuple[int, int], frame: Frame) -> tuple[int, int]:
    """The name a frame word introduces, within the raw span after it (empty when there is none)."""
    if frame.stop is None and not frame.cased:
        return span  # Chinese: the patterns end the name
    words = _Words.of(seen, span, frame)
    found = _capitalised_name(words) if frame.cased else _caseless_name(words)
    return words.between(*found) if found else (span[0], span[0])


def _capitalised_name(words: _Words) -> tuple[int, int] | None:
    """The run of capitalised words and their connectors after at most three others, from an office before
    it ("ministère de la Défense") but not an outlet word ("l'agence Reuters" → Reuters); with no capital,
    the words up to the last word of kind ("une source militaire")."""
    count = len(words.spans)
    lead = next((i for i in range(min(count, 3)) if words.capital(i)), 3 if count > 3 else count)
    first = next((i for i in range(lead) if not words.plain(i)), lead)
    if lead < count and words.capital(lead):
        last = lead
        for i in range(lead + 1, count):
            if words.capital(i):
                last = i
            elif words.word(i).lower() not in words.frame.connectors:
                break
        return (lead if all(words.outlet(i) for i in range(first, lead)) else first), last
    kinded = [i for i in range(first, min(count, first + 5)) if words.kinded(first, i)]
    return (first, kinded[-1]) if kinded else None


def _caseless_name(words: _Words) -> tuple[int, int] | None:
    """The words up to a particle, cut after the last word of kind and the attributes after it ("مصدر
    عسكري"); an outlet keeps its name ("وكالة فرانس برس")."""
    stop = words.frame.stop
    count = next((i for i in range(len(words.spans)) if stop and stop.match(words.word(i))), len(words.spans))
    if count == 0:
        return None
    kinded = [i for i in range(min(count, 5)) if words.kinded(0, i)]
    if not kinded or words.outlet(kinded[-1]):
        return 0, min(count, 4) - 1
    last = kinded[-1]
    while last + 1 < count and (words.plain(last + 1) or words.word(last + 1).startswith("ال")):
        last += 1  # its attribute or, in Arabic, the defined noun it governs: مصدر عسكري, وزارة الصحة
    return 0, last


def _cited(seen: str, frame: Frame) -> list[tuple[tuple[int, int], int]]:
    """Whom the sentence's speaker cites, and where the citing begins."""
    return [
        (_name(seen, m.span("source"), frame), m.start()) for pattern in frame.citing for m in pattern.finditer(seen)
    ]


def _speaker(seen: str, frame: Frame, *, citing: bool = True) -> tuple[int, int] | None:
    """The span of the source a sentence names: whom it cites, or else its speaker, cut where a recipient
    or a citing begins ("وكالة سانا نقلا عن …", "外交部发言人汪文斌对记者表示")."""
    cited = _cited(seen, frame)
    if citing and (named := [c for c, _ in cited if c[1] > c[0]]):
        return named[0]
    cuts = [at for _, at in cited]
    for pattern in frame.recipients:
        for m in pattern.finditer(seen):
            relay = m.start("relay")
            cuts += [m.start(), seen.rfind(" ", 0, relay) + 1 if frame.stop is not None else relay]
    for pattern in frame.speakers:
        if match := pattern.search(seen):
            start, end = match.span("source")
            end = min([end, *(at for at in cuts if at > start)])
            end = start + len(seen[start:end].rstrip(" ,،"))
            return _name(seen, (start, end), frame) if frame.stop is not None else (start, end)
    return None


def agent(text: str, patterns: tuple[re.Pattern[str], ...] = _AGENT) -> str | None:
    """The doer the claim's content names ("blamed militants for", "blamed al-Qaida", "blamed the attack on X",
    "carried out by", "X may be behind", "said X launched"); with `_BACKDROP`, the doer it names as background
    ("after al-Shabab militants attacked", "the attack on the mall by Islamist gunmen")."""
    for pattern in patterns:
        match = pattern.search(text)
        doer = match.group("actor") if match else ""
        pronoun = re.fullmatch(
            r"(?:them|us|(?:it|they|we|he|she|i|you)(?:\s.*)?|(?:its|their|our|his|her|my)\s.*)", doer.strip(), re.I
        )
        passive = re.search(r"\b(?:was|were|is|are|been|be|being)\b", doer)
        clauses = re.search(r"\b(?:after|when|before|while|since|because)\b|\b(?:and|or|but)$", doer.strip())
        if match and not pronoun and not passive and not clauses and not _MEANS.search(doer):
            return value(_WHERE.sub("", doer))
    return None


_WHERE = re.compile(r"\s+(?:in|at|near)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*$")
"""Where the doer was ("suicide attackers in Lahore"): the claim's place, not part of who did it."""


def _a_party(doer: str, language: str | None) -> bool:
    """Whether a doer is a named party ("Syrian forces", "Israel", "al-Shabab"), not a description of whoever
    did it ("suicide attackers", "a man", "the militants"). English capitalises names mid-sentence (and
    writes "al-" before some), so the doer's first letter tells; other languages are not judged."""
    return language in (None, "en") and (doer[:1].isupper() or doer.lower().startswith(("al-", "el-")))


def source_span(text: str, language: str | None = None) -> str | None:
    """The speaker a sentence opens with ("Police said …", "An official, who declined to be named, said …");
    in another lexicon language the source its frame names (whom the speaker cites first)."""
    seen = cased(text, language)
    frame = FRAMES.get(language or "")
    if frame is not None:
        span = _speaker(seen, frame)
        return value(text[slice(*span)]) if span else None
    if seen is text:
        match = _SOURCE.search(re.sub(r",\s*who\s[^,]*,", "", text))
        return value(match.group("source")) if match else None
    match = _SOURCE.search(re.sub(r",\s*who\s[^,]*,", lambda m: " " * len(m.group()), seen))  # offsets kept
    return value(text[slice(*match.span("source"))]) if match else None


def _has_name(text: str, frame: Frame | None = None) -> bool:
    """Two capitalised words in a row that are neither titles nor words of a kind: a person's name."""
    if frame is not None and frame.named is not None:
        return frame.named(text, frame)
    run = 0
    for word in re.findall(r"\S+", text):
        plain = word.strip(",.;:()'’\"")
        if frame is None:
            named = bool(_CAPITALISED.fullmatch(plain)) and plain.lower() not in _TITLES
            named = named and not any(words.search(plain) for _, words in _KINDS)
        else:
            plain = re.sub(r"^[ldLD]['’]", "", plain)
            named = plain[:1].isupper() and plain[1:].islower() and plain.lower() not in frame.plain
            named = named and not frame.kind_words(plain)
        run = run + 1 if named else 0
        if run >= 2:
            return True
    return False


def kind_of(claimant: str, language: str | None = None) -> ClaimantKind | None:
    """The claimant kind its words settle, in the words of its language's frame; None when they do not
    (the model's then stands)."""
    frame = FRAMES.get(language or "")
    seen = cased(claimant, language)
    kinds: list[tuple[ClaimantKind, Callable[[str], object]]] = (
        [(kind, words.search) for kind, words in _KINDS]
        if frame is None
        else [(kind, frame.kinds[kind].search) for kind, _ in _KINDS if kind in frame.kinds]
    )
    parts = re.split(r"\s+and\s+", seen) if frame is None else [seen]
    if len(parts) > 1 and len({kind_of(part) for part in parts}) > 1:
        return ClaimantKind.UNKNOWN  # "witnesses and officials": sources of more than one kind
    for kind, search in kinds:
        if search(seen):
            titled = kind in (ClaimantKind.ANONYMOUS_OFFICIAL, ClaimantKind.OFFICIAL_BODY) or (
                kind == ClaimantKind.ARMED_GROUP and _LEADER.search(seen)
            )
            if titled and _has_name(seen, frame):
                return ClaimantKind.NAMED_PERSON  # a title with a name: Prime Minister Vladimir Putin
            return kind
    return ClaimantKind.NAMED_PERSON if _has_name(seen, frame) else None


_LEADER = re.compile(r"\b(?:leader|commander|chief|emir|founder|head)\b", re.I)
"""A role in a group: with a name it is a person ("rebel leader Doku Umarov"), not the group."""
_NAME_FILLER = frozenset({"the", "a", "an", "of", "in", "al", "and"})


def stems(name: str) -> set[str]:
    """The name's words cut to four letters, fillers left out, and its figures whole ("district 11" is not
    "district 12"): what a short form's words are looked up in."""
    return {w[:4] if w.isalpha() else w for w in re.findall(r"[a-z]+|\d+", name.lower()) if w not in _NAME_FILLER}


def _words(text: str) -> set[str]:
    """The words of a text in lower case, a plural's "s" and fillers left out: stricter than `stems` ("Syrian"
    is not "Syria", "rebels" is "rebel")."""
    return {w.lower().removesuffix("s") for w in _WORD.findall(text)} - _NAME_FILLER


_PRONOUN = re.compile(r"\b(?:he|she|they|it|we|i)\b", re.I)


def has_speaker(sentence: str, claimant: str | None) -> bool:
    """Whether an English sentence has a speaker for a claim the model gave it: one whose words the sentence
    holds, a pronoun, or a speaker the sentence opens with that the model named from the context ("The agency
    said …"). A sentence in the article's own voice ("The rocket fire threatens to spark more bloodshed", "A
    second blast shook the market") has none, so a claimant the model gave it came from elsewhere."""
    return (
        not claimant
        or bool(stems(claimant) & stems(sentence))
        or bool(_PRONOUN.search(sentence))
        or source_span(sentence) is not None
    )


def canonical_names(names: list[str | None]) -> dict[str, str]:
    """Within one article, a short form stands for the longest name of the same kind whose words hold all
    of its own ("the Resistance", "Iraqi Resistance" → "Islamic Resistance in Iraq"); every other name
    stands for itself. The quotes keep the form the article used."""
    distinct = sorted({n for n in names if n}, key=len, reverse=True)
    found: dict[str, str] = {}
    for name in distinct:
        mine = stems(name)
        longer = next(
            (o for o in distinct if len(o) > len(name) and mine and mine <= stems(o) and _alike(name, o)), None
        )
        found[name] = found[longer] if longer else name
    return found


_SPACE = r"[^\S\n]+"
_NAME_WORD = r"(?:[A-Z][a-z'’]*(?:-[A-Z][\w'’]*)*|[A-Z]{2,})(?![\w-])"
"""A capitalised word of a name; "Al-Shabab" is one, "Britain-based" is not."""
_NAMED = re.compile(
    rf"(?!(?:On|In|At|By|But|And|As|After|Before|For|Of)\b){_NAME_WORD}"
    rf"(?:{_SPACE}(?:(?:of|for)(?:{_SPACE}the)?{_SPACE})?{_NAME_WORD})+"
)
"""A name of two or more capitalised words, with the joints of institutions' names: "Syria Observatory for
Human Rights", "Ministry of the Interior"."""
_KNOWN_AS = re.compile(
    rf"\b[Tt]he{_SPACE}(?P<head>[a-z]+)(?:{_SPACE}[a-z-]+){{0,4}}?,?{_SPACE}(?:known|referred{_SPACE}to){_SPACE}as"
    rf"{_SPACE}(?:the{_SPACE})?(?P<name>{_NAMED.pattern}|{_NAME_WORD})"
)
"""A description the article names: "The committee, known as the Somali Emergency Operation Center"."""
_OPENS = re.compile(r"^(?:The|A|An)\s+|['’]s$")
_HEAD_END = re.compile(r"\s+(?:of|for|on|and|in|at|from|who|which|that|[a-z]+ing|[a-z]+ed)\b.*$")


def _head(phrase: str) -> str:
    """The word a phrase is about: its last word before a joint or a clause ("Syria Observatory for Human
    Rights" → "observatory", "the committee investigating the tragedy" → "committee")."""
    return _OPENS.sub("", _HEAD_END.sub("", phrase)).rsplit(maxsplit=1)[-1].lower()


def referents(text: str) -> dict[str, str]:
    """Within one English article, what "the <word>" stands for: the name the article gives a description
    ("the committee, known as …"), else the one name the article uses whose head is that word ("the
    observatory" → "Syria Observatory for Human Rights"). A word two names share ("the ministry" where the
    article names two ministries) stands for neither."""
    named: dict[str, set[str]] = {}
    for match in _NAMED.finditer(text, headline_end(text)):  # a headline capitalises every word
        name = _OPENS.sub("", match.group())
        if " " in name:
            named.setdefault(_head(name), set()).add(name)
    found = {head: next(iter(names)) for head, names in named.items() if len(names) == 1}
    for match in _KNOWN_AS.finditer(text):
        found[match.group("head").lower()] = match.group("name")
    return found


_DESCRIPTION = re.compile(r"^[Tt]he\s+[a-z][a-z\s'’-]*$")
"""A party named by a description alone, in lower case: "the observatory", "the committee investigating …"."""
_INSTITUTIONS = (ClaimantKind.OFFICIAL_BODY, ClaimantKind.ORGANIZATION)


def referent(party: str | None, found: dict[str, str]) -> tuple[str, ClaimantKind] | None:
    """The name `referents` gives the description of an institution, with the kind the description says it
    is, whatever its name looks like; None for anything else. An institution is named in full once and then
    by its head noun; "the group" or "the president" are left as they are, since the article's other names
    with that head are often other parties ("SITE Intelligence Group")."""
    kind = kind_of(party) if party and _DESCRIPTION.match(party) else None
    name = found.get(_head(party)) if party and kind in _INSTITUTIONS else None
    return (name, kind) if name and kind else None


_ROLE = r"(?:spokes(?:man|woman|person)|leader|commander|chief|emir)"
_PROPER = rf"[A-Z][\w'’-]*(?:{_SPACE}(?:al-|bin{_SPACE}|ibn{_SPACE})?[A-Z][\w'’-]*){{0,4}}"
_SPEAKS_FOR = re.compile(
    rf"\b(?P<group>(?:[A-Z][\w'’-]*{_SPACE}){{0,3}}?[A-Z][\w-]*?)(?:['’]s)?{_SPACE}{_ROLE}{_SPACE}\(?(?P<person>{_PROPER})\)?"
)
"""A person named with the group they speak for or lead: "Al-Shabab's spokesman Sheikh Ali Raghe", "Taliban
spokesman (Ehsanullah Ehsan)"."""


_ROLE_OF = re.compile(
    rf"\b{_ROLE}{_SPACE}(?:of|for){_SPACE}(?:the{_SPACE})?(?:[\w-]+{_SPACE}){{0,3}}?(?:group|movement|organi[sz]ation)"
    rf"{_SPACE}(?P<group>{_PROPER})"
)
"""A speaker named by their role in a named group: "the leader of Nigerian militant group Boko Haram"."""


def affiliations(text: str) -> dict[str, str]:
    """Within one article, each person the text names as a group's spokesman, leader or commander, with the group.
    A group is a capitalised name of its own: "Chechen rebel leader Doku Umarov" names no group."""
    found: dict[str, str] = {}
    for match in _SPEAKS_FOR.finditer(text):
        group = re.sub(r"^(?:The|A|An)\s+", "", match.group("group"))
        if group and kind_of(group) in (ClaimantKind.ARMED_GROUP, ClaimantKind.OFFICIAL_BODY):
            found.setdefault(match.group("person"), group)
    return found


def speaks_for(person: str | None, groups: dict[str, str]) -> str | None:
    """The group the article names the person as speaking for, matched by name or surname."""
    return next((group for name, group in groups.items() if same_party(person, name)), None)


_OWN_ACTS = (Stance.CLAIMED_RESPONSIBILITY, Stance.DENIED, Stance.THREATENED)
_OWN_PARTY = re.compile(
    r"^(?:we|(?:the|his|her|its|our|their)\s+(?:group|movement|organi[sz]ation|fighters|forces|men|mujahideen))$",
    re.I,
)
"""How a speaker names their own side as the doer: "the group", "our fighters", "we"."""


def group_actor(stance: Stance, claimant: str | None, actor: str | None, groups: dict[str, str]) -> str | None:
    """The actor of a claim, denial or threat by a person the article names as a group's spokesman or leader:
    the group, where the actor is the person or their own side ("the group"); else `actor`."""
    own = actor is None or same_party(actor, claimant) or bool(_OWN_PARTY.match(actor))
    return (speaks_for(claimant, groups) or actor) if own and stance in _OWN_ACTS else actor


def _alike(short: str, long: str) -> bool:
    """Whether a short form can name the same party as a longer name: the same kind, or a role standing for
    the person the article names ("the rebel leader" for "rebel leader Doku Umarov").
    A list of parties ("the government and opposition activists") is no one party."""
    if re.search(r"\band\b", long):
        return False
    kind = kind_of(long)
    role = _LEADER.search(short) or kind_of(short) == ClaimantKind.ANONYMOUS_OFFICIAL
    return kind == kind_of(short) or (kind == ClaimantKind.NAMED_PERSON and bool(role))


def _passes_on(actor: str, language: str | None) -> bool:
    """Whether the actor is a reporter or an outlet, who passes claims on."""
    if language in FRAMES:
        return kind_of(actor, language) in _REPORTERS
    return bool(_PASSERS.search(actor))


_PASSIVE_ACT = (
    r"(?:(?!\b(?:who|which|that)\b)[^.;]){0,80}?\b(?:was|were|is|are|been|being)\s+(?:\w+ly\s+)?"
    r"(?:targeted|attacked|hit|struck|shelled|bombed|killed|wounded|injured|ambushed|raided|stormed|destroyed)\b"
    r"(?!\s+by\b)"
)
"""What follows a party the act was done to: a passive attack verb with no "by" (its own clause, not a relative one)."""


def _undergoes(party: str, text: str) -> bool:
    """Whether the text has the party undergo the act ("US forces at the base were targeted"), not do it."""
    return re.search(re.escape(party) + _PASSIVE_ACT, text, re.I) is not None


def _outcome(draft: ClaimDraft, in_english: bool) -> str | None:
    """The result the quotes state: in English their own words, never the model's reading (which named motives
    and means as results: "revenge", "explosion"); in another language the model's, when the quotes state it."""
    if in_english:
        return outcome_stated(draft.evidence)
    outcome = value(draft.outcome)
    return outcome if outcome and stated(outcome, draft.evidence) else None


def _own_speaker(claimant: str | None, text: str) -> str | None:
    """The speaker of the sentence's own clause ("… a day after an Israeli official said …") where the model's
    claimant shares no word with the sentence, so came from elsewhere; else the model's."""
    aside = _ASIDE.search(text)
    return aside.group("source") if claimant and aside and not _words(claimant) & _words(text) else claimant


def later_source(text: str) -> tuple[str, int] | None:
    """The source an English sentence names after its content (`_LATER`), and where it is named; not a pronoun."""
    match = _LATER.search(text)
    group = match.lastgroup if match else None
    source = value(match.group(group)) if match and group else None
    if not match or not source or _PRONOUN.fullmatch(source):
        return None
    return source, match.start()


def _content_party(claimant: str | None, text: str, later: tuple[str, int]) -> str | None:
    """The source a sentence names after its content (`later`: "Four soldiers were killed, according to the
    ministry"), where the model gave a party of the content or a speaker from elsewhere; else the model's.
    Content that reports speech of its own ("The group said it fired, according to SITE") keeps the model's."""
    source, start = later
    if claimant is None or same_party(claimant, source) or _words(claimant) <= _words(source):
        return claimant
    return claimant if ATTRIBUTION_CUE.search(text[:start]) else source


def _spoken_by(claimant: str | None, text: str) -> str | None:
    """Who an English sentence has speak, where the model's claimant is not its speaker: the speaker of its own
    clause, the source it names after its content (also where the model gave none), else the model's claimant."""
    claimant = _own_speaker(claimant, text)
    later = later_source(text)
    return (_content_party(claimant, text, later) or later[0]) if later else claimant


def settle(draft: ClaimDraft, language: str | None = None) -> ClaimDraft:
    """The draft with every field the evidence settles set from it, placeholders removed, and the
    model's own values kept where the text leaves them open."""
    text, in_english = " ".join(draft.evidence), english(language)  # the act is read in English only
    cue, self_act = stance_cue(text, language), bool(_SELF_ACT.search(text))
    claimant = value(draft.claimant) or (source_span(draft.evidence[0], language) if draft.evidence else None)
    claimant = _spoken_by(claimant, text) if in_english else claimant
    teller = None
    if in_english and cue == Stance.CLAIMED_RESPONSIBILITY and (claims := claimer(text, claimant)):
        claimant, teller = claims  # the sentence names who claims: "X said Al-Shabab claimed responsibility"
    rendered = value(draft.claimant_english) if isinstance(draft, TranslatedDraft) and value(draft.claimant) else None
    kind = (kind_of(claimant, language) if claimant else None) or (kind_of(rendered) if rendered else None)
    kind = kind or draft.claimant_kind  # the frame's words first, then the English name the model gave
    via = [v for v in dict.fromkeys([teller, *(value(v) for v in draft.via), *relays(text, claimant, language)]) if v]
    via = [v for i, v in enumerate(via) if not same_party(v, claimant) and not any(same_party(v, w) for w in via[:i])]
    stance = cue or draft.stance
    if cue is None and stance == Stance.CLAIMED_RESPONSIBILITY and _SELF_DENIAL.search(text):
        stance = Stance.DENIED  # "we do not target civilians": the party disowns the act it speaks of
    if (
        cue is None
        and stance == Stance.CLAIMED_RESPONSIBILITY
        and not (self_act and kind in (ClaimantKind.ARMED_GROUP, ClaimantKind.OFFICIAL_BODY, ClaimantKind.NAMED_PERSON))
    ):
        stance = Stance.ASSERTED  # nobody claims anything: somebody says it happened
    if cue is None and self_act and kind == ClaimantKind.ARMED_GROUP and stance == Stance.ASSERTED:
        stance = Stance.CLAIMED_RESPONSIBILITY  # a group saying it attacked claims the attack
    reporter = kind in _REPORTERS
    if cue is None and stance in (Stance.ASSERTED, Stance.REPORTED):
        stance = Stance.REPORTED if reporter else Stance.ASSERTED  # only reporters report
    actor = value(draft.actor)
    telling = stance in (Stance.ASSERTED, Stance.REPORTED, Stance.ALLEGED)
    if actor and (any(same_party(actor, v) for v in via) or _passes_on(actor, language)):
        actor = None  # whoever passes a claim on did not do the act
    named = agent(text)  # the doer the content names, before a speaker the model made the doer
    actor = named if named and (actor is None or same_party(actor, claimant)) else actor
    actor = actor or (agent(text, _BACKDROP) if in_english else None)  # told as background, it accuses no one
    if stance in _OWN_ACTS:
        actor = actor or claimant  # the party that claims, denies or threatens its own act
        if in_english and same_party(actor, claimant) and (role := _ROLE_OF.search(text)):
            actor = role.group("group")  # "the leader of … group Boko Haram says his group was responsible"
    elif telling and same_party(actor, claimant):
        actor = None  # whoever says that it happened, or blames another, did not do it
    if actor and in_english and telling and _undergoes(actor, text):
        actor = None  # "US forces at the base were targeted": the model's doer is the target
    if cue is None and telling and named and actor == named and _a_party(named, language):
        stance = Stance.ALLEGED  # naming another party as the one who did it accuses it
    return draft.model_copy(
        update={
            "claimant": claimant,
            "claimant_kind": kind,
            "via": via,
            "stance": stance,
            "actor": actor,
            "target": value(draft.target),
            "method": means_named(draft.evidence)
            if in_english
            else [m for m in map(value, draft.method) if m and stated(m, draft.evidence)],
            "outcome": None if stance == Stance.THREATENED else _outcome(draft, in_english),
            "time_text": value(draft.time_text),
            "place": value(draft.place),
        }
    )
