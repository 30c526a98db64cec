"""One refusal mechanism: no view answers a missing role with a bare ``PermissionDenied`` or
``HttpResponseForbidden`` (a page that says « Accès refusé » and nothing else); they raise a
``core.refusals.Refusal`` that says which role, who grants it and how to ask."""

import re
from pathlib import Path

import ressourcerie

ROOT = Path(ressourcerie.__file__).parent
BARE = re.compile(r"raise PermissionDenied\b|HttpResponseForbidden")
# The API answers JSON errors of its own (api/errors.py); refusals.py defines the mechanism.
ALLOWED = {ROOT / "core" / "refusals.py"}


def test_no_view_refuses_with_a_bare_403():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(ROOT.rglob("*.py"))
        if path not in ALLOWED and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if BARE.search(line)
    ]
    assert not found, "use core.refusals instead:\n" + "\n".join(found)
