from ressourcerie.core.csvcells import safe_cell


def test_formulas_are_neutralised_and_values_written_plainly():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell(True) == "oui" and safe_cell(False) == "non"
    assert safe_cell(["web", "linux"]) == "web|linux"
    assert safe_cell(None) == "" and safe_cell("Nextcloud") == "Nextcloud"
