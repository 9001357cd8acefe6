"""The linker's rules one by one, on made-up claims: a name's head (descriptors, affiliations, titles, militants
named by their origin), people by surname, "the group" within an article, events by place and day, vows to
punish, undatable claims, and which death figures can contradict each other."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from claimx.corpus import link_claims
from claimx.corpus.clustering import facts
from claimx.corpus.contradictions import victims
from claimx.corpus.entities import _tail_name, head, normalise
from claimx.store import StoredClaim
from tests.helpers import build_result

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


def draft(sentence: str, claimant: str, kind: str = "armed_group", stance: str = "asserted", **fields: Any) -> dict:
    return {"evidence": [sentence], "claimant": claimant, "claimant_kind": kind, "stance": stance, **fields}


def article(article_id: str, *drafts: dict, published: date | None = date(2022, 5, 3)) -> list[StoredClaim]:
    text = "Headline\n" + " ".join(d["evidence"][0] for d in drafts) + "\n"
    result = build_result(text, list(drafts), published=published, publisher=article_id)
    return [StoredClaim(c, article_id, 1, "m", "whole", article_id, published, None) for c in result.claims]


def entity_of(items: list[StoredClaim]) -> dict[str, str]:
    return {form: e.name for e in link_claims(items, {}).entities for form, _ in e.forms}


@pytest.mark.parametrize(
    ("name", "known", "expected"),
    [
        ("Nigerian jihadist group Boko Haram", (), "Boko Haram"),
        ("the Sahel-based armed group Ansarul Islam", (), "Ansarul Islam"),
        ("membros do grupo armado Ansarul Islam", (), "Ansarul Islam"),
        ("the Iran-backed Houthi movement", ("houthi",), "Houthi"),
        ("the Iran-backed Houthi movement", (), "Houthi movement"),  # "Houthi" alone is no name the store uses
        ("Boko Haram fighters and other militants", ("boko haram",), "Boko Haram"),
        ("Islamist militants", (), "Islamist militants"),
        ("the group", (), "the group"),
        ("Nigerian President Bola Tinubu", (), "Bola Tinubu"),
        ("Mr. Tinubu", (), "Tinubu"),
        ("Secretary of State Antony Blinken", (), "Antony Blinken"),
        ("the foreign minister", (), "the foreign minister"),
        ("gunmen from the restive Cabo Delgado region", (), "militants from Cabo Delgado"),
        ("insurgent groups from Cabo Delgado", (), "militants from Cabo Delgado"),
    ],
)
def test_a_name_s_head(name: str, known: tuple[str, ...], expected: str) -> None:
    assert head(name, frozenset(known)) == expected


def test_possessives_articles_and_transliterations_normalise_alike() -> None:
    assert normalise("Lagos's Balogun market") == normalise("the Lagos Balogun market") == "lagos balogun market"
    assert normalise("al-Shabaab") == normalise("Al Shabab")


def test_a_bare_name_stands_for_the_article_s_one_longer_name_ending_with_it() -> None:
    assert _tail_name("Taliban", {"Afghan Taliban", "Tehrik-i-Taliban Punjab"}) == "Afghan Taliban"
    assert _tail_name("Taliban", {"Afghan Taliban", "Pakistani Taliban"}) == "Taliban"  # two: it stays itself


def test_descriptors_and_affiliations_name_one_group_across_articles() -> None:
    items = [
        *article(
            "a", draft("Nigerian jihadist group Boko Haram said it did it.", "Nigerian jihadist group Boko Haram")
        ),
        *article("b", draft("The IS-linked Boko Haram claimed it.", "The IS-linked Boko Haram")),
        *article(
            "c",
            draft("Boko Haram fighters attacked, police said.", "Police", "official_body", actor="Boko Haram fighters"),
        ),
        *article("d", draft("Boko Haram said so.", "Boko Haram")),
    ]
    name = entity_of(items)
    assert (
        len(
            {
                name[f]
                for f in (
                    "Nigerian jihadist group Boko Haram",
                    "The IS-linked Boko Haram",
                    "Boko Haram fighters",
                    "Boko Haram",
                )
            }
        )
        == 1
    )


def test_people_by_surname_and_by_a_misspelt_given_name() -> None:
    items = [
        *article(
            "a", draft("Nigerian President Bola Tinubu condemned it.", "Nigerian President Bola Tinubu", "named_person")
        ),
        *article("b", draft("Mr. Tinubu condemned it.", "Mr. Tinubu", "named_person")),
        *article("c", draft("Hamas commander Mohammed Deif said so.", "Mohammed Deif", "named_person")),
        *article("d", draft("Muhammad Deif said so.", "Muhammad Deif", "named_person")),
        *article("e", draft("Jomo Kenyatta said so.", "Jomo Kenyatta", "named_person")),
        *article("f", draft("Uhuru Kenyatta said so.", "Uhuru Kenyatta", "named_person")),
        *article("g", draft("Mr. Kenyatta said so.", "Mr. Kenyatta", "named_person")),
    ]
    name = entity_of(items)
    assert name["Mr. Tinubu"] == name["Nigerian President Bola Tinubu"] == "Bola Tinubu"
    assert name["Mohammed Deif"] == name["Muhammad Deif"]
    assert name["Jomo Kenyatta"] != name["Uhuru Kenyatta"]
    assert name["Mr. Kenyatta"] not in (name["Jomo Kenyatta"], name["Uhuru Kenyatta"])  # two Kenyattas: unknown


def test_the_group_is_the_article_s_one_armed_group_only() -> None:
    one = article(
        "one",
        draft("Ansar Allah said it fired the missile.", "Ansar Allah", stance="claimed_responsibility"),
        draft("Officials said the group fired it.", "Officials", "official_body", actor="the group"),
    )
    two = article(
        "two",
        draft("Ansar Allah said it fired.", "Ansar Allah", stance="claimed_responsibility"),
        draft("Kataib Sayyid al-Shuhada said it fired.", "Kataib Sayyid al-Shuhada", stance="claimed_responsibility"),
        draft("Officials blamed the militants.", "Officials", "official_body", actor="the militants"),
    )
    found = link_claims([*one, *two], {})
    of = found.resolution.of
    assert (
        of[(("one", one[1].claim.id), "actor", "the group")]
        == of[(("one", one[0].claim.id), "claimant", "Ansar Allah")]
    )
    ansar = of[(("two", two[0].claim.id), "claimant", "Ansar Allah")]
    assert of[(("two", two[2].claim.id), "actor", "the militants")] != ansar


def attack(sentence: str, target: str, place: str, event_date: str | None = None, **fields: Any) -> dict:
    fields.setdefault("stance", "asserted")
    return draft(sentence, "Police", "official_body", target=target, place=place, event_date=event_date, **fields)


def events_of(items: list[StoredClaim]) -> list[set[str | None]]:
    return sorted(
        ({c.claim.target for g in e.sources for c in g.claims} for e in link_claims(items, {}).events),
        key=lambda targets: sorted(map(str, targets)),
    )


def test_one_place_and_one_dated_day_make_one_event_whatever_each_claim_targets() -> None:
    items = [
        *article("a", attack("Gunmen stormed the campus, police said.", "the campus", "Maiduguri", "2022-05-01")),
        *article(
            "b", attack("Gunmen reached the dormitories, police said.", "the dormitories", "Maiduguri", "2022-05-01")
        ),
        *article("c", attack("A bomb hit the bus station, police said.", "the bus station", "Maiduguri", "2022-05-02")),
    ]
    assert events_of(items) == [{"the bus station"}, {"the campus", "the dormitories"}]  # a day apart: two


def test_one_story_s_claims_dated_to_one_day_are_its_event_whatever_each_names() -> None:
    story = article(
        "a",
        draft("Police said gunmen stormed the campus.", "Police", target="the campus", event_date="2022-05-01"),
        draft(
            "A student said the hostages were freed.",
            "a student",
            "unknown",
            target="hostages",
            event_date="2022-05-01",
        ),
        draft("The army said it shelled a camp.", "The army", target="a camp", place="Dikwa", event_date="2022-05-02"),
        draft(
            "A witness said a bomb hit a mosque.",
            "a witness",
            "unknown",
            target="a mosque",
            place="Kano",
            event_date="2022-05-01",
        ),
    )
    other = article(
        "b", draft("Police said gunmen stormed a bank.", "Police", target="a bank", event_date="2022-05-01")
    )
    assert events_of([*story, *other]) == [{"a bank"}, {"a camp"}, {"a mosque", "hostages", "the campus"}]


def test_one_story_s_claims_of_one_day_join_whatever_kind_of_attack_each_sentence_reads() -> None:
    story = article(
        "a",
        attack("Police said gunmen held hostages in the mall.", "hostages", "Nairobi", "2022-05-01"),
        attack("Police said soldiers fought the gunmen in the mall.", "the gunmen", "Nairobi", "2022-05-01"),
    )
    kinds = {f.method for c in story if (f := facts(c, link_claims(story, {}).resolution))}
    assert len(kinds) == 2  # one sentence reads as an abduction, the other as a clash
    assert events_of(story) == [{"hostages", "the gunmen"}]


@pytest.mark.parametrize(
    ("place", "claimant", "speaker_s"),
    [
        ("Kenya", "Kenyan Foreign Minister Amina Mohamed", True),
        ("Somalia", "the Somali group al-Shabab", True),
        ("Canada", "Canada", True),
        ("the United States", "the United States", True),
        ("northeastern Kenya", "Kenyan officials", False),  # where in Kenya: the event's place
        ("Kabul", "Taliban", False),
        ("Lahore", "Pakistani officials", False),
    ],
)
def test_a_place_that_only_names_the_claimant_s_country_is_the_speaker_s(
    place: str, claimant: str, speaker_s: bool
) -> None:
    story = article("a", draft(f"{claimant} said citizens were killed.", claimant, target="citizens", place=place))
    found = facts(story[0], link_claims(story, {}).resolution)
    assert found is not None and found.speaker_place is speaker_s


def test_one_story_s_claim_placed_in_its_speaker_s_country_joins_the_day_s_event() -> None:
    mall = attack("Police said gunmen stormed the Westgate mall.", "the Westgate mall", "Nairobi", "2022-05-01")

    def citizens(claimant: str, place: str) -> dict:
        sentence = f"{claimant} said two of its citizens were killed."
        return draft(sentence, claimant, "official_body", target="two citizens", place=place, event_date="2022-05-01")

    assert events_of(article("a", mall, citizens("Canada", "Canada"))) == [{"the Westgate mall", "two citizens"}]
    apart = article("a", mall, citizens("The governor", "Kano"))  # a place of its own: another attack that day
    assert events_of(apart) == [{"the Westgate mall"}, {"two citizens"}]


def test_a_place_that_describes_where_within_the_event_tells_no_events_apart() -> None:
    items = [
        *article("a", attack("Gunmen stormed the mall, police said.", "the mall", "Nairobi", "2022-05-01")),
        *article(
            "b", attack("Bodies lay under the rubble, police said.", "the mall", "under the rubble", "2022-05-01")
        ),
        *article("c", attack("A bomb hit the market in Kano, police said.", "the market", "Kano", "2022-05-01")),
    ]
    assert [sorted(k[0] for k in e.members) for e in link_claims(items, {}).events] == [["a", "b"], ["c"]]


def test_a_publication_window_alone_does_not_join_different_targets() -> None:
    items = [
        *article("a", attack("A bomb hit the market, police said.", "the market", "Kano")),
        *article("b", attack("A bomb hit the mosque, police said.", "the mosque", "Kano")),
    ]
    assert events_of(items) == [{"the market"}, {"the mosque"}]


def test_undatable_claims_join_no_event() -> None:
    (item,) = article("a", attack("Gunmen attacked the market, police said.", "the market", "Kano"), published=None)
    assert facts(item, link_claims([item], {}).resolution) is None


def test_an_undated_article_joins_the_event_of_the_month_and_day_it_names() -> None:
    dated = article(
        "a", attack("A bomb hit the Kano market, police said.", "the market", "Kano", "2022-05-01", outcome="20 killed")
    )
    undated = [
        *article(
            "b",
            attack(
                "Police still investigate the May 1 bombing of the market.", "the market", "Kano", outcome="35 killed"
            ),
            published=None,
        ),
        *article(
            "c", attack("Police still investigate the May 9 bombing of a market.", "a market", "Kano"), published=None
        ),
        *article(
            "d", attack("Police still investigate the bombing of the market.", "the market", "Kano"), published=None
        ),
    ]
    found = link_claims([*dated, *undated], {})
    assert [sorted(k[0] for k in e.members) for e in found.events] == [["a", "b"], ["c"]]
    assert found.left_out == 1  # no year, no month and day: it could be any market bombing in Kano
    assert not [c for e in found.events for c in e.contradictions]  # an undated toll may be a later one


def test_a_vow_to_punish_joins_the_attack_and_a_threat_of_another_does_not() -> None:
    items = [
        *article("a", attack("A bomb hit the market, police said.", "the market", "Kano", "2022-05-01")),
        *article(
            "b",
            draft(
                "The governor vowed to hunt down those responsible.",
                "The governor",
                "named_person",
                stance="threatened",
                target="those responsible",
                place="Kano",
            ),
            draft(
                "The group threatened to bomb the airport.",
                "The group",
                stance="threatened",
                target="the airport",
                place="Kano",
            ),
        ),
    ]
    found = link_claims(items, {})
    assert [sorted(str(c.claim.target) for g in e.sources for c in g.claims) for e in found.events] == [
        ["the market", "those responsible"]
    ]
    assert found.left_out == 1


@pytest.mark.parametrize(
    ("wording", "expected"),
    [
        ("3 of the attackers were killed", "attackers"),
        ("2 gunmen killed", "attackers"),
        ("12 people are dead", "people"),
        ("killing more than 40", "people"),
        ("death toll rose to 30", "people"),
        ("2 of their citizens were killed", "citizen"),
        ("6 soldiers died", "soldier"),
    ],
)
def test_who_a_death_count_counts(wording: str, expected: str) -> None:
    assert victims(wording) == expected


def figures(*outcomes: tuple[str, date]) -> list[str]:
    items = [
        item
        for i, (outcome, day) in enumerate(outcomes)
        for item in article(
            f"a{i}",
            attack("Gunmen hit the market, police said.", "the market", "Kano", "2022-05-01", outcome=outcome),
            published=day,
        )
    ]
    return [c.detail for e in link_claims(items, {}).events for c in e.contradictions if c.kind == "figures"]


def test_figures_contradict_only_for_the_same_dead_on_the_same_day() -> None:
    day, later = date(2022, 5, 2), date(2022, 5, 4)
    assert figures(("2 gunmen were killed", day), ("5 attackers were killed", day))  # the attackers' dead
    assert not figures(("2 gunmen were killed", day), ("40 people were killed", day))  # different dead
    assert not figures(("2 of their citizens were killed", day), ("6 soldiers died", day))
    assert figures(("20 people were killed", day), ("35 people were killed", day))
    assert not figures(("20 people were killed", day), ("35 people were killed", later))  # a revised toll
    assert figures(("the toll rose to 30", day), ("12 people were killed", day))  # a bare "toll" is the death toll


def test_an_office_holder_is_no_short_form_of_an_institution() -> None:
    items = article(
        "a",
        draft("Nigeria's Defence Ministry said troops fired.", "Nigeria's Defence Ministry", "official_body"),
        draft("The defence minister said so too.", "the defence minister", "official_body"),
    )
    name = entity_of(items)
    assert name["the defence minister"] != name["Nigeria's Defence Ministry"]  # "minister", "ministry": one stem


def test_a_denial_contradicts_the_party_s_act_but_not_its_vow() -> None:
    def contradictions(said: dict) -> list[str]:
        denial = draft(
            "The governor denied that his guards fired on the market.",
            "The governor",
            "named_person",
            stance="denied",
            actor="The governor",
            target="the market",
            place="Kano",
        )
        items = [
            *article("a", attack("A bomb hit the market, police said.", "the market", "Kano", "2022-05-01")),
            *article("b", said, denial),
        ]
        return [c.kind for e in link_claims(items, {}).events for c in e.contradictions]

    accused = draft(
        "Police said the governor's guards were behind the blast at the market.",
        "Police",
        "official_body",
        actor="The governor",
        target="the market",
        place="Kano",
    )
    vowed = draft(
        "The governor vowed to hunt down those responsible.",
        "The governor",
        "named_person",
        stance="threatened",
        actor="The governor",
        target="those responsible",
        place="Kano",
    )
    assert contradictions(accused) == ["denied"]
    assert contradictions(vowed) == []  # a vow speaks of an act still to come


def test_a_target_that_describes_a_party_the_store_knows_is_that_party() -> None:
    items = [
        *article("a", draft("Al-Noor said it attacked the base.", "Al-Noor")),
        *article(
            "b",
            draft(
                "The army said it struck the al-Qaida-linked al-Noor extremist group.",
                "The army",
                "official_body",
                target="the al-Qaida-linked al-Noor extremist group",
            ),
        ),
    ]
    name = {form: e.name for e in link_claims(items, {}).entities for form, _ in e.forms}
    assert name["the al-Qaida-linked al-Noor extremist group"] == name["Al-Noor"]
