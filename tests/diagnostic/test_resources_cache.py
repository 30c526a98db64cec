"""The plan's resources (#14 measure): every support code of a plan resolved by the directory
in two queries, and what the providers found shared between results pages only for one state
of the content (the page cache's content version): a new actor shows in the next plan, a
diagnostic's own answers leave the shared resources alone."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from ressourcerie.core import pagecache
from ressourcerie.core.models import Commune, Department, Region
from ressourcerie.diagnostic import engine, plan, recommendations, services
from ressourcerie.directory import selectors as directory
from ressourcerie.directory.registrations import support_near, support_near_many
from ressourcerie.toolbox.models import Tool
from tests.directory.factories import PlaceFactory
from tests.testimonials.factories import ToolFactory

from .test_plan import context_for, rules_of, worst_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def charente(db):
    region = Region.objects.create(code="75", name="Nouvelle-Aquitaine")
    department = Department.objects.create(code="16", name="Charente", region=region)
    for insee, name, population, lat, lon in (
        ("16015", "Angoulême", 41000, 45.6484, 0.1562),
        ("16102", "Cognac", 18000, 45.6958, -0.3287),
    ):
        Commune.objects.create(
            insee=insee,
            name=name,
            search_name=name.lower(),
            department=department,
            postal_codes=insee[:2] + "000",
            population=population,
            latitude=lat,
            longitude=lon,
        )
    return department


def _plan(seeded):
    structure = engine.build_structure(seeded)
    context = context_for(structure, worst_answers(structure))
    return plan.build_plan(rules_of(seeded), context)


def _support(built):
    return {r.title for a in built.actions for r in a.resources if r.kind == "support"}


@pytest.mark.django_db(transaction=True)
@override_settings(PAGE_CACHE_SECONDS=600)
def test_answers_leave_the_content_version_and_the_plans_resources_alone(seeded, charente):
    """A diagnostic's answers, scores and kept plan are read by no anonymous page
    (``pagecache.IGNORED_TABLES``): saving them keeps every cached page and the resources
    shared between plans; an edit of the catalogue still makes them stale."""
    PlaceFactory(name="Point d'appui numérique", association_support=",securite,")
    tool = ToolFactory(name="Outil du catalogue")
    structure = engine.build_structure(seeded)
    _plan(seeded)  # what the providers found is now shared under this version
    version = pagecache.current_version()
    response, _token = services.start_response(
        questionnaire=seeded, department=Department.objects.get(code="16")
    )
    services.save_answers(
        response=response,
        structure=structure,
        questions=list(structure.questions.values()),
        answers=worst_answers(structure),
    )
    services.complete_response(response=response, structure=structure)
    assert pagecache.current_version() == version
    context = context_for(structure, worst_answers(structure))
    assert ("support", "securite") in recommendations.remembered(context)
    Tool.objects.filter(pk=tool.pk).update(name="Outil renommé")  # committed at once
    assert pagecache.current_version() != version
    assert ("support", "securite") not in recommendations.remembered(context)


@pytest.mark.django_db(transaction=True)
@override_settings(
    PAGE_CACHE_SECONDS=600,
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
)
def test_a_new_actor_shows_in_the_next_plan_at_once(seeded, charente):
    PlaceFactory(name="Point d'appui numérique", association_support=",securite,")
    first = _plan(seeded)
    assert "Point d'appui numérique" in _support(first)
    assert _plan(seeded).actions[0].resources == first.actions[0].resources  # shared
    PlaceFactory(  # committed at once: the content version moves
        name="Atelier sécurité de Cognac",
        association_support=",securite,",
        latitude=45.6958,
        longitude=-0.3287,
        commune_name="Cognac",
    )
    assert "Atelier sécurité de Cognac" in _support(_plan(seeded))


@override_settings(PAGE_CACHE_SECONDS=0)
def test_without_the_page_cache_nothing_is_shared_between_plans(seeded, charente):
    first = _plan(seeded)
    PlaceFactory(name="Lieu apparu", association_support=",securite,")
    assert "Lieu apparu" not in _support(first)
    assert "Lieu apparu" in _support(_plan(seeded))


def test_every_support_code_of_a_plan_costs_two_queries(seeded, charente):
    for code in ("securite", "site_web", "materiel", "comptabilite", "formation_benevoles"):
        PlaceFactory(name=f"Lieu {code}", association_support=f",{code},")
    codes = ["securite", "site-web", "materiel", "comptabilite-gestion", "formation-benevoles"]
    context = context_for(engine.build_structure(seeded), {})
    with CaptureQueriesContext(connection) as captured:
        found = support_near_many(codes, context)
    assert len(captured.captured_queries) == 2
    assert found["comptabilite-gestion"][0].title == "Lieu comptabilite"
    assert found["site-web"][0].title == "Lieu site_web"


def test_the_batch_finds_what_near_finds_code_by_code(seeded, charente):
    far = {"latitude": 45.2, "longitude": 0.9, "commune_name": "Loin"}  # about 65 km away
    PlaceFactory(name="Sécurité proche", association_support=",securite,", latitude=45.66)
    PlaceFactory(name="Sécurité loin", association_support=",securite,", **far)
    PlaceFactory(name="Médiation", latitude=45.65)
    PlaceFactory(name="Médiation bis", latitude=45.70)
    PlaceFactory(name="Médiation ter", latitude=45.75)
    origin = directory.main_commune("16")
    found = directory.support_near_many("16", ["securite", "rgpd"])
    for code in ("securite", "rgpd"):
        expected = directory.near(
            latitude=origin.latitude,
            longitude=origin.longitude,
            filters=directory.Filters(support=code),
            radius_km=60,
            limit=3,
        )
        assert [p.pk for p in found.by_code.get(code, [])] == [p.pk for p in expected]
    nearest = directory.near(
        latitude=origin.latitude, longitude=origin.longitude, radius_km=30, limit=2
    )
    assert [p.pk for p in found.fallback] == [p.pk for p in nearest]
    assert "Sécurité loin" not in {p.name for p in found.by_code["securite"]}


def test_a_code_nobody_near_offers_falls_back_to_the_nearest_places(seeded, charente):
    PlaceFactory(name="Médiation du centre")

    class Rule:
        support_code = "rgpd"

    items = support_near(Rule(), context_for(engine.build_structure(seeded), {}))
    assert [i.title for i in items] == ["Médiation du centre"]
    assert "pas encore déclaré d'accompagnement" in items[0].text
