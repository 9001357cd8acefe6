"""Articles in other languages than English: detection, cue lexicons, sentence splitting, the plan and
prompt of a non-English article, the selection call of a language without a lexicon (against the fake
server), and warnings instead of a silent zero."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import claimx
from claimx.batch import run_batch
from claimx.cli.claims import claims_command
from claimx.cli.extract import extract_command
from claimx.extraction import cues, prompts
from claimx.extraction.attribution import settle, stance_cue
from claimx.extraction.drafts import (
    ClaimDraft,
    ClaimDrafts,
    EnglishPhrases,
    SentenceClaims,
    TranslatedDrafts,
    draft_problems,
    stated,
)
from claimx.extraction.language import detect
from claimx.extraction.plan import ENGLISH_PROMPT, LANGUAGE_PROMPT, plan
from claimx.extraction.text import split_sentences
from claimx.inputs import iter_inputs
from claimx.result import Stance
from claimx.settings import settings_from
from claimx.store import Store
from claimx.store.export import read_jsonl
from tests.fakeserver import FakeServer, answer_for
from tests.helpers import DATA

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

META = {"publisher": "P", "published": "2024-05-01"}

# One sentence per language that names a source, one in the article's own voice, and the stance its verb settles.
SAMPLES: dict[str, list[tuple[str, bool, Stance | None]]] = {
    "fr": [
        ("Le porte-parole de l'armée a déclaré que deux soldats avaient été tués.", True, None),
        ("Selon la police, l'explosion a eu lieu vers midi.", True, None),
        ("Le groupe a revendiqué l'attaque contre la caserne dans un communiqué.", True, Stance.CLAIMED_RESPONSIBILITY),
        ("Le ministère a démenti toute implication dans la frappe.", True, Stance.DENIED),
        ("Kiev accuse Moscou d'avoir visé des civils.", True, Stance.ALLEGED),
        ("Nous condamnons fermement l'attentat contre le marché.", True, Stance.ALLEGED),
        ("Le chef rebelle a menacé de nouvelles attaques.", True, Stance.THREATENED),
        ("La ville compte environ quarante mille habitants.", False, None),
    ],
    "es": [
        ("El portavoz dijo que el ataque dejó tres heridos.", True, None),
        ("Según fuentes locales, el puente quedó destruido.", True, None),
        ("El grupo armado reivindicó el atentado en un comunicado.", True, Stance.CLAIMED_RESPONSIBILITY),
        ("El gobierno negó haber bombardeado la aldea.", True, Stance.DENIED),
        ("La oposición acusó al ejército de disparar contra manifestantes.", True, Stance.ALLEGED),
        ("Condenamos el bombardeo de la escuela.", True, Stance.ALLEGED),
        ("El comandante amenazó con represalias.", True, Stance.THREATENED),
        ("El mercado abre todos los días a las ocho.", False, None),
    ],
    "de": [
        ("Ein Sprecher der Polizei sagte, zwei Menschen seien verletzt worden.", True, None),
        ("Laut dem Ministerium wurde die Brücke beschädigt.", True, None),
        ("Die Miliz bekannte sich zu dem Anschlag auf den Konvoi.", True, Stance.CLAIMED_RESPONSIBILITY),
        ("Die Regierung dementierte den Bericht.", True, Stance.DENIED),
        ("Die Opposition beschuldigte die Armee, Zivilisten angegriffen zu haben.", True, Stance.ALLEGED),
        ("Wir verurteilen den Angriff auf das Krankenhaus.", True, Stance.ALLEGED),
        ("Der Kommandeur drohte mit weiteren Angriffen.", True, Stance.THREATENED),
        ("Die Stadt liegt am Ufer des Flusses.", False, None),
    ],
    "ru": [
        ("Представитель министерства заявил, что удар был нанесён ночью.", True, None),
        ("По словам губернатора, пострадали три человека.", True, None),
        ("Группировка взяла на себя ответственность за взрыв.", True, Stance.CLAIMED_RESPONSIBILITY),
        ("В Кремле опровергли эти сообщения.", True, Stance.DENIED),
        ("Киев обвинил Москву в обстреле города.", True, Stance.ALLEGED),
        ("МИД осудил обстрел жилых кварталов.", True, Stance.ALLEGED),
        ("Командир пригрозил новыми ударами.", True, Stance.THREATENED),
        ("Город расположен на берегу реки.", False, None),
    ],
    "uk": [
        ("Речник Повітряних сил заявив, що збито п'ять дронів.", True, None),
        ("За словами мера, пошкоджено два будинки.", True, None),
        ("Угруповання взяло на себе відповідальність за напад.", True, Stance.CLAIMED_RESPONSIBILITY),
        ("Міністерство спростувало ці повідомлення.", True, Stance.DENIED),
        ("Київ звинуватив Москву в обстрілі лікарні.", True, Stance.ALLEGED),
        ("Ми рішуче засуджуємо удар по вокзалу.", True, Stance.ALLEGED),
        ("Командир погрожує новими атаками.", True, Stance.THREATENED),
        ("Місто розташоване на березі річки.", False, None),
    ],
    "tr": [
        ("Bakanlık sözcüsü saldırıda iki askerin yaralandığını söyledi.", True, None),
        ("Valiliğe göre patlama sabah saatlerinde meydana geldi.", True, None),
        ("Örgüt saldırıyı üstlendi.", True, Stance.CLAIMED_RESPONSIBILITY),
        ("Hükümet iddiaları yalanladı.", True, Stance.DENIED),
        ("Muhalefet orduyu sivilleri hedef almakla suçladı.", True, Stance.ALLEGED),
        ("Bakanlık pazardaki saldırıyı kınadı.", True, Stance.ALLEGED),
        ("Komutan yeni saldırılarla tehdit etti.", True, Stance.THREATENED),
        ("Şehir nehrin kıyısında yer alıyor.", False, None),
    ],
    "ar": [
        ("وقال المتحدث باسم الجيش إن الهجوم أسفر عن مقتل جنديين.", True, None),
        ("وبحسب مصادر محلية، دمر الجسر بالكامل.", True, None),
        ("وتبنت الجماعة الهجوم في بيان.", True, Stance.CLAIMED_RESPONSIBILITY),
        ("ونفت الوزارة أي علاقة لها بالقصف.", True, Stance.DENIED),
        ("واتهمت المعارضة الجيش باستهداف المدنيين.", True, Stance.ALLEGED),
        ("ندين بشدة الهجوم على السوق.", True, Stance.ALLEGED),
        ("وأدانت الوزارة القصف واستنكرت استهداف المدنيين.", True, Stance.ALLEGED),
        ("تُدين السفارة بشدة التفجير الذي وقع يوم الجمعة.", True, Stance.ALLEGED),
        ("وهدد القائد بشن هجمات جديدة.", True, Stance.THREATENED),
        ("تقع المدينة على ضفة النهر.", False, None),
    ],
    "fa": [
        ("سخنگوی ارتش گفت که دو سرباز کشته شدند.", True, None),
        ("به گفته مقامات محلی، پل به طور کامل تخریب شد.", True, None),
        ("این گروه مسئولیت حمله را بر عهده گرفت.", True, Stance.CLAIMED_RESPONSIBILITY),
        ("وزارت خارجه این گزارش را تکذیب کرد.", True, Stance.DENIED),
        ("دولت مخالفان را به حمله متهم کرد.", True, Stance.ALLEGED),
        ("وزارت خارجه این حمله را محکوم کرد.", True, Stance.ALLEGED),
        ("فرمانده به حملات تازه تهدید کرد.", True, Stance.THREATENED),
        ("این شهر در کنار رودخانه قرار دارد.", False, None),
    ],
    "zh": [
        ("国防部发言人表示，两名士兵在袭击中受伤。", True, None),
        ("据当地媒体报道，大桥被完全摧毁。", True, None),
        ("该组织声称对这起袭击负责。", True, Stance.CLAIMED_RESPONSIBILITY),
        ("外交部否认了这一报道。", True, Stance.DENIED),
        ("反对派指责军队袭击平民。", True, Stance.ALLEGED),
        ("我们强烈谴责对市场的袭击。", True, Stance.ALLEGED),
        ("指挥官威胁将发动新的袭击。", True, Stance.THREATENED),
        ("这座城市位于河边。", False, None),
    ],
}


@pytest.mark.parametrize(
    ("language", "sentence", "cited", "stance"),
    [(language, *sample) for language, samples in SAMPLES.items() for sample in samples],
)
def test_each_lexicon_tells_a_cited_sentence_and_its_stance(
    language: str, sentence: str, cited: bool, stance: Stance | None
) -> None:
    cue = cues.cue_for(language)
    assert cue is not None
    assert bool(cue.search(sentence)) is cited
    assert cues.stance_of(sentence, language) == stance
    assert stance_cue(sentence, language) == stance  # the attribution frame reads the lexicon too


def test_quotation_marks_of_each_script_cite_a_source() -> None:
    for language, quoted in [("fr", "« Nous tiendrons. »"), ("de", "„Wir halten.“"), ("zh", "「我们会坚守。」")]:
        cue = cues.cue_for(language)
        assert cue is not None and cue.search(quoted)


def test_english_keeps_its_cue_and_a_language_without_lexicon_has_none() -> None:
    assert cues.cue_for("en") is cues.ATTRIBUTION_CUE is cues.cue_for(None)
    assert cues.cue_for("it") is None and cues.stance_of("Il governo ha smentito.", "it") is None
    assert cues.stance_of("The ministry denied it.", "en") is None  # English stances stay in attribution.py


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_detection_of_a_paragraph_in_each_language(language: str) -> None:
    paragraph = " ".join(sentence for sentence, _, _ in SAMPLES[language])
    assert detect(paragraph) == language


def test_detection_of_the_test_articles_and_of_what_cannot_be_told() -> None:
    assert detect((DATA / "fr_article.txt").read_text()) == "fr"
    assert detect((DATA / "ar_article.txt").read_text()) == "ar"
    assert detect((DATA / "no_claims.txt").read_text()) == "en"
    assert detect("Hamas said") is None  # too short to tell: planned as English
    assert detect("1234 — 5678") is None


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "ar",
            "قال المتحدث إن الهجوم وقع فجرا. هل كان ذلك متوقعا؟ نفت الحركة أي مسؤولية.",
            ["قال المتحدث إن الهجوم وقع فجرا.", "هل كان ذلك متوقعا؟", "نفت الحركة أي مسؤولية."],
        ),
        (
            "fr",
            "Il a déclaré : « Nous avons frappé la base. » Le ministère a démenti. « C'est faux », a-t-il dit.",
            ["Il a déclaré : « Nous avons frappé la base. »", "Le ministère a démenti.", "« C'est faux », a-t-il dit."],
        ),
        (
            "zh",
            "发言人表示，袭击发生在凌晨。“我们不会容忍。”他说。该组织否认负有责任。",
            ["发言人表示，袭击发生在凌晨。", "“我们不会容忍。”他说。", "该组织否认负有责任。"],
        ),
        (
            "tr",
            'Sözcü, "Üssü vurduk." dedi. Bakanlık bunu yalanladı.',
            ['Sözcü, "Üssü vurduk." dedi.', "Bakanlık bunu yalanladı."],
        ),
        (
            "uk",
            "Речник заявив: «Ми завдали удару». Міністерство це спростувало.",
            ["Речник заявив: «Ми завдали удару».", "Міністерство це спростувало."],
        ),
    ],
)
def test_sentences_are_split_by_the_rules_of_their_language(language: str, text: str, expected: list[str]) -> None:
    sentences = split_sentences(text, language)
    assert [s.text for s in sentences] == expected
    assert all(text[s.start : s.end] == s.text for s in sentences)


@given(
    st.text(alphabet=st.sampled_from('ab ؟。.!?»”«“"\nقلЖж'), max_size=80), st.sampled_from(["ar", "fr", "zh", "uk"])
)
def test_sentence_offsets_hold_in_any_language(text: str, language: str) -> None:
    for sentence in split_sentences(text, language):
        assert text[sentence.start : sentence.end] == sentence.text and sentence.text == sentence.text.strip()


def test_an_english_plan_asks_the_sentence_schema_whatever_the_language_options() -> None:
    text = (DATA / "no_claims.txt").read_text() + "\nPolice said two people were hurt."
    units = plan("sentences", text, META)
    assert units == plan("sentences", text, META, "en") == plan("sentences", text, META, None)
    assert [u.schema for u in units] == [SentenceClaims]
    assert set(units[0].context) == {"article", "publisher", "published", "sentence", "before", "after"}
    assert units[0].messages[1]["content"] == prompts.load("sentence").template
    assert units[0].messages[0]["content"] == prompts.load("sentence_system").template


def test_a_french_plan_asks_in_french_terms_with_the_claimant_in_english() -> None:
    text = (DATA / "fr_article.txt").read_text()
    units = plan("sentences", text, META, "fr")
    assert len(units) == 4 and all(u.schema is TranslatedDrafts for u in units)
    user = units[0].messages[1]["content"]
    assert units[0].messages[0]["content"] == prompts.load("system").template  # every field, the claimant in English
    assert user.startswith(prompts.load("sentence").template.rstrip("\n"))
    assert user.endswith(prompts.load(LANGUAGE_PROMPT).template)
    assert units[0].context["language_name"] == "French"
    assert "outcome in {{ language_name }}, in the words of the evidence" in user  # rendered in English after
    schema = json.dumps(TranslatedDrafts.model_json_schema())
    assert "claimant_english" in schema and "claimant_english" not in json.dumps(ClaimDrafts.model_json_schema())


def _draft(evidence: str, **fields: object) -> ClaimDraft:
    return ClaimDraft.model_validate(
        {
            "evidence": [evidence],
            "claimant": "le porte-parole",
            "claimant_kind": "anonymous_official",
            "stance": "asserted",
        }
        | fields
    )


def test_validation_reads_the_cue_of_the_article_language() -> None:
    article = (DATA / "ar_article.txt").read_text()
    said = "ونفى مصدر محلي وجود أي موقع عسكري داخل البلدة."
    voice = "وتقع البلدة على بعد كيلومترين من الخط الأزرق."
    assert draft_problems(_draft(said), article, "ar") == []
    assert any("attribution cue" in p for p in draft_problems(_draft(voice), article, "ar"))
    assert any("attribution cue" in p for p in draft_problems(_draft(said), article))  # read as English
    # In the article's words, a means or a result the quote does not state is left out, not asked again.
    invented = _draft(said, outcome="two soldiers wounded", method=["rockets", "موقع"])  # the prompt's examples
    assert draft_problems(invented, article, "ar") == []
    assert (settle(invented, "ar").outcome, settle(invented, "ar").method) == (None, ["موقع"])
    kept = settle(_draft(said, outcome="وجود أي موقع عسكري"), "ar")
    assert kept.outcome == "وجود أي موقع عسكري"
    chinese = "警方说，一枚炸弹在市场爆炸，造成三人死亡。"
    assert settle(_draft(chinese, outcome="造成三人死亡", method=["炸弹"]), "zh").method == ["炸弹"]
    assert settle(_draft(chinese, outcome="十人受伤", method=["火箭"]), "zh").outcome is None
    english_draft = _draft("Police said a bomb killed three.", outcome="two soldiers wounded")
    assert any("outcome" in p for p in draft_problems(english_draft, "Police said a bomb killed three.", "en"))
    assert draft_problems(_draft(voice), article, "it") == []  # no lexicon to judge by


def test_the_attribution_frame_settles_a_stance_from_the_lexicon() -> None:
    settled = settle(_draft("ونفى مصدر محلي وجود أي موقع عسكري داخل البلدة.", stance="asserted"), "ar")
    assert settled.stance == Stance.DENIED


def _extract(server: FakeServer, text: str, **options: object) -> claimx.Result:
    return claimx.extract(text, base_url=server.base_url, model="m", api_key="x", strategy="sentences", **options)


def test_a_french_article_gives_grounded_claims_with_the_claimant_in_english() -> None:
    text = (DATA / "fr_article.txt").read_text().replace("a déclaré", "a déclaré (said)")  # the fake server needs it
    with FakeServer() as server:
        result = _extract(server, text, language="fr")
        body = server.stats.last_body
    assert result.article.language == "fr"
    assert result.usage.llm_calls == 4 and result.usage.reasks == 0
    (claim,) = result.claims
    assert claim.grounded and claim.claimant_english == claim.claimant
    assert "claimant_english" in json.dumps(body["response_format"])
    assert result.provenance.prompt_hashes[LANGUAGE_PROMPT] == prompts.load(LANGUAGE_PROMPT).sha256


def _described(text: str) -> dict[str, object]:
    """The fake server's answer, with a target, means and outcome written in the article's words."""
    answer = answer_for(text)
    for claim in answer.get("claims", []):
        claim |= {"target": "la caserne", "method": ["roquettes"], "outcome": "blessé deux personnes"}
    return answer


FRENCH = (
    "La ville est calme. Le maire a déclaré (said) que des roquettes ont frappé la caserne et blessé deux personnes."
)


def test_target_method_and_outcome_of_an_article_not_in_english_come_in_english_from_a_call_of_their_own() -> None:
    with FakeServer(answer=_described) as server:
        result = _extract(server, FRENCH, language="fr")
        original = _extract(server, FRENCH, language="fr", fields_language="original")
        asked = [t for t in server.stats.asked if "<phrases>" in t]
    (claim,) = result.claims
    assert (claim.target, claim.method, claim.outcome) == (
        "la caserne (en)",
        ["roquettes (en)"],
        "blessé deux personnes (en)",
    )
    assert [c.label for c in result.calls][-1] == "English" and result.usage.llm_calls == 2
    assert len(asked) == 1 and "3. blessé deux personnes" in asked[0]  # each distinct phrase once
    assert result.provenance.prompt_hashes[ENGLISH_PROMPT] == prompts.load(ENGLISH_PROMPT).sha256
    assert result.provenance.schema_hash == prompts.schema_hash(TranslatedDrafts, EnglishPhrases)
    (kept,) = original.claims
    assert (kept.target, kept.method, kept.outcome) == ("la caserne", ["roquettes"], "blessé deux personnes")
    assert original.usage.llm_calls == 1 and ENGLISH_PROMPT not in original.provenance.prompt_hashes


def test_a_failed_english_rendering_keeps_the_articles_words_and_says_so() -> None:
    with FakeServer(answer=_described, script=["ok", "500", "500"]) as server:
        result = _extract(server, FRENCH, language="fr", retry_attempts=2, retry_max_seconds=30)
    (claim,) = result.claims
    assert claim.target == "la caserne" and result.status == "complete"
    (warning,) = [w for w in result.warnings if w.code == "fields_not_in_english"]
    assert "French" in warning.message


def test_an_english_rendering_must_answer_every_phrase() -> None:
    sized = EnglishPhrases.sized(2)
    assert (
        sized.model_json_schema()["properties"]["english"] | {"minItems": 2, "maxItems": 2}
        == (sized.model_json_schema()["properties"]["english"])
    )  # a server that holds answers to the schema cannot skip one
    assert sized.model_validate({"english": ["the barracks", "rockets"]}).english == ["the barracks", "rockets"]
    with pytest.raises(ValidationError, match="at least 2 items"):
        sized.model_validate({"english": ["the barracks"]})


def test_an_english_article_records_its_language_and_its_claimant_as_is() -> None:
    text = "Gunmen attacked a checkpoint on Monday. A police spokesman said two officers were wounded in the attack."
    with FakeServer() as server:
        result = _extract(server, text)
        body = server.stats.last_body
    assert result.article.language == "en" and LANGUAGE_PROMPT not in result.provenance.prompt_hashes
    assert body["response_format"]["json_schema"]["schema"] == SentenceClaims.model_json_schema()
    assert [c.claimant_english for c in result.claims] == [c.claimant for c in result.claims] != []


def test_a_language_without_lexicon_gets_one_selection_call_then_the_chosen_sentences() -> None:
    text = (
        "Il ponte è stato colpito durante la notte. Un portavoce said che due persone sono rimaste ferite. "
        "La città conta trentamila abitanti. Il sindaco ha aggiunto che i soccorsi sono arrivati presto."
    )
    with FakeServer() as server:
        result = _extract(server, text, language="it")
        asked = list(server.stats.asked)
    assert result.article.language == "it"
    selection = [t for t in asked if "<sentences>" in t]
    assert len(selection) == 1 and "4. Il sindaco" in selection[0]
    assert result.usage.llm_calls == 2  # the selection, then the one sentence it chose
    assert [c.claimant for c in result.claims] == ["Un portavoce"]
    assert [c.label for c in result.calls] == ["selection", "sentence at 43"]
    assert result.provenance.prompt_hashes["select"] == prompts.load("select").sha256


def test_a_failed_selection_sends_every_sentence() -> None:
    text = "Il ponte è stato colpito. Un portavoce said che due persone sono rimaste ferite."
    with FakeServer(script=["500", "500"]) as server:  # both attempts of the selection call fail
        result = _extract(server, text, language="it", retry_attempts=2, retry_max_seconds=30)
    assert [w.code for w in result.warnings][:1] == ["selection_failed"]
    assert result.usage.llm_calls == 2 + 2 and len(result.claims) == 1


def test_no_cited_sentence_is_said_with_the_language() -> None:
    with FakeServer() as server:
        english = _extract(server, (DATA / "no_claims.txt").read_text())
        arabic = _extract(server, "تقع المدينة على ضفة النهر. ويبلغ عدد سكانها نحو ثلاثين ألف نسمة.")
        italian = _extract(server, "Il ponte è stato colpito. La città conta trentamila abitanti.", language="it")
        assert server.stats.requests == 1  # the Italian selection only
    for result, name in ((english, "English"), (arabic, "Arabic"), (italian, "Italian")):
        assert result.claims == []
        (note,) = [w for w in result.warnings if w.code == "no_claim_bearing_sentence"]
        assert name in note.message
    assert english.usage.llm_calls == arabic.usage.llm_calls == 0 and arabic.article.language == "ar"


def test_answers_without_claims_are_said() -> None:
    text = "A spokesman told reporters the convoy was fine."  # has a cue, but no "said" for the fake server
    with FakeServer() as server:
        result = _extract(server, text)
    assert result.claims == [] and result.usage.llm_calls == 1
    assert [w.code for w in result.warnings] == ["no_claims"]


def test_a_batch_stores_languages_filters_on_them_and_counts_articles_without_a_cited_sentence(tmp_path) -> None:
    french = (DATA / "fr_article.txt").read_text().replace("a déclaré", "a déclaré (said)")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "fr.txt").write_text(french)
    (folder / "quiet.txt").write_text((DATA / "no_claims.txt").read_text())
    (folder / "en.txt").write_text("Gunmen attacked a checkpoint. A police spokesman said two officers were wounded.")
    db = tmp_path / "c.db"
    with FakeServer() as server:
        settings = settings_from(base_url=server.base_url, model="m", api_key="x", strategy="sentences")
        outcome = run_batch(iter_inputs([folder]), db, settings=settings)
        again = run_batch(iter_inputs([folder]), db, settings=settings)  # filed under the key it is looked up by
    assert again.skipped == 3 and again.usage.llm_calls == 0
    assert outcome.counts()["no_claim_bearing_sentence"] == 1
    assert "1 article(s) had no sentence naming a source" in outcome.summary()
    with Store(db) as store:
        assert {a.language for a in store.articles()} == {"fr", "en"}
        (item,) = store.claims(language="fr")
        assert item.language == "fr" and item.claim.claimant_english == item.claim.claimant
        assert [i.language for i in store.claims(language="en")] == ["en"]
        assert store.claims(language="ar") == []
    listed = CliRunner().invoke(claims_command, ["--db", str(db), "--language", "fr", "--format", "jsonl"])
    assert listed.exit_code == 0, listed.output
    (row,) = [json.loads(line) for line in listed.output.splitlines()]
    assert row["article_id"] == item.article_id and row["language"] == "fr"
    assert read_jsonl(io.StringIO(listed.output)) == [item]  # the JSONL export keeps the language


def test_a_language_that_is_no_code_is_a_usage_error() -> None:
    result = CliRunner().invoke(extract_command, ["--example", "--language", "French"])
    assert result.exit_code == 2 and "ISO 639-1" in result.output


@pytest.mark.parametrize(
    ("phrase", "quote", "said"),
    [
        ("deux gardes tués", "La police a déclaré que des roquettes ont tué deux gardes.", True),  # an inflection
        ("جروح طفيفة", "وقال رئيس البلدية إن مدنيين أصيبا بجروح طفيفة", True),  # an attached particle
        ("造成三人死亡", "警方说，一枚炸弹在市场爆炸，造成三人死亡。", True),
        ("two soldiers wounded", "La police a déclaré que des roquettes ont tué deux gardes.", False),
        ("rockets", "La police a déclaré que des roquettes ont tué deux gardes.", False),
        ("十人受伤", "警方说，一枚炸弹在市场爆炸，造成三人死亡。", False),
    ],
)
def test_a_means_or_a_result_is_stated_in_the_quotes_own_words_in_any_language(
    phrase: str, quote: str, said: bool
) -> None:
    assert stated(phrase, [quote]) is said


@given(st.lists(st.sampled_from(FRENCH.split()), min_size=1, max_size=6))
def test_words_taken_from_the_quote_are_always_stated(words: list[str]) -> None:
    assert stated(" ".join(words), [FRENCH])
