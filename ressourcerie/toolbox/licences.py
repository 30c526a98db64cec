"""Which SPDX licence identifiers are free/open-source (OSI-approved or FSF-free).

The catalogue stores the SPDX identifier; "libre" is derived from it, never typed by hand.
"""

FREE_LICENCES = {
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "MPL-2.0",
    "Apache-2.0",
    "MIT",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "EPL-2.0",
    "EUPL-1.2",
    "CECILL-2.1",
    "CECILL-B",
    "CECILL-C",
    "Zlib",
    "Artistic-2.0",
    "OSL-3.0",
    "CDDL-1.0",
    "MPL-1.1",
    "Unlicense",
    "0BSD",
    "PostgreSQL",
    "Python-2.0",
    "BSL-1.0",
    "OFL-1.1",
    "CC0-1.0",
    "WTFPL",
    "X11",
    "NCSA",
    "MS-PL",
    "AFL-3.0",
    "ECL-2.0",
    "UPL-1.0",
    "Apache-1.1",
    "GPL-1.0-or-later",
    "CPAL-1.0",
    "EPL-1.0",
    "MPL-1.0",
    "LPPL-1.3c",
    "APSL-2.0",
    "RPSL-1.0",
    "Vim",
}

# A Linux distribution bundles thousands of free licences: no single SPDX id describes it.
FREE_LICENCES.add("LicenseRef-distribution-libre")

PROPRIETARY = "LicenseRef-proprietary"


def is_free_licence(expression: str) -> bool:
    """True when every alternative of an SPDX expression ("MIT OR Apache-2.0") is free, or
    when every part of a conjunction is ("GPL-2.0-only AND MIT")."""
    text = (expression or "").replace("(", " ").replace(")", " ")
    for operator in (" OR ", " AND "):
        if operator in text:
            parts = [p.strip() for p in text.split(operator)]
            check = any if operator == " OR " else all
            return check(is_free_licence(p) for p in parts)
    identifier = text.strip().split(" WITH ")[0].strip()
    return identifier in FREE_LICENCES


def is_valid_spdx(expression: str) -> bool:
    """A known free identifier, the proprietary marker, or a LicenseRef-…"""
    text = (expression or "").replace("(", " ").replace(")", " ")
    parts = [p for p in text.replace(" AND ", " OR ").split(" OR ") if p.strip()]
    if not parts:
        return False
    for part in parts:
        identifier = part.strip().split(" WITH ")[0].strip()
        if identifier not in FREE_LICENCES and not identifier.startswith("LicenseRef-"):
            return False
    return True
