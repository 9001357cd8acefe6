"""The words of the attribution frame in the nine lexicon languages besides English: who passed a claim on
("a déclaré à l'AFP", "сообщил ТАСС", "据新华社报道"), whom a speaker cites ("citant", "со ссылкой на",
"نقلا عن"), the speaker a sentence names, and the words that settle a claimant's kind. The rules that read
them live in `attribution.py`; the English frame keeps its own words there, unchanged.

A name in a language written with capitals is a run of capitalised words (`cased`). Arabic, Persian and
Chinese have no capitals, so a relay or a speaker there ends at a particle or punctuation (`stop`), and a
named person is told by what the script offers (`named`):
- Arabic: after the last word of office or kind, two or more words without the article ال that are not
  particles or portfolio words ("الرئيس الأمريكي جو بايدن"); a span of two or three such words alone too.
- Persian: an honorific before a word ("سردار ..."), or two or more words after the last word of office or
  kind that are not portfolio, rank or nationality words ("سخنگوی وزارت خارجه ناصر کنعانی").
- Chinese: a title followed by two to four Han characters ending the span ("外交部发言人汪文斌"), or a
  transliterated name with its middle dot ("弗拉基米尔·普京").
Anything else is left to the model's kind.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from claimx.result import ClaimantKind


@dataclass(frozen=True)
class Frame:
    """One language's frame words. Patterns name their span `relay` (who passed the claim on) or
    `source` (who speaks, or whom the speaker cites)."""

    language: str
    recipients: tuple[re.Pattern[str], ...]
    """Told X, said to X, spoke to X: X passed the claim on."""
    according: tuple[re.Pattern[str], ...]
    """According to X: X is a relay unless X is the claimant."""
    citing: tuple[re.Pattern[str], ...]
    """Citing X: X is the claimant, the sentence's speaker its relay."""
    speakers: tuple[re.Pattern[str], ...]
    """The speaker a sentence names, in the order tried."""
    kinds: dict[ClaimantKind, re.Pattern[str]]
    plain: frozenset[str]
    """Lower-case words that are never part of a name: articles, prepositions, titles, portfolio words."""
    connectors: frozenset[str] = frozenset()
    """Lower-case words inside a name ("ministère de la Défense", "Roten Kreuz"), none elsewhere."""
    cased: bool = True
    stop: re.Pattern[str] | None = None
    """Where a name ends in a script without capitals and with spaces (Chinese has neither)."""
    named: Callable[[str, Frame], bool] | None = field(default=None, compare=False)
    """The named-person rule of a script without capitals."""

    def kind_words(self, word: str) -> bool:
        """Whether a word is one of this language's words of kind."""
        return any(pattern.search(word) for pattern in self.kinds.values())


def _compile(*patterns: str, flags: int = re.I) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, flags) for p in patterns)


def _kinds(flags: int = re.I, **words: str) -> dict[ClaimantKind, re.Pattern[str]]:
    return {ClaimantKind(kind): re.compile(pattern, flags) for kind, pattern in words.items()}


def _stems(*stems: str) -> str:
    """Stems that start a word, any ending after them."""
    return r"\b(?:" + "|".join(stems) + r")\w*"


def _inner(*stems: str) -> str:
    """Stems anywhere in a word: German compounds (Innenministerium, Polizeisprecher)."""
    return r"\w*(?:" + "|".join(stems) + r")\w*"


def _arabic(*stems: str) -> str:
    """Arabic-script stems after an attached و/ف, ب/ل and the article ال (وللجيش, بالوزارة)."""
    return r"(?<!\w)[وف]?[بل]?(?:ال|ل)?(?:" + "|".join(stems) + r")"


_OUTLETS = r"Reuters|AFP\b|AP\b|EFE\b|dpa\b|BBC|CNN|Al[- ]Jazeera|Xinhua|TASS\b|IRNA\b|SANA\b"
"""Outlets named alike in every Latin-script lexicon."""
_GROUPS = r"Hamas|Hezbollah|Hizbollah|Houthi|Taliban|Daech|Daesh|ISIS\b|PKK\b|Al[- ]Qaida|Al[- ]Shabaab"
"""Armed groups named alike in every Latin-script lexicon."""
_NAME = r"[^\s,;:.!?«»\"“”„()]+(?:\s+[^\s,;:.!?«»\"“”„()]+){0,6}"
"""A raw span after a frame word, trimmed to its name by `attribution`."""
_OPENING = r"^\W*(?P<source>{0}[^,;:«»„\"“”]{{2,80}}?(?:,\s+[^,;:«»„\"“”]{{2,60}}?(?=,))?),?\s+"
"""The speaker a sentence opens with, and a name in apposition ("Le gouverneur de la région, Oleksandr
Prokoudine, a déclaré"); `{0}` keeps out the words that open a source of another form."""
_AFTER_QUOTE = r"[»\"”“]\s*,?\s*{0}\s+(?P<source>[^,;:.«»„\"“”]{{2,80}})"
"""The speaker named after a quote ("« … », a précisé un porte-parole")."""
_DE_TOLD = r"\b(?:sagte|sagten|erkl[äa]rte|erkl[äa]rten|best[äa]tigte|berichtete)\s+(?:\w+\s+){0,2}?"
"""A German verb of saying before its dative recipient ("sagte der Nachrichtenagentur Reuters")."""
_DE_ADVERBIAL = r"(?:am|im|in|an|nach|vor|bei|auf|seit|zuvor|dabei|au(?:ß|ss)erdem|zudem|sp[äa]ter|gestern|heute)\b"
"""What opens a German sentence whose subject follows its verb ("Am Montag sagte der Sprecher")."""
_AR_SPAN = r"[^\s،,.:؛!?«»\"“”()]+(?:\s+[^\s،,.:؛!?«»\"“”()]+){0,5}"
_ZH = r"[^，。,：:“”「」\s、；;]"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _arabic_named(span: str, frame: Frame) -> bool:
    words = re.findall(r"[^\s،,.:؛]+", span)
    last = max((i for i, w in enumerate(words) if frame.kind_words(w) or _AR_TITLES.search(w)), default=-1)
    rest = [w for w in words[last + 1 :] if not w.startswith(("ال", "وال", "بال", "لل")) and w not in frame.plain]
    if last >= 0:
        return len(rest) >= 2
    return 2 <= len(words) <= 3 and len(rest) == len(words)


def _persian_named(span: str, frame: Frame) -> bool:
    words = span.replace("\u200c", " ").split()
    if any(w in _FA_HONORIFICS for w in words[:-1]):
        return True
    last = max((i for i, w in enumerate(words) if frame.kind_words(w)), default=-1)
    return last >= 0 and len([w for w in words[last + 1 :] if w not in frame.plain]) >= 2


def _chinese_named(span: str, frame: Frame) -> bool:
    return bool(_ZH_NAMED.search(span))


_AR_TITLES = re.compile(
    _arabic(r"رئيس", r"وزير", r"شيخ", r"سيد", r"دكتور", r"عميد", r"لواء", r"عقيد", r"جنرال", r"نائب", r"أمير", r"ملك")
)
_FA_HONORIFICS = _words("آقای خانم سردار سرلشکر سرتیپ سرهنگ دکتر ژنرال حجت الاسلام آیت الله")
_ZH_NAMED = re.compile(
    r"(?:发言人|部长|外长|总统|总理|首相|主席|司令|指挥官|将军|大使|局长|市长|州长|省长|领导人|负责人|书记|上校|少将|中将)"
    r"[\u4e00-\u9fff]{2,4}$|[\u4e00-\u9fff]+·[\u4e00-\u9fff]+"
)

FRAMES: dict[str, Frame] = {
    frame.language: frame
    for frame in (
        Frame(
            "fr",
            recipients=_compile(
                r"\b(?:d[ée]clar[ée]\w*|dit|affirm[ée]\w*|indiqu[ée]\w*|confi[ée]\w*|pr[ée]cis[ée]\w*|expliqu[ée]\w*|"
                r"assur[ée]\w*|r[ée]v[ée]l[ée]\w*|confirm[ée]\w*|racont[ée]\w*|annonc[ée]\w*)\s+(?:à|au|aux)\s+"
                r"(?P<relay>" + _NAME + ")",
                r"\b(?:interrog[ée]\w*|cit[ée]\w*|joint\w*|contact[ée]\w*)\s+par\s+(?P<relay>" + _NAME + ")",
                r"\bdans\s+un\s+(?:entretien|interview)\s+(?:accord[ée]\s+)?(?:à|au|avec)\s+(?P<relay>" + _NAME + ")",
            ),
            according=_compile(r"\b(?:selon|d['’]apr[èe]s)\s+(?P<relay>" + _NAME + ")"),
            citing=_compile(r"\bcitant\s+(?P<source>" + _NAME + ")"),
            speakers=_compile(
                _OPENING.format(r"(?!selon\b|d['’]apr[èe]s\b)")
                + r"(?:a|ont|avait|avaient)\s+(?:d[ée]clar|dit|affirm|annonc|indiqu|confirm|d[ée]menti|ni[ée]|accus|"
                r"menac|revendiqu|averti|pr[ée]cis|assur|soulign|expliqu)",
                _OPENING.format(r"(?!selon\b|d['’]apr[èe]s\b)")
                + r"(?:d[ée]clare|dit|affirme|annonce|indique|confirme|d[ée]ment|nie|accuse|menace|revendique|"
                r"pr[ée]vient|assure)\b",
                _AFTER_QUOTE.format(
                    r"(?:a|ont)\s+(?:d[ée]clar|dit|affirm|annonc|indiqu|confirm|pr[ée]cis|ajout|assur|soulign|expliqu)\w*"
                ),
                r"\bde\s+(?P<source>sources?\s+\w+)",
                r"^\W*(?:selon|d['’]apr[èe]s)\s+(?P<source>[^,;:«»\"“”]{2,80}?),",
            ),
            kinds=_kinds(
                journalist=_stems(
                    r"correspondant", r"reporter", r"journaliste", r"envoy[ée]\s+sp[ée]cial", r"r[ée]dact"
                ),
                news_outlet=_stems(
                    r"agence",
                    r"journal\b",
                    r"quotidien",
                    r"t[ée]l[ée]vision",
                    r"cha[iî]ne",
                    r"radio",
                    r"presse",
                    _OUTLETS,
                ),
                anonymous_official=_stems(r"responsable", r"porte-parole", r"sources?\s+\w+", r"officiels?\b"),
                armed_group=_stems(
                    r"groupe\s+arm[ée]",
                    r"milice",
                    r"miliciens",
                    r"rebelle",
                    r"insurg[ée]",
                    r"combattant",
                    r"d?jihadiste",
                    r"brigade",
                    r"front\b",
                    r"r[ée]sistance",
                    r"terroriste",
                    _GROUPS,
                ),
                organization=_stems(
                    r"ONG",
                    r"Nations\s+unies",
                    r"ONU\b",
                    r"Croix-Rouge",
                    r"organisation",
                    r"observatoire",
                    r"droits\s+de\s+l['’]homme",
                ),
                official_body=_stems(
                    r"minist[èe]re",
                    r"ministre",
                    r"arm[ée]e",
                    r"militaires",
                    r"police",
                    r"gendarmerie",
                    r"gouvernement",
                    r"autorit[ée]s",
                    r"forces",
                    r"commandement",
                    r"conseil",
                    r"pr[ée]sidence",
                    r"pr[ée]fecture",
                    r"gouverneur",
                    r"[ée]tat-major",
                    r"parquet",
                ),
                unknown=_stems(r"t[ée]moin", r"habitant", r"riverain", r"population"),
            ),
            plain=_words(
                "le la les l' un une des du de d' à au aux et en dans par pour sur avec que qui selon citant a ont "
                "m. mme dr président présidente ministre général colonel commandant cheikh premier chef porte-parole "
                "lieutenant capitaine sergent"
            ),
            connectors=_words("de du des d' la le"),
        ),
        Frame(
            "es",
            recipients=_compile(
                r"\b(?:dij(?:o|eron)|declar[óo]\w*|afirm[óo]\w*|asegur[óo]\w*|indic[óo]\w*|explic[óo]\w*|"
                r"confirm[óo]\w*|inform[óo]\w*|señal[óo]\w*|cont[óo]|relat[óo]|reve?l[óo]\w*)\s+(?:a|al)\s+"
                r"(?P<relay>" + _NAME + ")",
                r"\ben\s+(?:una\s+)?entrevista\s+(?:con|a)\s+(?P<relay>" + _NAME + ")",
                r"\b(?:citad[oa]s?|consultad[oa]s?)\s+por\s+(?P<relay>" + _NAME + ")",
            ),
            according=_compile(r"\b(?:según|de\s+acuerdo\s+con)\s+(?P<relay>" + _NAME + ")"),
            citing=_compile(r"\bcit(?:ando|ó)\s+a\s+(?P<source>" + _NAME + ")"),
            speakers=_compile(
                _OPENING.format(r"(?!según\b|de\s+acuerdo\b)")
                + r"(?:ha\s+|había\s+|han\s+)?(?:dij(?:o|eron)|declar|afirm|asegur|anunci|confirm|inform|señal|"
                r"neg[óo]|negaron|desminti|acus|amenaz|reivindic|advirti|indic|explic)",
                _AFTER_QUOTE.format(
                    r"(?:dij(?:o|eron)|declar[óo]|afirm[óo]|asegur[óo]|señal[óo]|explic[óo]|indic[óo]|añadi[óo]|agreg[óo])"
                ),
                r"^\W*(?:según|de\s+acuerdo\s+con)\s+(?P<source>[^,;:«»\"“”]{2,80}?),",
            ),
            kinds=_kinds(
                journalist=_stems(r"corresponsal", r"reporter", r"periodista", r"enviad[oa]\s+especial", r"redactor"),
                news_outlet=_stems(
                    r"agencia", r"diario", r"peri[óo]dico", r"televisi[óo]n", r"cadena", r"radio", r"prensa", _OUTLETS
                ),
                anonymous_official=_stems(r"funcionari", r"portavoz", r"vocer", r"fuentes?\b", r"responsable"),
                armed_group=_stems(
                    r"grupo\s+armado",
                    r"milicia",
                    r"rebelde",
                    r"insurgente",
                    r"guerrill",
                    r"combatiente",
                    r"yihadista",
                    r"brigada",
                    r"frente\b",
                    r"resistencia",
                    r"terrorista",
                    _GROUPS,
                ),
                organization=_stems(
                    r"ONG",
                    r"Naciones\s+Unidas",
                    r"ONU\b",
                    r"Cruz\s+Roja",
                    r"organizaci[óo]n",
                    r"observatorio",
                    r"derechos\s+humanos",
                ),
                official_body=_stems(
                    r"ministerio",
                    r"ministr[oa]",
                    r"ej[ée]rcito",
                    r"militares",
                    r"polic[íi]a",
                    r"gobierno",
                    r"autoridades",
                    r"fuerzas",
                    r"mando",
                    r"consejo",
                    r"presidencia",
                    r"gobernador",
                    r"fiscal[íi]a",
                    r"alcald",
                ),
                unknown=_stems(r"testigos?\b", r"vecinos", r"habitantes", r"residentes", r"pobladores"),
            ),
            plain=_words(
                "el la los las lo un una unos unas de del al a y e en por para con que según sr. sra. dr. presidente "
                "presidenta ministro ministra general coronel comandante jefe portavoz vocero teniente capitán"
            ),
            connectors=_words("de del la los las"),
        ),
        Frame(
            "de",
            recipients=_compile(
                _DE_TOLD + r"dem\s+(?P<relay>(?-i:[A-ZÄÖÜ])" + _NAME + ")",
                _DE_TOLD + r"der\s+(?:Nachrichtenagentur|Agentur|Zeitung|Tageszeitung|Wochenzeitung|Zeitschrift)\s+"
                r"(?P<relay>" + _NAME + ")",
                r"\bgegen[üu]ber\s+(?:der\s+|dem\s+|den\s+)?(?P<relay>" + _NAME + ")",
                r"\bim\s+(?:Gespr[äa]ch|Interview)\s+mit\s+(?:der\s+|dem\s+|den\s+)?(?P<relay>" + _NAME + ")",
            ),
            according=_compile(
                r"\b(?:laut|nach\s+Angaben\s+(?:der|des|von))\s+(?:der\s+|dem\s+|des\s+|den\s+)?(?P<relay>"
                + _NAME
                + ")",
                r"(?:^|,\s*)(?:der\s+|dem\s+|den\s+)?(?P<relay>[^,;:„“\"]{2,60}?)\s+zufolge\b",
            ),
            citing=_compile(
                r"\bunter\s+Berufung\s+auf\s+(?:die\s+|den\s+|das\s+|eine[nm]?\s+)?(?P<source>" + _NAME + ")"
            ),
            speakers=_compile(
                _OPENING.format(r"(?!laut\b|nach\s+Angaben\b|" + _DE_ADVERBIAL + r")")
                + r"(?:hat\s+|habe\s+|hatte\s+)?(?:sagte|sagten|erkl[äa]rte|erkl[äa]rten|teilte|best[äa]tigte|"
                r"berichtete|meldete|dementierte|bestritt|warnte|drohte|betonte|behauptete|beschuldigte|bekannte|wies)\b",
                _AFTER_QUOTE.format(r"(?:sagte|sagten|erkl[äa]rte|betonte|f[üu]gte|teilte)\w*"),
                r"^\W*(?:" + _DE_ADVERBIAL + r")(?:\s+\S+){0,3}?\s+(?:sagte|sagten|erkl[äa]rte|erkl[äa]rten|teilte|"
                r"best[äa]tigte|berichtete|meldete|dementierte|bestritt|warnte|drohte|betonte)\s+(?P<source>(?:der|die|"
                r"das|ein|eine)\s+\w+(?:\s+(?:der|des)\s+\w+)?)",
                r"^\W*(?:laut|nach\s+Angaben\s+(?:der|des|von))\s+(?:der\s+|dem\s+|des\s+|den\s+)?(?P<source>[^,;:„“\"]{2,80}?)\s+"
                r"(?:wurde|wurden|ist|sind|hat|haben|seien|sei|habe|gab|gibt|kam|kamen)\b",
            ),
            kinds=_kinds(
                journalist=_inner(r"korrespondent", r"reporter", r"journalist"),
                news_outlet=_inner(
                    r"nachrichtenagentur",
                    r"agentur",
                    r"zeitung",
                    r"sender\b",
                    r"fernsehen",
                    r"rundfunk",
                    r"presse",
                    _OUTLETS,
                ),
                anonymous_official=_inner(r"sprecher", r"beamte", r"kreise", r"quelle", r"vertreter", r"funktion[äa]r"),
                armed_group=_inner(
                    r"miliz",
                    r"rebell",
                    r"aufst[äa]ndisch",
                    r"k[äa]mpfer",
                    r"dschihadist",
                    r"brigade",
                    r"front\b",
                    r"widerstand",
                    r"terror",
                    r"bewaffnete\s+gruppe",
                    _GROUPS,
                ),
                organization=_inner(
                    r"vereinte\w*\s+nationen",
                    r"\bUNO?\b",
                    r"rote\w*\s+kreuz",
                    r"organisation",
                    r"beobachtungsstelle",
                    r"menschenrecht",
                ),
                official_body=_inner(
                    r"ministerium",
                    r"minister",
                    r"armee",
                    r"milit[äa]r",
                    r"streitkr[äa]fte",
                    r"polizei",
                    r"regierung",
                    r"beh[öo]rde",
                    r"kommando",
                    r"\brat\b",
                    r"bundeswehr",
                    r"pr[äa]sidialamt",
                    r"gouverneur",
                    r"staatsanwaltschaft",
                    r"kreml",
                    r"pentagon",
                ),
                unknown=_inner(r"augenzeuge", r"zeuge", r"anwohner", r"bewohner"),
            ),
            plain=_words(
                "der die das dem den des ein eine einer eines einem einen und von vom zu zum zur im in mit auf für "
                "laut herr frau dr. präsident präsidentin minister ministerin general oberst kommandeur chef "
                "sprecher sprecherin kanzler kanzlerin"
            ),
            connectors=_words("der des von vom"),
        ),
        Frame(
            "ru",
            recipients=_compile(
                r"\b(?:сообщил|заявил|рассказал|сказал|подтвердил|передал|пояснил|признался)\w*\s+"
                r"(?:(?:он|она|они)\s+)?(?:в\s+интервью\s+)?(?P<relay>(?:агентству|изданию|газете|телеканалу|радиостанции|радио|порталу|"
                r"журналистам|корреспонденту|СМИ|прессе)(?:\s+" + _NAME + r")?|(?-i:[A-ZА-ЯЁ]{2,}\b(?:\s+[А-ЯЁ]\w+)?|"
                r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*))",
                r"\bв\s+(?:интервью|беседе\s+с)\s+(?P<relay>" + _NAME + ")",
            ),
            according=_compile(
                r"\bпо\s+(?:словам|данным|информации|сообщению|сведениям)\s+(?P<relay>" + _NAME + ")",
                r"\bсогласно\s+(?:данным\s+|информации\s+|сообщению\s+)?(?P<relay>" + _NAME + ")",
            ),
            citing=_compile(r"\bсо\s+ссылкой\s+на\s+(?P<source>" + _NAME + ")"),
            speakers=_compile(
                r"^\W*(?P<source>[^,;:«»\"“”]{2,80}?)\s+(?:сообщил|заявил|сказал|подтвердил|опроверг|отрицал|обвинил|"
                r"пригрозил|предупредил|отметил|рассказал|объявил|взял)\w*",
                r"[—-]\s*(?:сообщил|заявил|сказал|подтвердил|отметил|рассказал|добавил)\w*\s+(?P<source>" + _NAME + ")",
                r"^\W*по\s+(?:словам|данным|информации)\s+(?P<source>[^,;:«»\"“”]{2,80}?),",
            ),
            kinds=_kinds(
                journalist=_stems(r"корреспондент", r"репортер", r"репортёр", r"журналист"),
                news_outlet=_stems(
                    r"агентств", r"газет", r"телеканал", r"радио", r"издани", r"ТАСС", r"РИА", r"Интерфакс"
                ),
                anonymous_official=_stems(
                    r"представител",
                    r"пресс-секретар",
                    r"источник",
                    r"чиновник",
                    r"спикер",
                    r"официальн\w*\s+лиц",
                ),
                armed_group=_stems(
                    r"боевик",
                    r"ополчен",
                    r"повстанц",
                    r"группировк",
                    r"бригад",
                    r"фронт",
                    r"сопротивлени",
                    r"вооруженн\w*\s+групп",
                    r"вооружённ\w*\s+групп",
                    r"террорист",
                    r"джихадист",
                ),
                organization=_stems(r"ООН", r"Красн\w*\s+Крест", r"организаци", r"наблюдател", r"правозащит"),
                official_body=_stems(
                    r"министерств",
                    r"министр",
                    r"арми",
                    r"военн",
                    r"полици",
                    r"милици",
                    r"правительств",
                    r"власт",
                    r"войск",
                    r"командовани",
                    r"штаб",
                    r"совет",
                    r"администраци",
                    r"губернатор",
                    r"Кремл",
                    r"Минобороны",
                    r"МИД",
                    r"ВСУ",
                    r"ФСБ",
                    r"Пентагон",
                ),
                unknown=_stems(r"очевид", r"свидетел", r"жител"),
            ),
            plain=_words(
                "и в во на с со по о об от к из за для у президент министр генерал полковник командующий глава "
                "пресс-секретарь представитель официальный"
            ),
        ),
        Frame(
            "uk",
            recipients=_compile(
                r"\b(?:повідоми|заяви|розпові|сказа|підтверди|переда|поясни)\w*\s+(?:(?:він|вона|вони)\s+)?"
                r"(?:в\s+інтерв['’]ю\s+)?"
                r"(?P<relay>(?:агентству|виданню|газеті|телеканалу|радіо|журналістам|кореспонденту|ЗМІ|пресі)"
                r"(?:\s+"
                + _NAME
                + r")?|(?-i:[A-ZА-ЩЬЮЯЄІЇҐ]{2,}\b|[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)|Укрінформу|Суспільному)",
                r"\bв\s+(?:інтерв['’]ю|розмові\s+з)\s+(?P<relay>" + _NAME + ")",
            ),
            according=_compile(
                r"\bза\s+(?:словами|даними|інформацією|повідомленням)\s+(?P<relay>" + _NAME + ")",
                r"\bзгідно\s+з\s+(?:даними\s+|інформацією\s+)?(?P<relay>" + _NAME + ")",
            ),
            citing=_compile(r"\bз\s+посиланням\s+на\s+(?P<source>" + _NAME + ")"),
            speakers=_compile(
                r"^\W*(?P<source>[^,;:«»\"“”]{2,80}?)\s+(?:повідом|заяв|сказа|підтверди|спростува|запереч|"
                r"звинувати|пригрози|попереди|зазначи|розпові|оголоси|взя)\w*",
                r"[—-]\s*(?:повідомив|заявив|сказав|підтвердив|зазначив|розповів|додав)\w*\s+(?P<source>" + _NAME + ")",
                r"^\W*за\s+(?:словами|даними|інформацією)\s+(?P<source>[^,;:«»\"“”]{2,80}?),",
            ),
            kinds=_kinds(
                journalist=_stems(r"кореспондент", r"репортер", r"журналіст"),
                news_outlet=_stems(r"агентств", r"газет", r"телеканал", r"радіо", r"видання", r"Укрінформ", r"УНІАН"),
                anonymous_official=_stems(r"представник", r"речни", r"посадов", r"джерел", r"чиновник", r"спікер"),
                armed_group=_stems(
                    r"бойовик",
                    r"повстан",
                    r"угрупован",
                    r"бригад",
                    r"фронт",
                    r"опір",
                    r"збройн\w*\s+груп",
                    r"терорист",
                    r"джихадист",
                ),
                organization=_stems(r"ООН", r"Червон\w*\s+Хрест", r"організаці", r"правозахис", r"спостерігач"),
                official_body=_stems(
                    r"міністерств",
                    r"міністр",
                    r"арм",
                    r"військов",
                    r"поліці",
                    r"уряд",
                    r"влад",
                    r"ЗСУ",
                    r"Генштаб",
                    r"командуванн",
                    r"штаб",
                    r"рада\b",
                    r"адміністраці",
                    r"губернатор",
                    r"ОВА",
                    r"СБУ",
                    r"Кремл",
                    r"Пентагон",
                ),
                unknown=_stems(r"очевид", r"свідк", r"мешкан", r"жител"),
            ),
            plain=_words(
                "і й та в у на з із зі по про від до за для президент міністр генерал полковник командувач голова "
                "речник речниця представник"
            ),
        ),
        Frame(
            "tr",
            recipients=_compile(
                r"(?P<relay>(?:[A-ZÇĞİÖŞÜ][\w.]*\s+){0,3}[A-ZÇĞİÖŞÜ][\w.]*?)(?:['’](?:y?[ae]|n[ae])|y?[ae]|n[ae])\s+"
                r"(?:konuştu|konuşan|açıklama\s+yap\w*|demeç\s+ver\w*|söyle\w*|bilgi\s+ver\w*)",
                r"(?P<relay>gazetecilere|basına|muhabirlere)\s+(?:konuştu|açıklama|söyle\w*|demeç)",
                flags=0,
            ),
            according=(
                re.compile(
                    r"(?P<relay>(?:[A-ZÇĞİÖŞÜ][\w.]*\s+){0,3}[A-ZÇĞİÖŞÜ][\w.]*?)['’](?:n?[ıiuü]n)\s+(?:haberine|"
                    r"açıklamasına|aktardığına|bildirdiğine|verdiği\s+bilgiye)\s+göre\b"
                ),
                *_compile(
                    r"(?P<relay>(?:\w+\s+){0,2}\w+?)(?:['’](?:y?[ae]|n[ae])|l[ae]r[ae]|y?[ae]|n[ae])\s+göre\b",
                    r"^\W*(?P<relay>[^,;:\"“”]{2,60}?),\s.*\baktard[ıi]\b",
                ),
            ),
            citing=_compile(r"(?P<source>(?:\w+\s+){0,3}\w+?)['’]?(?:n?[ıiuü]n)\s+(?:açıklamasını|sözlerini)\s+aktard"),
            speakers=_compile(
                r"^\W*(?P<source>[^,;:\"“”]{2,80}?)\s+(?:yaptığı\s+)?(?:yazılı\s+)?açıklama(?:da|sında)\b",
                r"^\W*(?P<source>[^,;:\"“”]{2,60}?),\s.*\b(?:dedi|söyledi|açıkladı|bildirdi|belirtti|duyurdu|"
                r"iddia\s+etti|yalanladı|reddetti|üstlendi|suçladı|tehdit\s+etti|uyardı|doğruladı|kaydetti)\b",
                r"^\W*(?P<source>\w+?)(?:y?[ae]|n[ae]|l[ae]r[ae])\s+göre\b",
                r"^\W*(?P<source>\w+(?:\s+\w+)?)\s+(?:\S+\s+){0,4}?(?:yalanladı|reddetti|üstlendi|suçladı|doğruladı|"
                r"tehdit\s+etti|uyardı|açıkladı|duyurdu)\b",
            ),
            kinds=_kinds(
                journalist=_stems(r"muhabir", r"gazeteci"),
                news_outlet=_stems(
                    r"ajans",
                    r"gazete\b",
                    r"gazetesi",
                    r"televizyon",
                    r"kanal",
                    r"radyo",
                    r"AA\b",
                    r"Anadolu",
                    r"basın",
                    _OUTLETS,
                ),
                anonymous_official=_stems(r"yetkili", r"sözcü", r"kayna[kğ]", r"temsilci"),
                armed_group=_stems(
                    r"militan",
                    r"milis",
                    r"isyancı",
                    r"terör\s+örgüt",
                    r"savaşçı",
                    r"cihatçı",
                    r"tugay",
                    r"cephe",
                    r"direniş",
                    r"silahlı\s+grup",
                    r"terörist",
                    _GROUPS,
                ),
                organization=_stems(
                    r"BM\b",
                    r"Birleşmiş\s+Milletler",
                    r"Kızılhaç",
                    r"Kızılay",
                    r"sivil\s+toplum",
                    r"insan\s+hak",
                    r"gözlemevi",
                    r"derne",
                    r"vakf",
                    r"örgüt",
                ),
                official_body=_stems(
                    r"bakanlı",
                    r"bakan",
                    r"ordu",
                    r"TSK\b",
                    r"askeri",
                    r"polis",
                    r"jandarma",
                    r"hükümet",
                    r"makam",
                    r"kuvvet",
                    r"komutanlı",
                    r"konsey",
                    r"valili",
                    r"vali\b",
                    r"cumhurbaşkanlığı",
                    r"emniyet",
                    r"genelkurmay",
                    r"Kremlin",
                    r"Pentagon",
                ),
                unknown=_stems(r"tanık", r"görgü", r"sakin", r"halk"),
            ),
            plain=_words(
                "ve ile bir bu de da için milli savunma içişleri dışişleri adalet genel cumhurbaşkanı bakan "
                "general albay komutan sözcü başkan başkanı sayın bay bayan"
            ),
        ),
        Frame(
            "ar",
            recipients=_compile(
                r"(?<!\w)[وف]?(?:قال|قالت|صرح|صرحت|[أا]كد|[أا]كدت|[أا]وضح|[أا]وضحت|[أا]ضاف|[أا]ضافت|كشف|كشفت|[أا]فاد|"
                r"[أا]فادت|تحدث|تحدثت)(?:\s+\S+){0,5}?\s+ل(?:ـ\s?)?(?P<relay>(?:وكالة|صحيفة|قناة|موقع|تلفزيون|[إا]ذاعة|"
                r"شبكة)(?:\s+[^\s،,.:؛]+){1,3}|رويترز|فرانس\s+برس|[أا]سوشيتد\s+برس|الجزيرة|العربية|سانا|الأناضول|"
                r"سي\s+[إا]ن\s+[إا]ن|بي\s+بي\s+سي)",
                r"(?<!\w)في\s+(?:تصريح|تصريحات|حديث|مقابلة)\s+(?:خاصة?\s+)?(?:ل(?:ـ\s?)?|مع\s+)(?P<relay>"
                + _AR_SPAN
                + ")",
            ),
            according=_compile(
                r"(?<!\w)[وف]?(?:وفقا|وفقاً|طبقا|طبقاً)\s+ل(?:ـ\s?)?(?P<relay>" + _AR_SPAN + ")",
                r"(?<!\w)[وف]?(?:بحسب|حسب)\s+(?P<relay>" + _AR_SPAN + ")",
            ),
            citing=_compile(r"(?<!\w)(?:نقلا|نقلاً)\s+عن\s+(?P<source>" + _AR_SPAN + ")"),
            speakers=_compile(
                r"^\W*[وف]?(?:قال|قالت|[أا]علن|[أا]علنت|[أا]كد|[أا]كدت|صرح|صرحت|ذكر|ذكرت|[أا]فاد|[أا]فادت|نفى|نفت|"
                r"اتهم|اتهمت|هدد|هددت|حذر|حذرت|تبنى|تبنت|[أا]وضح|[أا]وضحت|[أا]ضاف|[أا]ضافت)\s+(?P<source>"
                + _AR_SPAN
                + ")",
                r"^\W*(?:وفقا|وفقاً)\s+ل(?:ـ\s?)?(?P<source>" + _AR_SPAN + ")",
                r"^\W*[وف]?(?:بحسب|حسب)\s+(?P<source>" + _AR_SPAN + ")",
            ),
            kinds=_kinds(
                flags=0,
                journalist=_arabic(r"مراسل", r"صحفي", r"صحافي"),
                news_outlet=_arabic(r"وكالة", r"صحيفة", r"قناة", r"تلفزيون", r"[إا]ذاعة", r"رويترز", r"جزيرة", r"سانا"),
                anonymous_official=_arabic(r"مسؤول", r"مصدر", r"مصادر", r"متحدث", r"ناطق"),
                armed_group=_arabic(
                    r"مسلح",
                    r"ميليشيا",
                    r"مليشيا",
                    r"فصائل",
                    r"فصيل",
                    r"كتائب",
                    r"سرايا",
                    r"مقاومة",
                    r"جماعة",
                    r"تنظيم",
                    r"حماس",
                    r"حزب\s+الله",
                    r"حوثي",
                    r"[أا]نصار\s+الله",
                    r"داعش",
                    r"قاعدة",
                    r"مجاهدين",
                    r"جبهة",
                    r"حركة",
                ),
                organization=_arabic(
                    r"[أا]مم\s+المتحدة",
                    r"صليب\s+الأحمر",
                    r"هلال\s+الأحمر",
                    r"منظمة",
                    r"مرصد",
                    r"حقوق\s+الإنسان",
                ),
                official_body=_arabic(
                    r"وزارة",
                    r"وزير",
                    r"جيش",
                    r"شرطة",
                    r"حكومة",
                    r"سلطات",
                    r"قوات",
                    r"قيادة",
                    r"مجلس",
                    r"رئاسة",
                    r"محافظ",
                    r"البيت\s+الأبيض",
                    r"كرملين",
                    r"بنتاغون",
                    r"رئيس",
                ),
                unknown=_arabic(r"شهود", r"سكان", r"[أا]هالي", r"مواطن"),
            ),
            plain=_words(
                "باسم في من عن على إلى الى مع و أو إن أن ان بأن خارجية داخلية دفاع مالية رفيع كبير أمني عسكري "
                "محلي محلية رسمي إيران إسرائيل لبنان سوريا العراق"
            ),
            cased=False,
            stop=re.compile(r"^(?:[إا]ن|[أا]ن|بأن|على|عن|في|من|[إا]لى|الى|يوم|اليوم|[أا]مس|مساء|صباح|خلال|حول)$"),
            named=_arabic_named,
        ),
        Frame(
            "fa",
            recipients=_compile(
                r"(?<!\S)به\s+(?P<relay>(?!گزارش|گفته|نقل)\S+(?:\s+\S+){0,2}?)\s+(?:گفت|اعلام\s+کرد|تأیید\s+کرد|"
                r"تایید\s+کرد|خبر\s+داد)",
                r"(?<!\S)در\s+(?:گفتگو|گفت‌وگو|مصاحبه)\s+با\s+(?P<relay>" + _AR_SPAN + ")",
            ),
            according=_compile(
                r"(?<!\S)(?:به\s+گزارش|به\s+گفته|بنا\s*بر|بنابر|طبق)\s+(?P<relay>" + _AR_SPAN + ")",
            ),
            citing=_compile(r"(?<!\S)به\s+نقل\s+از\s+(?P<source>" + _AR_SPAN + ")"),
            speakers=_compile(
                r"^\W*(?P<source>[^،,.:«»\"“”]{2,60}?)\s+(?:(?:روز|شب|صبح|عصر)\s+\S+\s+|امروز\s+|دیروز\s+)?"
                r"(?:در\s+\S+\s+)?(?:گفت|اعلام\s+کرد|تأکید\s+کرد|تأیید\s+کرد|تایید\s+کرد|تکذیب\s+کرد|هشدار\s+داد|"
                r"تهدید\s+کرد|ادعا\s+کرد|خبر\s+داد|افزود|متهم\s+کرد|گزارش\s+داد)",
                r"^\W*(?:به\s+گزارش|به\s+گفته|بنا\s*بر|بنابر|طبق)\s+(?P<source>" + _AR_SPAN + ")",
            ),
            kinds=_kinds(
                flags=0,
                journalist=r"خبرنگار",
                news_outlet=r"خبرگزاری|روزنامه|شبکه|تلویزیون|رادیو|رسانه|ایرنا|تسنیم|رویترز|الجزیره",
                anonymous_official=r"مقام|سخنگو|منبع|منابع|مسئول|مسؤول",
                armed_group=(
                    r"شبه\u200c?\s?نظامی|ستیزه|شورشی|گروه\s+مسلح|تروریست|حماس|حزب\u200c?\s?الله|حوثی|طالبان|داعش|القاعده|"
                    r"مقاومت|تیپ|جبهه|جهاد|مبارز"
                ),
                organization=r"سازمان\s+ملل|صلیب\s+سرخ|هلال\s+احمر|سازمان|دیده\u200c?\s?بان|حقوق\s+بشر",
                official_body=(
                    r"وزارت|وزیر|ارتش|پلیس|دولت|نیرو|سپاه|فرماندهی|فرمانده|شورا|ریاست|رئیس|استاندار|کاخ\s+سفید|"
                    r"کرملین|پنتاگون"
                ),
                unknown=r"شاهد|ساکنان|اهالی|مردم",
            ),
            plain=_words(
                "و در از به با برای که را این آن امور خارجه کشور دفاع ارشد نظامی امنیتی محلی رسمی ایران اسرائیل "
                "آمریکا عراق سوریه لبنان روسیه اوکراین"
            ),
            cased=False,
            stop=re.compile(r"^(?:که|در|از|به|با|را|روز|امروز|دیروز|گفت|گزارش|اعلام|تأکید|تایید|تأیید|خبر|افزود)$"),
            named=_persian_named,
        ),
        Frame(
            "zh",
            recipients=_compile(
                r"(?:告诉|对|向)(?P<relay>" + _ZH + r"{0,10}?(?:社|台|报|记者|媒体|网|电视|广播|杂志))(?:的)?"
                r"(?:说|表示|透露|证实|称|，|,|：|:)",
                r"接受(?P<relay>" + _ZH + r"{0,10}?(?:社|台|报|媒体|网|电视|广播|杂志))(?:的)?(?:采访|专访)",
                flags=0,
            ),
            according=_compile(
                r"(?<![数根证])据(?P<relay>" + _ZH + r"{2,15}?)(?:报道|报导|消息|称|说|透露|披露|援引|表示)",
                r"根据(?P<relay>" + _ZH + r"{2,15}?)(?:的)?(?:报道|消息|说法|数据|声明)",
                flags=0,
            ),
            citing=_compile(r"援引(?P<source>" + _ZH + r"{2,20}?)(?:的话|的消息|消息|说|称|表示|报道|，|,)", flags=0),
            speakers=_compile(
                r"(?:^|[，,。])(?P<source>(?!据)" + _ZH + r"{2,25}?)(?:\d+日|周[一二三四五六日]|昨天|今天|当天)?"
                r"(?:表示|说|称|宣布|证实|否认|指责|警告|威胁|声称|透露|指出|强调|承认|告诉)",
                r"(?<![数根证])据(?P<source>" + _ZH + r"{2,15}?)(?:报道|报导|消息|称|说|透露|披露|表示)",
                flags=0,
            ),
            kinds=_kinds(
                flags=0,
                journalist=r"记者|通讯员",
                news_outlet=r"通讯社|新华社|路透社|法新社|美联社|塔斯社|报|电视台|广播|媒体|半岛",
                anonymous_official=r"官员|发言人|消息人士|知情人士|人士|消息来源",
                armed_group=r"武装|民兵|叛军|哈马斯|真主党|胡塞|塔利班|基地组织|伊斯兰国|阵线|抵抗|恐怖组织",
                organization=r"联合国|红十字|红新月|组织|观察站|人权",
                official_body=(
                    r"部|军方|军队|警方|警察|政府|当局|部队|司令部|委员会|总统府|白宫|克里姆林宫|五角大楼|总统|总理|"
                    r"首相|主席"
                ),
                unknown=r"目击者|居民|村民|民众",
            ),
            plain=frozenset(),
            cased=False,
            named=_chinese_named,
        ),
    )
}
"""The frame of each lexicon language besides English."""
