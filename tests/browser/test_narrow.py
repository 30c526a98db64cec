"""The 320 px broken-words check can fail: a table squeezed into letter-wide columns is
reported, a word wider than the content column (a long address) is not."""

from .narrow import broken_words

SQUEEZED = """<!doctype html><html><body><main>
<table style="width: 100%"><tr>
<td style="overflow-wrap: anywhere">Reconditionnement</td><td style="overflow-wrap: anywhere">Reconditionnement</td><td style="overflow-wrap: anywhere">Reconditionnement</td>
<td style="overflow-wrap: anywhere">Reconditionnement</td><td style="overflow-wrap: anywhere">Reconditionnement</td><td style="overflow-wrap: anywhere">Reconditionnement</td>
</tr></table>
</main></body></html>"""
LONG_WORD = """<!doctype html><html><body><main>
<p style="overflow-wrap: anywhere">contactassociationdesjardinspartagesdudepartement@exempledomainetreslong.example.org</p>
<p>Des mots courts qui passent à la ligne entre eux, jamais au milieu.</p>
</main></body></html>"""


def test_a_word_cut_in_a_squeezed_table_is_reported(browser):
    page = browser.new_page()
    page.set_content(SQUEEZED)
    assert any(word.startswith("Reconditionnement") for word in broken_words(page))
    page.close()


def test_a_word_wider_than_its_box_may_wrap(browser):
    page = browser.new_page()
    page.set_content(LONG_WORD)
    assert broken_words(page) == []
    page.close()
