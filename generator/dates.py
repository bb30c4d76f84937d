"""Dates: front-matter values and dates in running text to aware datetimes, and display formats.

Running text is read with this module's own patterns rather than dateutil's fuzzy mode, which
turns stray numbers ("by 5") into dates; dateutil only backs up `parse_date` for odd layouts.
"""

from __future__ import annotations

import calendar
import email.utils
import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

from .report import BuildError

EXPECTED = "expected YYYY-MM-DD or ISO 8601"
# No front-matter date is longer; longer strings are prose and skip the slow fallback parser.
MAX_DATE_LENGTH = 64
FIRST_YEAR, LAST_YEAR = 1900, 2199  # dates read in running text; earlier or later ones are numbers
# A date outside these years is refused: below four digits the year prints differently on each
# platform, and near the end of the calendar a change of time zone overflows.
EARLIEST_YEAR, LATEST_YEAR = 1000, 9998
FUTURE_LIMIT = timedelta(days=366)  # a date further after the build time than this is a typo

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
MONTHS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}
MONTHS.update({name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, start=1)})
MONTHS["sept"] = 9
# Month names in the other languages clippings come in (French, German, Spanish), with the
# abbreviations their sites print; English abbreviations ("nov.") are read in them as well.
OTHER_MONTHS = {
    # French
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9,
    "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12, "déc": 12,
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "juni": 6, "juli": 7, "oktober": 10,
    "okt": 10, "dezember": 12, "dez": 12,
    # Spanish (sites print the names whole; "ago" or "set" would be read in English words)
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}
# Pieces of which each month name above that is not an English one holds one ("novembre" holds "embre")
OTHER_MONTH_STEMS = ("janv", "févr", "fevr", "mars", "avr", "mai", "juin", "juil", "août", "aout", "déc", "embre",
                     "obre", "ubre", "januar", "jänner", "februar", "märz", "maerz", "juni", "juli", "okt", "dez",
                     "enero", "febrero", "marzo", "abril", "mayo", "agosto")


def _fixed(hours: float, name: str) -> timezone:
    return timezone(timedelta(minutes=round(hours * 60)), name)


# Zone abbreviations printed after times on news sites. "ET", "CT", "MT" and "PT" follow
# daylight saving, so they map to the region's zone; the others are fixed offsets.
# Ambiguous abbreviations are pinned to their usual meaning in English-language news and
# documented here: IST is India (not Ireland or Israel), CST is US Central (China's time is
# printed as "Beijing time" or BJT), BST is British Summer Time, GST is Gulf Standard Time.
ZONES: dict[str, tzinfo] = {
    "UTC": timezone.utc, "GMT": timezone.utc, "Z": timezone.utc, "WET": _fixed(0, "WET"),
    "BST": _fixed(1, "BST"), "WEST": _fixed(1, "WEST"), "CET": _fixed(1, "CET"),
    "CEST": _fixed(2, "CEST"), "EET": _fixed(2, "EET"), "EEST": _fixed(3, "EEST"),
    "MSK": _fixed(3, "MSK"), "GST": _fixed(4, "GST"), "PKT": _fixed(5, "PKT"),
    "IST": _fixed(5.5, "IST"), "ICT": _fixed(7, "ICT"), "WIB": _fixed(7, "WIB"),
    "BJT": _fixed(8, "BJT"), "HKT": _fixed(8, "HKT"), "SGT": _fixed(8, "SGT"),
    "PHT": _fixed(8, "PHT"), "AWST": _fixed(8, "AWST"), "JST": _fixed(9, "JST"),
    "KST": _fixed(9, "KST"), "ACST": _fixed(9.5, "ACST"), "AEST": _fixed(10, "AEST"),
    "AEDT": _fixed(11, "AEDT"), "NZST": _fixed(12, "NZST"), "NZDT": _fixed(13, "NZDT"),
    "ET": ZoneInfo("America/New_York"), "EST": _fixed(-5, "EST"), "EDT": _fixed(-4, "EDT"),
    "CT": ZoneInfo("America/Chicago"), "CST": _fixed(-6, "CST"), "CDT": _fixed(-5, "CDT"),
    "MT": ZoneInfo("America/Denver"), "MST": _fixed(-7, "MST"), "MDT": _fixed(-6, "MDT"),
    "PT": ZoneInfo("America/Los_Angeles"), "PST": _fixed(-8, "PST"), "PDT": _fixed(-7, "PDT"),
    "AKST": _fixed(-9, "AKST"), "AKDT": _fixed(-8, "AKDT"), "HST": _fixed(-10, "HST"),
    "MEZ": _fixed(1, "MEZ"), "MESZ": _fixed(2, "MESZ"),  # German for CET and CEST
}
# Zones of the countries that write the month first (03/04/2026 is 4 March there); a numeric
# date followed by any other zone abbreviation is read day first (3 April).
MONTH_FIRST_ZONES = {"ET", "EST", "EDT", "CT", "CST", "CDT", "MT", "MST", "MDT", "PT", "PST", "PDT",
                     "AKST", "AKDT", "HST"}
NAMED_ZONES = {"beijing time": ZONES["BJT"], "hong kong time": ZONES["HKT"],
               "tokyo time": ZONES["JST"], "moscow time": ZONES["MSK"]}

_MONTH = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
          r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")
_WEEKDAY = (r"(?:(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\b\.?,?\s+)?")
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\b"
# Reuters' page runs the year into the time when copied: "November 24, 20252:05 PM GMT+8"
_YEAR = r"(?P<year>\d{4})(?:\b|(?=\d{1,2}:\d{2}(?!\d)))"
_ZONE_NAMES = "|".join(sorted(ZONES, key=len, reverse=True))
# Zones are matched case-sensitively so that "et al." or "pt" in prose are never zones.
_ZONE = (rf"(?P<zone>(?-i:(?:UTC|GMT)\s?[+-]\s?\d{{1,2}}(?::?\d{{2}})?|[+-]\d{{2}}:?\d{{2}}\b|"
         rf"\(?(?:{_ZONE_NAMES})\)?(?![A-Za-z]))|(?:beijing|hong kong|tokyo|moscow) time\b)")
_OTHER_MONTH = "(?P<month>" + "|".join(sorted({*OTHER_MONTHS, *MONTHS}, key=lambda name: (-len(name), name)))
_OTHER_MONTH += r")\b\.?"
# A month name of another language, not an English one: "novembre", "März", but not "November"
_OTHER_ONLY_MONTH = "(?:" + "|".join(sorted(OTHER_MONTHS.keys() - MONTHS.keys(), key=lambda name: (-len(name), name)))
_OTHER_ONLY_MONTH += r")\b"
# A time after a date in French, German or Spanish: "à 18h30", "18 h 30", ", 18:30 Uhr", "a las 18:30"
_OTHER_TIME = (rf"(?:\s*(?:,|à|a\s+las?|um|-|–|—|\|)?\s*(?P<hour>\d{{1,2}})\s*(?:(?P<sep>:)|h|"
               rf"\.(?=\d{{2}}\s*(?:uhr|h)\b))\s*(?P<minute>\d{{2}})(?!\d)(?:\s*(?:uhr|horas|h)\b\.?)?"
               rf"(?:\s*{_ZONE})?)?")
_TIME = (r"(?<![\d:.])(?P<hour>\d{1,2})(?:(?P<sep>[:.])(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?(?!\d)"
         r"\s*(?P<ampm>[ap]\.?\s?m\b\.?)?")

DATE_PATTERNS = (
    # "2026-03-03T09:12:00+01:00", "2026-03-03 09:12", "2026/03/03"
    re.compile(r"(?<![\d-])(?P<year>\d{4})(?P<dash>[-/])(?P<month>\d{1,2})(?P=dash)(?P<day>\d{1,2})"
               r"(?:(?:T|\s+)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?"
               rf"\s?(?P<zone>(?-i:[+-]\d{{2}}(?::?\d{{2}})?(?!\d)|(?:{_ZONE_NAMES})\b))?)?(?![\d-])",
               re.IGNORECASE),
    # "November 24th, 2025", "Tue March 3, 2026", "Mar. 3, 2026"
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s*{_DAY},?\s+{_YEAR}", re.IGNORECASE),
    # "3 March 2026", "Tuesday 3 March 2026", "Tue, 03 Mar 2026", "24th of November, 2025"
    re.compile(rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}", re.IGNORECASE),
    # "03/03/2026", "3.3.2026": numeric with the year last; see `numeric_month_day`
    re.compile(r"(?<![\d/.])(?P<first>\d{1,2})(?P<dash>[/.])(?P<second_>\d{1,2})(?P=dash)"
               r"(?P<year>\d{4})(?![\d/])"),
    # "11/24/25 5:32 PM ET": a two-digit year, trusted only with a time after it (see `_build`)
    re.compile(r"(?<![\d/.])(?P<first>\d{1,2})/(?P<second_>\d{1,2})/(?P<year>\d{2})(?![\d/.])"),
    # Chinese and Japanese: "2025年11月24日", "2025年11月24日 10:32", "2025年11月24日(月) 10時32分"
    re.compile(r"(?<!\d)(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
               r"(?:\s*[(（][^)）]{1,3}[)）])?(?:\s*(?P<hour>\d{1,2})\s*(?:(?P<sep>[:：])|[时時点])\s*"
               r"(?P<minute>\d{2})(?:\s*[:：]\s*(?P<second>\d{2}))?\s*分?)?"),
    # French, German, Spanish: "24 novembre 2025 à 18h30", "1er décembre 2025", "24. November 2025,
    # 18:30 Uhr", "24 de noviembre de 2025 a las 18:30": a dot after the day, or a month that is not
    # English ("24 November 2025" is the pattern above's). The day's digit comes first, so that the
    # pattern is looked for at digits only.
    re.compile(rf"(?P<day>\d(?<![\d.]\d)\d?)(?:\.\s*|(?:er)?\s*(?:de\s+)?(?={_OTHER_ONLY_MONTH}))"
               rf"{_OTHER_MONTH}\s*(?:del?\s+)?(?P<year>\d{{4}})\b{_OTHER_TIME}", re.IGNORECASE),
)
SHORT_YEAR, CJK_DATE, OTHER_LANGUAGE_DATE = 4, 5, 6  # the places of the three patterns above
# (after "à" and "um" too: "24 nov. 2025 à 18:30" is read by the English patterns)
TIME_AFTER = re.compile(rf"\s*(?:(?:,|\||@|·|•|/|-|–|—|at|à|um)\s*)?(?:,\s*)?{_TIME}(?:\s*{_ZONE})?",
                        re.IGNORECASE)
GLUED_TIME = re.compile(rf"(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})(?!\d)\s*(?P<ampm>[ap]\.?\s?m\b\.?)?(?:\s*{_ZONE})?",
                        re.IGNORECASE)
TIME_BEFORE = re.compile(rf"{_TIME}(?:\s*{_ZONE})?\s*(?:,|\||·|•|/|-|–|—|on)?\s*$", re.IGNORECASE)
PARTIAL_PATTERNS = (
    # "Nov. 24", "November 24th": not followed by a year
    re.compile(rf"\b{_MONTH}\s*{_DAY}(?!\s*,?\s*\d)(?![:.]\d)", re.IGNORECASE),
    # "24 November", "the 24th of November"
    re.compile(rf"(?<![\d.:/])\b{_DAY}\s+(?:of\s+)?{_MONTH}(?!\s*,?\s*\d)", re.IGNORECASE),
)
_COUNT = r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|several)"
_UNIT = r"(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|mos?|months?|y|yrs?|years?)"
_DAYNAME = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
RELATIVE = re.compile(
    rf"\b(?:{_COUNT}\s*{_UNIT}\s+ago|moments?\s+ago|just\s+now|yesterday|today|tonight|tomorrow|"
    rf"this\s+(?:morning|afternoon|evening|week)|(?:last|next|this|coming)\s+(?:night|week|month|"
    rf"year|{_DAYNAME})|{_DAYNAME}\s+(?:last|next))\b(?!['’]s\b)",  # "Today's Paper" names no date
    re.IGNORECASE)
ISO_SHAPE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
RFC_822_SHAPE = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")
FILE_NAME_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?=[-_.]|$)")
# Cheap exact tests that let most lines of prose skip the patterns above. Every full date needs a
# four-digit year (or slashes, for "11/24/25"), every date by name a month, every relative date
# one of RELATIVE_WORDS; and the only characters outside ASCII that an ignore-case pattern takes
# for an ASCII letter are the four in ASCII_FOLDS (tests/test_dates_speed_equivalence.py checks
# every code point).
YEAR_DIGITS = re.compile(r"\d{4}")
DIGIT = re.compile(r"\d")
MONTH_PREFIXES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# A German date puts a dot after the day: "24. November 2025"
DAY_DOT = re.compile(r"\d\.\s*[^\W\d_]")
RELATIVE_WORDS = ("ago", "now", "yesterday", "today", "tonight", "tomorrow", "this", "last", "next", "coming")
ASCII_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
# Two defaults that differ in every field: a field dateutil filled in differs between them.
PROBE_DEFAULTS = (datetime(2001, 1, 1), datetime(2002, 2, 2))


class DateError(BuildError, ValueError):
    """A value that is not a date; the message says what was found and what was expected."""

    def __init__(self, value: object, reason: str = ""):
        shown = repr(value.strip() if isinstance(value, str) else value)
        if len(shown) > 60:  # a whole paragraph in a date field: the start says enough
            shown = shown[:59] + "…"
        detail = f"{reason}; {EXPECTED}" if reason else EXPECTED
        super().__init__(f"date {shown} is not a date ({detail})")
        self.value = value
        self.reason = reason


class _UnknownZone(Exception):
    """Raised inside dateutil's zone callback for a zone name not in ZONES."""


def parse_date(value: object, tz: tzinfo) -> datetime:
    """Return a front-matter date value as an aware datetime; naive values are in `tz`."""
    moment = _parse_date(value, tz)
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise DateError(value, f"year {moment.year} is out of range")
    return moment


def suspicious(moment: datetime, build_time: datetime) -> str | None:
    """Return why a date that parsed is probably a typo (before 1900, or more than a year after the
    build), or None; such a date is kept as written, with a warning."""
    if moment.year < FIRST_YEAR:
        return f"date {iso(moment.date())} is before {FIRST_YEAR} (check the year)"
    try:
        too_late = moment > build_time + FUTURE_LIMIT
    except OverflowError:  # a build time at the very end of the calendar
        too_late = False
    if too_late:
        return (f"date {iso(moment.date())} is more than a year after the build time, "
                f"{iso(build_time.date())} (check the year)")
    return None


def no_later_than_build(moment: datetime, build_time: datetime) -> datetime:
    """Return a last-change date (a feed's, articles.json's, a sitemap entry's) capped at the build time:
    content dated after the build, a typo or a scheduled post, must not date the site in the future."""
    return min(moment, build_time)


def _parse_date(value: object, tz: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=tz)
    if not isinstance(value, str):
        raise DateError(value)
    text = value.strip()
    if not text or len(text) > MAX_DATE_LENGTH or _relative(text):
        raise DateError(value)
    if ISO_SHAPE.match(text):
        return _parse_iso(text, value, tz)
    if RFC_822_SHAPE.match(text):
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
        if parsed is not None:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    found = _whole_date(text, tz)
    if found is not None:
        return found
    numeric = DATE_PATTERNS[3].fullmatch(text.rstrip("."))
    if numeric and numeric_month_day(int(numeric["first"]), int(numeric["second_"]), None) is None:
        raise DateError(value, "day and month could be either way round")
    return _parse_with_dateutil(text, value, tz)


def _parse_iso(text: str, value: str, tz: tzinfo) -> datetime:
    found = _whole_date(text, tz)
    if found is not None:
        return found
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1) if " " in text else text)
    except ValueError as exc:
        reason = str(exc)
        zone = re.search(r"\s([A-Za-z]{1,5})$", text)
        if zone and zone[1].upper() not in ZONES:
            reason = f"unknown time zone '{zone[1]}'"
        raise DateError(value, reason if "range" in reason or "must be" in reason or "zone" in reason
                        else "") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _zone_for_dateutil(name: str | None, offset: int | None) -> tzinfo | None:
    if name and name.upper() in ZONES:
        return ZONES[name.upper()]
    if name and offset is None:
        raise _UnknownZone(name)
    if offset is not None:
        return timezone(timedelta(seconds=offset))
    return None


def _parse_with_dateutil(text: str, value: str, tz: tzinfo) -> datetime:
    """Return what dateutil reads in `text`, refusing anything it had to fill in from a default."""
    results = []
    for default in PROBE_DEFAULTS:
        try:
            results.append(dateutil_parser.parse(text, default=default, tzinfos=_zone_for_dateutil))
        except _UnknownZone as exc:
            raise DateError(value, f"unknown time zone '{exc}'") from None
        except (ValueError, OverflowError, TypeError, IndexError):
            # dateutil's errors say little a reader could act on; ours names the expected form
            raise DateError(value) from None
    first, second = results
    if first.year != second.year:
        raise DateError(value, "no year")
    if (first.month, first.day) != (second.month, second.day):
        raise DateError(value, "no month or day" if first.month != second.month else "no day")
    if not FIRST_YEAR <= first.year <= LAST_YEAR:
        raise DateError(value, f"year {first.year} is out of range")
    return first if first.tzinfo else first.replace(tzinfo=tz)


def numeric_month_day(first: int, second: int, dayfirst: bool | None) -> tuple[int, int] | None:
    """Return (month, day) of a numeric date such as 03/04/2026, or None when it is ambiguous.

    "13/03/2026" can only be 13 March and "03/13/2026" only 13 March; "03/03/2026" reads the
    same both ways. "03/04/2026" is 3 April in Europe and 4 March in the US, so it is refused
    unless the caller knows the site's convention (`dayfirst`): a wrong date is worse than none.
    """
    if first > 12 and second <= 12:
        return second, first
    if second > 12 and first <= 12:
        return first, second
    if first == second or dayfirst is not None:
        return (second, first) if dayfirst else (first, second)
    return None


def _zone(name: str | None) -> tzinfo | None:
    if not name:
        return None
    name = name.strip().strip("()")
    if name.lower() in NAMED_ZONES:
        return NAMED_ZONES[name.lower()]
    if name in ZONES:
        return ZONES[name]
    offset = re.fullmatch(r"(?:UTC|GMT)?\s?([+-])\s?(\d{1,2}):?(\d{2})?", name)
    if offset:
        sign = -1 if offset[1] == "-" else 1
        hours, minutes = int(offset[2]), int(offset[3] or 0)
        if hours <= 14 and minutes < 60:
            return timezone(sign * timedelta(hours=hours, minutes=minutes))
    return None


def _clock(match: re.Match) -> tuple[int, int, int, tzinfo | None] | None:
    """Return (hour, minute, second, zone) of a time match, or None when it is no time of day."""
    groups = match.groupdict()
    hour, minute = int(groups["hour"]), groups["minute"]
    ampm = (groups.get("ampm") or "").replace(".", "").replace(" ", "").lower()
    zone = _zone(groups.get("zone"))
    # A bare number or "12.50" after a date is a quantity, not a time: a time needs a colon,
    # or a dot together with am/pm or a zone (the Guardian's "09.12 GMT").
    if minute is None and not ampm:
        return None
    if groups.get("sep") == "." and not (ampm or zone):
        return None
    minute = int(minute or 0)
    second = int(groups.get("second") or 0)
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second, zone


def _month_day(match: re.Match, dayfirst: bool | None) -> tuple[int, int] | None:
    groups = match.groupdict()
    if groups.get("first") is not None:
        return numeric_month_day(int(groups["first"]), int(groups["second_"]), dayfirst)
    month = groups["month"]
    name = month.lower().rstrip(".")
    number = int(month) if month.isdigit() else MONTHS.get(name, OTHER_MONTHS.get(name))
    return (number, int(groups["day"])) if number else None


def _build(match: re.Match, text: str, tz: tzinfo, dayfirst: bool | None
           ) -> tuple[datetime, int, int] | None:
    """Return the datetime a date match names with any time around it, and the span it covers."""
    year = int(match["year"])
    short_year = len(match["year"]) == 2
    if short_year:
        year += 2000  # "11/24/25": a clipping from this century
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    start, end = match.span()
    clock, zone_name = None, ""
    if match.groupdict().get("hour"):
        clock = _clock(match)
        if clock is None:
            return None
    else:
        after = (GLUED_TIME if text[end:end + 1].isdigit() else TIME_AFTER).match(text, end)
        before = TIME_BEFORE.search(text, max(0, start - 40), start)
        if after and (clock := _clock(after)):
            end, zone_name = after.end(), after["zone"] or ""
        elif before and (clock := _clock(before)):
            start, zone_name = before.start(), before["zone"] or ""
    if short_year and clock is None:
        return None  # "1/2/25" alone is as likely a score or a fraction as a date
    if dayfirst is None and zone_name.strip("()").isalpha():
        dayfirst = zone_name.strip("()") not in MONTH_FIRST_ZONES
    month_day = _month_day(match, dayfirst)
    if month_day is None:
        return None
    hour, minute, second, zone = clock or (0, 0, 0, None)
    try:
        moment = datetime(year, month_day[0], month_day[1], hour, minute, second)
    except ValueError:
        return None
    return moment.replace(tzinfo=zone or tz), start, end


def _folded(text: str) -> str:
    """Return `text` lowercased so that each word an ignore-case pattern matches in it is a substring."""
    return (text if text.isascii() else text.translate(ASCII_FOLDS)).lower()


def _names_month(folded: str) -> bool:
    return any(prefix in folded for prefix in MONTH_PREFIXES)


def may_hold(text: str, words: tuple[str, ...]) -> bool:
    """Return whether an ignore-case pattern could find one of `words` (lower-case ASCII) in `text`:
    False means that no pattern needing one of them matches anywhere in it."""
    return any(map(_folded(text).__contains__, words))  # map and any test them in C


def _relative(text: str) -> re.Match | None:
    """Return RELATIVE's first match in `text`, skipping the slow pattern when no word it needs is there."""
    if not may_hold(text, RELATIVE_WORDS):
        return None
    return RELATIVE.search(text)


def _date_patterns(text: str) -> list[tuple[int, re.Pattern]]:
    """Return (index, pattern) of the DATE_PATTERNS that can match somewhere in `text`."""
    slash = "/" in text
    if not YEAR_DIGITS.search(text):
        return [(SHORT_YEAR, DATE_PATTERNS[SHORT_YEAR])] if slash else []
    folded = _folded(text)
    named = _names_month(folded)
    return [(index, pattern) for index, pattern in enumerate(DATE_PATTERNS)
            if (index == 0 and ("-" in text or slash)) or (index in (1, 2) and named)
            or (index == 3 and (slash or "." in text)) or (index == SHORT_YEAR and slash)
            or (index == CJK_DATE and "年" in text)
            or (index == OTHER_LANGUAGE_DATE and (any(map(folded.__contains__, OTHER_MONTH_STEMS))
                                                  or (named and DAY_DOT.search(text) is not None)))]


def _dates_in(text: str, tz: tzinfo, dayfirst: bool | None):
    """Yield (datetime, start, end) for each full date in `text`, in reading order."""
    candidates = sorted((match.start(), index, match)
                        for index, pattern in _date_patterns(text)
                        for match in pattern.finditer(text))
    for _, _, match in candidates:
        built = _build(match, text, tz, dayfirst)
        if built is not None:
            yield built


def _whole_date(text: str, tz: tzinfo) -> datetime | None:
    """Return the date when `text` is one date and nothing else (a trailing period aside)."""
    for moment, start, end in _dates_in(text, tz, None):
        if not text[:start].strip() and not text[end:].strip(" ."):
            return moment
    return None


def find_date_span(text: str, tz: tzinfo, *, dayfirst: bool | None = None
                   ) -> tuple[datetime, int, int] | None:
    """Return the first full date in free text and the span of text it covers, or None."""
    return next(_dates_in(text, tz, dayfirst), None)


def find_date(text: str, tz: tzinfo, *, dayfirst: bool | None = None) -> datetime | None:
    """Return the first full date (day, month and year) in free text, or None.

    A time after or before the date is read with its zone (see ZONES); without a zone the time
    is in `tz`. Relative dates ("2 hours ago") and dates without a year are never returned.
    Numeric dates that read both ways are refused unless `dayfirst` says which way.
    """
    found = find_date_span(text, tz, dayfirst=dayfirst)
    return found[0] if found else None


def find_partial_date(text: str) -> tuple[int, int] | None:
    """Return (month, day) of the first month and day named without a year ("on Nov. 24")."""
    if not DIGIT.search(text) or not _names_month(_folded(text)):
        return None  # both patterns need a day and a month
    candidates = sorted((match.start(), index, match)
                        for index, pattern in enumerate(PARTIAL_PATTERNS)
                        for match in pattern.finditer(text))
    for _, _, match in candidates:
        month_word = match["month"]
        # "may 5" in prose is a verb; news copy capitalises month names
        if not month_word[0].isupper():
            continue
        month, day = MONTHS[month_word.lower().rstrip(".")], int(match["day"])
        if 1 <= day <= calendar.monthrange(2024, month)[1]:  # 2024: a leap year allows 29 February
            return month, day
    return None


def find_relative_date(text: str) -> str | None:
    """Return the first relative date phrase in `text` ("2 hours ago", "yesterday"), or None."""
    match = _relative(text)
    return match.group(0) if match else None


def date_from_filename(name: str) -> date | None:
    """Return the date a Jekyll-style file name starts with (2025-11-24-slug.md), or None."""
    base = re.split(r"[/\\]", name)[-1]
    match = FILE_NAME_DATE.match(base)
    if not match:
        return None
    if not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        return None  # "0001-01-01-notes.md" is no Jekyll date
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def format_date(moment: date) -> str:
    """Return "24 November 2025", without the locale."""
    return f"{moment.day} {MONTH_NAMES[moment.month - 1]} {moment.year}"


def format_month(moment: date) -> str:
    """Return "November 2025", without the locale."""
    return f"{MONTH_NAMES[moment.month - 1]} {moment.year}"


def format_datetime(moment: datetime) -> str:
    """Return "24 November 2025, 07:05 UTC", without the locale."""
    zone = moment.tzname() or ""
    return f"{format_date(moment)}, {moment:%H:%M} {zone}".rstrip()


def iso(moment: date) -> str:
    """Return ISO 8601 text: "2025-11-24T07:05:00+00:00" for a datetime, "2025-11-24" for a date."""
    if isinstance(moment, datetime):
        return moment.isoformat(timespec="seconds")
    return moment.isoformat()
