"""Attribution cues per language: the words that make a sentence somebody's assertion rather than the
article's own voice (say, claim, deny, accuse or condemn, threaten, confirm, according to, and the quotation
marks of the script), and the verb classes among them that settle a stance. Condemning an attack is a reading
of who did it ("the ministry condemns the attacks Daesh carried out"), so it is alleging, and it is how an
official statement speaks, often in the first person ("we condemn").

One lexicon decides, for an article in its language, which sentences get a model call (`plan.py`) and
whether a draft's evidence names a source (`drafts.py`); the verb classes feed the attribution frame
(`attribution.py`), whose other words per language (relays, cited sources, claimant kinds) are in
`frames.py`. English keeps the expression it always had (its stance classes live in `attribution.py`); a
language without a lexicon is left to a model pass that picks the sentences.

Arabic and Persian attach conjunctions and prepositions to the next word (وقال "and he said"), so their
stems may follow و/ف/ب/ل; Chinese has no spaces, so its cues are plain substrings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimx.result import Stance

ENGLISH = "en"


def english(language: str | None) -> bool:
    """English, or unknown: planned, prompted, settled and checked as claimx always did."""
    return language is None or language == ENGLISH


ATTRIBUTION_CUE = re.compile(
    r"\b(said|says|say|saying|told|tells|tell|claim\w*|announc\w*|confirm\w*|report\w*|reveal\w*|"
    r"accord\w*|den(?:y|ies|ied|ial)|warn\w*|accus\w*|alleg\w*|stat(?:ed|es|ement\w*)|threat\w*|vow\w*|"
    r"insist\w*|blam\w*|acknowledg\w*|admit\w*|declar\w*|assert\w*|add(?:ed|s)|shar(?:ed|es)|"
    r"publish\w*|releas\w*|posted|tweet\w*|wrote|writes|explain\w*|made it \w*\s*clear|quot\w*)\b"
    r"|[\"\u201c\u201d]",
    re.I,
)
"""English: words that make a sentence somebody's assertion. Every English request depends on it: keep it as is."""

_QUOTES = '"\u201c\u201d\u201e\u00ab\u00bb\u300c\u300d\u300e\u300f'  # " “ ” „ « » 「 」 『 』


@dataclass(frozen=True)
class Lexicon:
    """A language's attribution cue (any source-naming word or a quotation mark) and its stance classes,
    checked in order: responsibility, denial, accusation, threat."""

    language: str
    cue: re.Pattern[str]
    stances: tuple[tuple[Stance, re.Pattern[str]], ...]
    examples: str
    """A few of the cue's words as the language writes them, for a re-ask to name (each matched by `cue`)."""
    unclaimed: re.Pattern[str]
    """How the language says that nobody claimed responsibility ("aucun groupe n'a revendiqué"): a responsibility
    cue inside such a phrase claims nothing."""


def _words(*stems: str) -> str:
    """Stems that start a word (any ending may follow), for languages written with spaces."""
    return r"\b(?:" + "|".join(stems) + r")"


def _attached(*stems: str) -> str:
    """Arabic-script stems that start a word or follow an attached و/ف and ب/ل (وقال, فأعلن, وبحسب, لبيان)."""
    return r"(?<!\w)[وف]?[بل]?(?:" + "|".join(stems) + r")"


def _lexicon(
    language: str, saying: str, stances: dict[Stance, str], examples: str, unclaimed: str, *, flags: int = re.I
) -> Lexicon:
    classes = tuple((stance, re.compile(stances[stance], flags)) for stance in _STANCE_ORDER if stance in stances)
    cue = re.compile("|".join([saying, *stances.values(), f"[{_QUOTES}]"]), flags)
    return Lexicon(language, cue, classes, examples, re.compile(unclaimed, flags))


_STANCE_ORDER = (Stance.CLAIMED_RESPONSIBILITY, Stance.DENIED, Stance.ALLEGED, Stance.THREATENED)

LEXICONS: dict[str, Lexicon] = {
    lexicon.language: lexicon
    for lexicon in (
        _lexicon(
            "fr",
            _words(
                r"d[ée]clar\w*",
                r"dit\b",
                r"disent\b",
                r"dira\w*",
                r"affirm\w*",
                r"annonc\w*",
                r"confirm\w*",
                r"indiqu\w*",
                r"pr[ée]cis[ée]\w*",
                r"ajout\w*",
                r"rapport\w*",
                r"soulign\w*",
                r"expliqu\w*",
                r"assur\w*",
                r"fait\s+savoir",
                r"selon\b",
                r"d['’]apr[èe]s\b",
                r"a\s+[ée]crit",
                r"communiqu[ée]",
            ),
            {
                Stance.CLAIMED_RESPONSIBILITY: _words(r"revendiqu\w*", r"\w+\s+la\s+responsabilit[ée]"),
                Stance.DENIED: _words(r"d[ée]ment\w*", r"d[ée]menti\w*", r"ni(?:é|e|ent|ait|aient)\b", r"contest\w*"),
                Stance.ALLEGED: _words(
                    r"accus\w*", r"impute\w*", r"reproch\w*", r"d[ée]nonc\w*", r"condamn\w*", r"all[ée]gu\w*"
                ),
                Stance.THREATENED: _words(r"menac\w*", r"avert\w*", r"promis\b", r"promet\w*"),
            },
            "a déclaré, a affirmé, a annoncé, selon, a démenti, a revendiqué, « »",
            r"\bn['’]\s*(?:a|ont|avait|avaient|est|était|étaient)\s+"
            r"(?:(?:pas|encore|jamais|toujours|été|jusqu['’]ici|pour\s+l['’]instant)\s+)*revendiqu\w*",
        ),
        _lexicon(
            "es",
            _words(
                r"dij(?:o|eron)\b",
                r"dice\w*",
                r"afirm\w*",
                r"declar\w*",
                r"asegur\w*",
                r"anunci\w*",
                r"confirm\w*",
                r"inform\w*",
                r"señal\w*",
                r"indic\w*",
                r"añad\w*",
                r"agreg\w*",
                r"explic\w*",
                r"sostuv\w*",
                r"según\b",
                r"de\s+acuerdo\s+con\b",
                r"comunicado",
            ),
            {
                Stance.CLAIMED_RESPONSIBILITY: _words(r"reivindic\w*", r"se\s+atribuy\w*", r"\w+\s+la\s+autoría"),
                Stance.DENIED: _words(
                    r"neg(?:ó|aron|aba|ando)\b", r"niega\w*", r"desmint\w*", r"desmient\w*", r"rechaz\w*"
                ),
                Stance.ALLEGED: _words(r"acus\w*", r"culp\w*", r"denunci\w*", r"conden\w*", r"atribuy\w*"),
                Stance.THREATENED: _words(r"amenaz\w*", r"advirt\w*", r"advierte\w*", r"prometi\w*"),
            },
            "dijo, afirmó, anunció, según, negó, reivindicó, « »",
            r"\b(?:no|nadie|ningún|ninguna)\s+(?:\w+\s+){0,2}?"
            r"(?:(?:se|ha|han|había|habían|sido|aún|todavía|hasta\s+ahora)\s+)*(?:reivindic\w*|atribu\w*)",
        ),
        _lexicon(
            "de",
            _words(
                r"sagt\w*",
                r"erkl[äa]rt\w*",
                r"teilt\w*\s+\w+(?:\s+\w+)?\s+mit",
                r"mitgeteilt",
                r"betont\w*",
                r"berichte\w*",
                r"meldet\w*",
                r"best[äa]tigt\w*",
                r"behauptet\w*",
                r"k[üu]ndigt\w*",
                r"angek[üu]ndigt",
                r"hie(?:ß|ss)\s+es",
                r"laut\b",
                r"zufolge\b",
                r"nach\s+Angaben",
                r"gab\w*\s+an",
                r"f[üu]gte\w*\s+\w+\s+hinzu",
            ),
            {
                Stance.CLAIMED_RESPONSIBILITY: _words(
                    r"bekannt\w*\s+sich", r"bekennt\s+sich", r"\w+\s+die\s+Verantwortung"
                ),
                Stance.DENIED: _words(
                    r"dementi\w*",
                    r"bestr(?:itt|eit)\w*",
                    r"wies?\s+\w+(?:\s+\w+){0,3}\s+zur[üu]ck",
                    r"zur[üu]ckgewiesen",
                ),
                Stance.ALLEGED: _words(
                    r"beschuldig\w*",
                    r"warf\w*",
                    r"wirft",
                    r"vorgeworfen",
                    r"macht\w*\s+\w+(?:\s+\w+)?\s+verantwortlich",
                    r"verurteil\w*",
                ),
                Stance.THREATENED: _words(
                    r"droh\w*", r"warnt\w*", r"gewarnt", r"schw[öo]r\w*", r"geschworen", r"gelob\w*"
                ),
            },
            "sagte, erklärte, bestätigte, laut, bestritt, bekannte sich, „ “",
            r"\bbekann?t\w*\s+sich\s+(?:\w+\s+){0,6}?(?:niemand|keine?\w*)\b"
            r"|\b(?:niemand|keine?\w*(?:\s+\w+)?)\s+(?:(?:hat|habe|bisher|zunächst|noch|sich)\s+)*(?:\w+\s+){0,4}?"
            r"(?:\w+\s+die\s+Verantwortung|bekann?t\w*\s+sich)",
        ),
        _lexicon(
            "ru",
            _words(
                r"сказа\w*",
                r"заяв\w*",
                r"сообщ\w*",
                r"по\s+словам",
                r"по\s+данным",
                r"соглас\w*",
                r"утвержд\w*",
                r"подтверд\w*",
                r"подтвержд\w*",
                r"отмет\w*",
                r"добав\w*",
                r"рассказ\w*",
                r"переда\w*",
                r"объяв\w*",
                r"говор\w*",
                r"уточн\w*",
            ),
            {
                Stance.CLAIMED_RESPONSIBILITY: _words(
                    r"\w+\s+на\s+себя\s+ответственность", r"взя\w*\s+ответственность"
                ),
                Stance.DENIED: _words(r"опроверг\w*", r"отрица\w*", r"отверг\w*"),
                Stance.ALLEGED: _words(r"обвин\w*", r"возлож\w*\s+ответственность", r"осуд\w*", r"осужда\w*"),
                Stance.THREATENED: _words(r"пригроз\w*", r"угрож\w*", r"предупред\w*", r"предупрежд\w*", r"покля\w*"),
            },
            "сказал, заявил, сообщил, по словам, опроверг, взял на себя ответственность, « »",
            r"\bне\s+(?:\w+\s+на\s+себя\s+ответственность|взя\w*\s+ответственность)",
        ),
        _lexicon(
            "uk",
            _words(
                r"сказа\w*",
                r"заяв\w*",
                r"повідом\w*",
                r"за\s+словами",
                r"за\s+даними",
                r"згідно",
                r"стверджу\w*",
                r"підтверд\w*",
                r"підтвердж\w*",
                r"зазнач\w*",
                r"дода\w*",
                r"розпов\w*",
                r"переда\w*",
                r"оголоси\w*",
                r"оголош\w*",
                r"наголоси\w*",
            ),
            {
                Stance.CLAIMED_RESPONSIBILITY: _words(
                    r"\w+\s+на\s+себе\s+відповідальність", r"взя\w*\s+відповідальність"
                ),
                Stance.DENIED: _words(r"спростув\w*", r"запереч\w*", r"відкину\w*"),
                Stance.ALLEGED: _words(r"звинува\w*", r"звинуват\w*", r"засуд\w*", r"засуджу\w*"),
                Stance.THREATENED: _words(r"погрож\w*", r"пригрози\w*", r"попередж\w*", r"попереди\w*", r"покля\w*"),
            },
            "сказав, заявив, повідомив, за словами, спростував, взяв на себе відповідальність, « »",
            r"\bне\s+(?:\w+\s+на\s+себе\s+відповідальність|взя\w*\s+відповідальність)",
        ),
        _lexicon(
            "tr",
            _words(
                r"söyle\w*",
                r"dedi\b",
                r"açıkla\w*",
                r"bildir\w*",
                r"belirt\w*",
                r"ifade\s+et\w*",
                r"duyur\w*",
                r"doğrula\w*",
                r"aktar\w*",
                r"kaydet\w*",
                r"vurgula\w*",
                r"iddia\s+et\w*",
                r"göre\b",
            ),
            {
                Stance.CLAIMED_RESPONSIBILITY: _words(r"üstlen\w*"),
                Stance.DENIED: _words(r"yalanla\w*", r"reddet\w*", r"inkâr\w*", r"inkar\w*"),
                Stance.ALLEGED: _words(r"suçla\w*", r"itham\w*", r"kına\w*"),
                Stance.THREATENED: _words(r"tehdit\w*", r"uyar\w*", r"yemin\s+et\w*"),
            },
            'dedi, açıkladı, bildirdi, göre, yalanladı, üstlendi, " "',
            r"\büstlen(?:me(?:di|miş|yen|z|mekte)\w*|en\s+(?:\w+\s+)?(?:olmadı|yok))",
        ),
        _lexicon(
            "ar",
            _attached(
                r"قال",
                r"يقول",
                r"تقول",
                r"[أا]علن",
                r"يعلن",
                r"تعلن",
                r"[أا]كد",
                r"يؤكد",
                r"تؤكد",
                r"صرح",
                r"تصريح",
                r"[أا]فاد",
                r"ذكر",
                r"[أا]وضح",
                r"[أا]ضاف",
                r"وفق",
                r"حسب",
                r"نقل",
                r"[أا]شار",
                r"بيان",
                r"زعم",
                r"ادع",
            ),
            {
                Stance.CLAIMED_RESPONSIBILITY: _attached(r"تبن", r"مسؤوليت"),
                Stance.DENIED: _attached(r"نف(?:ى|ت|وا)", r"ينفي", r"تنفي", r"نفي"),
                Stance.ALLEGED: _attached(
                    r"اتهم",
                    r"يتهم",
                    r"تتهم",
                    r"حم\u0651?ل\w*\s+(?:\S+\s+)?المسؤولية",
                    r"[أاإ]\u064e?دان",  # condemn, with or without its vowel marks (تُدين, أَدان)
                    r"[يتن]\u064f?دين",
                    r"[يتن]?[اإ]?ستنكر",
                    r"[يتن]?شجب",
                ),
                Stance.THREATENED: _attached(r"هدد", r"يهدد", r"تهدد", r"توعد", r"حذر", r"يحذر", r"تحذر"),
            },
            "قال، أعلن، أكد، وفق، نفى، تبنى، « »",
            r"(?<!\w)[وف]?لم\s+(?:\S+\s+){0,4}?\S*(?:تبن|مسؤوليت)\S*",
        ),
        _lexicon(
            "fa",
            _attached(
                r"گفت",
                r"می\u200c?گوید",
                r"اعلام",
                r"اظهار",
                r"به\s+گفته",
                r"بنابر",
                r"بنا\s+بر",
                r"طبق",
                r"تأیید",
                r"تایید",
                r"افزود",
                r"گزارش",
                r"خبر\s+داد",
                r"ادعا",
                r"بیانیه",
                r"تصریح",
            ),
            {
                Stance.CLAIMED_RESPONSIBILITY: _attached(
                    r"مسئولیت(?:\s+\S+){1,4}?\s+(?:را\s+)?(?:بر\s+عهده|به\s+عهده|پذیرفت)"
                ),
                Stance.DENIED: _attached(r"تکذیب", r"رد\s+کرد", r"انکار"),
                Stance.ALLEGED: _attached(r"متهم", r"اتهام", r"محکوم"),
                Stance.THREATENED: _attached(r"تهدید", r"هشدار", r"سوگند"),
            },
            "گفت، اعلام کرد، به گفته، طبق، تکذیب کرد، « »",
            r"مسئولیت(?:\s+\S+){1,4}?\s+(?:را\s+)?(?:(?:بر|به)\s+عهده\s+ن\S*|نپذیرفت\S*)",
        ),
        _lexicon(
            "zh",
            r"表示|(?<!小)说|(?<!名)称|宣布|证实|确认|(?<![数根证])据|根据|报道|报导|透露|指出|强调|介绍|声明|发言人",
            {
                Stance.CLAIMED_RESPONSIBILITY: r"(?:声称|宣称|承认)对.{1,30}?负责|认领",
                Stance.DENIED: r"否认|驳斥",
                Stance.ALLEGED: r"指责|指控|谴责|归咎",
                Stance.THREATENED: r"威胁|警告|扬言|誓言|发誓",
            },
            "表示、说、宣布、据、否认、认领、「」",
            r"(?:尚无|没有|无人|尚未有|并无|未有).{0,12}?(?:(?:声称|宣称|承认)对.{1,30}?负责|认领)",
            flags=0,
        ),
    )
}
"""Languages with a lexicon besides English."""


def covered(language: str | None) -> bool:
    """Whether a lexicon decides this language's claim-bearing sentences (None: unknown, read as English)."""
    return language is None or language == ENGLISH or language in LEXICONS


ENGLISH_EXAMPLES = "said, told, claimed, announced, according to, a quotation"


def cue_examples(language: str | None) -> str | None:
    """Words of a language's attribution cue for a re-ask to name; None when no lexicon covers it."""
    if language is None or language == ENGLISH:
        return ENGLISH_EXAMPLES
    lexicon = LEXICONS.get(language)
    return lexicon.examples if lexicon else None


def cue_for(language: str | None) -> re.Pattern[str] | None:
    """The attribution cue of a language; None when no lexicon covers it."""
    if language is None or language == ENGLISH:
        return ATTRIBUTION_CUE
    lexicon = LEXICONS.get(language)
    return lexicon.cue if lexicon else None


def has_cue(text: str, language: str | None) -> bool:
    """Whether the text names a source in its language's words; text in a language without a lexicon is
    judged by English and every lexicon together (a quotation mark counts in each)."""
    cue = cue_for(language)
    if cue is not None:
        return bool(cue.search(text))
    return bool(ATTRIBUTION_CUE.search(text)) or any(lexicon.cue.search(text) for lexicon in LEXICONS.values())


def stance_of(text: str, language: str | None) -> Stance | None:
    """The stance a verb class of a non-English lexicon settles; None for plain saying, for English (see
    `attribution.stance_cue`) and for a language without a lexicon. A responsibility nobody claimed ("aucun
    groupe n'a revendiqué l'attentat") is no claim of it."""
    lexicon = LEXICONS.get(language or ENGLISH)
    if lexicon is None:
        return None
    unclaimed = [m.span() for m in lexicon.unclaimed.finditer(text)]

    def said(stance: Stance, words: re.Pattern[str]) -> bool:
        if stance != Stance.CLAIMED_RESPONSIBILITY:
            return words.search(text) is not None
        return any(not any(s <= m.start() and m.end() <= e for s, e in unclaimed) for m in words.finditer(text))

    return next((stance for stance, words in lexicon.stances if said(stance, words)), None)
