"""The team's call pages: create and edit a call with its repeated fieldsets (no JavaScript),
French errors that keep what was typed, state moves offered by the machine, refusals."""

from datetime import timedelta
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ressourcerie.accounts.models import Role
from ressourcerie.fund.models import (
    Call,
    CallStatus,
    PriorityCriterion,
    RequestedDocument,
    ReviewCriterion,
)
from tests.factories import MembershipFactory, StaffFactory, UserFactory

from .call_factories import association, department, make_call, member_of, tours

pytestmark = pytest.mark.django_db


def _management(prefix, rows):
    return {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "20",
        **{f"{prefix}-{i}-{k}": v for i, row in enumerate(rows) for k, v in row.items()},
    }


def call_post(**overrides):
    today = timezone.localdate()
    data = {
        "title": "Numérique et ruralité",
        "slug": "",
        "summary": "Pour les associations des petites communes.",
        "text": "## Pourquoi\n\nParce que.",
        "budget_euros": "10000",
        "budget_days": "20",
        "day_value_euros": "450",
        "opens_on": (today - timedelta(days=1)).strftime("%d/%m/%Y"),
        "closes_on": (today + timedelta(days=40)).strftime("%d/%m/%Y"),
        "department_codes": "37, 45",
        "members_bands": ["1-10", "11-50"],
        "verified_only": "on",
        "individual_support": "on",
        "individual_max_days": "5",
        "cohort_min": "4",
        "cohort_max": "12",
        "checklist_text": "Nous avons lu le règlement.\n\nNous sommes à jour de nos obligations.",
        **_management(
            "priorites",
            [
                {"kind": "rural", "parameter": "3500", "label": "", "weight": "3"},
                {"kind": "", "parameter": "", "label": "", "weight": ""},
            ],
        ),
        **_management(
            "documents",
            [{"label": "Statuts", "help_text": "La dernière version", "required": "on"}],
        ),
        **_management(
            "grille",
            [
                {
                    "title": "Pertinence",
                    "weight": "2",
                    "levels": "\n".join(f"Repère {i}" for i in range(6)),
                },
                {"title": "", "weight": ""},
            ],
        ),
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff(client):
    user = StaffFactory()
    client.force_login(user)
    return user


def test_staff_create_a_call_with_priorities_documents_checklist_and_grid(client, staff):
    department("37"), department("45")
    response = client.post(reverse("fund:staff_call_create"), call_post())
    call = Call.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("fund:staff_call_edit", args=[call.slug])
    assert call.slug == "numerique-et-ruralite"
    assert call.status == CallStatus.DRAFT
    assert sorted(d.code for d in call.departments.all()) == ["37", "45"]
    assert call.members_bands == ["1-10", "11-50"]
    assert call.checklist == [
        "Nous avons lu le règlement.",
        "Nous sommes à jour de nos obligations.",
    ]
    priority = PriorityCriterion.objects.get()
    assert (priority.kind, priority.parameter, priority.weight) == ("rural", "3500", 3)
    assert priority.label == "Association d'une commune de moins de 3\u202f500 habitants" or (
        "3" in priority.label and "500 habitants" in priority.label
    )
    assert RequestedDocument.objects.get().label == "Statuts"
    criterion = ReviewCriterion.objects.get()
    assert criterion.levels == [f"Repère {i}" for i in range(6)]
    page = unescape(client.get(response["Location"]).content.decode())
    assert page.count("L'appel est enregistré.") == 1


def test_errors_are_in_french_and_keep_what_was_typed(client, staff):
    department("37")
    data = call_post(closes_on="01/01/2020", department_codes="37, 99")
    data.update({"grille-0-title": "", "grille-0-weight": ""})
    response = client.post(reverse("fund:staff_call_create"), data)
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert "La clôture ne peut pas précéder l'ouverture." in page
    assert "La grille d'évaluation compte au moins un critère" in page
    assert 'value="Numérique et ruralité"' in page
    assert "Statuts" in page
    assert not Call.objects.exists()


def test_an_unknown_department_or_a_bad_priority_parameter_is_refused(client, staff):
    department("37")
    response = client.post(reverse("fund:staff_call_create"), call_post(department_codes="37, 99"))
    assert response.status_code == 400
    assert "Département inconnu : 99." in unescape(response.content.decode())
    department("45")
    response = client.post(
        reverse("fund:staff_call_create"), call_post(**{"priorites-0-parameter": "beaucoup"})
    )
    assert "indiquez N, par exemple 3500" in unescape(response.content.decode())
    assert not Call.objects.exists()


def test_editing_updates_rows_removes_blank_ones_and_ignores_foreign_ids(client, staff):
    call = make_call(status=CallStatus.DRAFT)
    other = make_call(slug="autre-appel", title="Autre")
    kept = call.criteria.get()
    foreign = other.criteria.get()
    data = call_post(title="Titre changé", slug=call.slug, department_codes="37")
    data.update(
        _management(
            "grille",
            [
                {"id": str(kept.pk), "title": "Pertinence revue", "weight": "4"},
                {"id": str(foreign.pk), "title": "Détourné", "weight": "1"},
            ],
        )
    )
    data.update(
        _management("priorites", [{"id": str(call.priorities.get().pk), "kind": "", "weight": ""}])
    )
    response = client.post(reverse("fund:staff_call_edit", args=[call.slug]), data)
    assert response.status_code == 302
    kept.refresh_from_db()
    foreign.refresh_from_db()
    assert (kept.title, kept.weight) == ("Pertinence revue", 4)
    assert foreign.title == "Pertinence du projet"  # another call's row is untouched
    assert call.criteria.count() == 2  # the foreign id became a new row of this call
    assert not call.priorities.exists()  # the emptied row was removed
    call.refresh_from_db()
    assert call.title == "Titre changé"


def test_the_page_offers_the_machine_moves_and_records_them(client, staff):
    call = make_call(status=CallStatus.DRAFT)
    page = unescape(client.get(reverse("fund:staff_call_edit", args=[call.slug])).content.decode())
    assert "Publier (à venir)" in page and "Ouvrir aux dépôts" in page
    assert "Clore" not in page
    url = reverse("fund:staff_call_transition", args=[call.slug])
    response = client.post(url, {"to_status": CallStatus.OPEN, "reason": "C'est parti"})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN
    record = call.transitions.get()
    assert (record.actor, record.reason) == (staff, "C'est parti")
    page = unescape(client.get(reverse("fund:staff_call_edit", args=[call.slug])).content.decode())
    assert "Clore" in page and "Publier (à venir)" not in page
    assert "C'est parti" in page


def test_a_refused_move_says_why_and_changes_nothing(client, staff):
    call = make_call(
        status=CallStatus.DRAFT,
        opens_on=timezone.localdate() + timedelta(days=5),
        closes_on=timezone.localdate() + timedelta(days=50),
    )
    url = reverse("fund:staff_call_transition", args=[call.slug])
    response = client.post(url, {"to_status": CallStatus.OPEN})
    assert response.status_code == 400
    assert "modifiez ses dates d'abord" in unescape(response.content.decode())
    response = client.post(url, {"to_status": CallStatus.ARCHIVED})
    assert response.status_code == 400
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT and not call.transitions.exists()


@pytest.mark.parametrize("who", ["anonymous", "member", "reviewer"])
def test_staff_pages_refuse_everyone_else(client, who):
    call = make_call(status=CallStatus.DRAFT)
    if who == "member":
        client.force_login(member_of(association(tours())))
    elif who == "reviewer":
        user = UserFactory()
        MembershipFactory(user=user, role=Role.REVIEWER, organisation=None)
        client.force_login(user)
    for url in (
        reverse("fund:staff_calls"),
        reverse("fund:staff_call_create"),
        reverse("fund:staff_call_edit", args=[call.slug]),
    ):
        response = client.get(url)
        assert response.status_code == (302 if who == "anonymous" else 403)
    response = client.post(
        reverse("fund:staff_call_transition", args=[call.slug]), {"to_status": "ouvert"}
    )
    assert response.status_code in (302, 403)
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT
    assert client.get(reverse("fund:call_detail", args=[call.slug])).status_code == 404


def test_the_staff_list_shows_each_call_with_its_budget_left(client, staff):
    make_call()
    page = unescape(client.get(reverse("fund:staff_calls")).content.decode())
    assert "Appel numérique 2027" in page and "10\u00a0000 € · 20 j" in page


def test_the_daily_command_opens_and_closes(capsys):
    call = make_call(status=CallStatus.PUBLISHED)
    call_command("open_and_close_calls")
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN
    assert "1 appel(s) changé(s) d'état." in capsys.readouterr().out
    assert call.transitions.get().actor is None


def test_grid_guidance_needs_one_line_per_score(client, staff):
    department("37"), department("45")
    data = call_post(**{"grille-0-levels": "Rien\nTout"})
    response = client.post(reverse("fund:staff_call_create"), data)
    assert response.status_code == 400
    assert "Écrivez six repères, un par ligne" in unescape(response.content.decode())
    assert not Call.objects.exists()
