"""Before the first device is reused or recycled, the impact figures say so in words instead
of a table of zeros (« Total 0 0 0 »)."""

import pytest

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_impact_page_without_any_device_says_so_instead_of_zeros(client):
    main = _main(client.get("/dons/impact/"))
    assert "Pas encore d'appareil reconditionné ou recyclé" in main
    assert "<tfoot>" not in main
    assert "Aucun département pour l'instant." in main
    assert "Appareils réemployés et recyclés par département" not in main
