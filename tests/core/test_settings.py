import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _check(env_extra):
    # The browser suite's DJANGO_ALLOW_ASYNC_UNSAFE would itself be a deployment warning.
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_default_secret_key():
    result = _check({"RESSOURCERIE_ENV": "production", "ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_missing_allowed_hosts():
    result = _check({"RESSOURCERIE_ENV": "production", "SECRET_KEY": "x" * 60})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_settings_pass_deploy_checks():
    result = _check(
        {
            "RESSOURCERIE_ENV": "production",
            "SECRET_KEY": "k3y-" + "abcdefghij0123456789" * 3,
            "ALLOWED_HOSTS": "ressourcerie.example.org",
            "SITE_URL": "https://ressourcerie.example.org",
            "LEGAL_PUBLISHER": "Réseau exemple",
            "LEGAL_ADDRESS": "1 rue Exemple, Nantes",
            "LEGAL_DIRECTOR": "Prénom Nom",
            "LEGAL_HOST": "Hébergeur exemple",
            "CONTACT_EMAIL": "contact@ressourcerie.example.org",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
