"""Tests for generator.dates: front-matter dates, dates in running text, display formats."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import dates
from generator.dates import (DateError, date_from_filename, find_date, find_partial_date,
                             find_relative_date, format_date, format_datetime, iso, parse_date)
from generator.report import BuildError

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")


def offset(hours: float) -> timezone:
    return timezone(timedelta(minutes=round(hours * 60)))


# --- parse_date ---------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("2025-11-24", datetime(2025, 11, 24, tzinfo=LONDON)),
    ("2025-11-24T23:03:34", datetime(2025, 11, 24, 23, 3, 34, tzinfo=LONDON)),
    ("2025-11-24T07:05:00Z", datetime(2025, 11, 24, 7, 5, tzinfo=UTC)),
    ("2026-03-03T09:12:00+01:00", datetime(2026, 3, 3, 9, 12, tzinfo=offset(1))),
    ("2025-11-24 07:05 +0100", datetime(2025, 11, 24, 7, 5, tzinfo=offset(1))),
    ("2025-11-24 07:05:09 -0500", datetime(2025, 11, 24, 7, 5, 9, tzinfo=offset(-5))),
    ("Tue, 03 Mar 2026 09:12:00 +0000", datetime(2026, 3, 3, 9, 12, tzinfo=UTC)),
    ("November 24, 2025", datetime(2025, 11, 24, tzinfo=LONDON)),
    ("24 Nov 2025 7:05pm", datetime(2025, 11, 24, 19, 5, tzinfo=LONDON)),
    ("  3 March 2026 09:12 GMT ", datetime(2026, 3, 3, 9, 12, tzinfo=UTC)),
    ("24-Nov-2025", datetime(2025, 11, 24, tzinfo=LONDON)),
])
def test_parse_date_reads_strings_in_iso_rfc_822_and_english_forms(value, expected):
    parsed = parse_date(value, LONDON)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


def test_parse_date_puts_a_naive_datetime_in_the_site_zone():
    assert parse_date(datetime(2025, 7, 1, 12, 0), LONDON) == datetime(2025, 7, 1, 12, 0, tzinfo=LONDON)
    assert parse_date(datetime(2025, 7, 1, 12, 0), LONDON).utcoffset() == timedelta(hours=1)


def test_parse_date_keeps_the_zone_of_an_aware_datetime():
    aware = datetime(2025, 7, 1, 12, 0, tzinfo=offset(9))
    assert parse_date(aware, LONDON).utcoffset() == timedelta(hours=9)


def test_parse_date_turns_a_date_into_midnight_in_the_site_zone():
    assert parse_date(date(2025, 11, 24), LONDON) == datetime(2025, 11, 24, tzinfo=LONDON)


@pytest.mark.parametrize("value, message", [
    ("2026-02-30", "date '2026-02-30' is not a date (day is out of range for month; "
                   "expected YYYY-MM-DD or ISO 8601)"),
    ("next tuesday", "date 'next tuesday' is not a date (expected YYYY-MM-DD or ISO 8601)"),
    ("2 hours ago", "date '2 hours ago' is not a date (expected YYYY-MM-DD or ISO 8601)"),
    ("November 24", "date 'November 24' is not a date (no year; expected YYYY-MM-DD or ISO 8601)"),
    ("03/04/2026", "date '03/04/2026' is not a date (day and month could be either way round; "
                   "expected YYYY-MM-DD or ISO 8601)"),
    ("2026-13-01", "date '2026-13-01' is not a date (month must be in 1..12; "
                   "expected YYYY-MM-DD or ISO 8601)"),
    ("2025-11-24 07:05 XYZ", "date '2025-11-24 07:05 XYZ' is not a date (unknown time zone 'XYZ'; "
                             "expected YYYY-MM-DD or ISO 8601)"),
    ("", "date '' is not a date (expected YYYY-MM-DD or ISO 8601)"),
    (True, "date True is not a date (expected YYYY-MM-DD or ISO 8601)"),
    (["2025-11-24"], "date ['2025-11-24'] is not a date (expected YYYY-MM-DD or ISO 8601)"),
    (20251124, "date 20251124 is not a date (expected YYYY-MM-DD or ISO 8601)"),
])
def test_parse_date_refuses_what_is_not_a_date_with_a_readable_message(value, message):
    with pytest.raises(DateError) as caught:
        parse_date(value, UTC)
    assert str(caught.value) == message


def test_date_error_is_a_value_error_and_a_build_error():
    with pytest.raises(DateError) as caught:
        parse_date("soon", UTC)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, BuildError)
    assert caught.value.value == "soon"


# --- find_date ----------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Published November 24th, 2025 - 07:05 GMT", datetime(2025, 11, 24, 7, 5, tzinfo=UTC)),
    ("3 March 2026 09:12 GMT", datetime(2026, 3, 3, 9, 12, tzinfo=UTC)),
    ("2026-03-03T09:12:00+01:00", datetime(2026, 3, 3, 9, 12, tzinfo=offset(1))),
    # ET follows daylight saving: 3 March is still winter time, July is summer time
    ("Mar. 3, 2026 9:12 a.m. ET", datetime(2026, 3, 3, 9, 12, tzinfo=offset(-5))),
    ("Jul. 3, 2026 9:12 p.m. ET", datetime(2026, 7, 3, 21, 12, tzinfo=offset(-4))),
    ("Tuesday 3 March 2026 09.12 GMT", datetime(2026, 3, 3, 9, 12, tzinfo=UTC)),
    ("03/03/2026", datetime(2026, 3, 3, tzinfo=LONDON)),
    ("24/11/2025", datetime(2025, 11, 24, tzinfo=LONDON)),
    ("11/24/2025", datetime(2025, 11, 24, tzinfo=LONDON)),
    ("Updated 10:05 AM EST, Tue March 3, 2026", datetime(2026, 3, 3, 10, 5, tzinfo=offset(-5))),
    ("07:05 GMT, 24 November 2025", datetime(2025, 11, 24, 7, 5, tzinfo=UTC)),
    ("Tue, 03 Mar 2026 09:12:00 +0000", datetime(2026, 3, 3, 9, 12, tzinfo=UTC)),
    ("November 24, 2025 10:47 PM GMT+8", datetime(2025, 11, 24, 22, 47, tzinfo=offset(8))),
    ("3 March 2026 09:12 BST", datetime(2026, 3, 3, 9, 12, tzinfo=offset(1))),
    ("3 March 2026 14:30 CEST", datetime(2026, 3, 3, 14, 30, tzinfo=offset(2))),
    ("3 March 2026 09:12 IST", datetime(2026, 3, 3, 9, 12, tzinfo=offset(5.5))),
    ("3 March 2026 09:12 JST", datetime(2026, 3, 3, 9, 12, tzinfo=offset(9))),
    ("Sept. 9, 2025 at 5 pm PT", datetime(2025, 9, 9, 17, 0, tzinfo=offset(-7))),
    ("the 24th of November, 2025", datetime(2025, 11, 24, tzinfo=LONDON)),
    ("3 March 2026 09:12", datetime(2026, 3, 3, 9, 12, tzinfo=LONDON)),
    # a time across a slash or a dot, and a two-digit year with a time
    ("Nov 24, 2025 / 05:32 PM EST", datetime(2025, 11, 24, 17, 32, tzinfo=offset(-5))),
    ("5:32 PM · Nov 24, 2025", datetime(2025, 11, 24, 17, 32, tzinfo=LONDON)),
    ("5:32 PM • 24 November 2025", datetime(2025, 11, 24, 17, 32, tzinfo=LONDON)),
    # The Hill prints a two-digit year; the zone says the month comes first
    ("11/24/25 5:32 PM ET", datetime(2025, 11, 24, 17, 32, tzinfo=offset(-5))),
    ("03/04/25 5:32 PM ET", datetime(2025, 3, 4, 17, 32, tzinfo=offset(-5))),
    ("24/11/25 17:32", datetime(2025, 11, 24, 17, 32, tzinfo=LONDON)),
    # Reuters' page runs the year into the time when it is copied
    ("November 24, 20252:05 PM GMT+8", datetime(2025, 11, 24, 14, 5, tzinfo=offset(8))),
    ("24 Nov 202510:47", datetime(2025, 11, 24, 10, 47, tzinfo=LONDON)),
])
def test_find_date_reads_dates_as_news_sites_print_them(text, expected):
    found = find_date(text, LONDON)
    assert found == expected
    assert found.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("text, expected", [
    # Chinese and Japanese: year, month, day, and a time with a colon or 时/時 and 分
    ("2025年11月24日", datetime(2025, 11, 24, tzinfo=LONDON)),
    ("2025年11月24日 10:32 来源：新华网", datetime(2025, 11, 24, 10, 32, tzinfo=LONDON)),
    ("2025年11月25日08:15", datetime(2025, 11, 25, 8, 15, tzinfo=LONDON)),
    ("发布时间：2025年11月24日10时32分", datetime(2025, 11, 24, 10, 32, tzinfo=LONDON)),
    ("2025年11月25日(火) 9時15分", datetime(2025, 11, 25, 9, 15, tzinfo=LONDON)),
    ("２０２５年１１月２４日", datetime(2025, 11, 24, tzinfo=LONDON)),
    ("2025-11-24 10:32:15", datetime(2025, 11, 24, 10, 32, 15, tzinfo=LONDON)),
    # French, German, Spanish month names, with their ways of writing the time
    ("Publié le 24 novembre 2025 à 18h30", datetime(2025, 11, 24, 18, 30, tzinfo=LONDON)),
    ("Mis à jour le 1er décembre 2025 à 8 h 05", datetime(2025, 12, 1, 8, 5, tzinfo=LONDON)),
    ("lundi 24 nov. 2025 à 18:30", datetime(2025, 11, 24, 18, 30, tzinfo=LONDON)),
    ("Veröffentlicht am 24. November 2025, 18:30 Uhr", datetime(2025, 11, 24, 18, 30, tzinfo=LONDON)),
    ("Aktualisiert am 3. März 2026, 7.45 Uhr", datetime(2026, 3, 3, 7, 45, tzinfo=LONDON)),
    ("24. Dezember 2025 um 18:30 Uhr MEZ", datetime(2025, 12, 24, 18, 30, tzinfo=offset(1))),
    ("Publicado el 24 de noviembre de 2025 a las 18:30", datetime(2025, 11, 24, 18, 30, tzinfo=LONDON)),
    ("Actualizado el 2 de enero de 2026 - 09:15 CET", datetime(2026, 1, 2, 9, 15, tzinfo=offset(1))),
])
def test_find_date_reads_dates_in_chinese_japanese_french_german_and_spanish(text, expected):
    found = find_date(text, LONDON)
    assert found == expected
    assert found.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("text", [
    "11月24日", "2025年11月", "2025年13月24日", "24 novembre", "novembre 2025", "31 février 2026",
    "le 24 mars 2025 à 25h00", "Mars 2020 rover",
])
def test_find_date_refuses_partial_and_impossible_dates_in_other_languages(text):
    assert find_date(text, UTC) is None


@pytest.mark.parametrize("text", [
    "2 hours ago", "Updated yesterday at 5:30 pm", "last Tuesday", "just now",
    "November 24", "on Nov. 24, two months after", "April 2026",
    "By 5, the talks were over", "2026-02-30", "31 April 2026", "",
])
def test_find_date_never_trusts_relative_partial_or_impossible_dates(text):
    assert find_date(text, UTC) is None


def test_find_date_refuses_a_numeric_date_that_reads_both_ways():
    assert find_date("03/04/2026", UTC) is None


def test_find_date_reads_an_ambiguous_numeric_date_as_told():
    assert find_date("03/04/2026", UTC, dayfirst=True) == datetime(2026, 4, 3, tzinfo=UTC)
    assert find_date("03/04/2026", UTC, dayfirst=False) == datetime(2026, 3, 4, tzinfo=UTC)


def test_find_date_takes_the_order_of_a_numeric_date_from_its_zone():
    assert find_date("03/04/2026 09:00 CET", UTC) == datetime(2026, 4, 3, 9, 0, tzinfo=offset(1))
    assert find_date("03/04/2026 9:00 AM EST", UTC) == datetime(2026, 3, 4, 9, 0, tzinfo=offset(-5))


def test_find_date_does_not_take_a_number_after_the_date_for_a_time():
    assert find_date("On March 3, 2026 12.50 percent fell", UTC) == datetime(2026, 3, 3, tzinfo=UTC)
    assert find_date("On March 3, 2026 12 people died", UTC) == datetime(2026, 3, 3, tzinfo=UTC)


def test_find_date_returns_the_first_date_in_the_text():
    text = "Posted 4 March 2026, about a meeting held on 3 March 2026"
    assert find_date(text, UTC) == datetime(2026, 3, 4, tzinfo=UTC)


def test_find_date_does_not_read_lower_case_zone_lookalikes():
    # "et" in "et al." is no Eastern Time
    assert find_date("3 March 2026 09:12 et al.", UTC) == datetime(2026, 3, 3, 9, 12, tzinfo=UTC)


# --- partial and relative dates -------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("spoke by phone on Nov. 24, two months after", (11, 24)),
    ("November 24", (11, 24)),
    ("BEIJING, Nov 24 (Reuters) - Chinese", (11, 24)),
    ("on the 24th of November", (11, 24)),
    ("since 3 March the talks", (3, 3)),
    ("on Feb. 29 in a leap year", (2, 29)),
])
def test_find_partial_date_reads_a_month_and_day_without_a_year(text, expected):
    assert find_partial_date(text) == expected


@pytest.mark.parametrize("text", [
    "Nov. 24, 2025", "24 November 2025", "it may 5 times over", "Feb 30", "Mar-a-Lago",
    "no date here", "March 2026",
])
def test_find_partial_date_ignores_full_dates_verbs_and_impossible_days(text):
    assert find_partial_date(text) is None


@pytest.mark.parametrize("text, phrase", [
    ("Updated 3 hours ago", "3 hours ago"), ("2h ago", "2h ago"), ("yesterday", "yesterday"),
    ("Published last Tuesday", "last Tuesday"), ("a few minutes ago", None),
])
def test_find_relative_date_names_the_relative_phrase(text, phrase):
    if phrase is None:
        assert find_relative_date(text) is not None
    else:
        assert find_relative_date(text) == phrase


def test_find_relative_date_is_none_for_an_absolute_date():
    assert find_relative_date("24 November 2025") is None


@pytest.mark.parametrize("text", ["Today’s Paper", "Today's paper", "yesterday's talks", "Tomorrow’s World"])
def test_a_relative_word_with_a_possessive_names_no_date(text):
    assert find_relative_date(text) is None


# --- times beside dates, two-digit years ------------------------------------------------------


@pytest.mark.parametrize("text", [
    "11/24/25", "The score was 1/2/25 at half time", "03/04/25 17:32", "Rates rose 1/2/25 points",
])
def test_a_two_digit_year_without_a_time_or_with_an_ambiguous_day_is_no_date(text):
    assert find_date(text, UTC) is None


@pytest.mark.parametrize("text", ["November 24, 20252", "In 20252:05 the ship sailed", "Nov 24, 202512345"])
def test_a_year_runs_into_nothing_but_a_time(text):
    assert find_date(text, UTC) is None


# --- file names and formats ----------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("2025-11-24-trump-xi-call.md", date(2025, 11, 24)),
    ("content/news/2025-11-24-trump.markdown", date(2025, 11, 24)),
    ("2025-11-24.md", date(2025, 11, 24)),
    ("2025-13-24-bad-month.md", None),
    ("trump-xi-call.md", None),
    ("12025-11-24-x.md", None),
])
def test_date_from_filename_reads_a_jekyll_date_prefix(name, expected):
    assert date_from_filename(name) == expected


def test_format_date_and_datetime_need_no_locale():
    moment = datetime(2025, 11, 4, 7, 5, tzinfo=UTC)
    assert format_date(moment) == "4 November 2025"
    assert format_date(date(2026, 3, 3)) == "3 March 2026"
    assert format_datetime(moment) == "4 November 2025, 07:05 UTC"
    assert format_datetime(datetime(2026, 3, 3, 9, 12, tzinfo=dates.ZONES["EST"])) == "3 March 2026, 09:12 EST"


def test_iso_writes_seconds_and_the_offset():
    assert iso(datetime(2025, 11, 24, 7, 5, tzinfo=UTC)) == "2025-11-24T07:05:00+00:00"
    assert iso(datetime(2025, 11, 24, 7, 5, 1, 999, tzinfo=offset(-5))) == "2025-11-24T07:05:01-05:00"
    assert iso(date(2025, 11, 24)) == "2025-11-24"


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_finding_dates_in_any_text_never_raises(text):
    found = find_date(text, UTC)
    assert found is None or found.tzinfo is not None
    partial = find_partial_date(text)
    assert partial is None or (1 <= partial[0] <= 12 and 1 <= partial[1] <= 31)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), st.integers(), st.floats(), st.booleans(), st.none()))
def test_parse_date_raises_only_date_error(value):
    try:
        parsed = parse_date(value, UTC)
    except DateError:
        return
    assert parsed.tzinfo is not None


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)))
def test_iso_text_reads_back_as_the_same_moment(moment):
    aware = moment.replace(microsecond=0, tzinfo=UTC)
    assert parse_date(iso(aware), LONDON) == aware
