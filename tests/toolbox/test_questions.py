"""As a new user would: real questions, phrased as people phrase them, find the right tool."""

import json
from pathlib import Path

import pytest

from ressourcerie.toolbox.selectors import ToolFilters, search_tools

QUESTIONS = json.loads((Path(__file__).parent / "questions.json").read_text())

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_catalogue")]


def test_there_are_twenty_varied_questions():
    assert len(QUESTIONS) >= 20


def test_at_least_18_of_20_questions_find_the_right_tool_in_the_top_5():
    misses = []
    for question in QUESTIONS:
        top = [t.slug for t in search_tools(question["q"], ToolFilters()).tools[:5]]
        if not set(top) & set(question["expect"]):
            misses.append(f"{question['q']!r}: got {top}, expected one of {question['expect']}")
    found = len(QUESTIONS) - len(misses)
    assert found >= len(QUESTIONS) * 0.9, "\n".join(misses)


def test_filters_narrow_the_answer():
    free_only = search_tools("visio", ToolFilters(free_software=True)).tools
    assert free_only and all(t.is_free_software for t in free_only)
    web = search_tools("visio", ToolFilters(platform="web")).tools
    assert all("web" in t.platform_list for t in web)


def test_alternative_to_a_product_lists_free_software_first():
    result = search_tools("alternative à Zoom", ToolFilters())
    assert [t.slug for t in result.replacing][:1] == ["zoom"]
    assert result.tools[0].is_free_software
    assert "zoom" not in [t.slug for t in result.tools]


def test_among_free_alternatives_the_easiest_to_take_up_comes_first():
    """Replacing Zoom, a volunteer wants a link to click before a server to install."""
    slugs = [t.slug for t in search_tools("alternative à Zoom", ToolFilters()).tools]
    assert slugs.index("jitsi-meet") < slugs.index("bigbluebutton") < slugs.index("galene")


def test_a_product_name_typed_as_two_words_comes_first():
    assert search_tools("libre office", ToolFilters()).tools[0].slug == "libreoffice"
    assert search_tools("next cloud", ToolFilters()).tools[0].slug == "nextcloud"
