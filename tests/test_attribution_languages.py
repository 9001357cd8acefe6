"""The attribution frame in the nine lexicon languages besides English, and on all-capitals text: verb
classes, relays and cited sources, the speaker span and claimant kinds, on sentences written for these
tests (none comes from an eval set), and on sentences of the wire report."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimx.extraction import cues
from claimx.extraction.attribution import all_caps, cased, kind_of, relays, settle, source_span, stance_cue
from claimx.extraction.drafts import ClaimDraft, TranslatedDraft, draft_problems
from claimx.extraction.frames import FRAMES
from claimx.result import ClaimantKind, Stance
from tests.helpers import DATA

C, D, A, T = Stance.CLAIMED_RESPONSIBILITY, Stance.DENIED, Stance.ALLEGED, Stance.THREATENED

# Per language (English too), one sentence of each verb class: saying, confirming (both settle no stance of
# their own), claiming, denying, accusing, threatening, vowing and warning.
VERBS: dict[str, list[tuple[str, Stance | None]]] = {
    "en": [
        ("The mayor said the bridge was closed.", None),
        ("Prosecutors confirmed the deaths of two officers.", None),
        ("The movement claimed responsibility for Tuesday's ambush.", C),
        ("The army denied shelling the market.", D),
        ("Villagers accused the militia of burning the houses.", A),
        ("The group's leader threatened to strike the capital.", T),
        ("The fighters vowed to avenge their commander.", T),
        ("Police warned of further attacks.", T),
    ],
    "fr": [
        ("Le maire a dit que le pont était fermé.", None),
        ("La préfecture a confirmé la mort de deux gendarmes.", None),
        ("Le mouvement a revendiqué l'embuscade de mardi.", C),
        ("L'armée a démenti avoir bombardé le marché.", D),
        ("Les habitants accusent la milice d'avoir incendié le village.", A),
        ("Le chef du groupe a menacé de frapper la capitale.", T),
        ("Le groupe a promis de venger ses morts.", T),
        ("La police a averti que d'autres attaques étaient possibles.", T),
    ],
    "es": [
        ("El alcalde dijo que el puente estaba cerrado.", None),
        ("La fiscalía confirmó la muerte de dos agentes.", None),
        ("El frente reivindicó la emboscada del martes.", C),
        ("El ejército desmintió haber bombardeado el mercado.", D),
        ("Los vecinos acusan a la milicia de quemar la aldea.", A),
        ("El jefe del grupo amenazó con atacar la capital.", T),
        ("El grupo prometió vengar a sus muertos.", T),
        ("La policía advirtió que habrá más ataques.", T),
    ],
    "de": [
        ("Der Bürgermeister sagte, die Brücke sei gesperrt.", None),
        ("Die Staatsanwaltschaft bestätigte den Tod zweier Beamter.", None),
        ("Die Gruppe bekannte sich zu dem Hinterhalt vom Dienstag.", C),
        ("Die Armee dementierte, den Markt bombardiert zu haben.", D),
        ("Anwohner beschuldigten die Miliz, das Dorf angezündet zu haben.", A),
        ("Der Anführer der Gruppe drohte mit Angriffen auf die Hauptstadt.", T),
        ("Die Miliz schwor Rache für den Angriff.", T),
        ("Die Polizei warnte vor weiteren Anschlägen.", T),
    ],
    "ru": [
        ("Мэр сказал, что мост закрыт.", None),
        ("Прокуратура подтвердила гибель двух полицейских.", None),
        ("Группировка взяла на себя ответственность за засаду во вторник.", C),
        ("Армия опровергла сообщения об обстреле рынка.", D),
        ("Жители обвинили ополченцев в поджоге деревни.", A),
        ("Командир группы пригрозил ударами по столице.", T),
        ("Боевики поклялись отомстить за гибель командира.", T),
        ("Полиция предупредила о новых нападениях.", T),
    ],
    "uk": [
        ("Мер сказав, що міст закрито.", None),
        ("Прокуратура підтвердила загибель двох поліцейських.", None),
        ("Угруповання взяло на себе відповідальність за засідку у вівторок.", C),
        ("Армія спростувала повідомлення про обстріл ринку.", D),
        ("Мешканці звинуватили бойовиків у підпалі села.", A),
        ("Командир групи пригрозив ударами по столиці.", T),
        ("Бойовики поклялися помститися за загибель командира.", T),
        ("Поліція попередила про нові напади.", T),
    ],
    "tr": [
        ("Belediye başkanı köprünün kapalı olduğunu söyledi.", None),
        ("Valilik iki jandarmanın öldüğünü doğruladı.", None),
        ("Örgüt salı günkü pusuyu üstlendi.", C),
        ("Ordu pazarın bombalandığı iddiasını yalanladı.", D),
        ("Köylüler milisleri köyü yakmakla suçladı.", A),
        ("Grup lideri başkenti vurmakla tehdit etti.", T),
        ("Örgüt intikam almaya yemin etti.", T),
        ("Polis yeni saldırılar konusunda uyardı.", T),
    ],
    "ar": [
        ("وقال رئيس البلدية إن الجسر مغلق.", None),
        ("وأكدت النيابة مقتل اثنين من رجال الشرطة.", None),
        ("وتبنت الحركة الكمين الذي وقع يوم الثلاثاء.", C),
        ("ونفى الجيش قصف السوق.", D),
        ("واتهم السكان الميليشيا بإحراق القرية.", A),
        ("وهدد قائد الجماعة بضرب العاصمة.", T),
        ("وتوعدت الجماعة بالانتقام لقتلاها.", T),
        ("وحذرت الشرطة من هجمات جديدة.", T),
    ],
    "fa": [
        ("شهردار گفت که پل بسته است.", None),
        ("دادستانی کشته شدن دو مأمور پلیس را تأیید کرد.", None),
        ("این گروه مسئولیت کمین روز سه‌شنبه را بر عهده گرفت.", C),
        ("ارتش بمباران بازار را تکذیب کرد.", D),
        ("ساکنان شبه‌نظامیان را به آتش زدن روستا متهم کردند.", A),
        ("فرمانده گروه به حمله به پایتخت تهدید کرد.", T),
        ("این گروه سوگند خورد که انتقام بگیرد.", T),
        ("پلیس درباره حملات تازه هشدار داد.", T),
    ],
    "zh": [
        ("市长说，大桥已经关闭。", None),
        ("检察院证实两名警察死亡。", None),
        ("该组织声称对周二的伏击负责。", C),
        ("军方否认轰炸了市场。", D),
        ("居民指责民兵烧毁了村庄。", A),
        ("该组织头目威胁要袭击首都。", T),
        ("该组织誓言报复。", T),
        ("警方警告可能发生新的袭击。", T),
    ],
}


@pytest.mark.parametrize(
    ("language", "sentence", "stance"),
    [(language, sentence, stance) for language, rows in VERBS.items() for sentence, stance in rows],
)
def test_each_verb_class_cites_a_source_and_settles_its_stance(
    language: str, sentence: str, stance: Stance | None
) -> None:
    assert cues.has_cue(sentence, language)
    assert stance_cue(sentence, language) == stance


@pytest.mark.parametrize(
    ("language", "sentence", "stance"),
    [(language, sentence, stance) for language, rows in VERBS.items() for sentence, stance in rows],
)
def test_each_verb_class_holds_in_capitals(language: str, sentence: str, stance: Stance | None) -> None:
    loud = sentence.upper()  # a no-op in Arabic, Persian and Chinese
    assert cues.has_cue(loud, language)
    assert stance_cue(loud, language) == stance


@pytest.mark.parametrize(
    ("language", "sentence", "claimant", "found", "speaker"),
    [
        ("fr", "Un officier a déclaré à l'AFP que deux soldats avaient été tués.", "Un officier", ["AFP"], None),
        ("fr", "Le député a indiqué dans un entretien accordé au Monde que le vote aurait lieu.", "x", ["Monde"], None),
        ("fr", "Le porte-parole a dit aux journalistes que la base avait été attaquée.", "x", ["journalistes"], None),
        ("fr", "Selon l'agence Reuters, citant une source militaire, le dépôt a été touché.", None, ["Reuters"], None),
        ("fr", "Selon la gendarmerie, le convoi a été visé.", "Le maire", ["gendarmerie"], "la gendarmerie"),
        ("fr", "Deux civils ont été tués, a-t-on appris de source militaire.", None, [], "source militaire"),
        ("es", "Un portavoz dijo a la agencia EFE que el puente fue destruido.", "Un portavoz", ["EFE"], None),
        ("es", "Según la Cruz Roja, el hospital quedó sin luz.", "El alcalde", ["Cruz Roja"], "la Cruz Roja"),
        ("es", "El diario La Voz, citando a fuentes militares, informó del ataque.", None, ["El diario La Voz"], None),
        (
            "de",
            "Ein Sprecher sagte der Nachrichtenagentur Reuters, zwei Menschen seien verletzt.",
            "x",
            ["Reuters"],
            None,
        ),
        ("de", "Ein Offizier sagte gegenüber der BBC, die Stellung sei gefallen.", "Ein Offizier", ["BBC"], None),
        ("de", "Der Minister sagte dem Spiegel, die Armee ziehe ab.", "Der Minister", ["Spiegel"], "Der Minister"),
        ("de", "Laut dem Roten Kreuz wurde die Klinik getroffen.", "Der Bürgermeister", ["Roten Kreuz"], None),
        (
            "de",
            "Die Agentur berichtete unter Berufung auf Sicherheitskreise, der Konvoi sei beschossen worden.",
            None,
            ["Die Agentur"],
            "Sicherheitskreise",
        ),
        ("ru", "Представитель армии сообщил ТАСС, что два дрона были сбиты.", "x", ["ТАСС"], "Представитель армии"),
        ("ru", "Командир рассказал журналистам, что позиции удержаны.", "Командир", ["журналистам"], None),
        ("ru", "По словам губернатора, обстрел продолжался всю ночь.", "мэр", ["губернатора"], "губернатора"),
        (
            "ru",
            "Агентство Интерфакс со ссылкой на источник в силовых структурах сообщило о взрыве.",
            None,
            ["Агентство Интерфакс"],
            "источник",
        ),
        ("uk", "Командувач повідомив Укрінформу, що атаку відбито.", "Командувач", ["Укрінформу"], None),
        ("uk", "За словами речника ЗСУ, ворог атакував позиції вночі.", "мер", ["речника ЗСУ"], "речника ЗСУ"),
        ("uk", "Видання з посиланням на джерела в СБУ повідомило про удар.", None, ["Видання"], "джерела в СБУ"),
        ("tr", "Bir yetkili Reuters'a konuştu ve saldırıyı doğruladı.", None, ["Reuters"], "Bir yetkili"),
        ("tr", "Polise göre saldırıda üç kişi öldü.", "Vali", ["Polis"], "Polis"),
        (
            "tr",
            "Anadolu Ajansı, saldırıda iki askerin yaralandığını aktardı.",
            "askeri kaynaklar",
            ["Anadolu Ajansı"],
            None,
        ),
        (
            "ar",
            "وقال المتحدث باسم الجيش لوكالة فرانس برس إن الهجوم وقع فجرا.",
            None,
            ["وكالة فرانس برس"],
            "المتحدث باسم الجيش",
        ),
        (
            "ar",
            "وبحسب المرصد السوري لحقوق الإنسان، قتل خمسة مدنيين.",
            "مصدر محلي",
            ["المرصد السوري لحقوق الإنسان"],
            None,
        ),
        ("ar", "وفقا لوزارة الصحة، ارتفع عدد القتلى إلى عشرة.", "مصدر طبي", ["وزارة الصحة"], "وزارة الصحة"),
        (
            "ar",
            "وذكرت وكالة سانا نقلا عن مصدر عسكري أن الدفاعات الجوية تصدت للصواريخ.",
            None,
            ["وكالة سانا"],
            "مصدر عسكري",
        ),
        ("fa", "سخنگوی ارتش به خبرگزاری فارس گفت که دو پهپاد سرنگون شد.", None, ["خبرگزاری فارس"], "سخنگوی ارتش"),
        ("fa", "به گزارش ایرنا، سه نفر در این حمله کشته شدند.", "منابع محلی", ["ایرنا"], "ایرنا"),
        (
            "fa",
            "خبرگزاری تسنیم به نقل از یک مقام نظامی گزارش داد که حمله دفع شد.",
            None,
            ["خبرگزاری تسنیم"],
            "یک مقام نظامی",
        ),
        ("zh", "一名军方官员告诉路透社，两枚火箭击中了基地。", None, ["路透社"], "一名军方官员"),
        ("zh", "外交部发言人汪文斌对记者表示，中方反对任何袭击。", None, ["记者"], "外交部发言人汪文斌"),
        ("zh", "据新华社报道，警方称爆炸造成三人死亡。", None, ["新华社"], "警方"),
        ("zh", "路透社援引一名官员的话说，袭击发生在凌晨。", None, ["路透社"], "一名官员"),
    ],
)
def test_relays_and_the_speaker_in_each_language(
    language: str, sentence: str, claimant: str | None, found: list[str], speaker: str | None
) -> None:
    """Without a claimant from the model the speaker the frame names stands in (whom the sentence cites
    before whoever cites them), and the relays are read against it."""
    if speaker is not None:
        assert source_span(sentence, language) == speaker
    assert relays(sentence, claimant or source_span(sentence, language), language) == found


@pytest.mark.parametrize(
    ("language", "sentence", "speaker", "kind"),
    [
        (
            "fr",
            "Le gouverneur, Ivan Petrenko, a déclaré que deux employés avaient été blessés.",
            "Le gouverneur, Ivan Petrenko",
            ClaimantKind.NAMED_PERSON,
        ),
        (
            "fr",
            "« Trois drones ont visé le dépôt », a précisé un porte-parole des pompiers.",
            "un porte-parole des pompiers",
            ClaimantKind.ANONYMOUS_OFFICIAL,
        ),
        ("fr", "Selon la police, le ministre a déclaré que tout allait bien.", "la police", ClaimantKind.OFFICIAL_BODY),
        (
            "es",
            "«No vamos a ceder», dijo el portavoz del gobierno.",
            "el portavoz del gobierno",
            ClaimantKind.ANONYMOUS_OFFICIAL,
        ),
        (
            "es",
            "El ministro, Juan Pérez, aseguró que el puente resistió.",
            "El ministro, Juan Pérez",
            ClaimantKind.NAMED_PERSON,
        ),
        (
            "de",
            "„Wir halten die Stellung“, sagte ein Sprecher der Armee.",
            "ein Sprecher der Armee",
            ClaimantKind.ANONYMOUS_OFFICIAL,
        ),
        ("de", "Am Montag sagte der Sprecher, die Lage sei ruhig.", "der Sprecher", ClaimantKind.ANONYMOUS_OFFICIAL),
        ("ru", "«Мы не отступим», — заявил Андрей Петров.", "Андрей Петров", ClaimantKind.NAMED_PERSON),
    ],
)
def test_the_speaker_in_apposition_after_a_quote_or_after_the_verb(
    language: str, sentence: str, speaker: str, kind: ClaimantKind
) -> None:
    assert source_span(sentence, language) == speaker
    assert kind_of(speaker, language) == kind


@pytest.mark.parametrize(
    ("language", "sentence", "found"),
    [
        ("de", "Am Montag sagte der Sprecher der Armee, die Lage sei ruhig.", []),  # a genitive, not a recipient
        ("ru", "«Мы не отступим», заявил он журналистам.", ["журналистам"]),  # the pronoun speaks to them
        ("uk", "«Ми не відступимо», заявив він.", []),
        ("fr", "Le porte-parole a dit que la base avait été attaquée.", []),
    ],
)
def test_no_relay_is_read_from_a_subject_or_a_pronoun(language: str, sentence: str, found: list[str]) -> None:
    assert relays(sentence, "x", language) == found


def test_according_to_the_claimant_itself_is_no_relay() -> None:
    assert relays("Selon la police, le convoi a été visé.", "la police", "fr") == []
    assert relays("据警方称，爆炸造成三人死亡。", "警方", "zh") == []
    assert relays("Laut Polizei wurde niemand verletzt.", None, "de") == []  # no claimant to tell it from


@pytest.mark.parametrize(
    ("language", "claimant", "kind"),
    [
        ("fr", "le ministère de l'Intérieur", ClaimantKind.OFFICIAL_BODY),
        ("fr", "l'armée malienne", ClaimantKind.OFFICIAL_BODY),
        ("fr", "la police", ClaimantKind.OFFICIAL_BODY),
        ("fr", "le porte-parole du gouvernement", ClaimantKind.ANONYMOUS_OFFICIAL),
        ("fr", "une source militaire", ClaimantKind.ANONYMOUS_OFFICIAL),
        ("fr", "notre correspondant", ClaimantKind.JOURNALIST),
        ("fr", "un groupe armé", ClaimantKind.ARMED_GROUP),
        ("fr", "le ministre Jean Dupont", ClaimantKind.NAMED_PERSON),
        ("es", "el Ministerio de Defensa", ClaimantKind.OFFICIAL_BODY),
        ("es", "un funcionario que pidió el anonimato", ClaimantKind.ANONYMOUS_OFFICIAL),
        ("es", "la periodista", ClaimantKind.JOURNALIST),
        ("es", "la milicia local", ClaimantKind.ARMED_GROUP),
        ("es", "el presidente Gustavo Petro", ClaimantKind.NAMED_PERSON),
        ("de", "das Innenministerium", ClaimantKind.OFFICIAL_BODY),
        ("de", "die Bundeswehr", ClaimantKind.OFFICIAL_BODY),
        ("de", "ein Polizeisprecher", ClaimantKind.ANONYMOUS_OFFICIAL),
        ("de", "ein Reporter des Senders", ClaimantKind.JOURNALIST),
        ("de", "die Miliz", ClaimantKind.ARMED_GROUP),
        ("de", "Innenministerin Nancy Faeser", ClaimantKind.NAMED_PERSON),
        ("ru", "Министерство обороны России", ClaimantKind.OFFICIAL_BODY),
        ("ru", "полиция", ClaimantKind.OFFICIAL_BODY),
        ("ru", "источник в силовых структурах", ClaimantKind.ANONYMOUS_OFFICIAL),
        ("ru", "корреспондент агентства", ClaimantKind.JOURNALIST),
        ("ru", "боевики", ClaimantKind.ARMED_GROUP),
        ("ru", "пресс-секретарь Кремля Дмитрий Песков", ClaimantKind.NAMED_PERSON),
        ("uk", "Міністерство оборони", ClaimantKind.OFFICIAL_BODY),
        ("uk", "речник Повітряних сил Юрій Ігнат", ClaimantKind.NAMED_PERSON),
        ("uk", "журналіст", ClaimantKind.JOURNALIST),
        ("uk", "угруповання", ClaimantKind.ARMED_GROUP),
        ("tr", "Milli Savunma Bakanlığı", ClaimantKind.OFFICIAL_BODY),
        ("tr", "bir güvenlik kaynağı", ClaimantKind.ANONYMOUS_OFFICIAL),
        ("tr", "muhabirimiz", ClaimantKind.JOURNALIST),
        ("tr", "silahlı grup", ClaimantKind.ARMED_GROUP),
        ("tr", "Cumhurbaşkanı Recep Tayyip Erdoğan", ClaimantKind.NAMED_PERSON),
        ("ar", "وزارة الدفاع", ClaimantKind.OFFICIAL_BODY),
        ("ar", "الشرطة", ClaimantKind.OFFICIAL_BODY),
        ("ar", "مسؤول عسكري رفيع", ClaimantKind.ANONYMOUS_OFFICIAL),
        ("ar", "مراسلنا", ClaimantKind.JOURNALIST),
        ("ar", "الميليشيا", ClaimantKind.ARMED_GROUP),
        ("ar", "وزير خارجية إيران", ClaimantKind.OFFICIAL_BODY),  # a portfolio, not a name
        ("ar", "الرئيس الأمريكي جو بايدن", ClaimantKind.NAMED_PERSON),
        ("ar", "المتحدث باسم الجيش أفيخاي أدرعي", ClaimantKind.NAMED_PERSON),
        ("fa", "وزارت دفاع", ClaimantKind.OFFICIAL_BODY),
        ("fa", "سخنگوی ارتش اسرائیل", ClaimantKind.ANONYMOUS_OFFICIAL),
        ("fa", "خبرنگار ما", ClaimantKind.JOURNALIST),
        ("fa", "گروه مسلح", ClaimantKind.ARMED_GROUP),
        ("fa", "سخنگوی وزارت خارجه ناصر کنعانی", ClaimantKind.NAMED_PERSON),
        ("fa", "سردار رمضان شریف", ClaimantKind.NAMED_PERSON),
        ("zh", "国防部", ClaimantKind.OFFICIAL_BODY),
        ("zh", "警方发言人", ClaimantKind.ANONYMOUS_OFFICIAL),
        ("zh", "本台记者", ClaimantKind.JOURNALIST),
        ("zh", "民兵", ClaimantKind.ARMED_GROUP),
        ("zh", "外交部发言人汪文斌", ClaimantKind.NAMED_PERSON),
        ("zh", "弗拉基米尔·普京", ClaimantKind.NAMED_PERSON),
    ],
)
def test_claimant_kind_in_each_language(language: str, claimant: str, kind: ClaimantKind) -> None:
    assert kind_of(claimant, language) == kind


def _draft(evidence: str, **fields: object) -> ClaimDraft:
    base: dict[str, object] = {"evidence": [evidence], "claimant": "unknown", "claimant_kind": "unknown"}
    return ClaimDraft.model_validate({"stance": "asserted", **base, **fields})


def test_settle_reads_the_frame_of_the_article_language() -> None:
    settled = settle(
        _draft("Un officier a déclaré à l'AFP que des rebelles avaient tiré sur le convoi.", actor="l'AFP"),
        "fr",
    )
    assert settled.claimant == "Un officier" and settled.via == ["AFP"]
    assert settled.actor is None  # the outlet passed the claim on
    cited = settle(_draft("路透社援引一名官员的话说，袭击发生在凌晨。", stance="reported"), "zh")
    assert cited.claimant == "一名官员" and cited.via == ["路透社"]
    assert cited.claimant_kind == ClaimantKind.ANONYMOUS_OFFICIAL and cited.stance == Stance.ASSERTED


def test_the_english_name_the_model_gave_settles_a_kind_the_frame_does_not() -> None:
    draft = TranslatedDraft.model_validate(
        {
            "evidence": ["L'ANP a annoncé que deux agents avaient été blessés."],
            "claimant": "L'ANP",
            "claimant_english": "the National Police Agency",
            "claimant_kind": "unknown",
            "stance": "asserted",
        }
    )
    assert kind_of("L'ANP", "fr") is None
    assert settle(draft, "fr").claimant_kind == ClaimantKind.OFFICIAL_BODY


def test_every_frame_has_every_kind() -> None:
    kinds = set(ClaimantKind) - {ClaimantKind.NAMED_PERSON}  # a name is told by its form, not by a word
    assert all(set(frame.kinds) == kinds for frame in FRAMES.values())
    assert set(FRAMES) == set(cues.LEXICONS)


@pytest.mark.parametrize("language", sorted(cues.LEXICONS))
def test_a_reask_for_a_missing_cue_names_the_article_language_words(language: str) -> None:
    lexicon = cues.LEXICONS[language]
    words = [w for w in re.split(r"[,،、]\s*", lexicon.examples) if w.strip()]
    assert len(words) >= 5 and all(lexicon.cue.search(w) for w in words), words
    voice = "12345 67890."  # no word of any language: the article's own voice
    draft = ClaimDraft.model_validate(
        {"evidence": [voice], "claimant": "X", "claimant_kind": "unknown", "stance": "asserted"}
    )
    [problem] = draft_problems(draft, voice, language)
    assert lexicon.examples in problem and "said, told" not in problem
    assert "said, told" in draft_problems(draft, voice, "en")[0]


# All capitals: the English frame read on wire copy as on mixed case.
ENGLISH_RELAYS = [
    ("A US official told Reuters that two rockets hit the base.", "A US official"),
    ("A police officer tells Radio Kessa the checkpoint was shelled.", "A police officer"),
    ("The commander revealed to Al Mayadeen that the drones were downed.", "The commander"),
    ("The rebels said they fired rockets, according to the Daily Star.", "The rebels"),
    ("The spokesman told reporters the post was attacked.", "The spokesman"),
    ("The minister was quoted as telling Kommersant that Georgia was involved.", "The minister"),
    ("According to the army, the road reopened.", "the army"),
]


def _upper(text: str | None) -> str | None:
    return text.upper() if text is not None else None


@pytest.mark.parametrize(("sentence", "claimant"), ENGLISH_RELAYS)
def test_all_caps_relays_and_speaker_are_those_of_mixed_case(sentence: str, claimant: str) -> None:
    loud = sentence.upper()
    assert relays(loud, claimant.upper()) == [r.upper() for r in relays(sentence, claimant)]
    assert source_span(loud) == _upper(source_span(sentence))


@pytest.mark.parametrize(
    "claimant",
    [
        "Prime Minister Sara Ndiaye",
        "Lena Markovic",
        "a senior US military official",
        "Al Jazeera's correspondent",
        "the Interior Ministry",
        "the Sahel Liberation Front",
        "residents",
    ],
)
def test_all_caps_claimant_kind_is_that_of_mixed_case(claimant: str) -> None:
    assert kind_of(claimant.upper()) == kind_of(claimant) is not None


def test_all_caps_in_a_language_with_capitals() -> None:
    loud = "UN OFFICIER A DÉCLARÉ À L'AFP QUE DEUX SOLDATS AVAIENT ÉTÉ TUÉS."
    assert relays(loud, "UN OFFICIER", "fr") == ["AFP"] and source_span(loud, "fr") == "UN OFFICIER"
    assert kind_of("LE MINISTRE JEAN DUPONT", "fr") == ClaimantKind.NAMED_PERSON


def test_only_all_caps_text_is_recased() -> None:
    assert cased("Police said the convoy was hit.") == "Police said the convoy was hit."
    assert cased("POLICE SAID THE CONVOY WAS HIT.") == "Police said the Convoy was hit."
    assert all_caps("US ARMY, 3 JAN 90") and not all_caps("US Army") and not all_caps("1990")
    assert cased("وقال المتحدث", "ar") == "وقال المتحدث"


WIRE = " ".join((DATA / "wire-dev-muc3-0001.txt").read_text().split())
REPORTED = WIRE[WIRE.index("THE ARCE BATTALION") : WIRE.index("DEPARTMENT.") + len("DEPARTMENT.")]


def test_the_wire_report_names_its_source() -> None:
    assert source_span(REPORTED) == "THE ARCE BATTALION COMMAND"
    assert kind_of("THE ARCE BATTALION COMMAND") == kind_of("The Arce Battalion Command")
    assert kind_of("ARMED FORCES PRESS COMMITTEE") == ClaimantKind.OFFICIAL_BODY
    garrison = WIRE[WIRE.index("ACCORDING TO THAT GARRISON") : WIRE.index("LA REINA.") + len("LA REINA.")]
    assert relays(garrison, "THE ARCE BATTALION COMMAND") == []  # "that garrison" is the command itself
    settled = settle(_draft(REPORTED))
    assert settled.claimant == "THE ARCE BATTALION COMMAND" and settled.stance == Stance.ASSERTED


def test_a_wire_style_relay_and_denial() -> None:
    told = "A SPOKESMAN FOR THE ARMED FORCES TOLD RADIO VENCEREMOS THAT THE TOWN WAS ATTACKED."
    assert relays(told, "A SPOKESMAN FOR THE ARMED FORCES") == ["RADIO VENCEREMOS"]
    assert relays("AN OFFICIAL TOLD REUTERS TWO ROCKETS HIT THE BASE.", "AN OFFICIAL") == ["REUTERS"]  # no "that"
    assert source_span("THE FMLN DENIED THAT ITS UNITS ATTACKED THE BUS.") == "THE FMLN"
    assert stance_cue("THE FMLN DENIED THAT ITS UNITS ATTACKED THE BUS.") == Stance.DENIED


SPEAKERS = ["The army", "A police spokesman", "The Sahel Liberation Front", "Lena Markovic", "Local residents"]
VERB_PHRASES = [
    "said",
    "confirmed",
    "claimed responsibility for",
    "denied",
    "accused the rebels of",
    "blamed militants for",
    "threatened",
    "vowed to avenge",
    "warned of",
]
RELAY_PHRASES = ["", "told Reuters that", "told reporters that", "according to the Daily Star,"]
CONTENTS = ["the attack on the depot", "two rockets hit the base", "the shelling of the town on Monday"]


@settings(deadline=None)  # no timing in a pass or a fail
@given(
    st.sampled_from(SPEAKERS),
    st.sampled_from(VERB_PHRASES),
    st.sampled_from(RELAY_PHRASES),
    st.sampled_from(CONTENTS),
)
def test_upper_casing_an_english_sentence_changes_nothing_the_frame_reads(
    speaker: str, verb: str, relay: str, content: str
) -> None:
    sentence = " ".join(part for part in (speaker, verb, relay, content) if part) + "."
    loud = sentence.upper()
    assert stance_cue(loud) == stance_cue(sentence)
    assert relays(loud, speaker.upper()) == [r.upper() for r in relays(sentence, speaker)]
    assert source_span(loud) == _upper(source_span(sentence))
    assert kind_of(speaker.upper()) == kind_of(speaker)


UNCLAIMED = [
    ("fr", "Aucun groupe n'a encore revendiqué l'attentat, a indiqué la police."),
    ("fr", "L'attaque n'a pas été revendiquée, selon la préfecture."),
    ("es", "Ningún grupo ha reivindicado todavía el ataque, dijo la policía."),
    ("es", "El atentado no ha sido reivindicado, según el ministerio."),
    ("de", "Zu dem Anschlag bekannte sich zunächst niemand, sagte die Polizei."),
    ("de", "Niemand hat die Verantwortung übernommen, sagte die Polizei."),
    ("ru", "Никто пока не взял на себя ответственность за теракт, сообщила полиция."),
    ("uk", "Ніхто поки не взяв на себе відповідальність за напад, повідомила поліція."),
    ("tr", "Saldırıyı henüz üstlenen olmadı, dedi polis."),
    ("tr", "Polis, hiçbir örgütün saldırıyı üstlenmediğini söyledi."),
    ("ar", "ولم تعلن أي جهة مسؤوليتها عن الهجوم حتى الآن، بحسب الشرطة."),
    ("fa", "پلیس گفت هیچ گروهی تاکنون مسئولیت این حمله را بر عهده نگرفته است."),
    ("zh", "警方表示，目前尚无任何组织宣称对袭击负责。"),
]


@pytest.mark.parametrize(("language", "sentence"), UNCLAIMED)
def test_a_responsibility_nobody_claimed_claims_nothing_in_each_language(language: str, sentence: str) -> None:
    lexicon = cues.LEXICONS[language]
    responsibility = dict(lexicon.stances)[C]
    assert responsibility.search(sentence)  # the claiming verb is there, negated
    assert lexicon.cue.search(sentence)  # the sentence still cites a source: it gets its call
    assert stance_cue(sentence, language) is None
