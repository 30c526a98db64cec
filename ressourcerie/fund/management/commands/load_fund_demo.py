"""Demo data of the support fund (after load_demo and load_questionnaire): the demo
associations' diagnostics, a reviewer group with the demo reviewer, one open call and one
closed call whose applications went through the real services up to their decisions, so that
the open-data exports have rows. Idempotent: a second run changes nothing."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from ressourcerie.accounts.models import Membership, Role, User
from ressourcerie.core.models import Department, Organisation
from ressourcerie.core.models.organisations import OrganisationKind
from ressourcerie.diagnostic import selectors as diagnostic_selectors
from ressourcerie.diagnostic import services as diagnostic_services
from ressourcerie.fund import demo_cohort, demo_support
from ressourcerie.fund.models import (
    ApplicationStatus,
    Call,
    CallStatus,
    ReviewerGroup,
    SupportFormat,
)
from ressourcerie.fund.selectors import applications as application_selectors
from ressourcerie.fund.services import applications as application_services
from ressourcerie.fund.services import calls as call_services

DOMAIN = "demo.ressourcerie.local"
S = ApplicationStatus

GRID = [
    (
        "Pertinence du projet au regard du diagnostic",
        3,
        ["Sans lien", "Lien lointain", "Partiel", "Réel", "Fort", "Au cœur du plan d'action"],
    ),
    (
        "Capacité de l'association à s'en saisir",
        2,
        ["Aucune", "Très faible", "Faible", "Correcte", "Bonne", "Équipe prête et disponible"],
    ),
    (
        "Effet durable pour l'association",
        1,
        ["Nul", "Ponctuel", "Limité", "Réel", "Fort", "Durable"],
    ),
]

# (association slug, project, days requested, decision, days granted, euros granted, reason)
CLOSED_DOSSIERS = [
    (
        "theatre-des-tilleuls",
        "Passer notre billetterie et nos fichiers sur des outils libres, former les bénévoles.",
        "3",
        S.ACCEPTED,
        "3",
        1000,
        "",
    ),
    (
        "les-jardins-partages-de-la-sarthe",
        "Créer un site simple et une liste de diffusion pour nos jardins et les écoles.",
        "2",
        S.ACCEPTED_WITH_CONDITIONS,
        "2",
        0,
        "Associer la mairie du Mans au comité de pilotage du site.",
    ),
    (
        "les-crampons-nantais",
        "Changer toutes les tablettes du club.",
        "5",
        S.REFUSED,
        None,
        None,
        "Le fonds finance de l'accompagnement, pas l'achat de matériel : voyez les dons "
        "d'ordinateurs de la plateforme.",
    ),
]


@dataclass(frozen=True)
class DemoAnswer:
    """An answer as the diagnostic's ``save_answers`` reads it (its two attributes)."""

    option_ids: tuple = ()
    value: int | None = None


class Command(BaseCommand):
    help = (
        "Charge la démonstration du fonds d'accompagnement : un appel ouvert, un appel clos "
        "avec des décisions, un groupe d'instruction (après load_demo et load_questionnaire)."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        first_calls = Call.objects.filter(
            slug__in=["premiers-pas-numeriques-2026", "numerique-pour-tous-2027"]
        ).exists()
        collective = Call.objects.filter(slug=demo_cohort.CALL_SLUG).exists()
        if first_calls and collective:
            self.stdout.write("Démonstration du fonds déjà chargée.")
            return
        questionnaire = diagnostic_selectors.published_questionnaire()
        admin = User.objects.filter(email=f"admin@{DOMAIN}").first()
        if questionnaire is None or admin is None:
            raise CommandError("Lancez d'abord load_demo puis load_questionnaire.")
        if not first_calls:
            self._first_calls(questionnaire, admin)
        if not collective:
            self._collective(questionnaire, admin)

    def _first_calls(self, questionnaire, admin):
        self._group()
        members = {}
        dossiers = CLOSED_DOSSIERS + self._third_dossier()
        for index, (slug, *_rest) in enumerate(dossiers):
            organisation = Organisation.objects.get(slug=slug)
            members[slug] = self._member(organisation)
            self._diagnostic(questionnaire, organisation, members[slug], seed=index)
        closed = self._call(admin, closed=True)
        closed = call_services.transition_call(call=closed, to_status=CallStatus.OPEN, actor=admin)
        for slug, *decision in dossiers:
            organisation = Organisation.objects.get(slug=slug)
            self._decide(closed, organisation, members[slug], admin, *decision)
        self._close(closed, admin)
        opened = self._call(admin, closed=False)
        call_services.transition_call(call=opened, to_status=CallStatus.OPEN, actor=admin)
        self.stdout.write(
            demo_support.load(
                call=closed,
                admin=admin,
                domain=DOMAIN,
                retake=lambda organisation: self._diagnostic(
                    questionnaire, organisation, members[organisation.slug], seed=0, retake=True
                ),
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                "Fonds : un appel ouvert, un appel clos avec 2 dossiers acceptés et 1 refusé, "
                "un groupe d'instruction."
            )
        )

    def _collective(self, questionnaire, admin):
        """A closed collective call in Charente: five accepted dossiers sharing their plan's
        first actions (same diagnostic answers), then ``demo_cohort`` groups three."""
        organisations = demo_cohort.associations()
        call = self._call(admin, closed=True, collective=True)
        call = call_services.transition_call(call=call, to_status=CallStatus.OPEN, actor=admin)
        for organisation in organisations:
            member = self._member(organisation)
            self._diagnostic(questionnaire, organisation, member, seed=0)
            self._decide(
                call,
                organisation,
                member,
                admin,
                "Mettre en place des sauvegardes et des outils partagés, avec d'autres "
                "associations du département.",
                "3",
                S.ACCEPTED,
                "3",
                0,
                "",
                support_format=SupportFormat.COLLECTIVE,
            )
        self._close(call, admin)
        self.stdout.write(demo_cohort.load(call=call, admin=admin, domain=DOMAIN))

    def _decide(
        self,
        call,
        organisation,
        member,
        admin,
        project,
        wished,
        decision,
        days,
        euros,
        reason,
        *,
        support_format="",
    ):
        """One dossier from its start to the committee's decision, through the services."""
        application = application_services.start_application(
            call=call, organisation=organisation, actor=member
        )
        actions = [a["key"] for a in application.diagnostic_snapshot.get("actions", [])][:2]
        application.project = project
        application.action_keys = actions
        application.days_requested = Decimal(wished)
        application.checklist_ticked = list(call.checklist)
        if support_format:
            application.support_format = support_format
        application.save()
        application_services.transition_application(
            application=application, to_status=S.SUBMITTED, actor=member
        )
        application_services.transition_application(
            application=application, to_status=S.IN_REVIEW, actor=admin
        )
        application_services.transition_application(
            application=application,
            to_status=decision,
            actor=admin,
            reason=reason,
            days_granted=days,
            amount_granted=euros,
        )

    def _close(self, call, admin):
        call_services.transition_call(
            call=call, to_status=CallStatus.CLOSED, actor=admin, reason="Fin des dépôts."
        )
        today = timezone.localdate()
        Call.objects.filter(pk=call.pk).update(
            opens_on=today - timedelta(days=120), closes_on=today - timedelta(days=60)
        )

    def _group(self):
        group, _created = ReviewerGroup.objects.get_or_create(name="Pays de la Loire")
        group.departments.set(Department.objects.filter(code__in=["44", "49", "53", "72", "85"]))
        reviewer = User.objects.filter(email=f"relecture@{DOMAIN}").first()
        if reviewer is not None:
            group.members.add(reviewer)

    def _member(self, organisation):
        """A member able to apply for the association (the demo's own, or one made here)."""
        membership = (
            Membership.objects.filter(organisation=organisation, role=Role.MEMBER)
            .select_related("user")
            .first()
        )
        if membership is not None:
            return membership.user
        user, _created = User.objects.get_or_create(
            email=f"fonds-{organisation.slug}@{DOMAIN}",
            defaults={"display_name": organisation.name, "email_confirmed_at": timezone.now()},
        )
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, organisation=organisation, role=Role.MEMBER)
        return user

    def _third_dossier(self):
        """One more demo association accepted in the closed call (the supports' demo shows
        three stages), when the demo directory has one."""
        taken = [slug for slug, *_rest in CLOSED_DOSSIERS]
        other = (
            Organisation.objects.filter(kind=OrganisationKind.ASSOCIATION)
            .exclude(slug__in=taken)
            .order_by("pk")
            .first()
        )
        if other is None:
            return []
        return [
            (
                other.slug,
                "Mettre en place des sauvegardes et former deux bénévoles.",
                "2",
                S.ACCEPTED,
                "2",
                0,
                "",
            )
        ]

    def _diagnostic(self, questionnaire, organisation, user, *, seed: int, retake=False):
        """A completed diagnostic taken through the diagnostic's services: strong on some
        axes, weak on others, so that the plan has actions and priorities (``retake``: a new
        one, strong on every axis but one — after a support)."""
        response = application_selectors.latest_diagnostic(organisation)
        if not retake and not application_selectors.is_diagnostic_too_old(response):
            return
        structure = diagnostic_selectors.structure(questionnaire)
        response, _token = diagnostic_services.start_response(
            questionnaire=questionnaire, user=user, organisation=organisation
        )
        questions, answers = [], {}
        for index, axis in enumerate(structure.axes):
            high = (index + seed) % 3 == 0 or (retake and index > 0)
            for question in axis.questions:
                if question.condition_question_id is not None:
                    continue
                questions.append(question)
                if question.kind == "scale":
                    value = question.scale_max if high else question.scale_min
                    answers[question.id] = DemoAnswer(value=value)
                else:
                    known = [o for o in question.options if not o.is_unknown]
                    if known:
                        answers[question.id] = DemoAnswer(
                            option_ids=((known[0] if high else known[-1]).id,)
                        )
        diagnostic_services.save_answers(
            response=response, structure=structure, questions=questions, answers=answers
        )
        diagnostic_services.complete_response(response=response, structure=structure)

    def _call(self, admin, *, closed: bool, collective: bool = False) -> Call:
        today = timezone.localdate()
        if collective:
            data = {
                "title": "Ensemble en Charente 2026",
                "slug": demo_cohort.CALL_SLUG,
                "summary": "Un accompagnement collectif : des associations de Charente qui "
                "partagent les mêmes actions avancent ensemble.",
                "opens_on": today - timedelta(days=1),
                "closes_on": today,
                "budget_euros": 2000,
                "budget_days": Decimal("15"),
            }
        elif closed:
            data = {
                "title": "Premiers pas numériques 2026",
                "slug": "premiers-pas-numeriques-2026",
                "summary": "Le premier appel du fonds : des jours d'accompagnement pour démarrer.",
                "opens_on": today - timedelta(days=1),
                "closes_on": today,
                "budget_euros": 5000,
                "budget_days": Decimal("15"),
            }
        else:
            data = {
                "title": "Numérique pour tous 2027",
                "slug": "numerique-pour-tous-2027",
                "summary": "Un accompagnement individuel de 1 à 5 jours, à partir de votre "
                "autodiagnostic, priorité aux communes rurales.",
                "opens_on": today - timedelta(days=10),
                "closes_on": today + timedelta(days=50),
                "budget_euros": 10000,
                "budget_days": Decimal("20"),
            }
        data.update(
            text=(
                "## Pourquoi cet appel\n\nAider les associations de la région à avancer dans "
                "leur transition numérique, **à partir de leur autodiagnostic**.\n\n"
                "## Ce qui est financé\n\n- des jours d'accompagnement par un acteur du "
                "numérique de l'annuaire ;\n- un petit soutien financier pour un outil ou une "
                "formation.\n"
            ),
            day_value_euros=450,
            # The first call welcomed associations not verified yet (the third demo dossier).
            verified_only=not closed,
            individual_support=not collective,
            individual_max_days=Decimal("5"),
            collective_support=collective,
            # The collective call's groups: 2 to 3 associations (five dossiers, two groups).
            cohort_min=2 if collective else 4,
            cohort_max=3 if collective else 12,
            members_bands=[],
            budget_bands=[],
            sectors=[],
            checklist=["Nous avons lu le règlement de l'appel."],
        )
        return call_services.save_call(
            actor=admin,
            data=data,
            department_codes=["16"] if collective else [],
            priorities=[
                {"kind": "rural", "parameter": "3500", "label": "", "weight": 3},
                {"kind": "first", "parameter": "", "label": "", "weight": 2},
            ],
            documents=(
                []
                if closed
                else [{"label": "Statuts de l'association", "help_text": "", "required": True}]
            ),
            criteria=[
                {"title": title, "weight": weight, "levels": levels}
                for title, weight, levels in GRID
            ],
            removed={},
        )
