"""At 320 px no word is broken inside (#18 item 7, DESIGN.md §6 "narrow screens"): on the pages
of the toolbox, donations, newsletter and testimonials, a word is split across two lines only
when it is wider than its own box (a long address); a word that would fit on a line of its
box but is cut (a table squeezed into letter-wide columns) fails. The sideways-scroll check of
every page is ``test_keyboard.test_no_horizontal_scroll_at_320px``."""

import re

import pytest

from .pages import PAGES
from .test_keyboard import NARROW, _open

PREFIXES = ("/outils/", "/dons/", "/lettre/", "/gestion/lettre/", "/temoignages/")
NAMED = re.compile(r"^(dons|lettre|gestion : (lettre|édition|abonnés|envoyer)|témoign|guide)")
MINE = [
    spec
    for spec in PAGES
    if (isinstance(spec.url, str) and spec.url.startswith(PREFIXES))
    or (callable(spec.url) and NAMED.match(spec.name))
]

# Each text node's words (split at spaces, hyphens, slashes and brackets, where a line may end):
# a word drawn on two lines although it is narrower than its box was broken needlessly.
BROKEN_WORDS_JS = r"""() => {
    const found = [];
    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    while (walker.nextNode() && found.length < 10) {
        const node = walker.currentNode;
        const box = node.parentElement;
        if (!box || box.closest('pre, code, .visually-hidden, [hidden]')) continue;
        const width = box.getBoundingClientRect().width;
        const re = /[^\s\-\/()\[\]]+/g;
        let match;
        while ((match = re.exec(node.data)) && found.length < 10) {
            if (match[0].length < 2) continue;
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
            const tops = new Set(rects.map(r => Math.round(r.top)));
            const total = rects.reduce((sum, r) => sum + r.width, 0);
            if (tops.size > 1 && total <= width) {
                found.push(`${match[0]} (in <${box.tagName.toLowerCase()} class="${box.className}">)`);
            }
        }
    }
    return found;
}"""


@pytest.mark.parametrize("spec", MINE, ids=str)
def test_no_word_broken_inside_at_320px(spec, open_page, new_context):
    page = _open(spec, open_page, new_context, viewport=NARROW)
    broken = page.evaluate(BROKEN_WORDS_JS)
    assert not broken, "words broken inside at 320 px:\n" + "\n".join(broken)
