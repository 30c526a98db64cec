"""Hooks into the shared registries (navigation, staff and account pages, personal data) and
the sign-in signal, called from ``DiagnosticConfig.ready()``."""

from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _

from ressourcerie.core import navigation

from . import personal_data, recommendations  # noqa: F401 - registers the built-in provider
from .services import claim_session_response


def claim_at_sign_in(sender, request, user, **kwargs):
    claim_session_response(request=request, user=user)


def register_all():
    # Every way of signing in (password, e-mailed code, confirming the address) ends in
    # django.contrib.auth.login, which sends this signal.
    user_logged_in.connect(
        claim_at_sign_in, weak=False, dispatch_uid="diagnostic_claim_session_response"
    )
    navigation.register_part(
        navigation.Part(
            key="diagnostic",
            label=_("Autodiagnostic"),
            url_name="diagnostic:intro",
            description=_(
                "Faites le point sur le numérique de votre association en 15 minutes, "
                "et repartez avec des pistes concrètes."
            ),
            order=50,
            path_prefix="/autodiagnostic/",
        )
    )
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=_("Autodiagnostic"),
            url_name="diagnostic:dashboard",
            description=_(
                "Diagnostics par département et secteur, scores moyens, priorités, "
                "export des agrégats et versions du questionnaire."
            ),
            order=40,
        )
    )
    navigation.register_account_entry(
        navigation.AccountEntry(
            label=_("Mes diagnostics"),
            url_name="diagnostic:mine",
            description=_("Vos autodiagnostics passés et leur évolution."),
            order=30,
        )
    )
    navigation.register_account_entry(
        navigation.AccountEntry(
            label=_("Mon plan d'action"),
            url_name="diagnostic:my_plan",
            description=_(
                "Le plan d'action de votre association, à suivre ensemble : marquez ce qui "
                "est fait, en cours ou pas pour vous."
            ),
            order=31,
        )
    )
    personal_data.register()
