"""What kind of event a claim is about, in ACLED's sub-event vocabulary, read from the claim's own words.

The model is never asked: the method words settle the type where they name a means (drones, rockets, an
IED), the quotes and the outcome where the method is empty, and a claim with words of conflict but no
means is an `attack`. A claim with no word of violence at all (talks, aid, a statement of policy) is an
`other_statement`, so users and `claimx eval` can keep to attack-related claims without dropping any.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum


class EventType(StrEnum):
    SUICIDE_BOMB = "suicide_bomb"
    CHEMICAL_WEAPON = "chemical_weapon"
    DISRUPTED_WEAPONS_USE = "disrupted_weapons_use"
    AIR_DRONE_STRIKE = "air_drone_strike"
    REMOTE_EXPLOSIVE = "remote_explosive"
    GRENADE = "grenade"
    SHELLING_ARTILLERY_MISSILE = "shelling_artillery_missile_attack"
    ABDUCTION = "abduction"
    ARRESTS = "arrests"
    ARMED_CLASH = "armed_clash"
    ATTACK = "attack"
    OTHER_STATEMENT = "other_statement"


ACLED_TYPES: dict[EventType, tuple[str, str]] = {
    EventType.SUICIDE_BOMB: ("Explosions/Remote violence", "Suicide bomb"),
    EventType.CHEMICAL_WEAPON: ("Explosions/Remote violence", "Chemical weapon"),
    EventType.DISRUPTED_WEAPONS_USE: ("Strategic developments", "Disrupted weapons use"),
    EventType.AIR_DRONE_STRIKE: ("Explosions/Remote violence", "Air/drone strike"),
    EventType.REMOTE_EXPLOSIVE: ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    EventType.GRENADE: ("Explosions/Remote violence", "Grenade"),
    EventType.SHELLING_ARTILLERY_MISSILE: ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    EventType.ABDUCTION: ("Violence against civilians", "Abduction/forced disappearance"),
    EventType.ARRESTS: ("Strategic developments", "Arrests"),
    EventType.ARMED_CLASH: ("Battles", "Armed clash"),
}
"""ACLED's event type and sub-event type for each type that has one. An `attack` with no named means is
left to the coder: ACLED's "Attack" sub-event is violence against civilians, which the words alone do
not settle."""

EVENT_TYPE_GROUPS: dict[str, list[EventType]] = {"attacks": [t for t in EventType if t != EventType.OTHER_STATEMENT]}
"""Names a filter accepts besides the types themselves: `attacks` is every type but `other_statement`."""

_MEANS: tuple[tuple[EventType, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.I))
    for kind, pattern in (
        (EventType.SUICIDE_BOMB, r"suicide"),
        (EventType.CHEMICAL_WEAPON, r"chemical|sarin|chlorine|mustard gas|nerve agent"),
        (EventType.DISRUPTED_WEAPONS_USE, r"intercept|shot down|air defen[cs]e|downed"),
        (
            EventType.AIR_DRONE_STRIKE,
            r"\bdrones?\b|\buavs?\b|unmanned|air ?strikes?|airstrikes?|air raids?|warplanes?|fighter jets?|\bjets?\b|"
            r"aircraft|helicopters?|bombers?|aerial|kamikaze",
        ),
        (
            EventType.REMOTE_EXPLOSIVE,
            r"\bied\b|improvised explosive|roadside bomb|landmines?|\bmines?\b|car bomb|vbied|booby",
        ),
        (EventType.GRENADE, r"grenades?"),
        (
            EventType.SHELLING_ARTILLERY_MISSILE,
            r"shell(s|ing|ed)?\b|artillery|mortars?|rockets?|missiles?|howitzers?|katyushas?|projectiles?|\bgrad\b|"
            r"ballistic|cruise missile|mlrs|tank fire",
        ),
        (EventType.ABDUCTION, r"abduct|kidnap|hostage"),
        (EventType.ARRESTS, r"\barrest|detain|detention"),
        (
            EventType.ARMED_CLASH,
            r"clash|firefight|gunfight|shoot-?out|gunfire|small arms|rifles?|snipers?|ambush|machine ?guns?|shooting|"
            r"gunmen|assault|raid|storm",
        ),
    )
)
"""Means → type; the first that matches wins, so the most specific come first."""

_CONFLICT = re.compile(
    r"\b(?:attack\w*|target\w*|struck|strikes?|hit|bomb\w*|blasts?|explo\w*|kill\w*|dead|deaths?|died|dies|"
    r"wounded|injur\w*|casualt\w*|victims?|rubble|fired|firing|shot|launched|destroyed|assassinat\w*|"
    r"massacre\w*|offensive|operations?\s+against|retaliat\w*|battles?|fight\w*|fought|war|violen\w*|"
    r"truce|cease-?fire|hostilit\w*|insurgen\w*|militants?|terroris\w*|seiz\w*|captur\w*|overr[au]n|"
    r"(?:took|taken|take|taking)\s+control)\b",
    re.I,
)
"""Words of armed conflict: a claim that has them and names no means is an `attack`. The list is wide on
purpose, so that only a claim with no word of violence at all is set aside as an `other_statement`."""
_CONFLICT_ELSEWHERE = re.compile(
    "|".join(
        (
            # French, Spanish, German (stems, matched anywhere in a word)
            r"attaqu|attentat|bombard|tués?\b|blessé|explos|roquette|obus|combats?\b|victimes?\b|"
            r"ataque|atentado|muert[oa]s?\b|herid[oa]s?\b|cohete|misil|combate|víctima|"
            r"angriff|angegriff|anschlag|bombe|getötet|tote\b|verletzt|rakete|beschuss|beschoss|kämpf|drohne",
            # Russian, Ukrainian
            r"атак|обстрел|обстріл|взрыв|вибух|погиб|загин|убит|вбит|ранен|поранен|ракет|беспилотник|безпілотник|"
            r"бомб|теракт|удар",
            # Arabic, Persian, Turkish
            r"هجوم|هجمات|قصف|انفجار|تفجير|قتل|قتلى|مقتل|جرحى|صاروخ|صواريخ|مسير|غارة|استهد|اشتباك|"
            r"حمله|کشته|زخمی|موشک|پهپاد|بمباران|درگیری|"
            r"saldır|bombal|patlama|öldür|yaral|füze|roket|çatışma",
            # Chinese
            r"袭击|攻击|爆炸|炸弹|死亡|身亡|丧生|受伤|导弹|火箭|无人机|空袭|炮击|交火|遇难",
        )
    ),
    re.I,
)
"""The same in the other languages claimx has cue lexicons for, so that a claim quoted in one of them is not
set aside for lacking English words (its means are read only in English: such a claim is an `attack`)."""


_REACTION = re.compile(
    r"\b(?:condemn\w*|regret\w*|appall\w*|mourn\w*|tributes?|sympath\w*|condolences?|anniversar\w*|commemorat\w*|"
    r"remember\w*|remembrance|cowardly|senseless|heinous|outrag\w*|deplor\w*|shocked|saddened|griev\w*)\b",
    re.I,
)
"""English words of a reaction to an event: condemning, regretting, mourning or remembering it."""


def classify(
    method: Iterable[str],
    outcome: str | None,
    quotes: Iterable[str],
    *,
    claimant: str | None = None,
    actor: str | None = None,
) -> EventType:
    """The claim's event type: from the means its method names, else from the means or the words of
    conflict in its quotes and outcome, else `other_statement`. A reaction to an event (condemning,
    regretting, mourning or remembering it) that names no doer but its own claimant is an `other_statement`
    too: it says what somebody makes of the event, not what happened. One that names the doer ("condemned
    the attack the Front carried out") accuses, and keeps its type."""
    quotes = list(quotes)
    others = bool(actor and actor.casefold() != (claimant or "").casefold())
    if not others and _REACTION.search(" ".join(quotes)):
        return EventType.OTHER_STATEMENT
    named = " ".join(method)
    said = " ".join([outcome or "", *quotes])
    for text in (named, said):
        for kind, means in _MEANS:
            if text and means.search(text):
                return kind
    words = f"{named} {said}"
    return (
        EventType.ATTACK if _CONFLICT.search(words) or _CONFLICT_ELSEWHERE.search(words) else EventType.OTHER_STATEMENT
    )
