"""FuzzyDate keeps the precision it was written with and never invents a day."""

from __future__ import annotations

from datetime import date

import pytest
from explainer.facts.dates import FuzzyDate
from pydantic import BaseModel, ValidationError


@pytest.mark.parametrize(
    "text, precision, start, end, human",
    [
        ("2026-02-06", "day", date(2026, 2, 6), date(2026, 2, 6), "6 February 2026"),
        ("2026-02", "month", date(2026, 2, 1), date(2026, 2, 28), "February 2026"),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29), "February 2024"),
        ("2026", "year", date(2026, 1, 1), date(2026, 12, 31), "2026"),
        ("2024-02-29", "day", date(2024, 2, 29), date(2024, 2, 29), "29 February 2024"),
        ("1979-12-31", "day", date(1979, 12, 31), date(1979, 12, 31), "31 December 1979"),
    ],
)
def test_single_dates(text, precision, start, end, human):
    parsed = FuzzyDate.parse(text)
    assert parsed.precision == precision
    assert (parsed.start, parsed.end) == (start, end)
    assert parsed.human() == human
    assert str(parsed) == text


@pytest.mark.parametrize(
    "text, precision, start, end, human",
    [
        ("2025-06-13/2025-06-24", "day", date(2025, 6, 13), date(2025, 6, 24), "13–24 June 2025"),
        ("2025-06/2025-08", "month", date(2025, 6, 1), date(2025, 8, 31), "June–August 2025"),
        ("2025-12-30/2026-01-02", "day", date(2025, 12, 30), date(2026, 1, 2), "30 December 2025 – 2 January 2026"),
        ("2025-11/2026-02", "month", date(2025, 11, 1), date(2026, 2, 28), "November 2025 – February 2026"),
        ("1979/1981", "year", date(1979, 1, 1), date(1981, 12, 31), "1979 – 1981"),
        ("2025/2026-02", "year", date(2025, 1, 1), date(2026, 2, 28), "2025 – February 2026"),
        ("2026-01-15/2026-02", "month", date(2026, 1, 15), date(2026, 2, 28), "15 January 2026 – February 2026"),
        ("2026-02-06/2026-02-06", "day", date(2026, 2, 6), date(2026, 2, 6), "6 February 2026"),
    ],
)
def test_ranges(text, precision, start, end, human):
    parsed = FuzzyDate.parse(text)
    assert parsed.precision == precision
    assert (parsed.start, parsed.end) == (start, end)
    assert parsed.human() == human
    assert str(parsed) == text


def test_range_may_end_inside_a_coarser_start():
    # "some time in 2026, by 6 February at the latest": ends after the earliest start
    parsed = FuzzyDate.parse("2026/2026-02-06")
    assert (parsed.start, parsed.end) == (date(2026, 1, 1), date(2026, 2, 6))


@pytest.mark.parametrize(
    "text, message",
    [
        ("2026-02-30", "'2026-02-30' is not a real date: February 2026 has 28 days"),
        ("2025-02-29", "'2025-02-29' is not a real date: February 2025 has 28 days"),
        ("2026-04-31", "'2026-04-31' is not a real date: April 2026 has 30 days"),
        ("2026-02-00", "'2026-02-00' is not a real date: February 2026 has 28 days"),
        ("2026-13", "'2026-13' has no month 13"),
        ("2026-00-01", "'2026-00-01' has no month 00"),
        ("26-02-06", "'26-02-06' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2026-2-6", "'2026-2-6' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; did you mean '2026-02-06'?"),
        ("2026/02/06", "'2026/02/06' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; did you mean '2026-02-06'?"),
        (
            "6 February 2026",
            "'6 February 2026' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; did you mean '2026-02-06'?",
        ),
        ("", "'' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2026-02-06 ", "'2026-02-06 ' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
        (
            "2026-02-06T10:00",
            "'2026-02-06T10:00' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; did you mean '2026-02-06'?",
        ),
    ],
)
def test_bad_dates(text, message):
    with pytest.raises(ValueError) as caught:
        FuzzyDate.parse(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "text, message",
    [
        ("2026-02-10/2026-02-01", "range '2026-02-10/2026-02-01' ends before it starts"),
        ("2026-03/2026-02", "range '2026-03/2026-02' ends before it starts"),
        ("2026/2025", "range '2026/2025' ends before it starts"),
        ("2026/2025-12", "range '2026/2025-12' ends before it starts"),
        ("2026-02-06/", "'' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
        ("/2026-02-06", "'' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2026-02-06/2026-02-30", "'2026-02-30' is not a real date: February 2026 has 28 days"),
        ("2025/2026/2027", "'2026/2027' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_bad_ranges(text, message):
    with pytest.raises(ValueError) as caught:
        FuzzyDate.parse(text)
    assert str(caught.value) == message


@pytest.mark.parametrize("text", ["0000", "0000-01", "0000-01-01", "0000/2026"])
def test_year_zero_is_refused(text):
    # datetime.date has no year 0, so such a date has no `start`: parsing must refuse it,
    # not leave a date that crashes `as_of` and sorting later.
    with pytest.raises(ValueError, match="0000"):
        FuzzyDate.parse(text)


@pytest.mark.parametrize("value", [2026, 2026.0, None, ["2026"], date(2026, 2, 6)])
def test_non_text_is_refused(value):
    with pytest.raises(ValueError) as caught:
        FuzzyDate.parse(value)
    assert "must be written as text" in str(caught.value)


def test_sort_key_orders_by_first_then_last_possible_day():
    dates = [
        FuzzyDate.parse(t)
        for t in ["2026-02-06", "2026", "2026-02", "2025-12-31", "2026-02-01", "2026-02-01/2026-02-03"]
    ]
    ordered = [str(d) for d in sorted(dates, key=FuzzyDate.sort_key)]
    assert ordered == ["2025-12-31", "2026", "2026-02-01", "2026-02-01/2026-02-03", "2026-02", "2026-02-06"]


def test_equal_and_hashable():
    assert FuzzyDate.parse("2026-02") == FuzzyDate.parse("2026-02")
    assert FuzzyDate.parse("2026-02") != FuzzyDate.parse("2026-02-01")
    assert len({FuzzyDate.parse("2026"), FuzzyDate.parse("2026")}) == 1


class _Dated(BaseModel):
    when: FuzzyDate


def test_pydantic_field_parses_and_serialises():
    model = _Dated.model_validate({"when": "2025-06-13/2025-06-24"})
    assert model.when.precision == "day"
    assert model.model_dump(mode="json") == {"when": "2025-06-13/2025-06-24"}
    assert _Dated.model_validate({"when": model.when}).when is model.when


def test_pydantic_field_reports_the_reason():
    with pytest.raises(ValidationError) as caught:
        _Dated.model_validate({"when": "2026-02-30"})
    assert "February 2026 has 28 days" in str(caught.value)


def test_json_schema_pattern_matches_what_parses():
    import re

    pattern = re.compile(_Dated.model_json_schema()["properties"]["when"]["pattern"])
    for good in ["2026", "2026-02", "2026-02-06", "2025-06-13/2025-06-24", "2025/2026-02"]:
        assert pattern.match(good)
        FuzzyDate.parse(good)
    for bad in ["26", "2026-2", "2026-02-06/", "6 Feb 2026"]:
        assert not pattern.match(bad)


@pytest.mark.parametrize(
    "text, suggestion",
    [
        # issue 13: a date written the European way got no hint
        ("09/03/2026", "did you mean '2026-03-09' (9 March 2026) or '2026-09-03' (3 September 2026)?"),
        ("13/03/2026", "did you mean '2026-03-13'?"),
        ("03/13/2026", "did you mean '2026-03-13'?"),
        ("9.3.2026", "did you mean '2026-03-09' (9 March 2026) or '2026-09-03' (3 September 2026)?"),
        ("March 9, 2026", "did you mean '2026-03-09'?"),
        ("Feb 2026", "did you mean '2026-02'?"),
        ("3/2026", "did you mean '2026-03'?"),
        ("20260309", "did you mean '2026-03-09'?"),
    ],
)
def test_dates_written_another_way_get_the_iso_form_suggested(text, suggestion):
    with pytest.raises(ValueError) as caught:
        FuzzyDate.parse(text)
    assert str(caught.value) == f"'{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; {suggestion}"


@pytest.mark.parametrize("text", ["31/02/2026", "hello", "26-02-06", "99/99/2026"])
def test_no_suggestion_without_a_plain_reading(text):
    with pytest.raises(ValueError) as caught:
        FuzzyDate.parse(text)
    assert "did you mean" not in str(caught.value)
