"""Planted-span tests in every script: hide a quote in random text of one language, rewrite it the
ways models do (diacritics dropped, tatweel added, CJK spacing, full-width punctuation, each script's
quote brackets, digits of another system), and check it grounds `normalised` at exactly the planted
offsets; and that a quote whose number or negation changed never grounds, however it is rewritten.

Matching knows no word boundaries, and every slice of the text grounds
(tests/test_scoring.py::test_any_slice_of_text_is_located): a quote that stops inside a number
("killed 1" of "killed 15") or starts inside a negation word ("eine Beweise" of "keine Beweise") is the
text's own characters and grounds. So the filler words here are none that ends a negation word (German
has "einer", not "eine"), and a quote is never cut inside a number."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from claimx.extraction.grounding import locate
from claimx.result import GroundingStatus

Rewrite = Callable[[str], str]
ASCII_DIGITS = "0123456789"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
WIDE_DIGITS = "０１２３４５６７８９"
NBSP, NNBSP, ZWNJ = "\u00a0", "\u202f", "\u200c"


def _swap(pairs: dict[str, str]) -> Rewrite:
    table = str.maketrans(pairs)
    return lambda s: s.translate(table)


def _digits(to: str) -> Rewrite:
    """Write every digit, of any system, in the system `to`."""
    return lambda s: "".join(to[unicodedata.decimal(c)] if c.isdecimal() else c for c in s)


def _drop_marks(s: str) -> str:
    return "".join(c for c in s if unicodedata.category(c) != "Mn")


def _tatweel(s: str) -> str:
    return re.sub(r"(?<=[\u0628-\u063a\u0641-\u064a])(?=[\u0628-\u063a\u0641-\u064a])", "\u0640", s, count=3)


def _space_cjk(s: str) -> str:
    """Spaces between characters wherever one side is Han or kana (as models often add)."""
    cjk = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    out = [s[0]] if s else []
    for a, b in itertools.pairwise(s):
        out.append(" " + b if (cjk.match(a) or cjk.match(b)) and " " not in (a, b) else b)
    return "".join(out)


def _unspace_cjk(s: str) -> str:
    """No spaces next to Han or kana (as models often write); spaces between two Latin words stay."""
    return re.sub(r"(?<=[\u3040-\u30ff\u4e00-\u9fff]) +| +(?=[\u3040-\u30ff\u4e00-\u9fff])", "", s)


_HALF = {unicodedata.normalize("NFKD", chr(c)): chr(c) for c in range(0xFF61, 0xFFA0)}


def _half_width(s: str) -> str:
    """Katakana and CJK punctuation in half-width forms (ガ becomes ｶﾞ)."""
    return "".join(_HALF.get(c, c) for c in unicodedata.normalize("NFD", s))


FULL_TO_ASCII = _swap(
    {"，": ",", "。": ".", "：": ":", "！": "!", "？": "?", "（": "(", "）": ")", "；": ";", "、": ","}
)
BRACKETS_TO_ASCII = _swap(dict.fromkeys("「」『』“”„«»", '"'))


def _guillemets_to_ascii(s: str) -> str:
    return re.sub(f"«[ {NBSP}{NNBSP}]?|[ {NBSP}{NNBSP}]?»", '"', s)


@dataclass(frozen=True)
class Script:
    """A language as the tests write it: filler words (none of them a negation or a `verbs` word),
    how words join, the quote brackets its articles use, affirmative/negated phrase pairs, the digit
    systems its articles write numbers in, a counted noun, and the rewrites a model makes that keep
    the words."""

    name: str
    words: tuple[str, ...]
    brackets: tuple[tuple[str, str], ...]
    verbs: tuple[tuple[str, str], ...]
    digits: tuple[str, ...]
    unit: str
    rewrites: tuple[Rewrite, ...]
    spaced: bool = True
    separators: tuple[str, ...] = (",",)

    def join(self, words: list[str]) -> str:
        if self.spaced:
            return " ".join(words)
        # Chinese and Japanese: no spaces, except around Latin words and numbers (as many sites write)
        out = ""
        for w in words:
            latin = w[:1].isascii() or w[:1].isdecimal()
            out += f" {w} " if latin else w
        return re.sub(" +", " ", out).strip()

    @property
    def boundary(self) -> str:
        return " " if self.spaced else "。"


UPPER: Rewrite = str.upper
SCRIPTS = [
    Script(
        "ar",
        tuple(
            "قَالَ المُتَحَدِّثُ بِاسْمِ الجَيْشِ إِنَّ القُوَّاتِ دَخَلَتْ المَدِينَةَ يَوْمَ الِاثْنَيْنِ وَأَضَافَ "
            "أَنَّ مُسْتَوْدَعًا لِلأَسْلِحَةِ دُمِّرَ قُرْبَ الحُدُودِ بِحَسَبِ وَكَالَةِ الأَنْبَاءِ الرَّسْمِيَّةِ".split()
        ),
        (("«", "»"), ("\u201c", "\u201d")),
        (
            ("يَسْتَهْدِفُ", "لَا يَسْتَهْدِفُ"),
            ("هَاجَمَ", "لَمْ يُهَاجِمْ"),
            ("سَيَنْسَحِبُ", "لَنْ يَنْسَحِبَ"),
            ("مَسْؤُولٌ", "لَيْسَ مَسْؤُولًا"),
        ),
        (ARABIC_DIGITS, ASCII_DIGITS),
        "شَخْصًا",
        (
            _drop_marks,
            _tatweel,
            _swap(dict.fromkeys("أإآ", "ا")),
            _swap({"،": ","}),
            BRACKETS_TO_ASCII,
            _digits(ASCII_DIGITS),
            _digits(PERSIAN_DIGITS),
        ),
        separators=("٬", ","),
    ),
    Script(
        "fa",
        tuple(
            f"سخنگوی وزارت دفاع ایران روز دوشنبه گفت که نیروها در نزدیکی مرز یک پایگاه را ترک کردند و "
            f"خبرگزاری{ZWNJ}ها گزارش دادند که کشته{ZWNJ}ها در بیمارستان هستند".split()
        ),
        (("«", "»"),),
        ((f"می{ZWNJ}خواهیم", f"نمی{ZWNJ}خواهیم"), ("حمله کرد", "حمله نکرد"), ("گفت بله", "گفت نه")),
        (PERSIAN_DIGITS, ARABIC_DIGITS, ASCII_DIGITS),
        "نفر",
        (
            _swap({ZWNJ: " "}),
            _swap({ZWNJ: ""}),
            _swap({"ی": "ي", "ک": "ك"}),
            BRACKETS_TO_ASCII,
            _digits(ASCII_DIGITS),
            _digits(ARABIC_DIGITS),
        ),
    ),
    Script(
        "zh",
        tuple(
            "外交部 发言人 表示 ， 军队 昨天 在 城市 附近 袭击了 一处 基地 。 据 BBC 报道 路透社 伤者 医院 仓库".split()
        ),
        (("“", "”"), ("「", "」"), ("『", "』")),
        (("参与", "没有参与"), ("承认", "不承认"), ("確認", "未確認"), ("參與", "沒有參與"), ("是事实", "并非事实")),
        (ASCII_DIGITS, WIDE_DIGITS),
        "人",
        (_space_cjk, _unspace_cjk, FULL_TO_ASCII, BRACKETS_TO_ASCII, _digits(ASCII_DIGITS)),
        spaced=False,
    ),
    Script(
        "ja",
        tuple(
            "政府 報道官 は 昨日 記者会見 で 、 ガザ の 病院 について ニュース サービス データ ミサイル 東京 。".split()
        ),
        (("「", "」"), ("『", "』")),
        (("関与している", "関与していない"), ("確認した", "確認しなかった"), ("確認", "未確認")),
        (ASCII_DIGITS, WIDE_DIGITS),
        "人",
        (_space_cjk, FULL_TO_ASCII, BRACKETS_TO_ASCII, _half_width, _digits(ASCII_DIGITS)),
        spaced=False,
    ),
    Script(
        "ru",
        tuple(
            "министерство обороны заявило что войска ещё в понедельник вышли к объекту в городе её по данным "
            "агентства всё — сообщил источник".split()
        ),
        (("«", "»"), ("„", "“")),
        (("атаковали", "не атаковали"), ("нашли", "не нашли"), ("получили помощь", "ни помощи не получили")),
        (ASCII_DIGITS,),
        "человек",
        (BRACKETS_TO_ASCII, UPPER, _swap({"ё": "е"}), _swap({"—": "-"}), _swap({NBSP: " "})),
        separators=(NBSP, " "),
    ),
    Script(
        "uk",
        tuple(
            "міністерство оборони заявило що війська в понеділок вийшли до об\u02bcєкта у місті за даними "
            "агентства — повідомило джерело п\u02bcять".split()
        ),
        (("«", "»"),),
        (("атакували", "не атакували"), ("підтвердили", "не підтвердили"), ("відповіли так", "відповіли ні")),
        (ASCII_DIGITS,),
        "людей",
        (BRACKETS_TO_ASCII, UPPER, _swap({"\u02bc": "'"}), _swap({"\u02bc": "\u2019"}), _swap({"—": "-"})),
        separators=(NBSP,),
    ),
    Script(
        "fr",
        tuple(
            "le ministre a déclaré lundi que l\u2019armée était entrée dans une base près de la ville selon "
            f"l\u2019agence{NBSP}: les témoins ont vu des drones{NBSP}!".split(" ")
        ),
        ((f"«{NBSP}", f"{NBSP}»"), (f"«{NNBSP}", f"{NNBSP}»")),
        (
            ("a frappé", "n\u2019a pas frappé"),
            ("a frappé", "n\u2019a jamais frappé"),
            ("est responsable", "n\u2019est pas responsable"),
        ),
        (ASCII_DIGITS,),
        "personnes",
        (
            _guillemets_to_ascii,
            _swap({"\u2019": "'"}),
            UPPER,
            _swap({NBSP: " ", NNBSP: " "}),
            _swap({NBSP: "", NNBSP: ""}),
        ),
        separators=(NNBSP, NBSP, " "),
    ),
    Script(
        "es",
        tuple(
            "el ministerio dijo el lunes que el ejército entró en una base cerca de la ciudad según la agencia".split()
        ),
        (("«", "»"), ("\u201c", "\u201d")),
        (("atacó", "no atacó"), ("ha atacado", "nunca ha atacado")),
        (ASCII_DIGITS,),
        "personas",
        (BRACKETS_TO_ASCII, UPPER),
        separators=(".",),
    ),
    Script(
        "tr",
        tuple(
            "İçişleri Bakanlığı açıklamasında İstanbul'da askerler pazartesi günü bir üsse girdi ışık kış "
            "Diyarbakır yakınında sığınak".split()
        ),
        (("\u201c", "\u201d"), ('"', '"')),
        (("vurdu", "vurmadı"), ("doğru", "doğru değil"), ("gelecek", "gelmeyecek")),
        (ASCII_DIGITS,),
        "kişi",
        (UPPER, _swap({"İ": "I", "ı": "i"}), BRACKETS_TO_ASCII),
        separators=(".",),
    ),
    Script(
        "de",
        tuple(
            "das Ministerium erklärte am Montag die Armee habe einer Basis an der Straße nahe Weißrussland "
            "laut Agentur".split()
        ),
        (("„", "“"), ("»", "«")),
        (("angegriffen", "nicht angegriffen"), ("Beweise", "keine Beweise")),
        (ASCII_DIGITS,),
        "Menschen",
        (BRACKETS_TO_ASCII, _swap({"»": '"', "«": '"'}), UPPER),
        separators=(".",),
    ),
]
SCRIPT = st.sampled_from(SCRIPTS)


def _number(n: int, digits: str, separator: str | None) -> str:
    """`n` in a digit system, with a thousands separator when given."""
    text = f"{n:,}".replace(",", "\x00") if separator else str(n)
    return text.translate(str.maketrans(ASCII_DIGITS, digits)).replace("\x00", separator or "")


@st.composite
def planted(draw: st.DrawFn, script: Script) -> tuple[str, str, int, int]:
    """Random text of `script` with a quote planted in it: (text, quote, start, end)."""
    words = st.sampled_from(script.words)
    before = script.join(draw(st.lists(words, max_size=25)))
    after = script.join(draw(st.lists(words, max_size=25)))
    # a quote starts with a word: a model never opens one with the stop or comma that ended the sentence before
    quote_words = draw(st.lists(words, min_size=3, max_size=12).filter(lambda ws: ws[0].isalnum()))
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(quote_words) - 1))
        opening, closing = draw(st.sampled_from(script.brackets))
        quote = script.join(quote_words[:cut]) + (" " if cut and script.spaced else "")
        quote = quote + opening + script.join(quote_words[cut:]) + closing
    else:
        quote = script.join(quote_words)
    head = before + script.boundary if before else ""
    return head + quote + script.boundary + after, quote, len(head), len(head) + len(quote)


def _rewritten(draw: st.DrawFn, script: Script, quote: str) -> str:
    for rewrite in draw(st.lists(st.sampled_from(script.rewrites), min_size=1, max_size=3, unique=True)):
        quote = rewrite(quote)
    return quote


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_rewritten_quote_grounds_at_its_planted_span(data: st.DataObject) -> None:
    script = data.draw(SCRIPT)
    text, quote, start, end = data.draw(planted(script))
    variant = _rewritten(data.draw, script, quote)
    match = locate(variant, text, after=start)
    expected = GroundingStatus.EXACT if variant.strip() == quote.strip() else GroundingStatus.NORMALISED
    assert (match.status, match.start, match.end) == (expected, start, end), (script.name, variant)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_added_or_removed_negation_never_grounds(data: st.DataObject) -> None:
    script = data.draw(SCRIPT)
    words = st.sampled_from(script.words)
    left = data.draw(st.lists(words, min_size=1, max_size=6))
    right = data.draw(st.lists(words, min_size=1, max_size=6))
    affirmative, negated = data.draw(st.sampled_from(script.verbs))
    written, forged = (affirmative, negated) if data.draw(st.booleans()) else (negated, affirmative)
    filler = script.join(data.draw(st.lists(words, max_size=25)))
    text = f"{filler}{script.boundary}{script.join([*left, written, *right])}{script.boundary}{filler}"
    quote = _rewritten(data.draw, script, script.join([*left, forged, *right]))
    assert not locate(quote, text).status.grounded, (script.name, text, quote)


@st.composite
def counted(draw: st.DrawFn, script: Script) -> tuple[str, list[str], list[str], int, str]:
    """Text of `script` that counts `n` of its unit: (text, left words, right words, n, n as written)."""
    words = st.sampled_from(script.words)
    left = draw(st.lists(words, min_size=1, max_size=5).filter(lambda ws: ws[0].isalnum()))
    right = draw(st.lists(words, max_size=5))
    n = draw(st.integers(min_value=10, max_value=250_000))
    written = _number(n, draw(st.sampled_from(script.digits)), draw(st.sampled_from((None, *script.separators))))
    text = script.join([*draw(st.lists(words, max_size=20)), *left, written, script.unit, *right])
    return text, left, right, n, written


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_number_in_another_digit_system_grounds_by_value(data: st.DataObject) -> None:
    script = data.draw(SCRIPT)
    text, left, right, _, written = data.draw(counted(script))
    quote = script.join([*left, written, script.unit, *right])
    other = data.draw(st.sampled_from((*script.digits, ASCII_DIGITS)))
    variant = _digits(other)(quote)
    match = locate(variant, text)
    start = text.rindex(quote)
    assert match.status.grounded and (match.start, match.end) == (start, start + len(quote)), (text, variant)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_changed_number_never_grounds(data: st.DataObject) -> None:
    script = data.draw(SCRIPT)
    text, left, right, n, _ = data.draw(counted(script))
    digits = data.draw(st.sampled_from((*script.digits, ASCII_DIGITS)))
    changed = data.draw(st.sampled_from([n + 1, n - 1, n * 10, n // 10, n + 100]))
    quote = _rewritten(data.draw, script, script.join([*left, _number(changed, digits, None), script.unit, *right]))
    match = locate(quote, text)
    assert not match.status.grounded, (script.name, text, quote, match)
    if match.status is GroundingStatus.FUZZY:
        assert any(m.startswith("-") for m in match.mismatches), match


def test_fuzzy_hint_shows_the_whole_number_and_what_differs() -> None:
    text = "The ministry said 15 people were killed on Monday and ٢٥ wounded."
    hint = locate("5 people were killed on Sunday", text)
    assert hint.status is GroundingStatus.FUZZY and text[hint.start : hint.end].startswith("15 people")
    assert {"-5", "+15", "-sunday", "+monday"} <= set(hint.mismatches)
    changed = locate("15 people were killed on Monday and 26 wounded", text)
    assert changed.status is GroundingStatus.FUZZY and {"-26", "+٢٥"} <= set(changed.mismatches)
    assert locate("15 people were killed on Monday and 25 wounded", text).status is GroundingStatus.NORMALISED


def test_a_quote_that_drops_an_accent_or_voicing_mark_does_not_ground() -> None:
    """A decomposed character is one character: matching its letter without its mark is another word."""
    assert not locate("LE CAFE", "Il a dit: le cafe\u0301 noir").status.grounded
    assert locate("LE CAFÉ", "Il a dit: le cafe\u0301 noir").status is GroundingStatus.NORMALISED
    assert not locate("ﾊﾝｶ", "ハンカ\u3099ーストライキ").status.grounded
    assert locate("ﾊﾝｶﾞ", "ハンカ\u3099ーストライキ").status is GroundingStatus.NORMALISED


def test_superscripts_and_fractions_keep_their_value() -> None:
    assert not locate("killed 51 people", "killed 5¹ people").status.grounded
    assert not locate("12 of them", "1½ of them").status.grounded
    assert locate("ＢＢＣ said 12", "BBC said 12").status is GroundingStatus.NORMALISED


def test_diacritics_after_the_last_letter_belong_to_the_span() -> None:
    text = "قَالَ الجَيْشُ. وَانْتَهَى"
    match = locate("قال الجيش", text)
    assert match.status is GroundingStatus.NORMALISED
    assert text[match.start : match.end] == "قَالَ الجَيْشُ"
