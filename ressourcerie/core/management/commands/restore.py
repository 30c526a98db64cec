"""Restore a backup made by ``manage.py backup`` (``make restore FILE=…``).

FILE is the database file (``.dump`` for PostgreSQL, ``.sqlite3`` for SQLite); the media
archive with the same name (``….media.tar.gz``) is restored with it. Stop the web and
worker services first (docs/deployment.md §6), then run ``migrate``.

- PostgreSQL: ``pg_restore --clean --if-exists --no-owner`` in a single transaction into
  the configured database (existing or freshly created empty): all or nothing. The
  ``unaccent`` extension is left out: the superuser creates it (§2), the site's role could
  neither drop nor create it.
- SQLite: the backup is checked (``PRAGMA quick_check``), then copied over the configured
  database through the online backup API, which also takes care of the ``-wal`` file
  (copying the file in place beside a stale ``-wal`` would corrupt it).
- Media: the archive is unpacked next to ``MEDIA_ROOT`` and swapped in only once complete;
  files added after the backup disappear with the old folder.
"""

import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from ressourcerie.core.backups import pg_environment, pg_target


def media_archive_for(database_file: Path) -> Path:
    return database_file.with_name(f"{database_file.stem}.media.tar.gz")


class Command(BaseCommand):
    help = "Restaure une sauvegarde faite par « manage.py backup » (base et médias)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier de la base : .dump (PostgreSQL) ou .sqlite3.")
        parser.add_argument(
            "--media",
            help="Archive des médias (défaut : le fichier .media.tar.gz du même nom).",
        )
        parser.add_argument(
            "--no-media", action="store_true", help="Ne pas toucher au dossier des médias."
        )

    def handle(self, *args, file, media, no_media, **options):
        database_file = Path(file)
        if not database_file.is_file():
            raise CommandError(f"Fichier introuvable : {database_file}")
        media_file = None
        if not no_media:
            media_file = Path(media) if media else media_archive_for(database_file)
            if not media_file.is_file():
                raise CommandError(
                    f"Archive des médias introuvable : {media_file} "
                    "(précisez --media, ou --no-media pour ne restaurer que la base)."
                )

        if connection.vendor == "postgresql":
            if database_file.suffix != ".dump":
                raise CommandError("La base est PostgreSQL : donnez un fichier .dump.")
            self._pg_restore(database_file)
        elif connection.vendor == "sqlite":
            if database_file.suffix != ".sqlite3":
                raise CommandError("La base est SQLite : donnez un fichier .sqlite3.")
            self._sqlite_restore(database_file)
        else:
            raise CommandError(f"Base {connection.vendor} : restauration non prise en charge.")
        self.stdout.write(f"Base restaurée depuis {database_file}")

        if media_file is not None:
            self._restore_media(media_file)
            self.stdout.write(f"Médias restaurés depuis {media_file} dans {settings.MEDIA_ROOT}")
        self.stdout.write("Ensuite : manage.py migrate, puis redémarrez les services.")

    def _pg_restore(self, path: Path):
        env = pg_environment()
        command = ["pg_restore", "--list", str(path)]
        listing = subprocess.run(  # noqa: S603 - fixed program, path given by the admin
            command, env=env, capture_output=True, text=True
        )
        if listing.returncode != 0:
            raise CommandError(f"{path} n'est pas une sauvegarde pg_dump : {listing.stderr}")
        # Entries "EXTENSION - unaccent" and "COMMENT - EXTENSION unaccent" are left out.
        kept = [
            line for line in listing.stdout.splitlines() if not re.search(r"\bEXTENSION\b", line)
        ]
        with tempfile.NamedTemporaryFile("w", suffix=".list") as toc:
            toc.write("\n".join(kept) + "\n")
            toc.flush()
            command = [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--use-list={toc.name}",
                *pg_target(),
                str(path),
            ]
            connection.close()
            result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                command, env=env, capture_output=True, text=True
            )
        if result.returncode != 0:
            raise CommandError(f"pg_restore a échoué, base inchangée : {result.stderr.strip()}")

    def _sqlite_restore(self, path: Path):
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            status = source.execute("PRAGMA quick_check").fetchone()[0]
            if status != "ok":
                raise CommandError(f"{path} est endommagé : {status}")
            if connection.in_atomic_block:
                raise CommandError("Restauration impossible dans une transaction.")
            connection.ensure_connection()
            source.backup(connection.connection)
        except sqlite3.DatabaseError as exc:
            raise CommandError(f"{path} n'est pas une base SQLite lisible : {exc}") from exc
        finally:
            source.close()

    def _restore_media(self, archive_path: Path):
        media = Path(settings.MEDIA_ROOT)
        media.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=media.parent))
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                # "data": no absolute paths, no "..", no links out, no devices.
                archive.extractall(staging, filter="data")
            unpacked = staging / "media"
            if not unpacked.is_dir():
                raise CommandError(f"{archive_path} ne contient pas de dossier « media ».")
            old = media.with_name(f".{media.name}-avant-{timezone.now():%Y%m%d%H%M%S}")
            if media.exists():
                media.rename(old)
            unpacked.rename(media)
            shutil.rmtree(old, ignore_errors=True)
        except tarfile.TarError as exc:
            raise CommandError(f"Archive des médias illisible : {exc}") from exc
        finally:
            shutil.rmtree(staging, ignore_errors=True)
