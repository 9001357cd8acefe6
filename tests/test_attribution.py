"""The attribution frame: what a sentence's words settle about stance, claimant kind, relays, actor and
date, on sentences written for these tests (none comes from the dev set)."""

from __future__ import annotations

from datetime import date

import pytest

import claimx
from claimx.extraction.attribution import (
    affiliations,
    agent,
    canonical_names,
    claimer,
    has_speaker,
    kind_of,
    referent,
    referents,
    relays,
    settle,
    source_span,
    speaks_for,
    stance_cue,
    value,
)
from claimx.extraction.claims import carry_relays, fold, to_claim
from claimx.extraction.dates import event_date
from claimx.extraction.drafts import ClaimDraft
from claimx.extraction.grounding import locate
from claimx.result import Claim, ClaimantKind, Evidence, GroundingStatus, Stance
from tests.fakeserver import FakeServer

PUBLISHED = date(2024, 3, 14)  # a Thursday


def draft(evidence: str, **fields: object) -> ClaimDraft:
    base: dict[str, object] = {
        "evidence": [evidence],
        "claimant": "someone",
        "claimant_kind": "unknown",
        "stance": "asserted",
    }
    return ClaimDraft.model_validate({**base, **fields})


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("The Northern Front claimed responsibility for the ambush near Tarsa.", Stance.CLAIMED_RESPONSIBILITY),
        ("The brigade took full responsibility for the blast at the depot.", Stance.CLAIMED_RESPONSIBILITY),
        ("The Northern Front claimed credit for the ambush near Tarsa.", Stance.CLAIMED_RESPONSIBILITY),
        ("Its leader says his group was responsible for the raid on the camp.", Stance.CLAIMED_RESPONSIBILITY),
        (
            "Its spokesman said the raids, which killed four, were carried out by his fighters.",
            Stance.CLAIMED_RESPONSIBILITY,
        ),
        ("The ministry denied that its jets struck the clinic.", Stance.DENIED),
        ("A spokesman rejected the reports of shelling in the valley.", Stance.DENIED),
        ("The governor accused the rebels of firing on the convoy.", Stance.ALLEGED),
        ("Police blamed a local militia for the bombing.", Stance.ALLEGED),
        ("Officials said the ambush was the work of the Northern Front.", Stance.ALLEGED),
        ("The governor says the evidence points to involvement of a foreign group.", Stance.ALLEGED),
        ("The minister said a foreign group may be behind the explosion.", Stance.ALLEGED),
        ("Police said the raid was carried out by the Northern Front.", Stance.ALLEGED),
        ("The group vowed to strike the capital again.", Stance.THREATENED),
        ("The commander warned that the airport will be targeted next.", Stance.THREATENED),
        ("The faction said its attacks will continue until the troops leave.", Stance.THREATENED),
        ("A spokesman says more attacks are coming.", Stance.THREATENED),
    ],
)
def test_each_cue_class_settles_its_stance(sentence: str, stance: Stance) -> None:
    assert stance_cue(sentence) == stance


@pytest.mark.parametrize(
    "sentence",
    [
        "Officials said two rockets hit the base.",
        "The mayor told reporters the market was closed.",
        "According to the army, the road reopened on Monday.",
        "The group said the strike was carried out by drones and hit the depot.",  # a means blames nobody
    ],
)
def test_plain_saying_settles_nothing(sentence: str) -> None:
    assert stance_cue(sentence) is None


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("No one has claimed responsibility for the bombing at the depot.", None),
        ("No group has yet claimed responsibility, but police blamed the Northern Front.", Stance.ALLEGED),
        ("Responsibility for the blast was not immediately claimed.", None),
        ("Nobody has publicly claimed responsibility, officials said.", None),
        (
            "Nobody was hurt, and the Northern Front claimed responsibility for the blast.",
            Stance.CLAIMED_RESPONSIBILITY,
        ),
    ],
)
def test_a_responsibility_nobody_claimed_is_no_claim_of_it(sentence: str, stance: Stance | None) -> None:
    assert stance_cue(sentence) == stance


@pytest.mark.parametrize(
    ("sentence", "claimant", "claims"),
    [
        ("Al-Noor claimed responsibility for the blasts in the capital.", "Omar Diallo", ("Al-Noor", None)),
        ("Police said the Northern Front had claimed responsibility.", "Police", ("Northern Front", "Police")),
        (
            "Tehrik-i-Taliban Pakistan (TTP) claimed responsibility.",
            "a TTP spokesman",
            ("Tehrik-i-Taliban Pakistan", None),
        ),
        (
            "A group calling itself the Sahel Brigade had taken responsibility, according to a monitoring group.",
            "a monitoring group",
            ("Sahel Brigade", "a monitoring group"),
        ),
        (
            "Six men were charged over the attacks, for which the insurgent group al-Noor claimed responsibility.",
            "State Attorney Ann Obu",
            ("al-Noor", None),
        ),
        ("The Northern Front claimed responsibility for the ambush.", "Northern Front", None),  # the model's stands
        ("The group claimed responsibility in a statement.", "Northern Front", None),  # no name: the model's stands
        ("It claimed responsibility on its website.", "Northern Front", None),
        ("Rebel Group Claims Responsibility for Depot Fire", "Ali Baro", None),  # title case names nobody
        ("No group has claimed responsibility, Police Chief Ali Baro said.", "Ali Baro", None),
    ],
)
def test_the_name_before_claimed_responsibility_is_who_claims(
    sentence: str, claimant: str, claims: tuple[str, str | None] | None
) -> None:
    assert claimer(sentence, claimant) == claims


def test_a_leader_named_by_role_in_a_group_claims_for_the_group() -> None:
    text = "The leader of the armed group Northern Front says his group was responsible for the raid."
    settled = settle(draft(text, claimant="Ali Baro", claimant_kind="named_person", stance="asserted"))
    assert (settled.claimant, settled.stance, settled.actor) == (
        "Ali Baro",
        Stance.CLAIMED_RESPONSIBILITY,
        "Northern Front",
    )


def test_a_speaker_who_tells_of_a_claim_passes_it_on() -> None:
    told = settle(
        draft(
            "Police said the Northern Front had claimed responsibility for the blast.",
            claimant="Police",
            claimant_kind="official_body",
            stance="claimed_responsibility",
        )
    )
    assert (told.claimant, told.claimant_kind, told.via) == ("Northern Front", ClaimantKind.ARMED_GROUP, ["Police"])
    assert told.actor == "Northern Front"


def test_saying_alone_is_no_claim_of_responsibility_but_a_group_saying_it_attacked_is() -> None:
    official = settle(
        draft(
            "A senior official said drones hit the base on Tuesday.",
            claimant="A senior official",
            stance="claimed_responsibility",
            actor="A senior official",
        )
    )
    assert official.stance == Stance.ASSERTED and official.actor is None


def test_only_reporters_report() -> None:
    witness = settle(draft("Witnesses said the shop burned.", claimant="Witnesses", stance="reported"))
    assert witness.stance == Stance.ASSERTED and witness.claimant_kind == ClaimantKind.UNKNOWN
    reporter = settle(draft("Our correspondent reported shelling in the east.", claimant="Our correspondent"))
    assert reporter.stance == Stance.REPORTED and reporter.claimant_kind == ClaimantKind.JOURNALIST


@pytest.mark.parametrize(
    ("sentence", "claimant", "found"),
    [
        ("A US official told Reuters that two rockets hit the base.", "A US official", ["Reuters"]),
        ("A police officer tells Radio Kessa the checkpoint was shelled.", "A police officer", ["Radio Kessa"]),
        ("The commander revealed to Al Mayadeen that the drones were downed.", "The commander", ["Al Mayadeen"]),
        ("The rebels said they fired rockets, according to the Daily Star.", "The rebels", ["Daily Star"]),
        ("The spokesman told reporters the post was attacked.", "The spokesman", ["reporters"]),
        ("The minister was quoted as telling Kommersant that Georgia was involved.", "The minister", ["Kommersant"]),
        ("According to the army, the road reopened.", "the army", []),
        (
            "The ministry said in a statement carried by the state news agency Tarsa that the dam held.",
            "The ministry",
            ["Tarsa"],
        ),
        ("The general was quoted by the Kessa Times as saying the depot burned.", "The general", ["Kessa Times"]),
        (
            "State television quoted the governor as saying the rebels fired first.",
            "the governor",
            ["State television"],
        ),
        ("Radio Kessa reported, citing two medics, that the clinic was hit.", "two medics", ["Radio Kessa"]),
        ("Citing witnesses, the Daily Star said the market was shelled.", "witnesses", ["Daily Star"]),
        ("The mayor said the bridge fell, local media reported.", "The mayor", ["local media"]),
        ("The convoy was hit, Radio Kessa reported.", "Radio Kessa", []),  # the outlet's own report passes nothing on
        ("Fighters carried out by night what the council reported by day.", "Fighters", []),  # no outlet
    ],
)
def test_relays_are_read_from_the_evidence(sentence: str, claimant: str, found: list[str]) -> None:
    assert relays(sentence, claimant) == found


@pytest.mark.parametrize(
    ("claimant", "kind"),
    [
        ("a senior US military official", ClaimantKind.ANONYMOUS_OFFICIAL),
        ("Al Jazeera's correspondent", ClaimantKind.JOURNALIST),
        ("the state news agency", ClaimantKind.NEWS_OUTLET),
        ("the Interior Ministry", ClaimantKind.OFFICIAL_BODY),
        ("the provincial governor", ClaimantKind.OFFICIAL_BODY),
        ("Prime Minister Sara Ndiaye", ClaimantKind.NAMED_PERSON),
        ("Lena Markovic", ClaimantKind.NAMED_PERSON),
        ("the Sahel Liberation Front", ClaimantKind.ARMED_GROUP),
        ("local militants", ClaimantKind.ARMED_GROUP),
        ("the Red Cross", ClaimantKind.ORGANIZATION),
        ("residents", ClaimantKind.UNKNOWN),
    ],
)
def test_claimant_kind_comes_from_the_source_span(claimant: str, kind: ClaimantKind) -> None:
    assert kind_of(claimant) == kind


def test_placeholders_are_no_value_and_a_cued_sentence_has_a_claimant() -> None:
    assert [value(v) for v in ("unknown", "N/A", "none", " the article ", "the depot")] == [None] * 4 + ["the depot"]
    settled = settle(
        draft(
            "Police said the convoy was hit.",
            claimant="unknown",
            actor="Unknown",
            target="n/a",
            place="none",
        )
    )
    assert settled.claimant == "Police" and settled.claimant_kind == ClaimantKind.OFFICIAL_BODY
    assert settled.actor is None and settled.target is None and settled.place is None
    assert source_span("An official, who declined to be named, said the base was hit.") == "An official"


def test_a_relay_or_a_reporter_is_never_the_actor() -> None:
    settled = settle(
        draft("A US official told Reuters that militants fired rockets.", claimant="A US official", actor="Reuters")
    )
    assert settled.via == ["Reuters"] and settled.actor == "militants"
    reporter = settle(
        draft(
            "Our correspondent reported that drones struck the port.",
            claimant="Our correspondent",
            actor="Our correspondent",
        )
    )
    assert reporter.actor is None


@pytest.mark.parametrize(
    ("sentence", "doer"),
    [
        ("The government blamed militants for the attacks on the police.", "militants"),
        ("Nobody has claimed the bombing, but several officials blamed al-Noor.", "al-Noor"),
        ("The governor blamed the attack on the market on the Northern Front.", "the Northern Front"),
        ("Officials say the bombings were carried out by two men linked to the cell.", "two men linked to the cell"),
        ("Activists say government forces launched airstrikes on the town.", "government forces"),
        ("A witness said that a man had planted the device.", "a man"),
        ("A senator says the militants have taken control of two towns.", "the militants"),
        ("Residents said gunmen seized the mayor's office.", "gunmen"),
        ("Officials say suicide attackers in Lahore, using guns, killed ten people.", "suicide attackers"),
        ("Police said men in Army uniforms stormed the hotel.", "men in Army uniforms"),
    ],
)
def test_the_doer_is_read_from_the_content(sentence: str, doer: str) -> None:
    assert agent(sentence) == doer


@pytest.mark.parametrize(
    ("time_text", "evidence", "day"),
    [
        ("on Tuesday", "Officials said drones hit the base on Tuesday.", "2024-03-12"),
        (None, "The group claimed Thursday's attack on the convoy.", "2024-03-14"),
        (None, "The army said it shelled the ridge yesterday.", "2024-03-13"),
        (None, "The council said the blast of March 2 killed four.", "2024-03-02"),
        (None, "Police said the attack on 20 December killed two.", "2023-12-20"),
        (None, "The group's leader told reporters Wednesday that the raid was revenge.", None),  # when he spoke
        ("on Monday", "The ministry said the road was closed.", None),  # the model's time is not in the text
        (None, "He told Al Mayadeen on Monday that drones hit the base.", None),  # the relay's day is the speaking's
        (None, "The army said Tuesday that rockets hit the base on Monday.", "2024-03-11"),
        (None, "Officials said forces faced 97 attacks since October 17, until Wednesday.", "2023-10-17/2024-03-13"),
        (None, "Until Wednesday, the official said, there were 97 attacks since October 17.", "2023-10-17/2024-03-13"),
        (None, "The group said it attacked the base earlier this month.", "2024-03-01/2024-03-14"),
        (None, "Witnesses said shelling went on last week.", "2024-03-04/2024-03-10"),
        (None, "The minister said he may resign.", None),  # "may" is no month
        (None, "Police said 97 people died.", None),  # a count is no date
        (None, "Hamas said the strike killed seven civilians Friday in an attack on the beach.", "2024-03-08"),
    ],
)
def test_dates_resolve_against_the_publication_date(time_text: str | None, evidence: str, day: str | None) -> None:
    assert event_date(time_text, evidence, PUBLISHED) == day


@pytest.mark.parametrize(
    ("language", "evidence", "day"),
    [
        ("fr", "Le ministère a déclaré que l'attaque de mardi avait fait trois morts.", "2024-03-12"),
        ("es", "La policía dijo que el atentado del 2 de marzo dejó cuatro muertos.", "2024-03-02"),
        ("de", "Die Polizei sagte, der Anschlag am Montag habe zwei Tote gefordert.", "2024-03-11"),
    ],
)
def test_dates_resolve_in_the_article_language(language: str, evidence: str, day: str) -> None:
    assert event_date(None, evidence, PUBLISHED, language) == day


def _claim(text: str, quote: str, claimant: str, stance: str = "asserted") -> Claim:
    """A claim of `text` whose one quote is located there."""
    match = locate(quote, text)
    return to_claim(
        draft(quote, claimant=claimant, stance=stance),
        [Evidence(quote=quote, start=match.start, end=match.end, status=match.status)],
        "sha",
    )


def test_a_restated_claim_is_folded_into_the_body_claim() -> None:
    text = "Front claims depot strike\nThe Front said it struck the fuel depot with drones. Others said nothing.\n"

    headline = _claim(text, "Front claims depot strike", "The Front")
    body = _claim(text, "The Front said it struck the fuel depot with drones.", "The Front")
    again = _claim(text, "The Front said it struck the fuel depot", "The Front")
    other = _claim(text, "Others said nothing.", "Others")
    kept, warnings, into = fold([headline, body, again, other], text)
    assert [c.id for c in kept] == [body.id, other.id]
    assert into == {headline.id: body.id, again.id: body.id}  # the headline's claim went into the body's
    assert [e.quote for e in kept[0].evidence] == [
        "The Front said it struck the fuel depot with drones.",
        "Front claims depot strike",
        "The Front said it struck the fuel depot",
    ]
    assert [w.code for w in warnings] == ["duplicate_merged", "duplicate_merged"]


def test_a_headline_folds_into_the_body_claim_that_names_its_claimant() -> None:
    text = (
        "Northern Front Claims Depot Strike\n"
        "A Northern Front commander, Ali Baro, claimed responsibility for the strike on the depot. "
        "Police denied that the depot was hit.\n"
    )
    headline = _claim(text, "Northern Front Claims Depot Strike", "Northern Front", "claimed_responsibility")
    body = _claim(
        text,
        "A Northern Front commander, Ali Baro, claimed responsibility for the strike on the depot.",
        "Ali Baro",
        "claimed_responsibility",
    )
    denial = _claim(text, "Police denied that the depot was hit.", "Police", "denied")
    kept, _, _ = fold([headline, body, denial], text)
    assert [c.id for c in kept] == [body.id, denial.id]
    assert [e.quote for e in kept[0].evidence][1] == "Northern Front Claims Depot Strike"
    unnamed = _claim(
        text, "Ali Baro claimed responsibility for the strike on the depot.", "Ali Baro", "claimed_responsibility"
    )
    assert len(fold([headline, unnamed], text.replace("A Northern Front commander, Ali Baro,", "Ali Baro"))[0]) == 2


def test_the_ledes_claim_of_responsibility_folds_into_the_bodys_but_other_statements_stay() -> None:
    text = (
        "Front claims depot strike\n\n12 March 2024\n\n"
        "The Front claimed responsibility for Tuesday's strike on the fuel depot. Police said two guards died.\n\n"
        "The Front told reporters its drones struck the depot in revenge. Police said the fire spread.\n"
    )
    lede = _claim(text, "The Front claimed responsibility for Tuesday's strike", "The Front", "claimed_responsibility")
    guards = _claim(text, "Police said two guards died.", "Police", "asserted")
    body = _claim(text, "The Front told reporters its drones struck the depot", "The Front", "claimed_responsibility")
    fire = _claim(text, "Police said the fire spread.", "Police", "asserted")
    kept, _, _ = fold([lede, guards, body, fire], text)
    assert [c.id for c in kept] == [body.id, guards.id, fire.id]  # the body's claim, told in full, is kept
    assert [e.quote for e in kept[0].evidence] == [body.evidence[0].quote, lede.evidence[0].quote]


def test_a_statement_that_goes_on_in_the_next_sentence_is_one_claim() -> None:
    text = (
        "Front claims depot strike\n\n"
        "The Front said it struck the fuel depot. It added that the strike was months in the making. "
        "Police said two guards died. The Front said its fighters would strike again.\n"
        "Front vows more\nThe Front said the depot burned.\n"
    )
    said = _claim(text, "The Front said it struck the fuel depot.", "The Front", "claimed_responsibility")
    added = _claim(text, "It added that the strike was months in the making.", "The Front")
    added = added.model_copy(update={"target": "the fuel depot", "event_date": "2024-03-12"})
    police = _claim(text, "Police said two guards died.", "Police")
    again = _claim(text, "The Front said its fighters would strike again.", "The Front", "threatened")
    burned = _claim(text, "The Front said the depot burned.", "The Front")
    kept, warnings, into = fold([said, added, police, again, burned], text)
    assert into == {added.id: said.id}  # where the call log finds the folded claim
    assert [c.id for c in kept] == [said.id, police.id, again.id, burned.id]  # a threat is a statement of its own;
    # after a headline line, another story
    assert [e.quote for e in kept[0].evidence] == [said.evidence[0].quote, added.evidence[0].quote]
    assert (kept[0].target, kept[0].event_date) == ("the fuel depot", "2024-03-12")  # what the first left open
    assert [w.code for w in warnings] == ["duplicate_merged"]
    apart = fold([said, _claim(text, "The Front said the depot burned.", "The Front")], text)[0]
    assert len(apart) == 2  # sentences apart: two statements


def test_a_loosely_copied_quote_folds_where_the_aligner_placed_it() -> None:
    text = "Front claims depot strike\n\nThe Northern Front claimed responsibility for Tuesday's strike on the depot.\n"
    exact = _claim(text, "The Northern Front claimed responsibility for Tuesday's strike", "Northern Front")
    loose = _claim(text, "Northern Front claimed responsibility for Tuesdays strike on the depot", "Northern Front")
    assert loose.evidence[0].status == GroundingStatus.FUZZY and loose.evidence[0].start is not None
    kept, warnings, _ = fold([exact, loose], text)
    assert [c.id for c in kept] == [exact.id]
    assert [w.code for w in warnings] == ["duplicate_merged"]
    unplaced = _claim(text, "The Front said nothing about a depot in its statement at all", "Northern Front")
    assert unplaced.evidence[0].start is None
    assert len(fold([exact, unplaced], text)[0]) == 2  # a quote found nowhere stands nowhere: nothing to fold


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])  # the fake server
def test_a_spokesman_named_with_his_group_claims_and_denies_the_group_s_acts() -> None:
    text = (
        "The Sahel Front's spokesman Omar Diallo said its fighters carried out the attack on the depot.\n"
        "Chechen rebel leader Doku Umarov said nothing. Diallo denied that the Front shelled the school.\n"
    )
    assert affiliations(text) == {"Omar Diallo": "Sahel Front"}  # "Chechen rebel" is no group's name
    assert speaks_for("Diallo", affiliations(text)) == "Sahel Front" and speaks_for("Umarov", {}) is None

    def answer(article: str) -> dict[str, object]:
        said = "The Sahel Front's spokesman Omar Diallo said its fighters carried out the attack on the depot."
        denied = "Diallo denied that the Front shelled the school."
        own = {"claimant_kind": "named_person", "via": [], "method": []}
        return {
            "claims": [
                {"evidence": [said], "claimant": "Omar Diallo", "stance": "claimed_responsibility", **own},
                {"evidence": [denied], "claimant": "Diallo", "stance": "denied", "actor": "Diallo", **own},
            ]
        }

    with FakeServer(answer=answer) as server:
        result = claimx.extract(text, base_url=server.base_url, model="m", api_key="x", strategy="whole")
    assert [(c.claimant, c.actor) for c in result.claims] == [("Omar Diallo", "Sahel Front"), ("Diallo", "Sahel Front")]


def test_short_forms_stand_for_the_article_s_full_name_of_the_same_kind() -> None:
    names = canonical_names(
        ["the Resistance", "Sahel Resistance Front", "Sahel Resistance", "Police", "Police chief Omar Diallo", None]
    )
    assert names["the Resistance"] == names["Sahel Resistance"] == "Sahel Resistance Front"
    assert names["Police"] == "Police"  # a body is not the person who speaks for it
    assert names["Police chief Omar Diallo"] == "Police chief Omar Diallo"


def test_a_description_of_an_institution_stands_for_the_name_the_article_gives_it() -> None:
    text = (
        "Sahel Institute Says Front Shelled Tarsa\n\n"
        "The Tarsa Institute for Civil Rights counted 40 dead. The committee, known as the Tarsa Relief Board, met.\n"
        "The Ministry of Defense and the Interior Ministry disagreed. Analysts at SITE Intelligence Group said so.\n"
    )
    found = referents(text)
    institute, body = ClaimantKind.ORGANIZATION, ClaimantKind.OFFICIAL_BODY
    assert referent("The institute", found) == ("Tarsa Institute for Civil Rights", institute)  # the name's head
    assert referent("the committee overseeing the aid", found) == ("Tarsa Relief Board", body)  # "known as"
    assert referent("the ministry", found) is None  # two ministries: neither
    assert referent("the group", found) is None  # not an institution: often another party than the name's
    assert referent("Sahel Institute", found) is None and "front" not in found  # a name; the headline is no name
    assert referent("the institute's spokesman", found) is None  # a person of the institution is not the institution


@pytest.mark.parametrize(
    ("sentence", "claimant", "settled"),
    [
        (
            "Shelling resumed hours after a rebel commander said his men had left Tarsa.",
            "Voice of America",
            "a rebel commander",
        ),
        ("Shelling resumed hours after a rebel commander said his men had left Tarsa.", "the rebels", "the rebels"),
        ("Hours after the ministry spoke, the agency said two died.", "Tarsa News Agency", "Tarsa News Agency"),
        ("Four guards were killed at the depot, according to the ministry.", "Four guards", "the ministry"),
        ("According to the ministry, four guards were killed at the depot.", "Four guards", "the ministry"),
        ("In the words of the mayor, the town was flattened.", "unknown", "the mayor"),
        ("Witnesses gave an account of the attack on the market.", "Witnesses", "Witnesses"),  # no source in it
        (
            "The blast killed 12, a hospital official said on condition of anonymity.",
            "The blast",
            "a hospital official",
        ),
        ("Two shells hit the school, said a spokesman for the governor.", "unknown", "a spokesman for the governor"),
        ("Two shells hit the school, the Tarsa police told Radio Kessa on Monday.", "unknown", "the Tarsa police"),
        (
            "That was the assessment of the regional governor, who visited the depot.",
            "unknown",
            "the regional governor",
        ),
        (
            "The Front said it fired the shells, according to Radio Kessa.",
            "The Front",
            "The Front",
        ),  # it reports speech
        ("Two shells hit the school, he said.", "Omar Diallo", "Omar Diallo"),  # a pronoun: the model's name stands
        ("The shells hit the school, although witnesses reported a drone.", "The police", "The police"),
        ("Two shells hit the school, police chief Omar Diallo said.", "Omar Diallo", "Omar Diallo"),  # a part of it
    ],
)
def test_the_speaker_a_sentence_names_wins_over_a_party_of_its_content_or_a_speaker_from_elsewhere(
    sentence: str, claimant: str, settled: str
) -> None:
    assert settle(draft(sentence, claimant=claimant)).claimant == settled


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])  # the fake server
def test_a_claim_by_the_institution_a_sentence_describes_is_by_its_name() -> None:
    text = (
        "The Tarsa Institute for Civil Rights counted 40 dead on Monday.\n\n"
        "The institute accused the Northern Front of shelling the market.\n"
    )

    def answer(prompt: str) -> dict[str, object]:
        claim = {"claimant": "an institute official", "claimant_kind": "anonymous_official", "stance": "alleged"}
        return {"claims": [claim] if prompt.startswith("The institute") else []}

    with FakeServer(answer=answer) as server:
        result = claimx.extract(text, base_url=server.base_url, model="m", api_key="x", strategy="sentences")
    (claim,) = result.claims
    assert (claim.claimant, claim.claimant_kind) == ("Tarsa Institute for Civil Rights", ClaimantKind.ORGANIZATION)


@pytest.mark.parametrize(
    ("sentence", "doer"),
    [
        ("Officials said gunmen, armed with rifles and grenades, stormed the hotel.", "gunmen"),  # an aside
        ("The commander warned that the brigade will attack the airport next.", "the brigade"),  # a threat's doer
        ("Police said drones hit the depot.", None),  # a means is no doer
        ("Witnesses said a bomb blast killed four.", None),
        ("The group said its fighters attacked the post.", None),  # the group itself, not a new party
        ("Officials said the fire was set by unknown men who fired shots.", None),  # no passive as the doer
    ],
)
def test_the_content_names_the_doer(sentence: str, doer: str | None) -> None:
    assert agent(sentence) == doer


@pytest.mark.parametrize(
    ("sentence", "doer"),
    [
        ("Police say 12 died after Northern Front fighters attacked the depot.", "Northern Front fighters"),
        (
            "The mayor mourned the victims of Monday's attack on the market by Sahel Brigade gunmen.",
            "Sahel Brigade gunmen",
        ),
        ("Shelling resumed a day after an official said his country had fired rockets.", None),  # a speaker, no doer
        ("The army says one shell went astray and hit a house.", None),  # a means, in a list of acts
        ("Two died in the attack by a car bomb.", None),  # a means
    ],
)
def test_a_doer_told_as_background_is_the_actor_and_accuses_no_one(sentence: str, doer: str | None) -> None:
    settled = settle(draft(sentence, claimant="Police", actor=None))
    assert settled.actor == doer and settled.stance == Stance.ASSERTED


def test_a_speaker_the_model_made_the_doer_gives_way_to_the_doer_the_content_names() -> None:
    told = settle(
        draft("Activists said army units shelled the market.", claimant="Activists", actor="Activists"),
    )
    assert told.stance == Stance.ASSERTED and told.actor == "army units"
    threat = settle(
        draft(
            "The commander said the brigade will attack the airport.",
            claimant="The commander",
            stance="threatened",
            actor="The commander",
        )
    )
    assert threat.actor == "the brigade"
    claimed = settle(
        draft("The Front said it attacked the airport.", claimant="The Front", stance="claimed_responsibility")
    )
    assert claimed.actor == "The Front"  # "it" is the claimant: the claimant did it


@pytest.mark.parametrize(
    ("sentence", "claimant", "stance"),
    [
        ("The Front said it struck the depot.", "The Front", Stance.CLAIMED_RESPONSIBILITY),
        ("The Front said its fighters stormed the post.", "The Front", Stance.CLAIMED_RESPONSIBILITY),
        ("The army says it was targeting launch sites.", "The army", Stance.CLAIMED_RESPONSIBILITY),
        ("Police say they were attacked at the gate.", "Police", Stance.ASSERTED),  # done to them, not by them
        ("Police say four suspects confessed to their participation in the attacks.", "Police", Stance.ASSERTED),
        ("Authorities say their investigation shows the bombs were set off remotely.", "Authorities", Stance.ASSERTED),
    ],
)
def test_a_party_owns_an_act_as_its_doer_not_through_anyone_s_pronoun(
    sentence: str, claimant: str, stance: Stance
) -> None:
    kind = "armed_group" if claimant == "The Front" else "official_body"  # the army and police: official bodies
    drafted = draft(sentence, claimant=claimant, claimant_kind=kind, stance="claimed_responsibility")
    assert settle(drafted).stance == stance


def test_a_party_the_act_was_done_to_is_no_actor() -> None:
    targeted = "Our correspondent reported that US forces at the Ain al-Assad base were targeted twice."
    settled = settle(draft(targeted, claimant="Our correspondent", actor="US forces"))
    assert settled.actor is None
    by = "Police said the convoy was attacked by militants."
    assert settle(draft(by, claimant="Police", actor="militants")).actor == "militants"
    relative = "Police said rebels who were attacked last week shelled the town."
    assert settle(draft(relative, claimant="Police", actor="rebels")).actor == "rebels"


def test_naming_another_party_as_the_doer_accuses_it_a_description_does_not() -> None:
    named = settle(draft("Residents said Government forces shelled the village.", claimant="Residents"))
    assert named.stance == Stance.ALLEGED and named.actor == "Government forces"
    described = settle(draft("Residents said gunmen shelled the village.", claimant="Residents"))
    assert described.stance == Stance.ASSERTED and described.actor == "gunmen"


@pytest.mark.parametrize(
    ("claimant", "kind"),
    [
        ("Syrian state-run media", ClaimantKind.NEWS_OUTLET),
        ("A Nigerian senator", ClaimantKind.ANONYMOUS_OFFICIAL),
        ("Activists", ClaimantKind.UNKNOWN),
        ("Witnesses and police officials", ClaimantKind.UNKNOWN),  # sources of two kinds
        ("rebel commander Ivan Petrenko", ClaimantKind.NAMED_PERSON),  # a role with a name is the person
        ("rebel commanders", ClaimantKind.ARMED_GROUP),
    ],
)
def test_claimant_kind_from_the_words_of_the_source(claimant: str, kind: ClaimantKind) -> None:
    assert kind_of(claimant) == kind


def test_a_role_stands_for_the_person_named_in_it_and_a_list_for_no_one() -> None:
    names = canonical_names(["rebel commander Ivan Petrenko", "the rebel commander", "the government and activists"])
    assert names["the rebel commander"] == "rebel commander Ivan Petrenko"
    assert canonical_names(["Activists", "the government and activists"])["Activists"] == "Activists"


def test_names_that_differ_in_a_figure_are_two_parties() -> None:
    names = canonical_names(["officials in district 9", "officials in district 12", "district officials"])
    assert names["officials in district 9"] == "officials in district 9"
    assert names["district officials"] == "officials in district 12"  # a short form still stands for the longest


@pytest.mark.parametrize(
    "sentence",
    [
        "The Front said it attacked the airport with drones.",
        "The Front said the bombing was revenge for the raids on its villages.",  # giving the attack its reason
    ],
)
def test_a_group_saying_it_attacked_or_why_claims_the_attack(sentence: str) -> None:
    group = settle(draft(sentence, claimant="The Front", claimant_kind="armed_group"))
    assert group.stance == Stance.CLAIMED_RESPONSIBILITY and group.actor == "The Front"
    witness = settle(draft(sentence.replace("The Front", "A witness", 1), claimant="A witness"))
    assert witness.stance == Stance.ASSERTED  # a witness owns no act


@pytest.mark.parametrize(
    "sentence",
    [
        'Its spokesman Omar Diallo said, "We do not target markets. Our targets are the soldiers."',
        "Omar Diallo said we have never attacked the depot.",
        "Omar Diallo said: we didn't carry out the bombing.",
    ],
)
def test_a_party_disowning_an_act_in_the_first_person_denies_it(sentence: str) -> None:
    drafted = draft(sentence, claimant="Omar Diallo", claimant_kind="named_person", stance="claimed_responsibility")
    settled = settle(drafted)
    assert settled.stance == Stance.DENIED and settled.actor == "Omar Diallo"
    owned = settle(drafted.model_copy(update={"evidence": ["Omar Diallo said we attacked the depot."]}))
    assert owned.stance == Stance.CLAIMED_RESPONSIBILITY  # the same party, owning the act


def test_a_statement_going_on_through_a_pronoun_came_by_the_same_relay() -> None:
    text = (
        "Ali Baro told reporters by telephone that the raid was revenge. Baro leads the Front. "
        "He said more raids will follow. Police said two guards died. He said the fire spread.\n"
    )
    told = _claim(text, "Ali Baro told reporters by telephone that the raid was revenge.", "Ali Baro")
    told = told.model_copy(update={"via": ["reporters"]})
    vow = _claim(text, "He said more raids will follow.", "Ali Baro", "threatened")
    police = _claim(text, "Police said two guards died.", "Police")
    fire = _claim(text, "He said the fire spread.", "Ali Baro")  # the last speaker named was the police's
    assert [c.via for c in carry_relays([vow, told, police, fire])] == [["reporters"], ["reporters"], [], []]


@pytest.mark.parametrize(
    ("sentence", "claimant", "spoken"),
    [
        ("Police said two guards died.", "Police", True),  # the sentence names its speaker
        ("He said more raids will follow.", "Ali Baro", True),  # a pronoun the model resolved from the context
        ("The agency said staff were helping.", "the Disaster Centre", True),  # a description it resolved
        ("The rocket fire threatens to spark a new wave of bloodshed.", "Voice of America", False),
        ("A second blast shook the market, the fourth this month.", "Somali officials", False),
        ("The rocket fire threatens to spark a new wave of bloodshed.", None, True),  # nothing to set aside
    ],
)
def test_a_sentence_names_a_speaker_or_the_claimant_came_from_elsewhere(
    sentence: str, claimant: str | None, spoken: bool
) -> None:
    assert has_speaker(sentence, claimant) is spoken


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])  # the fake server
def test_a_claim_the_model_gave_a_sentence_with_no_speaker_is_set_aside_in_a_warning() -> None:
    text = "Police said two guards died at the depot. The rocket fire threatens to spark more bloodshed."

    def answer(prompt: str) -> dict[str, object]:
        who = "Police" if prompt.startswith("Police said") else "Voice of America"  # the sentence asked about
        return {"claims": [{"claimant": who, "claimant_kind": "official_body", "stance": "asserted"}]}

    with FakeServer(answer=answer) as server:
        result = claimx.extract(text, base_url=server.base_url, model="m", api_key="x", strategy="sentences")
    assert result.usage.llm_calls == 2 and [c.claimant for c in result.claims] == ["Police"]
    (aside,) = [w for w in result.warnings if w.code == "no_speaker"]
    assert "'Voice of America'" in aside.message and "threatens" in (aside.detail or "")


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])  # the fake server
def test_two_sentences_asked_in_one_call_give_claims_quoting_each_its_own_sentence() -> None:
    speakers = ["Police", "The army", "Officials", "Witnesses", "Medics", "Residents", "Rebels"]
    lines = [f"{who} said a guard died at the depot." for who in speakers]
    text = "\n".join([*lines, "The rocket fire threatens to spark more bloodshed."])  # 8 cue sentences

    def answer(sentence: str) -> dict[str, object]:
        who = sentence.split(" said", 1)[0] if " said" in sentence else "Voice of America"
        return {"claims": [{"claimant": who, "claimant_kind": "official_body", "stance": "asserted"}]}

    with FakeServer(answer=answer) as server:
        result = claimx.extract(
            text, base_url=server.base_url, model="m", api_key="x", strategy="sentences", max_calls=6
        )
    assert result.usage.llm_calls == 6  # the last four sentences asked two a call, so none is left unasked
    assert not [w for w in result.warnings if w.code == "call_limit"]
    assert [(c.claimant, c.evidence[0].quote) for c in result.claims] == list(zip(speakers, lines, strict=True))
    assert all(text[c.evidence[0].start :].startswith(c.evidence[0].quote) for c in result.claims)
    (aside,) = [w for w in result.warnings if w.code == "no_speaker"]  # a pair's second sentence names nobody
    assert "'Voice of America'" in aside.message and "threatens" in (aside.detail or "")
