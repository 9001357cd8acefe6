"""Who is who across the store: every name a claim uses (claimant, actor, target, relay, publisher) linked to
one canonical entity, every surface form kept.

Resolution runs in two steps. Within an article, a party's name is first cut to its head (`head`: descriptors
such as "Somali militant group al-Shabab", affiliations such as "the al-Qaida-linked", a descriptive tail such
as "al-Shabab militants" where the rest is a name the store uses alone, titles such as "Kenyan President" or
"Mr.", and unnamed militants named by their origin); then a bare name stands for the article's one longer
name ending with it ("Taliban" → "Pakistani Taliban"), a short form for the article's full name
(`attribution.canonical_names`: "the Resistance" → "Islamic Resistance in Iraq"), "the group" or "the
militants" for the article's one armed group, and a defined acronym for the name it was defined with ("the
Farabundo Marti National Liberation Front (FMLN)"). Across the store, those names are one entity when they
normalise alike (case, diacritics, possessives, a leading "the", transliteration variants such as
Qaida/Qaeda and Shabaab/Shabab), when the user's or claimx's aliases name them together (Daesh/ISIS/ISIL),
when an article defines one as the acronym of the other, when one is the initialism of the other and of no
other name, when one is a short form of exactly one longer name of its kind ("Iraqi Resistance"), when
rapidfuzz finds them `FUZZY_THRESHOLD` alike, or, for people, when one is the surname of exactly one other or
both share a surname and their given names are `GIVEN_NAME_SIMILARITY` alike; two names whose claimant kinds
are both known and differ are never joined by initials, short forms or similarity.
People's decisions are applied last, in the order they were made: a split form is an entity of its own; a
merge joins the entities of two forms.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from rapidfuzz import fuzz, process

from claimx.extraction.attribution import canonical_names, stems
from claimx.result import ClaimantKind
from claimx.store.links import Alias, ClaimKey, Decision, EntityRow
from claimx.store.queries import StoredClaim

Role = Literal["claimant", "actor", "target", "via", "publisher"]

FUZZY_THRESHOLD = 90.0
"""rapidfuzz ratio (0-100) of two normalised names at which they are one entity. Measured on the gold corpus
(`bench/linking.py`, docs/benchmarks.md): its scored forms give the same F1 from 80 to 100 and less below (the
rules on heads and people do the joining), and the names each level joins decide: at 80 and below wrong ones
("Kenya" and "Kenyatta", "Interfax" and "Reuters", "a suicide bomber" and "two suicide bombers"), from 85 to 95
only right ones ("… correspondent Abdulkaidr Mohamed Abdulle" with "VOA Somali …"). 90 is the middle of that
range and keeps tests/test_corpus.py's spelling pairs: it joins "Kataib Hezbollah"/"Kataib Hizbollah" (94) and
"Ain al-Assad airbase"/"… base" (92) and keeps "Islamic Resistance in Iraq"/"… in Lebanon" (84) apart;
token_sort_ratio was rejected (it sorts "airbase" away from "base": 65)."""

GIVEN_NAME_SIMILARITY = 60.0
"""rapidfuzz ratio of two people's given names, with one surname, at which they are one person: "dmitry" and
"dimtri" (67), "mohammed" and "muhammad" (75) are; different people of one family rarely share a given name this
closely."""

_FOLDS = ((r"\bqa[']?ida\b", "qaeda"), (r"\bal[\s-]+", "al "), (r"\bshabaab\b", "shabab"))
"""Transliteration variants written one way, after case, diacritics and apostrophes are folded."""
_FILLER = frozenset({"the", "of", "in", "for", "and", "al", "el", "de", "la", "du", "des", "a", "an"})
_DEFINED = re.compile(
    r"(?P<name>(?:[A-Z][\w'’.-]*)(?:\s+(?:(?:of|in|for|and|the|al|el|de|la)\s+)*[A-Z][\w'’.-]*)+)\s+\((?P<acronym>[A-Z][A-Z0-9]{1,7})\)"
)


_NAME_START = r"(?:(?:al|el|ad|an|as|ash|at|ar)[-\s])?[A-Z]"
_DESCRIBED = re.compile(
    r"^(?:.*?\s)?(?:group|organi[sz]ation|movement|militia|network|faction|outfit|grupo|organiza[cç][aã]o|"
    r"movimento|groupe|mouvement)\s+(?:[a-z][\w-]*\s+)*?(?P<name>" + _NAME_START + r"[\w'’-]*(?:\s+[\w'’-]+)*)$"
)
"""A descriptor noun and then the name: "Somali terrorist group al-Shabab", "grupo jihadista Al Shabab"."""
_LINKED = re.compile(
    r"^(?:the\s+)?(?:[\w'’]+-)+(?:linked|backed|affiliated|allied|aligned|inspired|led)\s+(?=" + _NAME_START + ")"
)
"""A leading affiliation ("the al-Qaida-linked al-Shabab"): it says who the party is tied to, not who it is."""
_SUFFIX = re.compile(
    r"\s+(?:(?:extremist|militant|terrorist|insurgent|armed|rebel|jihadist|islamist)\s+)?"
    r"(?:group|organi[sz]ation|movement|militia|militants|fighters|extremists|insurgents|rebels|members|gunmen)"
    r"(?:\s+and\s+other\s+[a-z]+)?$"
)
"""A descriptive tail ("al-Shabab militants", "… extremist group"), dropped only where the rest is a name the
store also uses alone: "Muslim militants" stays whole."""
_TITLE = re.compile(
    r"\b(?:president|prime minister|minister|director|spokes(?:man|woman|person)|secretary(?: of state)?|"
    r"chief|commander|general|gen\.|governor|mayor|senator|ambassador|king|queen|prince|colonel|col\.|"
    r"captain|lieutenant|mr\.?|mrs\.?|ms\.?|dr\.?)\s+(?P<name>[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|bin|ibn|al-\w+|de|van|von)){0,4})$",
    re.IGNORECASE,
)
"""A title, or role, before a person's name ("Kenyan President Uhuru Kenyatta", "Mr. Kenyatta"): the person."""
_FROM_PLACE = re.compile(
    r"^(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:terrorists?|militants?|insurgents?|rebels?|extremists?|gunmen|fighters|"
    r"jihadists?)(?:\s+groups?)?\s+from\s+(?:the\s+)?(?:[a-z]+\s+)*(?P<place>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)"
    r"(?:\s+region)?$"
)
"""Unnamed militants named by where they come from ("terrorists from the troubled Northern Caucasus"): one party."""


@cache  # a store names the same few thousand parties in every claim
def _lead(name: str) -> str:
    """The name without what only describes it in front: a descriptor noun, an affiliation, a title."""
    name = name.strip()
    if match := _FROM_PLACE.match(name):
        return f"militants from {match.group('place')}"
    if match := _DESCRIBED.match(name):
        name = match.group("name")
    name = _LINKED.sub("", name)
    if (match := _TITLE.search(name)) and " " in name:
        name = match.group("name")
    return name


def head(name: str, known: frozenset[str] = frozenset()) -> str:
    """The party a name names, without descriptors: "Somali militant group al-Shabab", "the al-Qaida-linked
    al-Shabab extremist group" and "al-Shabab militants" → "al-Shabab" (the tail only where `known`, the
    normalised names the store uses alone, holds the rest); "Kenyan President Uhuru Kenyatta" → "Uhuru Kenyatta".
    A name that is only a descriptor ("the group") stays as it is."""
    lead = _lead(name)
    rest = _SUFFIX.sub("", lead)
    if rest != lead and rest.strip() and normalise(_lead(rest)) in known:
        return _lead(rest)
    return lead


def _tail_name(name: str, longer: Iterable[str]) -> str:
    """Within one article, a name stands for the one longer party name ending with it as a word ("Taliban" →
    "Pakistani Taliban"); with none or several it stands for itself ("Taliban" is not "Tehrik-i-Taliban Punjab")."""
    holders = {o for o in longer if len(o) > len(name) and normalise(o).endswith(" " + normalise(name))}
    return holders.pop() if len(holders) == 1 else name


@dataclass(frozen=True)
class Mention:
    """One name in one claim: `form` as the claim has it, `local` the article's full name for it."""

    key: ClaimKey
    role: Role
    form: str
    local: str
    kind: str | None  # the claimant kind, for claimants


@dataclass(frozen=True)
class Resolution:
    entities: list[EntityRow]
    of: dict[tuple[ClaimKey, Role, str], str]  # (claim, role, form) → entity id

    def entity(self, key: ClaimKey, role: Role, form: str | None) -> str | None:
        return self.of.get((key, role, form)) if form else None


@cache  # a store names the same few thousand parties in every claim
def normalise(name: str) -> str:
    """The name as compared: case, diacritics, possessives ("Moscow's subway" is "the Moscow subway"),
    apostrophes, punctuation and a leading article folded."""
    text = re.sub(r"['’`]s\b", "", name)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['’`]", "", text)
    for pattern, replacement in _FOLDS:
        text = re.sub(pattern, replacement, text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^(?:the|a|an)\s+", "", text)


def initials(name: str) -> str:
    """The initialism of a name's content words ("Farabundo Marti National Liberation Front" → "fmnlf")."""
    return "".join(w[0] for w in normalise(name).split() if w not in _FILLER)


@cache
def is_acronym(name: str) -> bool:
    bare = re.sub(r"^the\s+", "", name.strip(), flags=re.I).replace(".", "")
    return bool(re.fullmatch(r"[A-Z][A-Z0-9]{1,7}", bare))


def definitions(text: str) -> dict[str, str]:
    """Acronyms an article defines, each with the name it defines: "… Front (FMLN)" → {"FMLN": "… Front"}.
    The name is cut to the words whose initials the acronym can hold, so "said the Islamic State (IS)" gives
    "Islamic State"."""
    found: dict[str, str] = {}
    for match in _DEFINED.finditer(text):
        acronym, words = match.group("acronym"), match.group("name").split()
        letters = Counter(acronym.lower())
        for start in range(len(words)):
            name = " ".join(words[start:])
            if initials(name)[:1] == acronym[0].lower() and not letters - Counter(initials(name)):
                found.setdefault(acronym, name)
                break
    return found


def store_definitions(texts: dict[str, str]) -> dict[str, str]:
    """The acronyms the store's articles define for one name only (normalised), which hold in every article."""
    names: dict[str, set[str]] = {}
    for text in texts.values():
        for acronym, name in definitions(text).items():
            names.setdefault(normalise(acronym), set()).add(normalise(name))
    return {acronym: next(iter(full)) for acronym, full in names.items() if len(full) == 1}


_ANAPHOR = re.compile(
    r"^(?:the\s+)?(?:(?:militant|extremist|terrorist|insurgent|armed|rebel|jihadist|islamist)\s+)?"
    r"(?:group|organi[sz]ation|movement|militants|extremists|insurgents|rebels|jihadists|fighters|gunmen)$",
    re.IGNORECASE,
)
"""A party named only by what it is ("the group", "the militants"): the article's one armed group, if it has one."""


def _expanded(form: str, defined: dict[str, str]) -> str:
    """The form, or the name the article defined it as the acronym of."""
    return defined.get(form.removeprefix("the ").strip(), form)


_OFFICE = re.compile(
    r"\b(minister|spokes(?:man|woman|person)|president|commander|governor|director|secretary|chief|mayor)\b",
    re.IGNORECASE,
)


def _same_office(short: str, full: str) -> bool:
    """Whether a short form naming an office holder ("the interior minister") can stand for `full`: only for a
    name with that office, not for an institution whose word shares its stem ("Kenya's interior ministry")."""
    office = _OFFICE.search(short)
    return office is None or re.search(rf"\b{office.group(1)}\b", full, re.IGNORECASE) is not None


def _party_names(claims: Sequence[StoredClaim], defined: dict[str, str], known: frozenset[str]) -> dict[str, str]:
    """Within one article, the name each party form stands for: its head (`head`), then the one longer name
    ending with it (`_tail_name`), then the article's longest name holding its words (`canonical_names`);
    "the group" or "the militants" stand for the article's one armed group (a claimant of that kind, or a name
    given with a group's descriptor), and for themselves where it names none or several."""
    forms = {n for i in claims for n in (i.claim.claimant, i.claim.actor, *i.claim.via) if n}
    heads = {form: head(_expanded(form, defined), known) for form in forms}
    tails = {form: _tail_name(h, set(heads.values())) for form, h in heads.items()}
    # short forms of parties only: "Israel" the actor is no short form of "Israeli cities" the target
    longest = canonical_names(list(tails.values()))
    local = {form: longest.get(t, t) if _same_office(t, longest.get(t, t)) else t for form, t in tails.items()}
    armed = {
        local[c.claimant]
        for c in (i.claim for i in claims)
        if c.claimant and c.claimant_kind == ClaimantKind.ARMED_GROUP
    }
    armed |= {local[f] for f in forms if _DESCRIBED.match(f) or (_SUFFIX.search(f) and heads[f] != f.strip())}
    armed = {name for name in armed if not _ANAPHOR.match(name)}
    if len(armed) == 1:
        local |= {form: next(iter(armed)) for form in forms if _ANAPHOR.match(form)}
    return local


def mentions(items: Sequence[StoredClaim], texts: dict[str, str]) -> list[Mention]:
    """Every name the claims use, each with the article's full name for it."""
    by_article: dict[str, list[StoredClaim]] = {}
    for item in items:
        by_article.setdefault(item.article_id, []).append(item)
    known = frozenset(normalise(_lead(n)) for i in items for n in (i.claim.claimant, i.claim.actor, *i.claim.via) if n)
    found: list[Mention] = []
    for article_id, claims in by_article.items():
        defined = definitions(texts.get(article_id, ""))
        local = _party_names(claims, defined, known)
        for item in claims:
            c, key = item.claim, (item.article_id, item.claim.id)
            named: list[tuple[Role, str | None]] = [("claimant", c.claimant), ("actor", c.actor), ("target", c.target)]
            named += [("via", v) for v in c.via] + [("publisher", item.publisher)]
            for role, form in named:
                if form:
                    kind = c.claimant_kind.value if role == "claimant" else None
                    name = local[form] if role not in ("target", "publisher") else _expanded(form, defined)
                    if role == "target" and normalise(party := head(name, known)) in known:
                        name = party  # a target that is a party the store knows, described: "the … extremist group"
                    found.append(Mention(key, role, form, name, kind))
    return found


class _Groups:
    """Union-find over names."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, name: str) -> str:
        self.parent.setdefault(name, name)
        while self.parent[name] != name:
            self.parent[name] = self.parent[self.parent[name]]
            name = self.parent[name]
        return name

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _kinds_agree(a: str | None, b: str | None) -> bool:
    unknown = (None, ClaimantKind.UNKNOWN.value)
    return a in unknown or b in unknown or a == b


def _node_kinds(found: Iterable[Mention], node_of: dict[Mention, str]) -> dict[str, str | None]:
    counts: dict[str, Counter[str]] = {}
    for m in found:
        counter = counts.setdefault(node_of[m], Counter())
        if m.kind and m.kind != ClaimantKind.UNKNOWN.value:
            counter[m.kind] += 1
    return {node: (c.most_common(1)[0][0] if c else None) for node, c in counts.items()}


def _join_similar(groups: _Groups, nodes: Sequence[str], kinds: dict[str, str | None], acronyms: set[str]) -> None:
    """Initialisms and near-identical spellings, compared only within blocks of a shared word start."""
    by_initials: dict[str, set[str]] = {}
    for node in nodes:
        if node not in acronyms and len(node.split()) > 1:
            by_initials.setdefault("".join(sorted(initials(node))), set()).add(node)
    for node in sorted(acronyms):
        whole = by_initials.get("".join(sorted(node.replace(" ", ""))), set())
        agreeing = {n for n in whole if _kinds_agree(kinds[n], kinds[node])}
        if len({groups.find(n) for n in agreeing}) == 1:
            groups.union(node, next(iter(agreeing)))
    _join_short_forms(groups, nodes, kinds, acronyms)
    blocks: dict[str, list[str]] = {}
    for node in nodes:
        for word in {w[:4] for w in node.split() if w not in _FILLER and len(w) > 2}:
            blocks.setdefault(word, []).append(node)
    for block in blocks.values():
        for i, a in enumerate(block[:-1]):
            later = block[i + 1 :]
            for _, _, j in process.extract(a, later, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=None):
                if _kinds_agree(kinds[a], kinds[later[j]]):
                    groups.union(a, later[j])


def _join_short_forms(groups: _Groups, nodes: Sequence[str], kinds: dict[str, str | None], acronyms: set[str]) -> None:
    """A short form of two words or more ("Iraqi Resistance") is the entity of the one longer name of its kind
    holding all its words ("Islamic Resistance in Iraq"); with two such entities it stays apart. Across articles
    a single word is no short form ("Taliban" is not "Tehrik-i-Taliban Punjab"), nor is a name of unknown kind
    (targets, relays): those are left to similarity."""
    by_stem: dict[str, set[str]] = {}
    named = [n for n in nodes if kinds[n] and n not in acronyms]
    for node in named:
        for stem in stems(node):
            by_stem.setdefault(stem, set()).add(node)
    for node in named:
        mine = stems(node)
        if len(mine) < 2:
            continue
        longer = set.intersection(*(by_stem[s] for s in mine)) - {node}
        holders = {
            groups.find(n) for n in longer if len(n) > len(node) and kinds[n] == kinds[node] and _same_office(node, n)
        }
        if len(holders) == 1:
            groups.union(node, holders.pop())


def _join_people(groups: _Groups, nodes: Sequence[str], kinds: dict[str, str | None]) -> None:
    """People by surname: a surname alone ("Mr. Kenyatta") is the one person of that surname in the store, and
    two full names with one surname are one person when their given names are `GIVEN_NAME_SIMILARITY` alike
    (a misspelling or transliteration: Dmitry/Dimtri); "Uhuru Kenyatta" and "Jomo Kenyatta" stay apart."""
    people: dict[str, list[str]] = {}
    for node in nodes:
        if kinds[node] == ClaimantKind.NAMED_PERSON.value:
            people.setdefault(node.split()[-1], []).append(node)
    for named in people.values():
        full = [n for n in named if " " in n]
        for i, a in enumerate(full):
            for b in full[i + 1 :]:
                given_a, given_b = a.rsplit(" ", 1)[0], b.rsplit(" ", 1)[0]
                if fuzz.ratio(given_a, given_b) >= GIVEN_NAME_SIMILARITY:
                    groups.union(a, b)
        bare = [n for n in named if " " not in n]
        if bare and len({groups.find(n) for n in full}) == 1:
            for node in bare:
                groups.union(node, full[0])


def _entity_id(name: str, kind: str) -> str:
    return "ent-" + hashlib.sha1(f"{normalise(name)}|{kind}".encode()).hexdigest()[:10]


def resolve(
    found: Sequence[Mention],
    aliases: Sequence[Alias] = (),
    decisions: Sequence[Decision] = (),
    defined: dict[str, str] | None = None,
) -> Resolution:
    """The entities the mentions name (see the module's docstring), with a map from each mention to its entity;
    `defined` holds the acronyms the store's articles define (`store_definitions`)."""
    alias_of = {normalise(name): a for a in aliases for name in (a.canonical, *a.aliases)}
    splits: set[str] = set()
    merges: list[tuple[str, str]] = []
    for decision in decisions:
        if decision.action == "split":
            splits.add(decision.form)
            merges = [m for m in merges if decision.form not in m]
        elif decision.other:
            merges.append((decision.form, decision.other))
    node_of = {m: f"split:{m.form}" if m.form in splits else normalise(m.local) or m.local.lower() for m in found}
    groups = _Groups()
    nodes = sorted(set(node_of.values()))
    for node in nodes:
        groups.find(node)
        if node in alias_of:
            groups.union(node, "alias:" + alias_of[node].canonical)
    kinds = _node_kinds(found, node_of)
    for acronym, full in (defined or {}).items():
        if acronym in kinds and full in kinds and _kinds_agree(kinds[acronym], kinds[full]):
            groups.union(acronym, full)
    acronyms = {node_of[m] for m in found if is_acronym(m.local) and m.form not in splits}
    _join_similar(groups, [n for n in nodes if not n.startswith("split:")], kinds, acronyms)
    _join_people(groups, [n for n in nodes if not n.startswith(("split:", "alias:"))], kinds)
    first_node: dict[str, str] = {}
    for m in found:
        first_node.setdefault(m.form, node_of[m])
    for a, b in merges:
        if a in first_node and b in first_node:
            groups.union(first_node[a], first_node[b])
    members: dict[str, list[Mention]] = {}
    for m in found:
        members.setdefault(groups.find(node_of[m]), []).append(m)
    return _entities(members, alias_of, groups)


def _entities(members: dict[str, list[Mention]], alias_of: dict[str, Alias], groups: _Groups) -> Resolution:
    entities: list[EntityRow] = []
    of: dict[tuple[ClaimKey, Role, str], str] = {}
    taken: set[str] = set()
    canonical_alias = {groups.find("alias:" + a.canonical): a for a in alias_of.values()}
    for root, group in sorted(members.items()):
        alias = canonical_alias.get(root)
        kinds = Counter(m.kind for m in group if m.kind and m.kind != ClaimantKind.UNKNOWN.value)
        kind = (alias.kind if alias and alias.kind else None) or (
            kinds.most_common(1)[0][0] if kinds else ClaimantKind.UNKNOWN.value
        )
        locals_ = Counter(re.sub(r"^(?:the|The)\s+", "", m.local) for m in group)
        full = [n for n in locals_ if not is_acronym(n)] or list(locals_)
        surnames = {n for n in full if any(o != n and normalise(o).endswith(" " + normalise(n)) for o in full)}
        name = alias.canonical if alias else max(full, key=lambda n: (n not in surnames, locals_[n], len(n), n))
        entity_id = _entity_id(name, kind)
        while entity_id in taken:
            entity_id = _entity_id(entity_id, kind)
        taken.add(entity_id)
        forms = Counter(m.form for m in group)
        entities.append(
            EntityRow(
                entity_id,
                name,
                kind,
                alias.external_id if alias else None,
                tuple(sorted(forms.items(), key=lambda f: (-f[1], f[0]))),
            )
        )
        for m in group:
            of[(m.key, m.role, m.form)] = entity_id
    return Resolution(sorted(entities, key=lambda e: (e.name.lower(), e.id)), of)
