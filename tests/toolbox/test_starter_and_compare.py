"""#18 items 7 and 10 and #19 item 4 on the toolbox: "Par où commencer ?" takes several needs
and keeps command-line tools away from beginners; the compare page takes typed names (no
select of every tool); criteria tables are stacked on narrow screens."""

import pytest

from ressourcerie.toolbox.models import Tool

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_catalogue")]


def _slugs(suggestions):
    return {tool.slug for tool, _reason in suggestions}


def test_starter_answers_several_needs_at_once(client):
    response = client.get("/outils/par-ou-commencer/", {"need": ["sauvegarde", "partage-fichiers"]})
    answers = response.context["answers"]
    assert [need.slug for need, _s in answers] == ["sauvegarde", "partage-fichiers"]
    assert all(suggestions for _need, suggestions in answers)
    page = response.content.decode()
    assert "Pour « " in page and page.count('type="checkbox"') > 10


def test_starter_keeps_command_line_tools_from_beginners(client):
    beginner = client.get("/outils/par-ou-commencer/", {"need": "sauvegarde"})
    ((_need, suggestions),) = beginner.context["answers"]
    for tool, _reason in suggestions:
        assert tool.difficulty != "avance", tool.slug
        assert "ligne de commande" not in (tool.pitch + tool.description), tool.slug
    assert "rclone" not in _slugs(suggestions)
    expert = client.get("/outils/par-ou-commencer/", {"need": "sauvegarde", "level": "avance"})
    ((_need, everything),) = expert.context["answers"]
    assert len(everything) >= len(suggestions)


def test_starter_refuses_more_than_five_needs(client):
    needs = ["sauvegarde", "partage-fichiers", "tableur-partage", "agenda-partage"]
    needs += ["visioconference", "comptabilite"]
    response = client.get("/outils/par-ou-commencer/", {"need": needs})
    assert "5 besoins au plus" in response.content.decode()
    assert response.context["answers"] == []


def test_compare_takes_typed_names_not_a_select_of_every_tool(client):
    page = client.get("/outils/comparer/").content.decode()
    assert "<option" not in page  # was one <option> per published tool
    assert page.count('name="outils"') == 4
    response = client.get("/outils/comparer/", {"outils": ["Nextcloud", "libre office", ""]})
    names = [tool.name for tool in response.context["compared"]]
    assert names == ["Nextcloud", Tool.objects.get(slug="libreoffice").name]


def test_compare_says_which_name_is_unknown_and_suggests(client):
    response = client.get("/outils/comparer/", {"outils": ["Nextcloud", "Nextclou"]})
    page = response.content.decode()
    assert "« Nextclou » n&#x27;est pas dans le catalogue" in page or "Nextclou" in page
    assert "Vouliez-vous dire" in page
    assert 'value="Nextclou"' in page  # what was typed is kept
    assert response.context["compared"] == []


def test_criteria_and_compare_tables_stack_on_narrow_screens(client):
    tool_page = client.get("/outils/nextcloud/").content.decode()
    assert 'class="criteria cards-narrow"' in tool_page
    compare = client.get("/outils/comparer/", {"outils": ["nextcloud", "cryptpad"]}).content
    assert b'class="compare cards-narrow"' in compare
    assert b'data-label="CryptPad"' in compare  # each value names its tool once stacked
