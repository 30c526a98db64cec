"""Open data of the fund (schemas and licence in docs/opendata/fund.md):

- decisions in SCDL « Subventions » v2.1.1, one row per accepted application: support days
  valued at the call's daily value are *aide en nature*, euros *aide en numéraire*;
  nothing about a person (the association is the beneficiary, the project text stays private);
- calls in Etalab « Dispositifs d'aides » v0.2.0, so that aid catalogues can list them.

Every cell goes through ``core.csvcells.safe_cell``.
"""

import csv
import io
import json
import uuid
from datetime import UTC, datetime, time
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ressourcerie.core import opendata
from ressourcerie.core.csvcells import safe_cell

from . import text
from .models import SupportFormat
from .selectors import call_pages
from .selectors import calls as call_selectors

LICENCE = opendata.LICENCE
SCDL_SCHEMA = "https://github.com/OpenDataFrance/subventions/raw/v2.1.1/schema.json"
AIDS_SCHEMA = (
    "https://github.com/etalab/schema-dispositif-aide/raw/v0.2.0/build/dispositif-aide/schema.json"
)

SCDL_FIELDS = [
    "idSubvention",
    "nomAttribuant",
    "idAttribuant",
    "nomServiceInstructeur",
    "idServiceInstructeur",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "exerciceBudgetaire",
    "pluriannualite",
    "anneesPluriannualite",
    "dateDecision",
    "dateConvention",
    "referenceDecision",
    "dateCreation",
    "dateDebut",
    "dateFin",
    "dispositif",
    "sousDispositif",
    "statutLabel",
    "objet",
    "nature",
    "montantDemande",
    "montant",
    "nomOutilInstruction",
    "nomOutilVersement",
    "ej",
    "cléVersement",
    "conditionsVersement",
    "descriptionConditionsVersement",
    "datesPeriodeVersement",
    "cofinancement",
    "attribuantsCofinanceurs",
    "idCofinancement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "evaluationCout",
    "evaluation",
    "dateMiseAJour",
]

AIDS_FIELDS = [
    "id",
    "titre",
    "promesse",
    "description",
    "eligibilite",
    "types_aides",
    "porteurs",
    "programmes_parents",
    "url_source",
    "cibles",
    "eligibilite_geographique",
    "eligibilite_geographique_exclusions",
    "date_ouverture",
    "date_cloture",
    "date_mise_a_jour",
]
AIDS_NAMESPACE = uuid.UUID("6f1c3f2e-5d0a-4f43-9a55-3c1b0e7b2a10")  # ours, fixed forever


def _number(value) -> str:
    """« 1234.5 » with a point, no trailing zeros, as the schemas ask."""
    value = Decimal(value).normalize()
    return format(value, "f")


def _local_date(moment, zone=None) -> str:
    return timezone.localtime(moment, zone).date().isoformat() if moment else ""


class _Texts:
    """The sentences of a decision row, written once per call and per (format, days): the
    export writes thousands of rows with a handful of different sentences."""

    def __init__(self):
        self.purposes, self.payments = {}, {}

    def purpose(self, support_format, days) -> str:
        key = (support_format, days)
        if key not in self.purposes:
            fmt = _("collectif") if support_format == SupportFormat.COLLECTIVE else _("individuel")
            text_ = _("Accompagnement %(format)s à la transition numérique de l'association") % {
                "format": fmt
            }
            if days:
                text_ += _(" : %(days)s jours") % {"days": text.days(days)}
            self.purposes[key] = text_[:256]
        return self.purposes[key]

    def payment(self, call) -> str:
        if call.pk not in self.payments:
            self.payments[call.pk] = (
                _(
                    "Jours d'accompagnement valorisés à %(value)s € la journée (aide en nature, "
                    "réalisés par des acteurs du numérique) ; montant en numéraire versé en une "
                    "fois."
                )
                % {"value": call.day_value_euros}
            )[:256]
        return self.payments[call.pk]


def decision_record(application, *, today: str, texts: _Texts | None = None, zone=None) -> dict:
    texts = texts or _Texts()
    call = application.call
    days = Decimal(application.days_granted or 0)
    euros = int(application.amount_granted or 0)
    in_kind = days * call.day_value_euros
    natures = []
    if euros:
        natures.append("aide en numéraire")
    if days:
        natures.append("aide en nature")
    decided = _local_date(application.decided_at, zone)
    organisation = application.organisation
    return {
        "idSubvention": application.reference,
        "nomAttribuant": settings.FUND_GRANTOR_NAME,
        "idAttribuant": settings.FUND_GRANTOR_SIRET,
        "nomServiceInstructeur": settings.FUND_GRANTOR_NAME,
        "idServiceInstructeur": settings.FUND_GRANTOR_SIRET,
        "nomBeneficiaire": organisation.name,
        "idBeneficiaire": organisation.siret,
        "rnaBeneficiaire": organisation.rna,
        "exerciceBudgetaire": decided[:4],
        "pluriannualite": "non",
        "anneesPluriannualite": "",
        "dateDecision": decided,
        # The decision letter is the agreement: no separate convention is signed.
        "dateConvention": decided,
        "referenceDecision": application.reference,
        "dateCreation": _local_date(application.submitted_at, zone),
        "dateDebut": "",
        "dateFin": "",
        "dispositif": call.title,
        "sousDispositif": "",
        "statutLabel": "attribuée",
        "objet": texts.purpose(application.support_format, days),
        "nature": ";".join(natures),
        "montantDemande": "",
        "montant": _number(euros + in_kind),
        "nomOutilInstruction": "",
        "nomOutilVersement": "",
        "ej": "",
        "cléVersement": "",
        "conditionsVersement": "unique",
        "descriptionConditionsVersement": texts.payment(call),
        "datesPeriodeVersement": decided,
        "cofinancement": "oui" if application.cofunding.strip() else "non",
        "attribuantsCofinanceurs": "",
        "idCofinancement": "",
        "idRAE": "",
        "notificationUE": "non",
        "pourcentageSubvention": "1",
        "evaluationCout": "",
        "evaluation": "",
        "dateMiseAJour": today,
    }


def decision_records():
    today = timezone.localdate().isoformat()
    texts, zone = _Texts(), timezone.get_current_timezone()
    for application in call_selectors.accepted_applications().iterator(chunk_size=500):
        yield decision_record(application, today=today, texts=texts, zone=zone)


def _csv(fields, records) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(fields)
    for record in records:
        writer.writerow([safe_cell(record[name]) for name in fields])
    return buffer.getvalue()


def decisions_csv() -> str:
    return _csv(SCDL_FIELDS, decision_records())


def _utc(day, at: time) -> str:
    moment = timezone.make_aware(datetime.combine(day, at))
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def call_uuid(call) -> str:
    """A stable identifier: the same call keeps the same id in every export."""
    return str(uuid.uuid5(AIDS_NAMESPACE, f"call:{call.pk}"))


def _geography(call) -> str:
    departments = list(call.departments.all())
    codes = [f"DEP-{d.code}" for d in departments if d.code.isdigit()]
    if not departments or len(codes) < len(departments):
        return f"REG-{settings.REGION_CODE}"
    return "|".join(codes)


def call_record(call, *, site_url: str) -> dict:
    siren = settings.FUND_GRANTOR_SIRET[:9]
    types = []
    if call.budget_days:
        types.append("accompagnement")
    if call.budget_euros:
        types.append("financement")
    return {
        "id": call_uuid(call),
        "titre": call.title,
        "promesse": call.summary[:180],
        "description": call.text[:5000],
        "eligibilite": " ".join(call_pages.rules_in_french(call)),
        "types_aides": "|".join(types) or "accompagnement",
        "porteurs": json.dumps(
            [
                {
                    "nom": settings.FUND_GRANTOR_NAME,
                    "siren": siren,
                    "roles": ["instructeur", "financeur"],
                }
            ],
            ensure_ascii=False,
        ),
        "programmes_parents": "",
        "url_source": site_url + call.get_absolute_url(),
        "cibles": "associations",
        "eligibilite_geographique": _geography(call),
        "eligibilite_geographique_exclusions": "",
        "date_ouverture": _utc(call.opens_on, time(0, 0)),
        "date_cloture": _utc(call.closes_on, time(23, 59, 59)),
        "date_mise_a_jour": call.updated_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def public_calls():
    return call_selectors.public_calls().prefetch_related(
        "departments", "priorities", "documents", "criteria"
    )


def calls_csv(site_url: str) -> str:
    return _csv(AIDS_FIELDS, (call_record(c, site_url=site_url) for c in public_calls()))
