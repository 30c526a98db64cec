"""Back up the database and the media folder (``make backup``; docs/deployment.md §6).

Two files per backup, sharing one name, in ``--output-dir`` (``BACKUP_DIR``):

- ``ressourcerie-AAAAMMJJ-HHMMSS.dump``: ``pg_dump -Fc`` when the database is PostgreSQL,
  or ``.sqlite3``: a consistent copy made through SQLite's online backup API while the
  site keeps running (copying the file itself could catch a write half done, or miss what
  still sits in the ``-wal`` file);
- ``ressourcerie-AAAAMMJJ-HHMMSS.media.tar.gz``: the media folder (``MEDIA_ROOT``).

Nothing is written in place: each file is written under a temporary name, then renamed.
Both files are readable by their owner only (they hold personal data).
"""

import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from ressourcerie.core.backups import pg_environment, pg_target


def private_file(path: Path) -> Path:
    """An empty file only its owner can read, created before anything is written in it."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    return path


class Command(BaseCommand):
    help = "Sauvegarde la base de données et le dossier des médias (voir docs/deployment.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=os.environ.get("BACKUP_DIR") or str(settings.VAR_DIR / "backups"),
            help="Dossier des sauvegardes (défaut : BACKUP_DIR, sinon backups/ dans le "
            "dossier RESSOURCERIE_VAR_DIR).",
        )

    def handle(self, *args, output_dir, **options):
        folder = Path(output_dir)
        # Backups hold everyone's personal data: readable by the site's account only.
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stem = folder / f"ressourcerie-{timezone.now():%Y%m%d-%H%M%S}"
        if connection.vendor == "postgresql":
            database = self._pg_dump(stem.with_suffix(".dump"))
        elif connection.vendor == "sqlite":
            database = self._sqlite_backup(stem.with_suffix(".sqlite3"))
        else:
            raise CommandError(f"Base {connection.vendor} : sauvegarde non prise en charge.")
        media = self._media_archive(Path(f"{stem}.media.tar.gz"))
        self.stdout.write(str(database))
        self.stdout.write(str(media))

    def _pg_dump(self, path: Path) -> Path:
        partial = private_file(path.with_name(path.name + ".partial"))
        command = ["pg_dump", "--format=custom", f"--file={partial}", *pg_target()]
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            command, env=pg_environment(), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            raise CommandError(f"pg_dump a échoué : {result.stderr.strip()}")
        partial.rename(path)
        return path

    def _sqlite_backup(self, path: Path) -> Path:
        if connection.in_atomic_block:
            # The backup would wait forever for the lock its own transaction holds.
            raise CommandError("Sauvegarde impossible dans une transaction.")
        partial = private_file(path.with_name(path.name + ".partial"))
        connection.ensure_connection()
        target = sqlite3.connect(partial)
        try:
            # Copies page by page, consistent even while other processes write.
            connection.connection.backup(target)
        finally:
            target.close()
        partial.rename(path)
        return path

    def _media_archive(self, path: Path) -> Path:
        media = Path(settings.MEDIA_ROOT)
        partial = private_file(path.with_name(path.name + ".partial"))
        with tarfile.open(partial, "w:gz") as archive:
            # Always a "media/" folder in the archive, even when there is nothing yet.
            if media.is_dir():
                archive.add(media, arcname="media")
            else:
                info = tarfile.TarInfo("media")
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                archive.addfile(info)
        os.replace(partial, path)
        return path
