"""The testimonials issue's "Done when", in a browser with JavaScript off: a member submits a
testimonial with an image, a moderator publishes it, it shows on the list, the tool page and
in search; withdrawal removes it everywhere."""

import io

from PIL import Image

from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory
from tests.testimonials.factories import NeedFactory, ToolFactory

TITLE = "Du Google Drive éparpillé à Nextcloud"


def _photo(tmp_path):
    path = tmp_path / "atelier.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (2000, 1000), (40, 120, 200)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _everywhere(page, base):
    seen = {}
    page.goto(base + "/temoignages/")
    seen["list"] = TITLE in page.locator("main").inner_text()
    page.goto(base + "/outils/nextcloud/")
    seen["tool"] = TITLE in page.locator("main").inner_text()
    page.goto(base + "/recherche/?q=%C3%A9parpill%C3%A9")
    seen["search"] = TITLE in page.locator("main").inner_text()
    return seen


def test_submit_with_image_publish_then_withdraw_without_javascript(
    live_server, no_js_context, tmp_path
):
    need = NeedFactory()
    ToolFactory(slug="google-drive", name="Google Drive").needs.add(need)
    ToolFactory(slug="nextcloud", name="Nextcloud").needs.add(need)
    association = OrganisationFactory(name="Les Crampons nantais", sector="sport")
    member = UserFactory()
    MembershipFactory(user=member, organisation=association)
    base = live_server.url

    page = no_js_context(user=member).new_page()
    page.goto(base + "/temoignages/")
    page.get_by_role("link", name="Raconter votre expérience").click()
    page.get_by_label("Avec le nom de l'association").check()
    page.get_by_label("Nous acceptons que le nom").check()
    page.get_by_label("Titre du témoignage").fill(TITLE)
    page.get_by_label("Le problème de départ").fill("Nos documents étaient éparpillés.")
    page.get_by_label("Ce que vous avez fait").fill("Un espace Nextcloud et deux ateliers.")
    page.get_by_label("Outils utilisés avant").fill("Google Drive")
    page.get_by_label("Outils adoptés").fill("Nextcloud")
    page.get_by_role("button", name="Envoyer pour relecture").click()
    page.wait_for_load_state()
    assert "/images/" in page.url

    # A missing alternative text is refused; the file must be chosen again (said on the page).
    page.get_by_label("Image").set_input_files(str(_photo(tmp_path)))
    page.get_by_role("button", name="Ajouter l'image").click()
    page.wait_for_load_state()
    assert "texte alternatif est obligatoire" in page.locator("main").inner_text()
    page.get_by_label("Image").set_input_files(str(_photo(tmp_path)))
    page.get_by_label("Texte alternatif").fill("Deux bénévoles devant l'ordinateur du club")
    page.get_by_role("button", name="Ajouter l'image").click()
    page.wait_for_load_state()
    assert page.locator("main img[alt='Deux bénévoles devant l\\'ordinateur du club']").count() == 1

    visitor = no_js_context().new_page()
    assert not any(_everywhere(visitor, base).values())

    moderator = no_js_context(user=StaffFactory()).new_page()
    moderator.goto(base + "/gestion/moderation/")
    item = moderator.locator("article, li, section").filter(has_text=TITLE).last
    item.get_by_label("Publier").check()
    item.get_by_role("button").first.click()
    moderator.wait_for_load_state()

    seen = _everywhere(visitor, base)
    assert all(seen.values()), seen

    page.goto(base + "/temoignages/mes-temoignages/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Retirer ce témoignage").click()
    page.get_by_role("button", name="Retirer définitivement").click()
    page.wait_for_load_state()
    seen = _everywhere(visitor, base)
    assert not any(seen.values()), seen
