"""collectstatic as production runs it: WhiteNoise's compressed manifest storage.

The development storage copies files as they are; the manifest storage also rewrites every
reference inside CSS and JS, and fails on one that points to a missing file (a vendored
file's ``sourceMappingURL`` without its ``.map``). Without the manifest, every page answers
500 in production, so the suite runs the production storage for real.
"""

import json

import pytest
from django.core.management import call_command

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture
def production_static(settings, tmp_path):
    settings.STORAGES = PRODUCTION_STORAGES
    settings.STATIC_ROOT = tmp_path / "static"
    settings.WHITENOISE_USE_FINDERS = False
    return settings.STATIC_ROOT


def test_collectstatic_with_the_production_storage_succeeds(production_static):
    call_command("collectstatic", interactive=False, verbosity=0)

    manifest = json.loads((production_static / "staticfiles.json").read_text())
    for name in (
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/leaflet.css",
    ):
        hashed = manifest["paths"][name]
        assert (production_static / hashed).is_file()
        # WhiteNoise serves the precompressed copy to clients that accept gzip.
        assert (production_static / f"{hashed}.gz").is_file()


def test_vendored_files_reference_no_missing_source_map():
    from django.conf import settings

    vendor = settings.BASE_DIR / "static" / "vendor"
    for path in vendor.rglob("*"):
        if path.suffix not in {".js", ".css"}:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if "sourceMappingURL=" in line:
                target = line.split("sourceMappingURL=", 1)[1].strip(" */")
                assert (path.parent / target).is_file(), f"{path} → {target} absent"
