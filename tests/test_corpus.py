"""Linking across articles on a small constructed corpus stored through the real store API: entities, events
with stable ids, independent sources, contradictions, the CLI and the exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import claimx
from claimx.cli.main import main
from claimx.corpus import aliases, events, link, link_claims
from claimx.corpus.entities import FUZZY_THRESHOLD, definitions, normalise
from claimx.store import Store, StoredClaim
from claimx.store.fatalities import parse_fatalities
from claimx.store.links import Alias, Decision
from tests.corpus_samples import store_corpus
from tests.helpers import build_result

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.db"
    with Store(path) as store:
        store_corpus(store)
    return path


def entity_of(store: Store, form: str) -> str:
    return next(e.name for e in store.linked_entities() if form in dict(e.forms))


def test_names_resolve_within_the_article_and_across_the_store(db: Path) -> None:
    with Store(db) as store:
        link(store)
        iri = "Islamic Resistance in Iraq"
        assert entity_of(store, "The IRI") == iri  # defined in one article, used alone in another
        assert entity_of(store, "The Iraqi Resistance") == iri  # a short form of one longer name, across articles
        assert entity_of(store, "FMLN") == "Farabundo Marti National Liberation Front"  # acronym, word order apart
        assert entity_of(store, "Kataib Hezbollah") == "Kataib Hezbollah"
        assert entity_of(store, "Ain al-Assad airbase") == entity_of(store, "the Ain al-Assad base")
        forms = {f for e in store.linked_entities() for f, _ in e.forms}
        assert {"The IRI", "The Iraqi Resistance", "The Islamic Resistance in Iraq", "FMLN"} <= forms  # all kept


def test_normalising_and_similarity() -> None:
    assert normalise("Al-Qa'ida") == normalise("al Qaeda") == "al qaeda"
    assert normalise("The Hay’at Tahrir al-Sham") == normalise("Hayat Tahrir al Sham")
    assert definitions("fighters of the Farabundo Marti National Liberation Front (FMLN) said") == {
        "FMLN": "Farabundo Marti National Liberation Front"
    }
    assert definitions("officials said the Islamic State (IS) claimed it") == {"IS": "Islamic State"}
    from rapidfuzz import fuzz

    same = [("kataib hezbollah", "kataib hizbollah"), ("ain al assad airbase", "ain al assad base")]
    apart = [("islamic resistance in iraq", "islamic resistance in lebanon"), ("hamas", "hama")]
    assert all(fuzz.ratio(a, b) >= FUZZY_THRESHOLD for a, b in same)
    assert all(fuzz.ratio(a, b) < FUZZY_THRESHOLD for a, b in apart)


def _claims(*drafts: dict, publisher: str = "Wire", published: date = date(2024, 3, 2)) -> list[StoredClaim]:
    text = "Headline\n" + " ".join(d["evidence"][0] for d in drafts) + "\n"
    result = build_result(text, list(drafts), published=published, publisher=publisher)
    return [StoredClaim(c, publisher, 1, "m", "whole", publisher, published, None) for c in result.claims]


def _group(name: str, sentence: str, kind: str = "armed_group") -> dict:
    return {
        "evidence": [sentence],
        "claimant": name,
        "claimant_kind": kind,
        "stance": "claimed_responsibility",
        "target": "the depot",
        "place": "Mosul",
    }


def test_aliases_kinds_and_short_forms_that_name_two_entities() -> None:
    items = [
        *_claims(_group("Daesh", "Daesh said it hit the depot."), publisher="A"),
        *_claims(_group("ISIL", "ISIL said it hit the depot."), publisher="B"),
        *_claims(_group("Islamic Resistance in Lebanon", "Islamic Resistance in Lebanon said so."), publisher="C"),
        *_claims(_group("Islamic Resistance in Iraq", "Islamic Resistance in Iraq said so."), publisher="D"),
        *_claims(_group("the Resistance", "the Resistance said so."), publisher="E"),
        *_claims(_group("Mosul police", "Mosul police said so.", "official_body"), publisher="F"),
        *_claims(_group("Mosul Polise", "Mosul Polise said so.", "armed_group"), publisher="G"),
    ]
    found = link_claims(items, {})
    name = {f: e.name for e in found.entities for f, _ in e.forms}
    assert name["Daesh"] == name["ISIL"] == "Islamic State"  # claimx's own aliases
    assert name["the Resistance"] == "Resistance"  # a short form of two entities stays apart
    assert name["Islamic Resistance in Lebanon"] != name["Islamic Resistance in Iraq"]
    ids = {f: e.id for e in found.entities for f, _ in e.forms}
    assert ids["Mosul police"] != ids["Mosul Polise"]  # similar names but claimant kinds that differ
    mine = [Alias("ISIS", ("Daesh",), "armed_group", "Q0000")]  # the user's entry takes Daesh
    relinked = link_claims(items, {}, aliases=mine)
    entity = next(e for e in relinked.entities if "Daesh" in dict(e.forms))
    assert (entity.name, entity.external_id) == ("ISIS", "Q0000")
    assert dict(entity.forms) == {"Daesh": 1}  # ISIL stays with claimx's Islamic State


def test_alias_files_csv_and_yaml(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("canonical,aliases,kind,external_id\nFMLN,Frente; F.M.L.N.,armed_group,Q1\n")
    (tmp_path / "a.yaml").write_text("- canonical: FMLN\n  aliases: [Frente, F.M.L.N.]\n  kind: armed_group\n")
    assert aliases.load(tmp_path / "a.csv") == [Alias("FMLN", ("Frente", "F.M.L.N."), "armed_group", "Q1")]
    assert aliases.load(tmp_path / "a.yaml") == [Alias("FMLN", ("Frente", "F.M.L.N."), "armed_group", None)]
    (tmp_path / "bad.csv").write_text("canonical,aliases,kind\nX,,rebels\n")
    with pytest.raises(claimx.InputError, match="unknown kind 'rebels'"):
        aliases.load(tmp_path / "bad.csv")


def test_merge_and_split_decisions_survive_re_runs(db: Path) -> None:
    with Store(db) as store:
        link(store)
        store.decide(Decision("split", "The Iraqi Resistance"))
        store.decide(Decision("merge", "Kataib Hezbollah", "The IRI"))
        link(store)
        assert entity_of(store, "The Iraqi Resistance") == "Iraqi Resistance"
        assert entity_of(store, "Kataib Hezbollah") == entity_of(store, "The IRI")
        link(store)  # a second run applies the same decisions
        assert entity_of(store, "The Iraqi Resistance") == "Iraqi Resistance"
        with pytest.raises(claimx.StoreError, match="no surface form 'Nobody'"):
            store.decide(Decision("merge", "Nobody", "The IRI"))


def test_claims_across_articles_are_grouped_into_events(db: Path) -> None:
    found = events(db)
    by_size = sorted(found, key=lambda e: -len(e.members))
    assaad, fmln, later = by_size
    assert {a for a, _ in assaad.members} == {"al-mayadeen", "reuters", "ap"}
    assert (assaad.start, assaad.end) == (date(2023, 12, 13), date(2023, 12, 13))
    assert {a for a, _ in fmln.members} == {"fmln-denial", "army", "ministry"}
    assert fmln.actors == ("Farabundo Marti National Liberation Front",)  # "its fighters" names no party of its own
    assert [a for a, _ in later.members] == ["later"]  # the same base two weeks later is another event
    # one anonymous official, directly and through Reuters, is one source; the two names of the IRI are one
    assert assaad.source_count == 3 and len(assaad.outlets) == 3
    assert {g.source: g.stances for g in assaad.sources}["A US official"] == ("asserted",)
    assert len({g.source for g in assaad.sources}) == 3


def test_contradictions_per_event(db: Path) -> None:
    by_article = {a: e for e in events(db) for a, _ in e.members}
    kinds = sorted(c.kind for c in by_article["reuters"].contradictions)
    # 12 against 40 dead; the IRI (under two names, in two articles) against Kataib Hezbollah
    assert kinds == ["figures", "rival_claims", "rival_claims"]
    figures = next(c for c in by_article["reuters"].contradictions if c.kind == "figures")
    assert "(12)" in figures.detail and "(40)" in figures.detail
    fmln = by_article["army"].contradictions
    assert [c.kind for c in fmln] == ["denied", "denied"]  # the army and the ministry against the FMLN's denial
    assert all(c.b[0] == "fmln-denial" for c in fmln)  # "at least 12" and "15" agree: no figures contradiction


def test_death_figures_keep_their_qualifier_as_a_range() -> None:
    def f(text: str):
        found = parse_fatalities(text)
        assert found is not None
        return found

    assert (f("at least 12 killed").low, f("at least 12 killed").high) == (12, None)
    assert f("at least 12 killed").agrees_with(f("40 people were killed"))
    assert not f("12 people killed").agrees_with(f("40 people killed"))
    assert f("dozens dead").agrees_with(f("killing 40")) and not f("dozens dead").agrees_with(f("killing 5"))
    assert f("about 40 killed").agrees_with(f("killing 35")) and not f("about 40 killed").agrees_with(f("killing 12"))
    assert f("caused no casualties").agrees_with(f("nobody was killed"))
    assert f("at least 12 killed").count == 12  # ACLED's figure is unchanged


def test_event_ids_are_stable_when_the_corpus_grows(tmp_path: Path) -> None:
    with Store(tmp_path / "grow.db") as store:
        store_corpus(store, ["al-mayadeen", "fmln-denial", "army", "later"])
        first = {e.members: e.id for e in link(store).events}
        store_corpus(store, ["reuters", "ap", "ministry"])
        second = link(store).events
        again = link(store).events
    kept = {e.members: e.id for e in second}
    later = next(m for m in first if m[0][0] == "later")
    assert kept[later] == first[later]  # members unchanged: id kept
    grown = {e.id for e in second} & set(first.values())
    assert len(grown) == 3  # the events that grew keep their ids too
    assert [e.id for e in again] == [e.id for e in second]


def test_threats_and_claims_without_an_anchor_join_no_event() -> None:
    threat = {
        "evidence": ["The group threatened to hit the depot."],
        "claimant": "The group",
        "claimant_kind": "armed_group",
        "stance": "threatened",
        "target": "the depot",
    }
    loose = {
        "evidence": ["Officials said fighting went on."],
        "claimant": "Officials",
        "claimant_kind": "unknown",
        "stance": "asserted",
    }
    found = link_claims(_claims(threat, loose), {})
    assert found.events == [] and found.left_out == 2


def test_clustering_compares_only_claims_that_share_a_block_and_a_date_window() -> None:
    from claimx.corpus.clustering import Facts, candidate_pairs, cluster

    day = date(2024, 1, 1)

    def claim(i: int, town: str, days: int) -> Facts:  # each from its own story: one story is a block of its own
        when = day + timedelta(days=days)
        return Facts((f"story{i}", str(i)), when, when, town, None, None, "")

    apart = [claim(i, f"town{i // 20}", 10 * (i % 20)) for i in range(400)]  # 20 towns, 20 dates each
    assert list(candidate_pairs(apart)) == [] and len(cluster(apart)) == 400  # no pair shares place and dates
    near = [claim(1, "Mosul", 0), claim(2, "Mosul", 1), claim(3, "Mosul", 9), claim(4, "Erbil", 0)]
    assert [(a.key[1], b.key[1]) for a, b in candidate_pairs(near)] == [("2", "1")]  # a day apart, one town
    assert cluster(near) == [[("story1", "1"), ("story2", "2")], [("story3", "3")], [("story4", "4")]]
    checkpoints = [Facts((f"b{i}", str(i)), day, day, None, f"e{i}", f"checkpoint k{i:03d}", "") for i in range(150)]
    assert list(candidate_pairs(checkpoints)) == []  # a word in every target blocks nothing
    assert len(list(candidate_pairs(checkpoints[:20]))) == 190  # in 20 claims it still does


def test_the_cli_lists_shows_and_exports_events(db: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["events", "--db", str(db), "--format", "csv", "--min-sources", "3"])
    assert listed.exit_code == 0, listed.output
    rows = list(csv.DictReader(io.StringIO(listed.stdout)))
    assert sorted(r["sources"] for r in rows) == ["3", "3"]
    nothing = runner.invoke(main, ["events", "--db", str(db), "--actor", "nobody"])
    assert nothing.exit_code == 0 and "no event matches these filters (3 event(s) in the store)" in nothing.stderr
    contradicted = runner.invoke(
        main, ["events", "--db", str(db), "--format", "jsonl", "--contradicted", "--place", "san miguel"]
    )
    (event,) = [json.loads(line) for line in contradicted.stdout.splitlines()]
    assert {c["kind"] for c in event["contradictions"]} == {"denied"}
    assert {g["source"] for g in event["by_source"]} == {
        "army",
        "Defence Ministry",
        "Farabundo Marti National Liberation Front",
    }
    shown = runner.invoke(main, ["event", event["event_id"][3:9], "--db", str(db)])
    assert shown.exit_code == 0 and "contradiction denied" in shown.output
    assert runner.invoke(main, ["event", "ev-nothing", "--db", str(db)]).exit_code == 1
    acled = runner.invoke(main, ["export", "--db", str(db), "--format", "acled", "--per", "event"])
    assert acled.exit_code == 0
    per_event = list(csv.DictReader(io.StringIO(acled.stdout)))
    assert len(per_event) == 3 and {r["event_id_cnty"] for r in per_event} == {r["event_id"] for r in rows} | {
        r["event_id_cnty"] for r in per_event if r["claimx_article_id"] == "later"
    }
    assaad = next(r for r in per_event if "reuters" in r["claimx_article_id"])
    assert assaad["fatalities"] == "12" and assaad["sub_event_type"] == "Air/drone strike"


def test_the_cli_lists_entities_and_records_decisions(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    file = tmp_path / "aliases.csv"
    file.write_text("canonical,aliases,kind,external_id\nIRI,The Islamic Resistance in Iraq,armed_group,Q42\n")
    listed = runner.invoke(
        main, ["entities", "--db", str(db), "--aliases", str(file), "--format", "jsonl", "--kind", "armed_group"]
    )
    assert listed.exit_code == 0, listed.output
    rows = {r["name"]: r for r in map(json.loads, listed.stdout.splitlines())}
    assert rows["IRI"]["external_id"] == "Q42" and "The Iraqi Resistance" in rows["IRI"]["forms"]
    merged = runner.invoke(main, ["entities", "--db", str(db), "merge", "FMLN", "Kataib Hezbollah"])
    assert merged.exit_code == 0
    unknown = runner.invoke(main, ["entities", "--db", str(db), "split", "Nobody"])
    assert unknown.exit_code == 2 and "no surface form 'Nobody'" in unknown.output
    with Store(db) as store:
        link(store)
        assert entity_of(store, "FMLN") == entity_of(store, "Kataib Hezbollah")
        assert store.aliases() == [Alias("IRI", ("The Islamic Resistance in Iraq",), "armed_group", "Q42")]


QUALIFIERS = ["", "at least ", "more than ", "about ", "nearly ", "up to ", "fewer than ", "some "]


@given(
    st.sampled_from(QUALIFIERS),
    st.integers(min_value=1, max_value=5000),
    st.sampled_from(QUALIFIERS),
    st.integers(min_value=1, max_value=5000),
)
def test_death_ranges_hold_the_coded_figure_and_agreement_is_symmetric(q1: str, n1: int, q2: str, n2: int) -> None:
    a, b = parse_fatalities(f"{q1}{n1} people were killed"), parse_fatalities(f"killing {q2}{n2}")
    assert a is not None and b is not None
    for found in (a, b):
        assert found.high is None or found.low <= found.high
        if found.count is not None:  # ACLED's figure lies in the range
            assert found.low <= found.count and (found.high is None or found.count <= found.high)
    assert a.agrees_with(b) == b.agrees_with(a)
    assert a.agrees_with(a)
    if not q1 and not q2:
        assert a.agrees_with(b) == (n1 == n2)  # exact figures agree only when equal


def test_targets_are_no_short_forms_of_parties_and_single_words_none_across_articles() -> None:
    israel = {
        "evidence": ["Israel said it struck Israeli cities."],
        "claimant": "Israel",
        "claimant_kind": "official_body",
        "stance": "asserted",
        "actor": "Israel",
        "target": "Israeli cities",
    }
    taliban = {
        "evidence": ["The Taliban said it bombed Falluja."],
        "claimant": "Taliban",
        "claimant_kind": "armed_group",
        "stance": "claimed_responsibility",
        "target": "Falluja",
        "event_date": "2009-10-06",
    }
    ttp = {
        "evidence": ["Tehrik-i-Taliban Punjab said it bombed the town."],
        "claimant": "Tehrik-i-Taliban Punjab",
        "claimant_kind": "armed_group",
        "stance": "claimed_responsibility",
        "target": "Falluja, western Iraq",
        "event_date": "2009-10-06",
    }
    found = link_claims(
        [*_claims(israel, publisher="A"), *_claims(taliban, publisher="B"), *_claims(ttp, publisher="C")], {}
    )
    entity = {f: e.id for e in found.entities for f, _ in e.forms}
    assert entity["Israel"] != entity["Israeli cities"]
    assert entity["Taliban"] != entity["Tehrik-i-Taliban Punjab"]
    (event,) = [e for e in found.events if len(e.members) > 1]  # "Falluja" and "Falluja, western Iraq", no place
    assert {e.claim.target for g in event.sources for e in g.claims} == {"Falluja", "Falluja, western Iraq"}
    assert [c.kind for c in event.contradictions] == ["rival_claims"]


def test_two_claimants_of_one_attack_in_one_story_are_rivals_only_when_the_story_says_so() -> None:
    lede = _group("The Northern Front", "The Northern Front said it hit the depot.")
    body = _group("the Sahel Brigade", "The Sahel Brigade claimed responsibility for the depot attack.")
    another = _group("the Sahel Brigade", "Another group, the Sahel Brigade, claimed responsibility for it.")

    def rivals(*drafts: dict, publishers: tuple[str, ...]) -> list[str]:
        items = [c for d, p in zip(drafts, publishers, strict=True) for c in _claims(d, publisher=p)]
        return [c.kind for e in link_claims(items, {}).events for c in e.contradictions]

    assert rivals(lede, body, publishers=("A", "B")) == ["rival_claims"]  # two stories: each its own claimant
    one_story = _claims(lede, body, publisher="A")  # one claimant, named twice
    assert [c.kind for e in link_claims(one_story, {}).events for c in e.contradictions] == []
    told_apart = _claims(lede, another, publisher="A")
    assert [c.kind for e in link_claims(told_apart, {}).events for c in e.contradictions] == ["rival_claims"]


def test_targets_that_name_one_place_agree_however_else_each_describes_it() -> None:
    mall = {
        "evidence": ["Police said gunmen stormed the Westgate shopping center."],
        "claimant": "Police",
        "claimant_kind": "official_body",
        "stance": "asserted",
        "target": "the Westgate shopping center",
        "place": "Nairobi",
    }
    dead = {
        "evidence": ["Newspapers listed those killed in the attack on the Westgate mall."],
        "claimant": "Newspapers",
        "claimant_kind": "news_outlet",
        "stance": "reported",
        "target": "those killed in the attack on the Westgate mall",
        "place": "Nairobi",
    }
    found = link_claims([*_claims(mall, publisher="A"), *_claims(dead, publisher="B")], {})
    assert [sorted(a for a, _ in e.members) for e in found.events] == [["A", "B"]]
    iraqi = [dict(mall, target="Iraqi police"), dict(dead, target="Iraqi soldiers at the gate")]
    apart = link_claims([*_claims(iraqi[0], publisher="A"), *_claims(iraqi[1], publisher="B")], {})
    assert sorted(len(e.members) for e in apart.events) == [1, 1]  # a nationality names no one thing
