"""The decision letter (PDF) of a decided dossier, drawn server-side with fpdf2 like the
diagnostic's report. Helvetica covers Latin-1 only: the few other characters French text
uses are replaced by close equivalents."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from . import text
from .models import Application, ApplicationStatus

REPLACEMENTS = {
    "’": "'",
    "‘": "'",
    "“": '"',
    "”": '"',
    "…": "...",
    "–": "-",
    "—": "-",
    "œ": "oe",
    "Œ": "OE",
    "€": "EUR",
    "\u202f": " ",
    "\u00a0": " ",
    "\u2009": " ",
}


def latin1(value) -> str:
    value = "" if value is None else str(value)
    for char, replacement in REPLACEMENTS.items():
        value = value.replace(char, replacement)
    return value.encode("latin-1", "replace").decode("latin-1")


def _decision_sentence(application: Application) -> str:
    status = application.status
    if status in (ApplicationStatus.ACCEPTED, ApplicationStatus.ACCEPTED_WITH_CONDITIONS):
        granted = []
        if application.days_granted:
            granted.append(
                _("%(days)s jours d'accompagnement") % {"days": text.days(application.days_granted)}
            )
        if application.amount_granted:
            granted.append(_("%(euros)s €") % {"euros": text.euros(application.amount_granted)})
        sentence = _("Le comité a retenu votre dossier et vous accorde : %(what)s.") % {
            "what": _(" et ").join(granted)
        }
        if status == ApplicationStatus.ACCEPTED_WITH_CONDITIONS:
            sentence += " " + _("Cet accord est donné sous les conditions suivantes :")
        return sentence
    if status == ApplicationStatus.REFUSED:
        return _("Le comité n'a pas retenu votre dossier, pour le motif suivant :")
    return _("Le comité a classé votre dossier sans suite, pour le motif suivant :")


def render_letter(application: Application) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(_("Décision du fonds d'accompagnement")))
    pdf.set_author(latin1(settings.SITE_NAME))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def paragraph(value, style="", size=11):
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    paragraph(settings.FUND_GRANTOR_NAME or settings.SITE_NAME, "B")
    decided = timezone.localtime(application.decided_at or timezone.now())
    paragraph(_("Le %(date)s") % {"date": decided.strftime("%d/%m/%Y")})
    paragraph(application.organisation.name, "B")
    paragraph(
        _("Objet : votre dossier %(reference)s à l'appel « %(call)s »")
        % {"reference": application.reference, "call": application.call.title},
        "B",
    )
    paragraph(_("Madame, Monsieur,"))
    paragraph(_decision_sentence(application))
    reason = application.conditions or application.decision_reason
    if reason:
        paragraph(reason, "I")
    paragraph(
        _(
            "Vous pouvez suivre votre dossier et échanger avec l'équipe du fonds depuis sa "
            "page : %(url)s"
        )
        % {"url": settings.SITE_URL + application.get_absolute_url()}
    )
    paragraph(_("Nous vous prions d'agréer nos salutations distinguées."))
    paragraph(_("L'équipe du fonds d'accompagnement"))
    return bytes(pdf.output())
