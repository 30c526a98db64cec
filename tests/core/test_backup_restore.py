"""manage.py backup / restore (make backup, make restore FILE=…) on SQLite.

The PostgreSQL path (pg_dump -Fc, pg_restore) runs in the production drill,
``make prod-check``, which backs up, drops the database, restores and crawls again.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ressourcerie.core.models import Region

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite path; PostgreSQL: prod-check"),
]
# Restoring writes over the whole database: not inside the test's transaction.
restores = pytest.mark.django_db(transaction=True)


def _backup(folder: Path) -> tuple[Path, Path]:
    out = StringIO()
    call_command("backup", output_dir=str(folder), stdout=out)
    database, media = (Path(line) for line in out.getvalue().split())
    return database, media


@restores
def test_backup_then_restore_brings_back_rows_and_media_files(settings, tmp_path):
    Region.objects.create(code="52", name="Pays de la Loire")
    picture = Path(settings.MEDIA_ROOT) / "testimonials" / "photo.webp"
    picture.parent.mkdir(parents=True)
    picture.write_bytes(b"RIFF-webp-bytes")

    database, media = _backup(tmp_path / "backups")
    assert database.name.endswith(".sqlite3") and database.stat().st_size > 0
    assert media.name == database.stem + ".media.tar.gz"
    assert database.stat().st_mode & 0o077 == 0 and media.stat().st_mode & 0o077 == 0

    # What happens after the backup is lost by a restore: rows and files alike.
    Region.objects.all().delete()
    Region.objects.create(code="53", name="Bretagne")
    picture.unlink()
    (Path(settings.MEDIA_ROOT) / "later.webp").write_bytes(b"after the backup")

    out = StringIO()
    call_command("restore", str(database), stdout=out)

    assert list(Region.objects.values_list("code", "name")) == [("52", "Pays de la Loire")]
    assert picture.read_bytes() == b"RIFF-webp-bytes"
    assert not (Path(settings.MEDIA_ROOT) / "later.webp").exists()
    assert "Base restaurée" in out.getvalue()


@restores
def test_backup_without_a_media_folder_restores_an_empty_one(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "no-media-yet"
    database, _media = _backup(tmp_path / "backups")
    call_command("restore", str(database), stdout=StringIO())
    assert Path(settings.MEDIA_ROOT).is_dir()


def test_restore_refuses_a_damaged_file_and_leaves_the_database_alone(tmp_path):
    Region.objects.create(code="52", name="Pays de la Loire")
    database = tmp_path / "ressourcerie-20261207-010000.sqlite3"
    database.write_bytes(b"not a database at all" * 100)
    (tmp_path / "ressourcerie-20261207-010000.media.tar.gz").write_bytes(b"")

    with pytest.raises(CommandError, match="SQLite"):
        call_command("restore", str(database), stdout=StringIO())
    assert Region.objects.filter(code="52").exists()


def test_restore_refuses_a_postgresql_dump_on_sqlite(tmp_path):
    dump = tmp_path / "ressourcerie-20261207-010000.dump"
    dump.write_bytes(b"PGDMP")
    with pytest.raises(CommandError, match="sqlite3"):
        call_command("restore", str(dump), "--no-media", stdout=StringIO())


def test_restore_asks_for_the_media_archive_when_it_is_missing(tmp_path):
    database = tmp_path / "ressourcerie-20261207-010000.sqlite3"
    database.write_bytes(b"")
    with pytest.raises(CommandError, match="médias introuvable"):
        call_command("restore", str(database), stdout=StringIO())
