"""The act a claim's quotes describe, as far as their words settle it: the means ("a car bomb", "drones",
"guns and explosives") and the result ("nine people were killed and 31 injured", "the depot was destroyed").

The small model named the attackers, the dead or a truck's colour as a method as often as the weapon, and left
the outcome empty for a third of the quotes that state a toll; the corpus's contradictions are read from
outcomes. What a quote gives as the act's motive ("in retaliation for the killing of ...") is another act and
is not read. English only: other languages keep the model's reading.

Means: a weapon noun with the modifiers that make it a kind of weapon ("short-range ballistic missiles",
"remote-controlled bombs"). One that only modifies an event names the means ("the drone attack" → "drone");
one that modifies a place or a person ("rocket launch sites", "bomb disposal experts") names none.

Result: each clause whose verb is a result (killed, wounded, destroyed, a death toll), from its counted subject
("19 people were killed") or from the verb with its object ("killed two people and wounded 13 others"), to
the end of the clause.
"""

from __future__ import annotations

import re

_MOTIVE = re.compile(r"\b(?:retaliation|revenge|response|reprisal|answer)\s+(?:for|to)\b.*", re.I | re.S)
"""What an act answers ("in retaliation for the killing of ..."): the motive, not the act's result."""

WEAPONS = (
    r"explosive\s+devices?|mortar\s+rounds?|machine\s+guns?|rocket\s+launchers?|chemical\s+weapons?|"
    r"fighter\s+jets?|helicopter\s+gunships?|air\s+raids?|air\s?strikes?|small\s+arms|booby[- ]traps?|"
    r"(?:sniper|tank|artillery|mortar|machine[- ]gun|rocket)\s+fire|(?:aerial\s+)?bombardments?|"
    r"bombs?|bombings?|explosives?|ieds?|vbieds?|landmines?|drones?|uavs?|rockets?|missiles?|mortars?|shells?|"
    r"shelling|artillery|grenades?|rpgs?|warplanes?|gunships?|helicopters?|(?<!think\s)(?<!fuel\s)tanks?|guns?|"
    r"gunfire|rifles?|firearms?|knives|knife|machetes?"
)
"""Weapon nouns, as a regex alternation (case-insensitive); compounds first, so "mortar rounds" is read
whole before "mortar" alone."""

_MODIFIER = (
    r"(?:twin|suicide|car|truck|roadside|letter|parcel|pipe|barrel|cluster|nail|remote[- ]controlled|"
    r"remotely[- ]detonated|home-?made|improvised|"
    r"explosive[- ]laden|booby[- ]trapped|short[- ]range|medium[- ]range|long[- ]range|intermediate[- ]range|"
    r"ballistic|cruise|guided|precision[- ]guided|anti[- ]tank|anti[- ]aircraft|anti[- ]ship|"
    r"surface[- ]to[- ](?:air|surface)|air[- ]to[- ]surface|rocket[- ]propelled|kamikaze|attack|armed|combat|"
    r"artillery|mortar|tank|hand|sticky|magnetic|incendiary|phosphorus|motorcycle|bicycle|Qassam|Katyusha|Grad|"
    r"Shahed|Hellfire|Scud)"
)
"""Words before a weapon noun that make it a kind of weapon (kept in the method)."""

_PHRASE = re.compile(
    rf"\b(?P<means>(?:{_MODIFIER}[\s-]+)*(?:{WEAPONS}))\b(?=(?P<next>[\s-]+[\w-]+)?)",
    re.I,
)
_NOT_MEANS = re.compile(
    r"[\s-]+(?:launch|sites?|factory|factories|workshops?|makers?|making|disposal|squads?|experts?|"
    r"technicians?|cells?|networks?|plots?|threats?|scares?|shelters?|proof|hoax\w*)$",
    re.I,
)
"""A noun after a weapon that makes it a place, a person or a plan, not a means used."""


def means_named(quotes: list[str]) -> list[str]:
    """The weapons or means the quotes name, as written, in order, each once: a phrase that only repeats a
    weapon a longer phrase already named ("the bomb" after "a car bomb") adds nothing."""
    found: list[str] = []
    for match in (m for quote in quotes for m in _PHRASE.finditer(_MOTIVE.sub("", quote))):
        following = match.group("next") or ""
        if _NOT_MEANS.match(following):
            continue
        means = " ".join(match.group("means").split())
        if not any(_repeats(means, earlier) for earlier in found):
            found = [f for f in found if not _repeats(f, means)]
            found.append(means)
    return found


def _repeats(short: str, long: str) -> bool:
    """Whether `short` names no more than `long` does: its words, plural or not, all within `long`'s."""
    stem = {w.casefold().rstrip("s") for w in short.split()}
    return stem <= {w.casefold().rstrip("s") for w in long.split()}


_ABOUT = r"(?:at\s+least|more\s+than|over|nearly|almost|about|around|some|up\s+to|as\s+many\s+as|an\s+estimated)"
"""What qualifies a figure: "at least 12", "nearly 40"."""
_COUNT = (
    rf"(?:{_ABOUT}\s+)?"
    r"(?:\d[\d,]*|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety)(?:-\w+)?|"
    r"a\s+dozen|dozens|scores|hundreds|thousands|tens|several|many|a|an|the|both|all|its|their|his|her|no)"
)
"""The start of a counted subject: a number, a vague count, or a determiner."""
_NOT_SUBJECT = r"(?:(?:and|or|but|that|who|which|said|say|says|has|have|had)\b|\d[\d,]*\s)"
"""Words a counted subject cannot span: a clause boundary, an active auxiliary, or a count of its own."""
_SUBJECT = (
    rf"\b{_COUNT}(?:\s+of\s+the)?(?:\s+(?!{_NOT_SUBJECT})[\w'’-]+){{0,4}}?(?:,\s+including\s+[^,;.]+,)?"
    r"(?P<relative>\s+(?:who|which|that)\s+[^,;:.!?\"“”]{1,80}?)?\s+"
)
"""A counted subject, and the relative clause that may describe it ("two of the gunmen who attacked a college"):
the clause is left out of the result."""
_END = (
    r"(?:in|at(?!\s+least)|on|after|when|during|near|since|following|while|as|because|before|across|inside|"
    r"outside|from|by|according)"
)
"""A preposition or conjunction that starts a clause's place, time or cause: where its result ends."""
_AUX = r"(?:was|were|is|are|has\s+been|have\s+been|had\s+been|been)\s+(?:\w+ly\s+)?"
_DONE_TO = (
    r"(?:killed|wounded|injured|hurt|damaged|destroyed|hit|hospitali[sz]ed|burned\s+down|burnt\s+down|razed|"
    r"massacred|executed|beheaded|shot\s+dead|"
    r"flattened)\b"
)
_UNDERGONE = r"(?:(?<!\bthe\s)dead|died|perished|missing|collapsed)\b"
_PASSIVE = rf"(?:{_AUX}{_DONE_TO}|(?:{_AUX})?{_UNDERGONE}|{_DONE_TO}(?=\s*(?:[,;:.!?]|$|\s+(?:and|{_END})\b)))"
"""A result the subject underwent: "were killed", "died", "19 people killed" (a headline's, with no object)."""
_ACTIVE = (
    r"\b(?:killed|killing|kills|wounded|wounding|injured|injuring|destroyed|destroying|damaged|damaging|"
    r"massacred|massacring|executed|beheaded|shot\s+dead|burned\s+down|burning\s+down)\s+"
    rf"(?!(?:and|of|{_END})\b)(?=\S)"
)
NOT_A_TOLL = r"(?![\s-]+(?:roads?|booths?|plazas?|gates?|free|bridges?)\b)"
"""What after "toll" makes it no count of the dead: a toll road, booth or bridge."""
TOLL_REACHES = r"(?:to|at|as|of|reached|hit|is|was)"
"""The words before the figure a toll reaches ("has risen to 512", "was reported as 358")."""
_TOLL = (
    rf"\b(?:the\s+)?(?:death\s+)?toll{NOT_A_TOLL}(?:\s+[\w.-]+){{0,12}}?\s+"
    rf"(?:{TOLL_REACHES}\s+(?:{_ABOUT}\s+)?|{_ABOUT}\s+)\d+(?:,\d{{3}})*"
    r"|\bdeath\s+toll\s+\d+(?:,\d{3})*|\b(?:no|heavy)\s+casualties\b"
)
"""A toll and its figure: "the death toll from the Oct. 14 bombing has risen to 512", "the toll had been reported
as 358" (the figure the toll reaches, not a date's day on the way)."""
_CLAUSE = re.compile(
    rf"(?P<start>{_SUBJECT}{_PASSIVE}|{_ACTIVE}|{_TOLL})(?P<rest>(?:(?!\s+{_END}\b)[^,;:.!?\"“”])*)",
    re.I,
)
"""A result clause: its start (a counted subject and a result verb, a result verb and its object, or a toll)
and the rest of the clause, up to punctuation or a preposition that starts a place, time or cause."""


def _without_relative(found: re.Match[str]) -> str:
    start, end = found.span("relative")
    text = found.group(0)
    return text if start < 0 else text[: start - found.start()] + text[end - found.start() :]


def outcome_stated(quotes: list[str]) -> str | None:
    """The result clauses of the quotes, joined with "; " (None when they state no result)."""
    clauses = [" ".join(_without_relative(m).split()) for q in quotes for m in _CLAUSE.finditer(_MOTIVE.sub("", q))]
    return "; ".join(dict.fromkeys(clauses)) or None
