"""#18 item 11: the toolbox's demo data gives every role something real to see: tools the
team verified, a proposal and a correction waiting in the moderation queue."""

import pytest
from django.core.management import CommandError, call_command

from ressourcerie.core.models import ModerationStatus, ModerationTransition
from ressourcerie.toolbox.models import Tool, ToolCorrection
from tests.factories import StaffFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_catalogue")]


def test_demo_needs_the_demo_accounts():
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_toolbox_demo", verbosity=0)


def test_demo_verifies_tools_and_queues_a_proposal_and_a_correction(client):
    author = UserFactory(email="asso@demo.ressourcerie.local")
    call_command("load_toolbox_demo", verbosity=0)
    call_command("load_toolbox_demo", verbosity=0)  # idempotent
    assert Tool.objects.filter(verified_on__isnull=False).count() >= 5
    (proposal,) = Tool.objects.filter(moderation_status=ModerationStatus.SUBMITTED)
    (correction,) = ToolCorrection.objects.filter(moderation_status=ModerationStatus.SUBMITTED)
    assert proposal.submitted_by == correction.submitted_by == author
    assert proposal.needs.exists()
    for obj in (proposal, correction):
        assert ModerationTransition.objects.filter(object_id=str(obj.pk)).exists()
    client.force_login(StaffFactory())
    queue = client.get("/gestion/moderation/").content.decode()
    assert proposal.name in queue
