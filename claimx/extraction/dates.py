"""When the event a claim describes happened, read from the claim's own words against the publication date.

dateparser finds and resolves the time expressions ("on Wednesday", "December 11", "last week", "earlier
this month") in the article's language; this module decides which of them dates the event and how wide
it is: a weekday that dates the speaking ("said Monday") is skipped, a week, a month or a year becomes an
interval, and "since October 17" runs to the "until" day the quote names, else to the publication date.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache

import dateparser
from dateparser.date import DateDataParser
from dateparser.languages.loader import default_loader
from dateparser.search import search_dates

from claimx.extraction.lead import ENDS, HEADLINE_MOST, is_paragraph

_SPEECH_TIME = re.compile(  # "said Monday", "told reporters by telephone Thursday", "in a speech Tuesday"
    r"\b(?i:said|says|told|tells|announced|stated|speaking|spoke|added|declared|statement|shared|published|posted|"
    r"issued|made\s+public|speech|address|interview|briefing|conference|remarks)"
    r"(?:\s+(?:[A-Z][\w'’.-]*|\w+s['’]|(?i:reporters|journalists|agenc(?:y|ies)|media|outlets|television|radio|the|a|an|"
    r"its|his|her|their|by|through|via|telephone|phone|in|on|at|over|held|late|early|statement|interview|news|press|"
    r"conference|video|audio|message|web|site|website|online|channel|account|official|unofficial|social|to)))*\s*$"
)
"""A time right after a verb or a noun of saying, its addressee or its medium dates the speaking, not the event."""
_SPOKEN_AFTER = re.compile(
    r"[^,.;:!?\n]{0,20}?,\s+(?:[\w'’.-]+\s+){1,5}?(?i:said|says|told|tells|announced|stated|declared|confirmed|"
    r"reported|published|posted|issued)\b"
)
_OPENS = re.compile(r"(?:^|[.!?][\"'”’]?\s+|\n)\s*(?i:on|late|early|last)?\s*$")
"""A time that opens a sentence whose subject then says something ("On Wednesday morning, Kenyan newspapers
published a list of those killed in Saturday's attack") dates the telling: the event takes another time the passage
names, and the telling's day only when it names none (a claim is most often told the day of its act). A time that
closes a clause ("… shelled on Tuesday, officials said") is the act's."""
_CAUSE = re.compile(r"\b(?:in\s+(?:response|retaliation|revenge)\s+(?:to|for)|to\s+avenge|avenging)\b[^.;:!?]*$", re.I)
"""A time inside "in response to …" dates the cause the claimant gives, not the act claimed."""
_CONNECTOR = re.compile(r"since|from|between|until|till|to|through|and", re.I)
_SINCE = re.compile(r"\b(?:since|from|between)\s+(?:(?:the|on|last)\s+)?$", re.I)
_OPENS_RANGE = re.compile(r"\b(?:since|between)\s+(?:(?:the|on|last)\s+)?$", re.I)
"""Unlike `_SINCE`, not "from": "the toll from Wednesday's blast" names a day, not the start of a range."""
_UNTIL = re.compile(r"\b(?:until|till|to|through|and)\s+(?:(?:the|on|last)\s+)?$", re.I)
_DIGITS = re.compile(r"[\d.,:/-]+")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")
""""Thursday's attack": dateparser finds no date in a possessive, so the 's is blanked (same length)."""

Days = tuple[date, date]
Expressions = tuple[tuple[int, str, Days], ...]
"""Each time expression of a passage that can date an event: where it starts, the words before it, its days."""
_SUPPORTED = frozenset(default_loader.get_locale_map())
"""The languages dateparser reads; an article in another is read with English rules (digits, ISO dates)."""


@lru_cache(maxsize=16)
def _parser(language: str) -> DateDataParser:
    return DateDataParser(languages=[language], settings={"PREFER_DATES_FROM": "past"})


@lru_cache(maxsize=4096)
def _reading(phrase: str, language: str) -> tuple[bool, str]:
    """Whether dateparser reads the phrase as a time, and the period it names ("day", "week", "month",
    "year"). Cached: news names the same few times over and over, and each reading costs a millisecond."""
    data = _parser(language).get_date_data(phrase)
    return data.date_obj is not None, data.period or "day"


def _days(phrase: str, day: datetime, language: str, published: date) -> Days:
    """The days an expression covers: one day, or the week, month or year it names (up to publication)."""
    period = _reading(phrase, language)[1]
    start = day.date()
    if period == "week":
        start -= timedelta(days=start.weekday())
        return start, min(start + timedelta(days=6), published)
    if period == "month":
        start = start.replace(day=1)
        return start, min(start.replace(day=calendar.monthrange(start.year, start.month)[1]), published)
    if period == "year":
        return start.replace(month=1, day=1), min(start.replace(month=12, day=31), published)
    return start, start


_NAMES = (
    *("january", "february", "march", "april", "may", "june", "july", "august", "september", "october"),
    *("november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
)
"""dateparser's locale keys for the month and weekday names."""
_UNITS = ("day", "week", "month", "year")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


@lru_cache(maxsize=16)
def _vocabulary(language: str) -> re.Pattern[str]:
    """The words that any time expression of the language that can date an event holds: its month and
    weekday names, its words for a day, a week, a month or a year ("yesterday", "last week"), and ISO or
    slashed dates. A passage with none of them is not searched: dateparser's search is the costly part of
    dating, and most sentences of a news article name no time."""
    info = default_loader.get_locale(language).info
    words = {w for key in (*_NAMES, *_UNITS) for w in info.get(key, [])}
    relative = {w for key, said in info.get("relative-type", {}).items() if key.split()[-2] in _UNITS for w in said}
    words |= relative | {  # "last night" → "yesterday night": a time of day that names a day
        short
        for rule in info.get("simplifications", [])
        for short, long in rule.items()
        if short.replace(" ", "").isalpha() and any(w in long for w in relative)
    }
    kept = sorted((w for w in words if len(w) >= 3 or _CJK.search(w)), key=len, reverse=True)
    whole = [rf"(?<!\w){re.escape(w)}(?!\w)" if _SPACED.fullmatch(w) else re.escape(w) for w in kept]
    return re.compile("|".join([r"\d{4}-\d{2}-\d{2}", r"\d{1,2}/\d{1,2}/\d{2,4}", *whole]), re.I)


_SPACED = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u052f .'’-]+")
"""Words of a script written with spaces and no attached particles (Latin, Greek, Cyrillic) are matched
whole: "mar" is no month inside "market". Arabic script takes prefixes (بالأمس) and Chinese has no spaces."""


def _names_a_time(phrase: str, language: str) -> bool:
    """Whether the phrase's words, not only its digits, name a time: a month, a weekday, "yesterday", "last
    week". dateparser also reads counts ("about 13, 14"), clock times and durations ("a quarter of an hour
    before") as dates; those name none. A lone lowercase month or year word ("may") is a verb or a noun,
    not a time."""
    if not _vocabulary(language).search(phrase):
        return False
    words = _DIGITS.sub(" ", phrase).strip()
    if not words or (" " not in words and words.islower() and _reading(words, language)[1] != "day"):
        return bool(_ISO.fullmatch(phrase.strip()))
    candidates = [words, *(w for w in words.split() if len(w) > 3)]  # "am Montag": Montag names the day
    return any(_reading(w, language)[0] for w in candidates)


def _trimmed(phrase: str, language: str) -> str:
    """The phrase less trailing words that name no time: dateparser reads "Friday in an" as January (it takes
    "an" and "a" for Jan.), while "Friday" is a day. A word goes when it names no time alone, or is a short
    lowercase word, as long as the rest still names one."""
    words = phrase.split()
    while len(words) > 1:
        last = words[-1]
        noise = last.isalpha() and last.islower() and len(last) <= 2
        if (_reading(last, language)[0] and not noise) or (not _reading(" ".join(words[:-1]), language)[0]):
            break
        words.pop()
    return " ".join(words)


@lru_cache(maxsize=256)
def _expressions(text: str, published: date, language: str) -> Expressions:
    """Each time expression that can date the event: where it starts, the words before it, the days it
    covers. In the past, named in words, not the time of speaking."""
    base = datetime.combine(published, datetime.min.time())
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": default_loader.get_locale(language).info.get("date_order", "MDY"),  # 12.04.2011 in German
    }
    found: list[tuple[int, str, Days]] = []
    telling: list[tuple[int, str, Days]] = []  # the day of a telling that opens a sentence: the event's, if no other
    if not _vocabulary(language).search(text):
        return ()
    cursor = 0
    plain = _POSSESSIVE.sub("  ", text)
    for found_phrase, found_day in search_dates(plain, languages=[language], settings=settings) or []:
        at = max(plain.find(found_phrase, cursor), 0)
        cursor = max(at, cursor)
        phrase = _trimmed(found_phrase, language)
        parsed = (
            found_day if phrase == found_phrase else dateparser.parse(phrase, languages=[language], settings=settings)
        )
        abbreviation = " " not in phrase and len(phrase) <= 3 and not _CJK.search(phrase)  # German "Die": Di.
        if parsed is None or abbreviation or not _names_a_time(phrase, language) or parsed.date() > published:
            continue
        if _SPEECH_TIME.search(plain[:at]) or _CAUSE.search(plain[:at]):
            continue
        first = phrase.split()[0]
        lead = plain[:at] + (f"{first} " if _CONNECTOR.fullmatch(first) else "")  # dateparser's "since October 17"
        a_day = _reading(phrase, language)[1] == "day"
        # "Thursday's attack" in Thursday's paper is today's: a weekday is the last such day on or before it
        day = base if (published - parsed.date()).days == 7 and a_day else parsed
        spoken = _OPENS.search(plain[:at]) and _SPOKEN_AFTER.match(plain, at + len(phrase.rstrip(",")))
        (telling if spoken else found).append((at, lead, _days(phrase, day, language, published)))
    return tuple(found or telling)


def event_date(time_text: str | None, evidence: str, published: date | None, language: str | None = None) -> str | None:
    """The event's day or interval (ISO `a` or `a/b`) from the time expressions of the evidence: the one
    the model's `time_text` points at, else the first; "since X" opens an interval that runs to the "until"
    day, else to the publication date. None when the words settle nothing, or without a publication date."""
    if published is None:
        return None
    days = _resolved(time_text, evidence, _expressions(evidence, published, _readable(language)), published)
    return _iso(days) if days else None


def claim_date(
    time_text: str | None,
    evidence: str,
    text: str,
    span: tuple[int, int] | None,
    *,
    published: date | None,
    language: str | None = None,
    threat: bool = False,
) -> str | None:
    """When the event a claim states happened, read as a coder reads it (a threat's act is still to come,
    so a threat is never dated): from the claim's own words (see `event_date`), else from the first time of
    its sentence (or of the sentence before, when the claim points back at "those attacks": `_told`), else
    from its section's lead (the headline and first paragraphs), whose "since … until" range dates no other
    claim (`_unbounded`); a week or a month ("earlier this month", "in October") narrows to the one day
    within it that the story names. `span` is where the evidence stands in `text` (None when it was
    not found there: its own words alone then date it). In a round-up or a live blog, a dateline above
    the claim ("Voice of America, 8 February 2012") stands for the publication date of what follows."""
    if published is None or threat:
        return None
    language = _readable(language)
    (section, end), published = _section(text, span[0], published, language) if span else ((0, len(text)), published)
    own = event_date(time_text, evidence, published, language)
    if span is None or (own is not None and "/" not in own):
        return own
    first, _, last = (own or "").partition("/")  # here `own` is an interval "a/b", or None
    days: Days | None = (date.fromisoformat(first), date.fromisoformat(last)) if own else None
    told = _told(text, span)
    for a, b in dict.fromkeys([*told, *_lead(text, section, published, language)]):
        spans = _expressions(text[a:b], published, language)
        days = days or _resolved(None, "", spans if (a, b) in told else _unbounded(spans), published)
        if days is not None and days[0] == days[1]:
            return _iso(days)
    if days is None:
        return None
    if not _a_period(days, published):
        return _iso(days)
    named = _expressions(text[section:end], published, language)  # the whole story, once per article
    within = {d[0] for _, _, d in named if d[0] == d[1] and days[0] <= d[0] <= days[1]}
    return _iso((within.pop(),) * 2 if len(within) == 1 else days)


_YEARLESS = date(2100, 1, 1)
"""The stand-in publication date under which a month and a day are read when no year is known."""


@lru_cache(maxsize=4096)
def _month_day_in(passage: str, language: str) -> tuple[int, int] | None:
    if not _vocabulary(language).search(passage):
        return None
    settings = {
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": datetime.combine(_YEARLESS, datetime.min.time()),
        "REQUIRE_PARTS": ["day", "month"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    for phrase, found in search_dates(_POSSESSIVE.sub("  ", passage), languages=[language], settings=settings) or []:
        if _DIGIT.search(phrase) and _names_a_time(phrase, language):
            return found.month, found.day
    return None


_DIGIT = re.compile(r"\d")


def month_day(
    evidence: str, text: str, span: tuple[int, int] | None, language: str | None = None
) -> tuple[int, int] | None:
    """For an article with no publication date, where no year can be resolved: the month and the day the
    claim's own words, else its sentence, else its story's lead name in figures ("the July 11 twin
    bombings", "sábado, 14 de Outubro"), so that the claim can still join a dated report of that day's
    event. None when none names one (a weekday alone names no day without a year)."""
    language = _readable(language)
    passages = [evidence]
    if span is not None:
        passages += [text[a:b] for a, b in [_sentence(text, *span), *_lead(text, 0, _YEARLESS, language)]]
    return next((found for passage in passages if (found := _month_day_in(passage, language))), None)


def _a_period(days: Days, published: date) -> bool:
    """Whether the days are one calendar week, month or year (up to publication), as `_days` makes them;
    a "since … until" interval is the claimant's own and is never narrowed."""
    start, end = days
    week = start.weekday() == 0 and (end - start).days <= 6 and (end.weekday() == 6 or end == published)
    month = start.day == 1 and start.month == end.month and start.year == end.year
    year = (start.month, start.day) == (1, 1) and start.year == end.year
    return week or month or year


def _readable(language: str | None) -> str:
    return language if language in _SUPPORTED else "en"


def _iso(days: Days) -> str:
    start, end = days
    return start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}"


_POINTS_BACK = re.compile(
    r"\b(?i:those|these|the\s+same)\s+(?:[a-z-]+\s+)?"
    r"(?:attacks?|strikes?|raids?|bombings?|blasts?|explosions?|killings?|assaults?|clashes|massacres?|incidents?)\b"
)
"""Words that name the event of the sentence before ("in those attacks"): that sentence's time is the claim's."""


def _unbounded(spans: Expressions) -> Expressions:
    """The times of a lead passage that can date another claim's event: not the ends of a "since … until"
    range, which bound a count of many acts ("97 attacks since October 17"), not any one of them."""
    return tuple(s for s in spans if not (_OPENS_RANGE.search(s[1]) or _UNTIL.search(s[1])))


def _resolved(time_text: str | None, evidence: str, spans: Expressions, published: date) -> Days | None:
    """The days the spans settle: a "since … until" interval, else the span `time_text` points at, else the
    first; a span joined to the next by "and" ("Monday and Tuesday") runs to the next one's end."""
    if not spans:
        return None
    since = next((days for _, lead, days in spans if _SINCE.search(lead)), None)
    if since is not None:
        until = next((days for _, lead, days in spans if _UNTIL.search(lead) and days[1] >= since[0]), None)
        return since[0], until[1] if until else published
    stated = evidence.lower().find(time_text.lower()) if time_text else -1
    pointed = [i for i, (at, _, _) in enumerate(spans) if stated >= 0 and stated <= at < stated + len(time_text or "")]
    chosen = (pointed or [0])[0]
    days = spans[chosen][2]
    if chosen + 1 < len(spans):
        at, lead, then = spans[chosen + 1]
        if _AND.search(lead) and at - spans[chosen][0] <= _PAIRED and then[0] > days[1]:
            return days[0], then[1]
    return days


_AND = re.compile(r"\s(?:and|&)\s+(?:on\s+)?$", re.I)
_PAIRED = 24
"""How far apart, in characters, two times joined by "and" may start: a time and its partner ("Monday and")."""


_SENTENCE_END = re.compile(r"[.!?。！？؟][\"'”’»」)]*\s+")


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence the evidence stands in, within its line: a cheap cut at sentence ends."""
    first = text.rfind("\n", 0, start) + 1
    last = len(text) if (newline := text.find("\n", end)) < 0 else newline
    ends = [m.end() for m in _SENTENCE_END.finditer(text, first, last)]
    return max([first, *(e for e in ends if e <= start)]), min([last, *(e for e in ends if e >= end)])


def _told(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """The claim's sentence, and the one before it in its paragraph when the claim points back at the
    event that sentence tells ("Gunmen attacked three villages Monday. Witnesses say … in those attacks")."""
    start, end = _sentence(text, *span)
    line = text.rfind("\n", 0, start) + 1
    if start == line or not _POINTS_BACK.search(text[start:end]):
        return [(start, end)]
    before = len(text[line:start].rstrip())  # the sentence before ends here, within the line
    return [(start, end), _sentence(text, line + before - 1, line + before)]


def _lead(text: str, start: int, published: date, language: str) -> list[tuple[int, int]]:
    """The headline (a first line with no sentence end) and the first two paragraphs that end a sentence,
    from `start`: where a news article says when its main event happened. Bylines and datelines end no
    sentence and are left out; a dateline is never the headline either, since it dates the story, not
    the event. A line longer than any dateline is a paragraph even when its full stop was lost."""
    offset, kept, paragraphs = start, [], 0
    for number, line in enumerate(text[start:].split("\n")):
        ends = is_paragraph(line) if number > 0 else line.rstrip().endswith(ENDS)
        if ends or (number == 0 and _dateline(line, published, language) is None):
            kept.append((offset, offset + len(line)))
        offset += len(line) + 1
        paragraphs += ends
        if paragraphs == 2:
            break
    return kept


def _section(text: str, at: int, published: date, language: str) -> tuple[tuple[int, int], date]:
    """The story holding `at`, from its headline to the next story's, and the date it was published: the last
    dateline above `at`, else the whole article and its publication date."""
    lines = _datelines(text, published, language)
    above = [i for i, (start, _) in enumerate(lines) if start <= at]
    if not above:
        return (0, lines[0][0] if lines else len(text)), published
    start, day = lines[above[-1]]
    return (start, lines[above[-1] + 1][0] if above[-1] + 1 < len(lines) else len(text)), day


@lru_cache(maxsize=16)
def _datelines(text: str, published: date, language: str) -> tuple[tuple[int, date], ...]:
    """The article's datelines: short lines that end no sentence and hold a full date (with its year) on or
    before publication, each with where the section it opens starts (the headline and byline lines above
    it, back to the last paragraph that ends a sentence)."""
    found = []
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for number, line in enumerate(lines):
        day = _dateline(line, published, language)
        if day is not None:
            top = number
            while top > 0 and 0 < len(above := lines[top - 1].strip()) <= HEADLINE_MOST and not above.endswith(ENDS):
                top -= 1
            found.append((offsets[top], day))
    return tuple(found)


def _dateline(line: str, published: date, language: str) -> date | None:
    """The day a dateline gives ("Voice of America, 8 February 2012"): a short line that ends no sentence and
    holds a full date, with its year, on or before publication. None for any other line."""
    plain = line.strip()
    if not plain or is_paragraph(plain) or not _YEAR.search(plain):
        return None
    spans = _expressions(plain, published, language)
    return spans[0][2][0] if spans and spans[0][2][0] == spans[0][2][1] else None


_YEAR = re.compile(r"\b\d{4}\b")
"""A dateline names its year."""
