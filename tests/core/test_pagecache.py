"""Anonymous visitors' public pages from the shared cache (core/pagecache.py, issue #19 item 1):
served again while nothing changes, replaced at once when anything public changes (even by a
bulk ``update()``), never stored for or served to anyone who carries something personal."""

from datetime import date
from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.http import HttpResponse
from django.test import override_settings

from ressourcerie.core import pagecache
from ressourcerie.core.models import ContentVersion, ModerationStatus, Region
from ressourcerie.toolbox.models import Tool
from tests.factories import UserFactory
from tests.testimonials.factories import ToolFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def page_cache_on():
    with override_settings(PAGE_CACHE_SECONDS=600):
        yield


@pytest.fixture
def tool():
    return ToolFactory(slug="outil-a", name="Outil A", moderation_status=ModerationStatus.PUBLISHED)


def get(client, url="/outils/outil-a/"):
    return client.get(url)


def test_a_second_anonymous_visit_is_served_from_the_cache(client, tool):
    first, second = get(client), get(client)
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert b"Outil A" in second.content


@pytest.mark.django_db(transaction=True)
def test_a_committed_bulk_update_shows_at_once(client, tool):
    get(client)
    with transaction.atomic():
        Tool.objects.filter(pk=tool.pk).update(name="Outil renommé")
        assert get(client)["X-Page-Cache"] == "hit"  # not committed yet
    response = get(client)
    assert response["X-Page-Cache"] == "miss"
    assert b"Outil renomm" in response.content


def test_a_rolled_back_write_changes_nothing(client, tool, django_capture_on_commit_callbacks):
    get(client)
    version = pagecache.current_version()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Tool.objects.filter(pk=tool.pk).update(name="Jamais vu")
        raise RuntimeError
    assert callbacks == []
    assert pagecache.current_version() == version
    assert get(client)["X-Page-Cache"] == "hit"


def test_bookkeeping_writes_do_not_invalidate(client, tool, django_capture_on_commit_callbacks):
    get(client)
    version = pagecache.current_version()
    with django_capture_on_commit_callbacks(execute=True):
        store = SessionStore()  # the session table is bookkeeping
        store["x"] = 1
        store.save()
    assert pagecache.current_version() == version


def test_signed_in_visitors_neither_read_nor_fill_the_cache(client, tool):
    get(client)  # cached for anonymous visitors
    client.force_login(UserFactory())
    response = get(client)
    assert "X-Page-Cache" not in response
    client.logout()
    assert get(client)["X-Page-Cache"] == "hit"


def test_a_page_that_hands_out_a_csrf_token_is_never_stored(client):
    first = client.get("/lettre/")
    assert first.status_code == 200
    assert "csrftoken" in first.cookies
    assert "X-Page-Cache" not in first
    fresh = client.__class__()
    assert "X-Page-Cache" not in fresh.get("/lettre/")


def test_a_visitor_with_a_message_waiting_is_not_served_from_the_cache(client, tool):
    get(client)
    client.cookies["messages"] = "something-for-this-visitor"
    assert "X-Page-Cache" not in get(client)


def test_private_and_team_paths_are_never_cached(client):
    assert not pagecache._cacheable_request(mock.Mock(method="GET", path="/gestion/", COOKIES={}))
    assert not pagecache._cacheable_request(
        mock.Mock(method="GET", path="/api/v1/tools", COOKIES={})
    )
    assert not pagecache._cacheable_request(mock.Mock(method="POST", path="/outils/", COOKIES={}))


def test_no_store_answers_are_not_kept():
    response = mock.Mock(status_code=200, streaming=False, cookies={})
    response.get.return_value = "max-age=0, no-cache, no-store, must-revalidate, private"
    assert not pagecache._cacheable_response(response)


def test_the_local_date_is_part_of_the_key(client, tool):
    get(client)
    with mock.patch(
        "ressourcerie.core.pagecache.timezone.localdate", return_value=date(2030, 1, 2)
    ):
        assert get(client)["X-Page-Cache"] == "miss"


@override_settings(PAGE_CACHE_SECONDS=0)
def test_off_when_the_setting_is_zero(client, tool):
    get(client)
    assert "X-Page-Cache" not in get(client)


def test_a_view_may_ask_for_a_shorter_life():
    view = pagecache.lifetime(60)(lambda request: HttpResponse("ok"))
    assert pagecache._lifetime(view(None)) == 60
    assert pagecache._lifetime(HttpResponse("ok")) == 600


def test_an_expired_entry_is_not_served(client, tool):
    get(client)
    with mock.patch("ressourcerie.core.pagecache.time.time", return_value=9e12):
        assert get(client)["X-Page-Cache"] == "miss"


@pytest.mark.django_db(transaction=True)
def test_a_write_made_while_the_version_row_is_missing_is_kept(tool):
    """A flushed database (a transactional test's teardown, ``flush``) has no version row: the
    first write outside a transaction creates it and is itself kept (SQLite: the bump runs
    while the write's ``INSERT … RETURNING`` is still being stepped; a ``get_or_create``
    there rolled the write back)."""
    ContentVersion.objects.all().delete()
    region = Region.objects.create(code="99", name="Région de passage")
    assert Region.objects.filter(pk=region.pk).exists()
    assert ContentVersion.objects.filter(pk=1).exists()
    before = pagecache.current_version()
    Region.objects.filter(pk=region.pk).update(name="Région renommée")
    assert pagecache.current_version() != before
