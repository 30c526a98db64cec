"""The results as a PDF, drawn server-side with fpdf2 (pure Python, LGPL-3.0).

fpdf2's built-in Helvetica covers Latin-1 only (no font file to ship): the few characters
outside it that French text uses (’ œ … – €) are replaced by close equivalents.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

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
}


def latin1(text) -> str:
    text = "" if text is None else str(text)  # a score of 0 is printed "0", not blank
    for char, replacement in REPLACEMENTS.items():
        text = text.replace(char, replacement)
    return text.encode("latin-1", "replace").decode("latin-1")


class Report(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 8, latin1(f"{settings.SITE_NAME} - page {self.page_no()}"), align="C")


def render_report(context: dict) -> bytes:
    response = context["response"]
    pdf = Report(format="A4")
    pdf.set_title(latin1(_("Autodiagnostic numérique")))
    pdf.set_author(latin1(settings.SITE_NAME))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text, size=14):
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(width, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)

    def paragraph(text, style=""):
        pdf.set_font("Helvetica", style, 10)
        pdf.multi_cell(width, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")

    heading(_("Autodiagnostic numérique : vos résultats"), 18)
    date = timezone.localtime(response.completed_at).strftime("%d/%m/%Y")
    paragraph(
        _("Diagnostic du %(date)s (questionnaire version %(version)s).")
        % {"date": date, "version": response.questionnaire.version}
    )
    overall = context["scores"].overall
    heading(
        _("Score global : %(score)s sur 100") % {"score": overall if overall is not None else "-"}
    )

    heading(_("Score par thème"))
    has_before = context["previous"] is not None
    columns = [width * 0.55, width * 0.15] + ([width * 0.15, width * 0.15] if has_before else [])
    header = [_("Thème"), _("Score")] + ([_("Avant"), _("Évolution")] if has_before else [])
    pdf.set_font("Helvetica", "B", 10)
    for col, label in zip(columns, header, strict=True):
        pdf.cell(col, 7, latin1(label), border=1)
    pdf.ln()
    pdf.set_font("Helvetica", size=10)
    for row in context["rows"]:
        values = [row["name"], "-" if row["score"] is None else row["score"]]
        if has_before:
            values += [
                "-" if row["before"] is None else row["before"],
                "-" if row["delta"] is None else f"{row['delta']:+d}",
            ]
        for col, value in zip(columns, values, strict=True):
            pdf.cell(col, 7, latin1(value)[:70], border=1)
        pdf.ln()

    priorities = context["scores"].priorities
    strengths = context["scores"].strengths
    if strengths:
        heading(_("Vos points forts"))
        for axis in strengths:
            paragraph(f"- {axis.name} ({axis.score}/100)")
    if priorities:
        heading(_("Vos priorités"))
        for axis in priorities:
            paragraph(f"- {axis.name} ({axis.score}/100)")
    elif overall is not None:
        heading(_("Aucune priorité"))
        paragraph(
            _("Tous vos thèmes sont à %(threshold)s sur 100 ou plus.")
            % {"threshold": context["scores"].priority_below}
        )

    plan = context["plan"]
    if plan.actions:
        heading(_("Votre plan d'action"))
        for number, action in enumerate(plan.actions, start=1):
            pdf.ln(1)
            starter = _(" (pour commencer)") if action.starter else ""
            paragraph(f"{number}. {action.title}{starter}", "B")
            paragraph(_("Thème : %(axis)s") % {"axis": action.axis_name})
            if action.text:
                paragraph(action.text)
            effort = " ; ".join(
                x for x in (action.effort.time, action.effort.money, action.effort.skills) if x
            )
            if effort:
                paragraph(_("Effort : %(effort)s") % {"effort": effort})
            paragraph(action.why, "I")
            for item in action.resources:
                url = item.url if "://" in item.url else f"{settings.SITE_URL}{item.url}"
                paragraph(f"- {item.title}" + (f" : {url}" if item.url else ""))
    if plan.further:
        heading(_("Aller plus loin"))
        for group in plan.further:
            paragraph(group.name, "B")
            for action in group.actions:
                paragraph(f"- {action.title}")
                paragraph(action.why, "I")
    return bytes(pdf.output())
