import json

import pytest

from ressourcerie.directory import parsing
from ressourcerie.directory import vocabulary as v
from ressourcerie.directory.importers import import_file
from ressourcerie.directory.models import Place, PlaceSource

from .conftest import CHARENTE, FIXTURES, HINAURA, SUD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gazetteer")]


def run(path, **kwargs):
    return import_file(data=path.read_bytes(), file_name=path.name, **kwargs)


def csv_bytes(header, *rows, sep=","):
    lines = [sep.join(header)] + [sep.join(f'"{c}"' for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


HEADER = ["id", "nom", "commune", "code_postal", "adresse", "latitude", "longitude", "date_maj"]
GOOD = ["a1", "Espace numérique", "Angoulême", "16000", "1 rue X", "45.65", "0.16", "2024-01-02"]


@pytest.mark.parametrize("path", [HINAURA, SUD, CHARENTE], ids=["hinaura", "sud", "charente"])
def test_real_file_imports_with_a_row_by_row_report_and_reimports_unchanged(path):
    rows = json.loads(path.read_text())
    report = run(path)
    assert report.applied and not report.errors
    counts = report.counts
    assert len(report.rows) == len(rows)
    assert counts["created"] + counts["merged"] + counts["skipped"] == len(rows)
    assert counts["created"] > 0.9 * len(rows)
    assert all(r.reason for r in report.rows if r.outcome in {"skipped", "merged"})
    assert (
        PlaceSource.objects.filter(dataset=path.stem).count()
        == counts["created"] + counts["merged"]
    )
    places = Place.objects.count()

    again = run(path)
    assert again.counts["unchanged"] == counts["created"] + counts["merged"]
    assert Place.objects.count() == places


def test_charente_duplicates_are_merged_keeping_each_source():
    report = run(CHARENTE)
    merged = [r for r in report.rows if r.outcome == "merged"]
    assert len(merged) >= 5
    place = Place.objects.get(pk=merged[0].place_id)
    assert place.sources.count() >= 2
    assert place.sources.filter(is_primary=True).count() == 1


def test_missing_coordinates_come_from_the_commune():
    run(SUD)
    from_commune = Place.objects.filter(coordinates_origin="commune")
    assert from_commune.count() == 4
    for place in from_commune:
        assert place.commune is not None
        assert place.latitude == place.commune.latitude


def test_pre_v1_labels_are_mapped_to_current_ones():
    run(HINAURA)
    place = Place.objects.get(sources__external_id="0", sources__dataset=HINAURA.stem)
    assert set(v.decode(place.services)) == {v.Service.ACCESS, v.Service.ADMIN}
    assert v.Public.FAMILIES in v.decode(place.publics)
    assert v.SpecificSupport.DEAF in v.decode(place.specific_support)
    assert place.fees == ",gratuit,"
    assert place.support_modes == ",individuel,"
    assert place.commune.name == "Abondance"


def test_v1_csv_example_of_the_standard_imports():
    report = run(FIXTURES / "exemple-valide.csv")
    assert report.counts["created"] == 1
    place = Place.objects.get()
    assert place.emails == ["contact@laquincaillerie.tl", "responsable@laquincaillerie.tl"]
    assert place.typology == ",TIERS_LIEUX,ASSO,"
    assert len(v.decode(place.support_modes)) == 4
    assert place.phone == "+33180059880"


def test_semicolon_csv_with_pre_v1_columns():
    data = csv_bytes(
        HEADER + ["labels_nationaux", "courriel"],
        GOOD + ["CNFS;France Services", "a@b.fr"],
        sep=";",
    )
    report = import_file(data=data, file_name="old.csv")
    assert report.counts["created"] == 1
    place = Place.objects.get()
    assert place.national_programmes == ",conseillers_numeriques,france_services,"
    assert place.emails == ["a@b.fr"]
    assert place.commune.insee == "16015"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Espace numérique".encode("latin-1"), "UTF-8"),
        (csv_bytes(["id", "nom"], ["a", "b"]), "Colonnes obligatoires absentes"),
        (csv_bytes(HEADER, GOOD[:5] + ["north", "0.16", "2024-01-02"]), "illisible"),
        (csv_bytes(HEADER, GOOD[:5] + ["95.2", "0.16", "2024-01-02"]), "hors limites"),
        (
            csv_bytes(HEADER, ["a2", '=HYPERLINK(""http://x"",""clic"")'] + GOOD[2:]),
            "formule",
        ),
        (b"[{", "JSON illisible"),
    ],
    ids=["encoding", "columns", "coordinates", "range", "injection", "json"],
)
def test_malformed_file_is_refused_with_a_clear_report_and_changes_nothing(data, message):
    if message == "UTF-8":
        data = csv_bytes(HEADER, GOOD).replace(b"Espace num\xc3\xa9rique", data)
    report = import_file(data=data, file_name="bad.csv")
    assert not report.applied
    assert message in " ".join(report.errors)
    assert Place.objects.count() == 0


def test_one_bad_row_refuses_the_whole_file():
    data = csv_bytes(HEADER, GOOD, ["a2", "Autre"] + GOOD[2:5] + ["x", "y", "2024-01-01"])
    report = import_file(data=data, file_name="f.csv")
    assert not report.applied and report.counts["error"] == 1
    assert Place.objects.count() == 0


def test_too_large_file_is_refused(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_BYTES", 100)
    report = import_file(data=csv_bytes(HEADER, GOOD, GOOD), file_name="big.csv")
    assert "50 Mo" in report.errors[0]


def test_rows_without_name_or_coordinates_or_commune_are_skipped_with_a_reason():
    data = csv_bytes(
        HEADER,
        ["b1", ""] + GOOD[2:],
        ["b2", "Nulle part", "Atlantide", "99999", "1 rue", "", "", "2024-01-01"],
        GOOD,
        GOOD,
    )
    report = import_file(data=data, file_name="f.csv")
    assert [r.outcome for r in report.rows] == ["skipped", "skipped", "created", "skipped"]
    assert "nom absent" in report.rows[0].reason
    assert "commune introuvable" in report.rows[1].reason
    assert "double" in report.rows[3].reason


def test_dry_run_writes_nothing():
    report = import_file(data=csv_bytes(HEADER, GOOD), file_name="f.csv", dry_run=True)
    assert report.counts["created"] == 1 and not report.applied
    assert Place.objects.count() == 0


def test_update_from_a_changed_file():
    import_file(data=csv_bytes(HEADER, GOOD), file_name="f.csv")
    changed = GOOD[:1] + ["Espace numérique renommé"] + GOOD[2:]
    report = import_file(data=csv_bytes(HEADER, changed), file_name="f.csv")
    assert report.counts["updated"] == 1
    assert Place.objects.get().name == "Espace numérique renommé"
