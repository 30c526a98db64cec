"""Build a small believable demo world. Local use only: passwords are documented in README."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from ressourcerie.accounts.models import Membership, Role, User

DEMO_PASSWORD = "demo-ressourcerie"  # noqa: S105 - documented, local demo only

DEMO_USERS = [
    ("admin@demo.ressourcerie.local", "Alex Admin", Role.ADMINISTRATOR, True),
    ("moderation@demo.ressourcerie.local", "Morgane Modération", Role.MODERATOR, True),
    ("relecture@demo.ressourcerie.local", "Rémi Relecteur", Role.REVIEWER, False),
]


class Command(BaseCommand):
    help = "Charge des données de démonstration (usage local uniquement)."

    @transaction.atomic
    def handle(self, *args, **options):
        now = timezone.now()
        for email, name, role, staff in DEMO_USERS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={"display_name": name, "email_confirmed_at": now, "is_staff": staff},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_superuser = role == Role.ADMINISTRATOR
                user.save()
            Membership.objects.get_or_create(user=user, organisation=None, role=role)
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
