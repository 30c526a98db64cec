"""PDFs of the fund, drawn server-side with fpdf2 as the diagnostic's report is: the built-in
Helvetica (Latin-1, no font file to ship), the few characters outside it replaced.

``FundPDF`` (title, headings, paragraphs, label/value lines) is shared with the decision
letter of the instruction family; ``render_receipt`` is the récépissé of a deposit.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from . import text
from .models import ApplicationStatus

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
    "\u2009": " ",
    "\u00a0": " ",
}


def latin1(value) -> str:
    value = "" if value is None else str(value)
    for char, replacement in REPLACEMENTS.items():
        value = value.replace(char, replacement)
    return value.encode("latin-1", "replace").decode("latin-1")


def size_label(size: int) -> str:
    """« 340 Ko », « 2,4 Mo »."""
    if size < 1024 * 1024:
        return _("%(n)s Ko") % {"n": max(1, round(size / 1024))}
    return _("%(n)s Mo") % {"n": text.days(round(size / (1024 * 1024), 1))}


class FundPDF(FPDF):
    """An A4 page with the site's name in the footer and a few writing helpers."""

    def __init__(self, title: str):
        super().__init__(format="A4")
        self.set_title(latin1(title))
        self.set_author(latin1(settings.SITE_NAME))
        self.set_auto_page_break(auto=True, margin=15)
        self.add_page()
        self.text_width = self.w - self.l_margin - self.r_margin

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 8, latin1(f"{settings.SITE_NAME} - page {self.page_no()}"), align="C")

    def heading(self, value, size=14):
        self.ln(3)
        self.set_font("Helvetica", "B", size)
        self.multi_cell(self.text_width, 7, latin1(value), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", size=10)

    def paragraph(self, value, style=""):
        self.set_font("Helvetica", style, 10)
        self.multi_cell(self.text_width, 5, latin1(value), new_x="LMARGIN", new_y="NEXT")

    def line_item(self, label, value):
        self.set_font("Helvetica", "B", 10)
        self.multi_cell(self.text_width, 5, latin1(label), new_x="LMARGIN", new_y="NEXT")
        self.paragraph(value or "-")
        self.ln(1)

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def render_receipt(application) -> bytes:
    """The récépissé of a deposited dossier: reference, call, association, date and time of
    the (last) deposit, project, chosen actions, days, documents with their sizes."""
    pdf = FundPDF(_("Récépissé de dépôt — %(reference)s") % {"reference": application.reference})
    pdf.heading(_("Récépissé de dépôt d'un dossier"), 18)
    pdf.paragraph(settings.SITE_NAME + " - " + _("Fonds d'accompagnement"))
    deposit = (
        application.transitions.filter(to_status=ApplicationStatus.SUBMITTED)
        .order_by("-at", "-pk")
        .first()
    )
    deposited_at = timezone.localtime(deposit.at if deposit else application.submitted_at)
    pdf.ln(2)
    pdf.line_item(_("Numéro de dossier"), application.reference)
    pdf.line_item(_("Appel"), application.call.title)
    pdf.line_item(_("Association"), application.organisation.name)
    pdf.line_item(
        _("Déposé le"),
        _("%(date)s à %(time)s")
        % {"date": deposited_at.strftime("%d/%m/%Y"), "time": deposited_at.strftime("%H:%M")},
    )
    pdf.line_item(_("Accompagnement souhaité"), application.get_support_format_display())
    pdf.line_item(
        _("Jours souhaités"),
        text.days(application.days_requested) if application.days_requested else "-",
    )
    pdf.heading(_("Le projet"))
    pdf.paragraph(application.project)
    if application.cofunding:
        pdf.heading(_("Cofinancements"))
        pdf.paragraph(application.cofunding)
    chosen = set(application.action_keys)
    actions = [a for a in application.diagnostic_snapshot.get("actions", []) if a["key"] in chosen]
    pdf.heading(_("Actions du plan à accompagner"))
    for action in actions:
        pdf.paragraph(f"- {action['title']} ({action['axis_name']})")
    pdf.heading(_("Documents joints"))
    documents = list(application.documents.all())
    for document in documents:
        pdf.paragraph(f"- {document.original_name} ({size_label(document.size)})")
    if not documents:
        pdf.paragraph(_("Aucun document."))
    pdf.ln(4)
    pdf.paragraph(
        _(
            "Ce récépissé atteste le dépôt du dossier ; il ne préjuge pas de la décision du "
            "comité. Suivez le dossier sur %(url)s"
        )
        % {"url": settings.SITE_URL + application.get_absolute_url()},
        "I",
    )
    return pdf.output_bytes()
