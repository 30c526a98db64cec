"""core.params: query-string values that no form carries, read as typed values."""

import pytest
from django.http import QueryDict

from ressourcerie.core.params import int_param


@pytest.mark.parametrize(
    "raw, expected",
    [("12", 12), (" 7 ", 7), ("-3", -3), ("0", 0), ("123456789012345678", 123456789012345678)],
)
def test_reads_plain_integers(raw, expected):
    assert int_param(QueryDict(f"n={raw}"), "n") == expected


@pytest.mark.parametrize(
    "raw", ["", "abc", "1e3", "NaN", "inf", "1.5", "9" * 30, "é", "\u202e", "🦊", "٣"]
)
def test_anything_else_is_the_default(raw):
    query = QueryDict(mutable=True)
    query["n"] = raw
    assert int_param(query, "n", default=5) == 5


def test_absent_is_the_default_and_bounds_are_kept():
    assert int_param(QueryDict(""), "n") is None
    assert int_param(QueryDict("n=0"), "n", default=1, min_value=1) == 1
    assert int_param(QueryDict("n=101"), "n", default=1, max_value=100) == 1
    assert int_param(QueryDict("n=100"), "n", default=1, max_value=100) == 100
