from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ressourcerie.accounts.models import User
from ressourcerie.accounts.tasks import purge_unconfirmed_accounts
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def test_accounts_never_confirmed_after_seven_days_are_deleted(capsys):
    stale = UserFactory(email_confirmed_at=None, date_joined=days_ago(8))
    organisation = OrganisationFactory(created_by=stale)
    recent = UserFactory(email_confirmed_at=None, date_joined=days_ago(6))
    confirmed = UserFactory(date_joined=days_ago(30))
    superuser = UserFactory(email_confirmed_at=None, is_superuser=True, date_joined=days_ago(30))
    call_command("purge_unconfirmed_accounts")
    assert "1 compte" in capsys.readouterr().out
    assert set(User.objects.values_list("pk", flat=True)) == {
        recent.pk,
        confirmed.pk,
        superuser.pk,
    }
    organisation.refresh_from_db()
    assert organisation.created_by is None


def test_purge_runs_as_a_task():
    UserFactory(email_confirmed_at=None, date_joined=days_ago(10))
    result = purge_unconfirmed_accounts.enqueue()
    assert result.return_value == 1
    assert not User.objects.exists()
