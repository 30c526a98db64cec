"""The attendance certificate as a PDF, drawn with fpdf2 as the diagnostic's report is
(its module is the diagnostic's own: parts share no code but through services/selectors).

fpdf2's built-in Helvetica covers Latin-1 only: the few characters outside it that French text
uses are replaced by close equivalents."""

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

REPLACEMENTS = {
    "’": "'",
    "“": '"',
    "”": '"',
    "…": "...",
    "–": "-",
    "—": "-",
    "œ": "oe",
    "Œ": "OE",
    "€": "EUR",
    "\u202f": " ",
}


def latin1(text) -> str:
    text = "" if text is None else str(text)
    for char, replacement in REPLACEMENTS.items():
        text = text.replace(char, replacement)
    return text.encode("latin-1", "replace").decode("latin-1")


def certificate(registration, sessions) -> bytes:
    event = registration.event
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(_("Attestation de présence")))
    pdf.set_author(latin1(settings.SITE_NAME))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text, size=11, style="", height=7):
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, height, latin1(text), new_x="LMARGIN", new_y="NEXT")

    line(_("Attestation de présence"), 20, "B", 12)
    pdf.ln(6)
    line(
        _("%(organiser)s atteste que %(name)s a participé à :")
        % {"organiser": event.organiser.name, "name": registration.display_name}
    )
    pdf.ln(2)
    line(f"{event.title} ({event.get_kind_display().lower()})", 14, "B")
    for session in sessions:
        start = timezone.localtime(session.starts_at)
        end = timezone.localtime(session.ends_at)
        line(f"- {formats.date_format(start, 'l j F Y')}, {start:%H:%M} - {end:%H:%M}")
    if registration.organisation_id:
        pdf.ln(2)
        line(_("Au titre de l'association %(name)s.") % {"name": registration.organisation.name})
    pdf.ln(8)
    line(
        _("Fait le %(date)s, sur %(site)s.")
        % {"date": formats.date_format(timezone.localdate(), "j F Y"), "site": settings.SITE_NAME},
        10,
    )
    return bytes(pdf.output())
