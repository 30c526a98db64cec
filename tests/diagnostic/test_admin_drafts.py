"""Published and archived questionnaires cannot be changed through the admin, by any door."""

import copy
import re

import pytest
from django.contrib import admin
from django.test import RequestFactory

from ressourcerie.diagnostic import services
from ressourcerie.diagnostic.admin import AxisInline, OptionInline
from ressourcerie.diagnostic.models import (
    Axis,
    Option,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    RecommendationRule,
)
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

ADMIN = "/gestion/admin/diagnostic/"
REFUSED = "créez une nouvelle version pour le modifier"
OTHER_VERSION = "appartient à une autre version du questionnaire"
EMPTY_INLINE = {
    "TOTAL_FORMS": "0",
    "INITIAL_FORMS": "0",
    "MIN_NUM_FORMS": "0",
    "MAX_NUM_FORMS": "1000",
}


@pytest.fixture(autouse=True)
def _lenient_templates(settings):
    # Django's own admin templates rely on undefined variables rendering as "".
    templates = copy.deepcopy(settings.TEMPLATES)
    for engine in templates:
        engine["OPTIONS"]["string_if_invalid"] = ""
    settings.TEMPLATES = templates


@pytest.fixture
def superuser():
    return StaffFactory(is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def versions(small):
    """The published version 1 (or archived, see ``locked``) and a draft copy, version 2."""
    draft = services.duplicate_questionnaire(source=small)
    return small, draft


def _lock(questionnaire, status):
    Questionnaire.objects.filter(pk=questionnaire.pk).update(status=status)
    questionnaire.refresh_from_db()


def inline(prefix, forms=()):
    data = {f"{prefix}-{k}": v for k, v in EMPTY_INLINE.items()}
    data[f"{prefix}-TOTAL_FORMS"] = str(len(forms))
    for index, form in enumerate(forms):
        data.update({f"{prefix}-{index}-{k}": v for k, v in form.items()})
    return data


def question_post(axis, **extra):
    return {
        "axis": str(axis.pk),
        "key": "nouvelle",
        "text": "Une nouvelle question ?",
        "help_text": "",
        "kind": "single",
        "weight": "1",
        "required": "on",
        "order": "9",
        "scale_min": "1",
        "scale_max": "5",
        "scale_min_label": "",
        "scale_max_label": "",
        **inline("options", [{"order": "1", "key": "oui", "label": "Oui", "score": "100"}]),
        **extra,
    }


def rule_post(questionnaire, axis, **extra):
    return {
        "questionnaire": str(questionnaire.pk),
        "key": "nouvelle-regle",
        "trigger": "axis_below",
        "axis": str(axis.pk),
        "threshold": "50",
        "advice_title": "Un conseil",
        "order": "9",
        **extra,
    }


LOCKED = ["published", "archived"]


# --- questions ------------------------------------------------------------------------------
def test_question_add_form_offers_only_axes_of_drafts(admin_client, versions):
    published, draft = versions
    page = admin_client.get(f"{ADMIN}question/add/").content.decode()
    select = re.search(r'<select name="axis".*?</select>', page, re.S).group(0)
    for axis in draft.axes.all():
        assert f'value="{axis.pk}"' in select
    for axis in published.axes.all():
        assert f'value="{axis.pk}"' not in select


def test_question_can_be_added_to_a_draft(admin_client, versions):
    _published, draft = versions
    axis = draft.axes.first()
    answer = admin_client.post(f"{ADMIN}question/add/", question_post(axis))
    assert answer.status_code == 302, answer.content.decode()[:3000]
    question = Question.objects.get(axis=axis, key="nouvelle")
    assert list(question.options.values_list("key", flat=True)) == ["oui"]


@pytest.mark.parametrize("status", LOCKED)
def test_question_cannot_be_added_to_a_locked_version(admin_client, versions, status):
    locked, _draft = versions
    _lock(locked, status)
    axis = locked.axes.first()
    before = Question.objects.filter(axis__questionnaire=locked).count()
    answer = admin_client.post(f"{ADMIN}question/add/", question_post(axis))
    assert answer.status_code == 200
    assert REFUSED in answer.content.decode()
    assert Question.objects.filter(axis__questionnaire=locked).count() == before
    assert not Option.objects.filter(key="oui", question__key="nouvelle").exists()


@pytest.mark.parametrize("status", LOCKED)
def test_draft_question_cannot_be_moved_into_a_locked_version(admin_client, versions, status):
    locked, draft = versions
    _lock(locked, status)
    question = Question.objects.filter(axis__questionnaire=draft, kind="scale").first()
    target = locked.axes.first()
    data = question_post(target, key=question.key, kind="scale", **inline("options"))
    answer = admin_client.post(f"{ADMIN}question/{question.pk}/change/", data)
    assert answer.status_code == 200
    assert REFUSED in answer.content.decode()
    question.refresh_from_db()
    assert question.axis.questionnaire == draft


@pytest.mark.parametrize("status", LOCKED)
def test_options_cannot_be_added_to_a_locked_question(admin_client, versions, status):
    locked, _draft = versions
    _lock(locked, status)
    question = Question.objects.filter(axis__questionnaire=locked, kind="single").first()
    count = question.options.count()
    data = question_post(
        question.axis,
        key=question.key,
        **inline("options", [{"order": "9", "key": "ajout", "label": "Ajout", "score": "0"}]),
    )
    answer = admin_client.post(f"{ADMIN}question/{question.pk}/change/", data)
    assert answer.status_code == 403
    assert question.options.count() == count


def test_condition_must_stay_within_the_version(admin_client, versions):
    published, draft = versions
    axis = draft.axes.first()
    foreign = Question.objects.filter(axis__questionnaire=published).first()
    data = question_post(axis, condition_question=str(foreign.pk))
    answer = admin_client.post(f"{ADMIN}question/add/", data)
    assert answer.status_code == 200
    assert OTHER_VERSION in answer.content.decode()
    assert not Question.objects.filter(key="nouvelle").exists()


# --- recommendation rules -------------------------------------------------------------------
def test_rule_add_form_offers_only_drafts(admin_client, versions):
    published, draft = versions
    page = admin_client.get(f"{ADMIN}recommendationrule/add/").content.decode()
    assert f'<option value="{draft.pk}"' in page
    assert f'<option value="{published.pk}"' not in page


def test_rule_can_be_added_to_a_draft(admin_client, versions):
    _published, draft = versions
    answer = admin_client.post(
        f"{ADMIN}recommendationrule/add/", rule_post(draft, draft.axes.first())
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    assert draft.rules.filter(key="nouvelle-regle").exists()


@pytest.mark.parametrize("status", LOCKED)
def test_rule_cannot_be_added_to_a_locked_version(admin_client, versions, status):
    locked, _draft = versions
    _lock(locked, status)
    before = locked.rules.count()
    answer = admin_client.post(
        f"{ADMIN}recommendationrule/add/", rule_post(locked, locked.axes.first())
    )
    assert answer.status_code == 200
    assert REFUSED in answer.content.decode()
    assert locked.rules.count() == before


@pytest.mark.parametrize("status", LOCKED)
def test_draft_rule_cannot_be_moved_into_a_locked_version(admin_client, versions, status):
    locked, draft = versions
    _lock(locked, status)
    rule = draft.rules.filter(trigger="axis_below").first()
    data = rule_post(locked, locked.axes.first(), key=rule.key)
    answer = admin_client.post(f"{ADMIN}recommendationrule/{rule.pk}/change/", data)
    assert answer.status_code == 200
    assert REFUSED in answer.content.decode()
    rule.refresh_from_db()
    assert rule.questionnaire == draft


def test_rule_trigger_must_point_into_its_own_version(admin_client, versions):
    published, draft = versions
    answer = admin_client.post(
        f"{ADMIN}recommendationrule/add/", rule_post(draft, published.axes.first())
    )
    assert answer.status_code == 200
    assert OTHER_VERSION in answer.content.decode()
    question = Question.objects.filter(axis__questionnaire=draft, kind="single").first()
    wrong_option = Option.objects.filter(question__axis__questionnaire=draft).exclude(
        question=question
    )[0]
    data = rule_post(draft, draft.axes.first())
    data.update(
        trigger="answer_is", axis="", threshold="", question=question.pk, option=wrong_option.pk
    )
    answer = admin_client.post(f"{ADMIN}recommendationrule/add/", data)
    assert answer.status_code == 200
    assert "pas une réponse à cette question" in answer.content.decode()
    assert not RecommendationRule.objects.filter(key="nouvelle-regle").exists()


# --- the questionnaire itself and its axes ---------------------------------------------------
@pytest.mark.parametrize("status", LOCKED)
def test_axes_cannot_be_added_to_a_locked_version(admin_client, versions, status):
    locked, _draft = versions
    _lock(locked, status)
    count = locked.axes.count()
    data = {
        "version": str(locked.version),
        "title": locked.title,
        "introduction": "",
        **inline("axes", [{"order": "9", "key": "ajout", "name": "Ajout", "description": ""}]),
    }
    answer = admin_client.post(f"{ADMIN}questionnaire/{locked.pk}/change/", data)
    assert answer.status_code == 403
    assert locked.axes.count() == count
    assert not Axis.objects.filter(key="ajout").exists()


@pytest.mark.parametrize("status", LOCKED)
def test_inlines_refuse_add_change_delete_under_a_locked_version(versions, superuser, status):
    locked, draft = versions
    _lock(locked, status)
    request = RequestFactory().get("/")
    request.user = superuser
    axis_inline = AxisInline(Questionnaire, admin.site)
    option_inline = OptionInline(Question, admin.site)
    locked_question = Question.objects.filter(axis__questionnaire=locked).first()
    draft_question = Question.objects.filter(axis__questionnaire=draft).first()
    for permission in ("has_add_permission", "has_change_permission", "has_delete_permission"):
        assert not getattr(axis_inline, permission)(request, locked)
        assert not getattr(option_inline, permission)(request, locked_question)
        assert getattr(axis_inline, permission)(request, draft)
        assert getattr(option_inline, permission)(request, draft_question)
    # On an add page (no parent yet) the new parent is a draft.
    assert axis_inline.has_add_permission(request, None)


def test_a_questionnaire_added_in_the_admin_is_a_draft(admin_client, versions):
    data = {
        "version": "7",
        "title": "Essai",
        "introduction": "",
        "priority_below": "60",
        "strength_from": "70",
        "status": "published",
        **inline("axes", [{"order": "1", "key": "a", "name": "A", "description": ""}]),
    }
    answer = admin_client.post(f"{ADMIN}questionnaire/add/", data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    created = Questionnaire.objects.get(version=7)
    assert created.status == QuestionnaireStatus.DRAFT
    assert created.axes.count() == 1


@pytest.mark.parametrize("model", ["questionnaire", "question", "recommendationrule"])
def test_bulk_delete_spares_a_published_version(admin_client, versions, model):
    published, _draft = versions
    objects = {
        "questionnaire": Questionnaire.objects.filter(pk=published.pk),
        "question": Question.objects.filter(axis__questionnaire=published),
        "recommendationrule": RecommendationRule.objects.filter(questionnaire=published),
    }[model]
    ids = [str(pk) for pk in objects.values_list("pk", flat=True)]
    before = objects.count()
    admin_client.post(
        f"{ADMIN}{model}/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert objects.count() == before
