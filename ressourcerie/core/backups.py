"""What ``manage.py backup`` and ``restore`` share: how to reach PostgreSQL's tools."""

import os

from django.db import connection


def pg_target() -> list[str]:
    """pg_dump/pg_restore options naming the configured database (password kept apart)."""
    params = connection.settings_dict
    options = [f"--dbname={params['NAME']}"]
    if params.get("HOST"):
        options.append(f"--host={params['HOST']}")
    if params.get("PORT"):
        options.append(f"--port={params['PORT']}")
    if params.get("USER"):
        options.append(f"--username={params['USER']}")
    return options


def pg_environment() -> dict[str, str]:
    """The environment for PostgreSQL's tools: the password in PGPASSWORD, not on argv."""
    env = dict(os.environ)
    password = connection.settings_dict.get("PASSWORD")
    if password:
        env["PGPASSWORD"] = str(password)
    return env
