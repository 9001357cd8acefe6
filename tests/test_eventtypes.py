"""Every claim gets an event type from its own words, in ACLED's sub-event vocabulary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimx.cli.main import main
from claimx.eventtypes import ACLED_TYPES, EventType, classify
from claimx.result import Stance
from claimx.store import Store, StoreError
from tests.helpers import build_result, save
from tests.report_samples import evidence, make_claim


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (["drone"], EventType.AIR_DRONE_STRIKE),
        (["airstrike"], EventType.AIR_DRONE_STRIKE),
        (["warplanes"], EventType.AIR_DRONE_STRIKE),
        (["artillery"], EventType.SHELLING_ARTILLERY_MISSILE),
        (["Katyusha rockets"], EventType.SHELLING_ARTILLERY_MISSILE),
        (["short-range ballistic missiles"], EventType.SHELLING_ARTILLERY_MISSILE),
        (["roadside bomb"], EventType.REMOTE_EXPLOSIVE),
        (["suicide bomber"], EventType.SUICIDE_BOMB),
        (["grenade"], EventType.GRENADE),
        (["intercepted"], EventType.DISRUPTED_WEAPONS_USE),
        (["kidnapped"], EventType.ABDUCTION),
        (["gunmen"], EventType.ARMED_CLASH),
    ],
)
def test_the_means_a_method_names_decide_the_type(method: list[str], expected: EventType) -> None:
    assert classify(method, None, ["They said so."]) == expected


def test_the_method_wins_over_the_quote() -> None:
    assert classify(["rockets"], None, ["a drone was seen over the base"]) == EventType.SHELLING_ARTILLERY_MISSILE


@pytest.mark.parametrize(
    ("outcome", "quote", "expected"),
    [
        (None, "The group said its drones struck the base.", EventType.AIR_DRONE_STRIKE),
        ("a car bomb exploded", "Police said the blast killed nine.", EventType.REMOTE_EXPLOSIVE),
        (None, "Police said the attack killed nine people.", EventType.ATTACK),
        ("12 dead", "The ministry said so on Monday.", EventType.ATTACK),
        (None, "The minister said talks on prisoner exchanges would resume next week.", EventType.OTHER_STATEMENT),
        (None, "A spokesman said the aid convoy reached the city.", EventType.OTHER_STATEMENT),
    ],
)
def test_without_a_method_the_quotes_and_outcome_decide(outcome: str | None, quote: str, expected: EventType) -> None:
    assert classify([], outcome, [quote]) == expected


@pytest.mark.parametrize(
    ("quote", "claimant", "actor", "expected"),
    [
        ("The president condemned the rocket attack on the town.", "The president", None, EventType.OTHER_STATEMENT),
        (
            "The spokesman expressed regret over the deaths.",
            "The spokesman",
            "The spokesman",
            EventType.OTHER_STATEMENT,
        ),
        ("Villagers marked the anniversary of the bombing.", "Villagers", None, EventType.OTHER_STATEMENT),
        ("The minister called the bombing cowardly.", "The minister", None, EventType.OTHER_STATEMENT),
        (  # naming who did it accuses: still about the attack
            "The ministry condemned the rocket attack the Front carried out.",
            "The ministry",
            "the Front",
            EventType.SHELLING_ARTILLERY_MISSILE,
        ),
        ("Police said rockets hit the town.", "Police", None, EventType.SHELLING_ARTILLERY_MISSILE),
    ],
)
def test_a_reaction_that_names_no_doer_is_no_attack_claim(
    quote: str, claimant: str, actor: str | None, expected: EventType
) -> None:
    assert classify(["rockets"] if "rocket" in quote else [], None, [quote], claimant=claimant, actor=actor) == expected


def test_a_claim_carries_its_type_in_its_json() -> None:
    quote = "The group said it targeted the base with drones."
    drone = make_claim("c1", Stance.CLAIMED_RESPONSIBILITY, [evidence(quote, quote)])
    assert drone.event_type == EventType.AIR_DRONE_STRIKE
    assert drone.model_dump(mode="json")["event_type"] == "air_drone_strike"


def test_every_type_but_attack_and_statement_has_an_acled_sub_event() -> None:
    assert set(EventType) - set(ACLED_TYPES) == {EventType.ATTACK, EventType.OTHER_STATEMENT}


def test_the_store_and_the_cli_filter_on_event_types(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    with Store(db) as store:
        save(store, build_result(), "article-one")
        shelling = store.claims(event_type="shelling_artillery_missile_attack")
        assert [i.claim.id for i in shelling] == ["c1bb52f242ed", "6197d8cd76c8"]
        assert len(store.claims(event_type="attacks")) == 4 and store.claims(event_type="other_statement") == []
        with pytest.raises(StoreError, match="choose from attacks, suicide_bomb"):
            store.claims(event_type="bombing")
    out = CliRunner().invoke(main, ["claims", "--db", str(db), "--event-type", "armed_clash", "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    assert [json.loads(line)["claim"]["event_type"] for line in out.output.splitlines()] == ["armed_clash"]


@pytest.mark.parametrize(
    "quote",
    [
        "Le ministère a affirmé que la frappe avait fait trois morts et que l'attentat était déjoué.",
        "La policía dijo que el atentado dejó cuatro muertos.",
        "Die Polizei sagte, der Anschlag habe zwei Tote gefordert.",
        "Губернатор заявил, что в результате обстрела погибли два человека.",
        "Міністерство повідомило про вибух на складі.",
        "وقال الجيش إن القصف استهدف مواقع في البلدة.",
        "سخنگو گفت در این حمله دو نفر کشته شدند.",
        "Valilik, saldırıda iki kişinin yaralandığını açıkladı.",
        "警方表示，爆炸造成三人死亡。",
    ],
)
def test_words_of_conflict_in_other_languages_keep_a_claim_in_scope(quote: str) -> None:
    assert classify([], None, [quote]) == EventType.ATTACK


def test_a_statement_in_another_language_with_no_word_of_violence_is_other() -> None:
    assert classify([], None, ["Le ministre a déclaré que les négociations reprendront lundi."]) == (
        EventType.OTHER_STATEMENT
    )
