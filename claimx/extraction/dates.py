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

_SPEECH_TIME = re.compile(  # "said Monday", "told reporters by telephone Thursday", "told Al Mayadeen on Monday"
    r"\b(?i:said|says|told|tells|announced|stated|speaking|spoke|added|declared|statement)"
    r"(?:\s+(?:[A-Z][\w'’.-]*|(?i:reporters|journalists|the|a|an|by|telephone|phone|in|on|late|early|statement|"
    r"interview|news|press|conference|to)))*\s*$"
)
"""A time right after a verb of saying, its addressee or its medium dates the speaking, not the event."""
_CONNECTOR = re.compile(r"since|from|between|until|till|to|through|and", re.I)
_SINCE = re.compile(r"\b(?:since|from|between)\s+(?:(?:the|on|last)\s+)?$", re.I)
_UNTIL = re.compile(r"\b(?:until|till|to|through|and)\s+(?:(?:the|on|last)\s+)?$", re.I)
_DIGITS = re.compile(r"[\d.,:/-]+")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")
""""Thursday's attack": dateparser finds no date in a possessive, so the 's is blanked (same length)."""

Days = tuple[date, date]
_SUPPORTED = frozenset(default_loader.get_locale_map())
"""The languages dateparser reads; an article in another is read with English rules (digits, ISO dates)."""


@lru_cache(maxsize=16)
def _parser(language: str) -> DateDataParser:
    return DateDataParser(languages=[language], settings={"PREFER_DATES_FROM": "past"})


def _days(phrase: str, day: datetime, language: str, published: date) -> Days:
    """The days an expression covers: one day, or the week, month or year it names (up to publication)."""
    period = _parser(language).get_date_data(phrase).period or "day"
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


def _names_a_time(phrase: str, language: str) -> bool:
    """Whether the phrase's words, not only its digits, name a time: a month, a weekday, "yesterday", "last
    week". dateparser also reads counts ("about 13, 14") and clock times as dates; those name none. A lone
    lowercase month or year word ("may") is a verb or a noun, not a time."""
    words = _DIGITS.sub(" ", phrase).strip()
    if not words or (" " not in words and words.islower() and _parser(language).get_date_data(words).period != "day"):
        return bool(_ISO.fullmatch(phrase.strip()))
    candidates = [words, *(w for w in words.split() if len(w) > 3)]  # "am Montag": Montag names the day
    return any(_parser(language).get_date_data(w).date_obj is not None for w in candidates)


def _trimmed(phrase: str, language: str) -> str:
    """The phrase less trailing words that name no time: dateparser reads "Friday in an" as January (it takes
    "an" and "a" for Jan.), while "Friday" is a day. A word goes when it names no time alone, or is a short
    lowercase word, as long as the rest still names one."""
    words = phrase.split()
    while len(words) > 1:
        last = words[-1]
        noise = last.isalpha() and last.islower() and len(last) <= 2
        if (_parser(language).get_date_data(last).date_obj is not None and not noise) or (
            _parser(language).get_date_data(" ".join(words[:-1])).date_obj is None
        ):
            break
        words.pop()
    return " ".join(words)


def _expressions(text: str, published: date, language: str) -> list[tuple[int, str, Days]]:
    """Each time expression that can date the event: where it starts, the words before it, the days it
    covers. In the past, named in words, not the time of speaking."""
    base = datetime.combine(published, datetime.min.time())
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    found: list[tuple[int, str, Days]] = []
    cursor = 0
    plain = _POSSESSIVE.sub("  ", text)
    for found_phrase, found_day in search_dates(plain, languages=[language], settings=settings) or []:
        at = max(plain.find(found_phrase, cursor), 0)
        cursor = max(at, cursor)
        phrase = _trimmed(found_phrase, language)
        parsed = (
            found_day if phrase == found_phrase else dateparser.parse(phrase, languages=[language], settings=settings)
        )
        abbreviation = " " not in phrase and len(phrase) <= 3  # German "Die" reads as Di. (Dienstag)
        if parsed is None or abbreviation or not _names_a_time(phrase, language) or parsed.date() > published:
            continue
        if _SPEECH_TIME.search(plain[:at]):
            continue
        first = phrase.split()[0]
        lead = plain[:at] + (f"{first} " if _CONNECTOR.fullmatch(first) else "")  # dateparser's "since October 17"
        a_day = _parser(language).get_date_data(phrase).period == "day"
        # "Thursday's attack" in Thursday's paper is today's: a weekday is the last such day on or before it
        day = base if (published - parsed.date()).days == 7 and a_day else parsed
        found.append((at, lead, _days(phrase, day, language, published)))
    return found


def event_date(time_text: str | None, evidence: str, published: date | None, language: str | None = None) -> str | None:
    """The event's day or interval (ISO `a` or `a/b`) from the time expressions of the evidence: the one
    the model's `time_text` points at, else the first; "since X" opens an interval that runs to the "until"
    day, else to the publication date. None when the words settle nothing, or without a publication date."""
    if published is None:
        return None
    language = language if language in _SUPPORTED else "en"
    spans = _expressions(evidence, published, language)
    if not spans:
        return None
    since = next((days for _, lead, days in spans if _SINCE.search(lead)), None)
    if since is not None:
        until = next((days for _, lead, days in spans if _UNTIL.search(lead) and days[1] >= since[0]), None)
        start, end = since[0], until[1] if until else published
    else:
        stated = evidence.lower().find(time_text.lower()) if time_text else -1
        pointed = [days for at, _, days in spans if stated >= 0 and stated <= at < stated + len(time_text or "")]
        start, end = (pointed or [spans[0][2]])[0]
    return start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}"
