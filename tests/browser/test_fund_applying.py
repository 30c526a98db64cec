"""Fonds d'accompagnement, the association's part of the issue's "Done when", in a browser with
JavaScript off: a member of a verified association with a completed diagnostic applies to an
open call without retyping the diagnostic, uploads a PDF, saves a draft, deposits, receives the
receipt e-mail and sees the dossier page. Only the setup (call, association, diagnostic on the
real questionnaire) goes through code.

(axe cannot run without JavaScript: these pages are checked by test_pages.)"""

import re

from django.core import mail

from ressourcerie.fund.models import Application, ApplicationStatus
from tests.fund.applying_setup import (
    applicant_world,
    pdf_bytes,
)


def _main(page) -> str:
    return page.locator("main").inner_text()


def test_fund_applying_journey_without_javascript(live_server, no_js_context, settings, tmp_path):
    settings.FUND_DOCUMENTS_DIR = tmp_path / "private"
    call, association, member = applicant_world()
    pdf = tmp_path / "budget-previsionnel.pdf"
    pdf.write_bytes(pdf_bytes())

    page = no_js_context(user=member).new_page()
    page.set_content("<title>off</title><script>document.title = 'on'</script>")
    assert page.title() == "off", "JavaScript is not disabled"

    # 1. The eligibility answer, then the draft, pre-filled from the diagnostic.
    # TODO(fund integration): start from the call page's button once fund:call_detail exists.
    page.goto(f"{live_server.url}/fonds/appels/{call.slug}/deposer/")
    assert "Éligible" in _main(page)
    page.get_by_role("button", name="Commencer le dossier").click()
    assert "/modifier/" in page.url, _main(page)
    assert _main(page).count("Votre brouillon est créé") == 1
    application = Application.objects.get()
    snapshot = application.diagnostic_snapshot
    scores = page.get_by_role("table", name="Scores par thème")
    assert snapshot["axes"][0]["name"] in scores.inner_text()
    assert "prioritaire" in scores.inner_text()
    first_action = snapshot["actions"][0]["title"]
    assert first_action in _main(page)  # shown, not retyped

    # 2. What the platform does not know, a PDF, and "Enregistrer le brouillon".
    page.get_by_label("Votre projet en quelques lignes").fill(
        "Passer nos outils au libre et former nos bénévoles."
    )
    page.get_by_role("checkbox", name=re.compile(re.escape(first_action))).first.check()
    page.get_by_label("Nombre de jours d'accompagnement souhaités").fill("3,5")
    page.get_by_label("Budget prévisionnel").set_input_files(str(pdf))
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    assert _main(page).count("Brouillon enregistré.") == 1
    assert "budget-previsionnel.pdf" in _main(page)
    assert (
        page.get_by_label("Votre projet en quelques lignes")
        .input_value()
        .startswith("Passer nos outils")
    )

    # 3. A deposit without the attestation is refused, what is missing listed.
    page.get_by_role("button", name="Déposer le dossier").click()
    assert "Cochez toutes les attestations demandées." in _main(page)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT

    # 4. Ticked, deposited: the dossier page, the receipt e-mail.
    page.get_by_role(
        "checkbox", name="J'atteste que les informations données sont exactes."
    ).check()
    mail.outbox.clear()
    page.get_by_role("button", name="Déposer le dossier").click()
    assert f"/fonds/dossiers/{application.reference}/" in page.url, _main(page)
    main = _main(page)
    assert main.count("Un accusé de réception avec votre récépissé") == 1
    assert "L'équipe du fonds va vérifier" in main
    assert "budget-previsionnel.pdf" in main and first_action in main
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    (receipt,) = [m for m in mail.outbox if member.email in m.to]
    assert application.reference in receipt.subject
    receipt_path = f"/fonds/dossiers/{application.reference}/recepisse.pdf"
    assert receipt_path in receipt.body
    pdf_answer = page.request.get(live_server.url + receipt_path)
    assert pdf_answer.status == 200 and pdf_answer.body().startswith(b"%PDF")
    assert page.get_by_role("link", name="Récépissé de dépôt (PDF)").count() == 1
