"""Hooks of the support fund into the shared registries (navigation, e-mails, personal data,
newsletter), all registered here from ``FundConfig.ready()``."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ressourcerie.core import navigation
from ressourcerie.newsletter import blocks

from . import (
    emails,  # noqa: F401  (registers the e-mail purposes)
    personal_data,
    text,
)
from .selectors import calls as call_selectors


def register_all():
    """Each family adds its registrations here (navigation entries once its pages exist)."""
    navigation.register_part(
        navigation.Part(
            key="fund",
            label=gettext_lazy("Fonds d'accompagnement"),
            url_name="fund:call_list",
            description=gettext_lazy(
                "Des jours d'accompagnement et un soutien financier pour le numérique de "
                "votre association, à partir de son autodiagnostic."
            ),
            order=70,
            path_prefix="/fonds/",
        )
    )
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=gettext_lazy("Appels du fonds"),
            url_name="fund:staff_calls",
            description=gettext_lazy("Créer les appels, leur grille, les ouvrir et les clore."),
            order=50,
        )
    )
    # applying: the association's dossiers, and what the part holds about a person.
    navigation.register_account_entry(
        navigation.AccountEntry(
            label=gettext_lazy("Mes dossiers au fonds"),
            url_name="fund:my_applications",
            description=gettext_lazy(
                "Les dossiers de votre association au fonds d'accompagnement."
            ),
            order=50,
        )
    )
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=gettext_lazy("Dossiers du fonds"),
            url_name="fund:staff_applications",
            description=gettext_lazy(
                "Les dossiers déposés aux appels : filtres, instruction, exports."
            ),
            order=41,
        )
    )
    navigation.register_account_entry(
        navigation.AccountEntry(
            label=gettext_lazy("Mes dossiers à instruire"),
            url_name="fund:reviewer_home",
            description=gettext_lazy(
                "Pour les relecteurs du fonds : les dossiers confiés à votre groupe."
            ),
            order=61,
        )
    )
    # support (part 2): one list for the association's supports and the actor's.
    navigation.register_account_entry(
        navigation.AccountEntry(
            label=gettext_lazy("Mes accompagnements"),
            url_name="fund:actor_supports",
            description=gettext_lazy(
                "Les accompagnements du fonds : ceux que reçoit votre association, ceux que "
                "délivre votre structure d'accompagnement, leurs séances."
            ),
            order=62,
        )
    )
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=gettext_lazy("Accompagnements du fonds"),
            url_name="fund:staff_supports",
            description=gettext_lazy(
                "Attribuer les accompagnements aux acteurs, suivre les séances, les prestataires agréés."
            ),
            order=42,
        )
    )
    # support (part 2): the team's dashboard (cohorts are reached from it, per call).
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=gettext_lazy("Tableau de bord du fonds"),
            url_name="fund:support_dashboard",
            description=gettext_lazy(
                "Budget engagé et consommé, accompagnements, délais, progrès par axe, charge "
                "des acteurs ; groupes d'accompagnement collectif."
            ),
            order=52,
        )
    )
    personal_data.register()
    blocks.register(
        "appels-en-cours", gettext_lazy("Appels en cours"), "appels-a-projets", open_calls
    )


def open_calls(start, end, department):
    """Newsletter block: the calls open to applications (those of ``department`` when given)."""
    return [
        blocks.BlockItem(
            title=call.title,
            url=call.get_absolute_url(),
            text=_("%(summary)s Dépôts jusqu'au %(end)s ; %(euros)s € et %(days)s jours.")
            % {
                "summary": call.summary,
                "end": call.closes_on.strftime("%d/%m/%Y"),
                "euros": text.euros(call.budget_euros),
                "days": text.days(call.budget_days),
            },
        )
        for call in call_selectors.open_calls_for(department)
    ]
