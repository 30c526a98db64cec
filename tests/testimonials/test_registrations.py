"""The testimonials part feeds the newsletter and the diagnostic through their registries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ressourcerie.diagnostic import recommendations
from ressourcerie.newsletter import blocks


@pytest.fixture
def demo(db):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    call_command("load_testimonials_demo", verbosity=0)


def test_newsletter_block_lists_testimonials_published_in_the_period(demo):
    today = timezone.localdate()
    block = blocks.get("nouveaux-temoignages")
    assert block.topic == "temoignages"
    items = block.builder(today - timedelta(days=7), today, None)
    assert items and all(item.url.startswith("/temoignages/") for item in items)
    assert block.builder(today - timedelta(days=900), today - timedelta(days=800), None) == []


def test_diagnostic_provider_recommends_comparable_testimonials(demo):
    provider = recommendations.providers()["testimonial"]
    context = recommendations.Context(
        structure=None, scores=None, answers={}, department_code="44", sector="sport"
    )
    items = provider(None, context)
    assert items and all(i.url.startswith("/temoignages/") for i in items)


def test_actor_page_shows_the_testimonials_of_the_structure_behind_it(demo, client):
    from ressourcerie.directory.models import Place
    from ressourcerie.testimonials.selectors import published_testimonials

    testimonial = published_testimonials().filter(actors__isnull=False).first()
    structure = testimonial.actors.first()
    place = Place.objects.create(
        name="Point d'appui",
        slug="point-d-appui",
        latitude=47.2,
        longitude=-1.5,
        organisation=structure,
    )
    page = client.get(place.get_absolute_url()).content.decode()
    assert testimonial.title in page
