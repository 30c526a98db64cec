"""At 320 px no word is broken inside (#18 item 7, DESIGN.md §6 "narrow screens"): a word is
split across two lines only when it is wider than the page's content column (a long address);
a word that would fit on a line of the column but is cut — a table squeezed into letter-wide
columns, a grid cell too narrow for its label — is reported. The column, not the word's own
box, is the measure: a squeezed cell is narrower than its words, which is the fault itself.
Run by ``test_pages`` on every page of ``pages.PAGES``, on the page it already loaded; the
sideways-scroll check is ``test_keyboard.test_no_horizontal_scroll_at_320px``."""

NARROW = {"width": 320, "height": 640}

# Each text node's words (split at spaces, hyphens, slashes and brackets, where a line may end):
# a word drawn on two lines although it is narrower than the content column was broken needlessly.
BROKEN_WORDS_JS = r"""() => {
    const found = [];
    const main = document.querySelector('main') || document.body;
    const style = getComputedStyle(main);
    const width = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    while (walker.nextNode() && found.length < 10) {
        const node = walker.currentNode;
        const box = node.parentElement;
        if (!box || box.closest('pre, code, .code, .visually-hidden, [hidden]')) continue;
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


def broken_words(page) -> list[str]:
    """The words of ``page`` broken inside at 320 px (the page is resized, not reloaded)."""
    page.set_viewport_size(NARROW)
    return page.evaluate(BROKEN_WORDS_JS)
