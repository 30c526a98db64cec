"""The quality gate (`make quality`) refuses what DESIGN.md forbids: shown here on snippets,
so that a rule that stopped working fails a test."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.apps import apps as django_apps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import check_code  # noqa: E402


def test_check_code_refuses_the_utc_date_of_now():
    findings = check_code.check_source(
        "from django.utils import timezone\nday = timezone.now().date()\n", "ressourcerie/x.py"
    )
    assert findings == [
        "ressourcerie/x.py:2: local-date: now().date() is the UTC date at night; "
        "use django.utils.timezone.localdate()"
    ]


def test_check_code_accepts_the_local_date():
    source = "from django.utils import timezone\nday = timezone.localdate()\n"
    assert check_code.check_source(source) == []


def test_check_code_refuses_an_application_module_over_500_lines():
    findings = check_code.check_length("x = 1\n" * 501, "ressourcerie/fund/services/x.py")
    assert findings == [
        "ressourcerie/fund/services/x.py:501: long-file: 501 lines (limit 500); split it into "
        "a package along the lines it already has"
    ]
    assert check_code.check_length("x = 1\n" * 500, "ressourcerie/fund/services/x.py") == []


def test_the_project_passes_check_code():
    assert check_code.check_paths([ROOT / "ressourcerie", ROOT / "tests", ROOT / "bench"]) == []


def _ruff(source: str) -> subprocess.CompletedProcess:
    ruff = Path(sys.executable).with_name("ruff")
    return subprocess.run(  # noqa: S603 - our own venv's ruff, fixed arguments
        [str(ruff), "check", "--stdin-filename", "ressourcerie/x.py", "-"],
        input=source,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def test_ruff_refuses_date_today():
    result = _ruff("from datetime import date\n\nday = date.today()\n")
    assert result.returncode == 1
    assert "TID251" in result.stdout and "timezone.localdate()" in result.stdout


def test_ruff_accepts_timezone_localdate():
    result = _ruff("from django.utils import timezone\n\nday = timezone.localdate()\n")
    assert result.returncode == 0, result.stdout


# --- Imports only go down (make imports) ------------------------------------------------


def test_check_code_refuses_an_import_inside_a_function():
    source = "def total():\n    from ressourcerie.directory import models\n\n    return models\n"
    findings = check_code.check_imports_source(source, "ressourcerie/donations/services.py")
    assert findings == [
        "ressourcerie/donations/services.py:2: local-import: import of "
        "ressourcerie.directory inside total(); import at the top of the module "
        "(a cycle means the code is in the wrong module)"
    ]


def test_check_code_allows_imports_in_ready_and_at_the_top():
    source = (
        "from django.apps import AppConfig\n\nfrom . import services\n\n\n"
        "class ToolboxConfig(AppConfig):\n"
        "    def ready(self):\n"
        "        from . import registrations\n\n"
        "        registrations.register_all()\n"
    )
    assert check_code.check_imports_source(source, "ressourcerie/toolbox/apps.py") == []


def test_check_code_looks_inside_methods_and_nested_functions():
    source = (
        "class Form:\n"
        "    def clean(self):\n"
        "        def inner():\n"
        "            import json\n\n"
        "            return json\n\n"
        "        return inner\n"
    )
    findings = check_code.check_imports_source(source, "ressourcerie/x.py")
    assert len(findings) == 1 and "inside inner()" in findings[0]


def test_core_accounts_and_api_have_no_import_inside_a_function():
    paths = [ROOT / "ressourcerie" / app for app in ("core", "accounts", "api")]
    assert check_code.check_paths(paths, imports=True) == []


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def _domain_apps() -> set[str]:
    """Every app of the project but the foundations (core, accounts) and the API."""
    return {
        config.name.rsplit(".", 1)[1]
        for config in django_apps.get_app_configs()
        if config.name.startswith("ressourcerie.")
    } - {"core", "accounts", "api"}


def test_the_import_contracts_cover_every_part():
    contracts = {c["id"]: c for c in _contracts()}
    domain = _domain_apps()
    assert domain, "no domain app found"
    forbidden_to_core = set(contracts["core"]["forbidden_modules"])
    assert {f"ressourcerie.{app}" for app in domain | {"accounts", "api"}} <= forbidden_to_core
    assert {f"ressourcerie.{app}" for app in domain | {"api"}} <= set(
        contracts["accounts"]["forbidden_modules"]
    )
    for app in domain:
        contract = contracts[app]  # a new part adds its contract (docs/architecture.md)
        assert contract["forbidden_modules"] == [f"ressourcerie.{app}.*"]
        assert contract.get("allow_indirect_imports") is True
        others = {f"ressourcerie.{other}" for other in domain - {app}}
        assert others | {"ressourcerie.core", "ressourcerie.accounts"} == set(
            contract["source_modules"]
        )
        allowed = {rule.split(" -> ")[1] for rule in contract["ignore_imports"]}
        assert {f"ressourcerie.{app}.services", f"ressourcerie.{app}.selectors"} <= allowed
        assert not any(
            name.rsplit(".", 1)[-1] in {"models", "views", "forms", "vocabulary", "exports"}
            for name in allowed
        )


THROWAWAY = {
    "urls.py": "",
    "core/__init__.py": "",
    "core/models.py": "",
    "accounts/__init__.py": "",
    "accounts/models.py": "from ressourcerie.core import models\n",
    "api/__init__.py": "",
    "api/v1.py": "from ressourcerie.donations import models\n",  # the top layer may
}


def _throwaway_project(tmp_path: Path, extra: dict[str, str]) -> Path:
    """A tiny ``ressourcerie`` package with every part, checked against our own contracts."""
    files = dict(THROWAWAY)
    for app in _domain_apps():
        for module in ("__init__", "models", "services", "selectors", "vocabulary", "views"):
            files[f"{app}/{module}.py"] = ""
    files["diagnostic/recommendations.py"] = ""
    files["newsletter/blocks.py"] = ""
    # Allowed: another part's services, selectors and registries; anything of one's own part.
    files["donations/services.py"] = (
        "from ressourcerie.directory import selectors, services\n"
        "from ressourcerie.diagnostic import recommendations\n"
        "from ressourcerie.donations import models\n"
    )
    files.update(extra)
    for name, text in {"__init__.py": "", **files}.items():
        path = tmp_path / "ressourcerie" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def _lint_imports(project: Path, *contracts: str) -> subprocess.CompletedProcess:
    lint = Path(sys.executable).with_name("lint-imports")
    selected = [arg for contract in contracts for arg in ("--contract", contract)]
    return subprocess.run(  # noqa: S603 - our own venv's lint-imports, fixed arguments
        [str(lint), "--no-cache", *selected, str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
    )


def test_the_project_keeps_every_import_contract():
    """Core imports no other part, accounts no domain part, and each domain part is reached
    only through its services, selectors or registries — in the project itself."""
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout
    assert result.stdout.count("KEPT") == len(_contracts())


def test_lint_imports_accepts_imports_that_go_down(tmp_path):
    result = _lint_imports(_throwaway_project(tmp_path, {}))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


@pytest.mark.parametrize(
    ("module", "source", "broken"),
    [
        ("core/permissions.py", "from ressourcerie.accounts import models\n", "core imports"),
        (
            "donations/models.py",
            "from ressourcerie.directory.vocabulary import KINDS\n",
            "reach directory only",
        ),
        (
            "testimonials/selectors.py",
            "def tools():\n    from ressourcerie.toolbox import models\n",
            "reach toolbox only",
        ),
    ],
    ids=["core-to-accounts", "another-parts-vocabulary", "hidden-in-a-function"],
)
def test_lint_imports_refuses_imports_that_go_sideways_or_up(tmp_path, module, source, broken):
    result = _lint_imports(_throwaway_project(tmp_path, {module: source}))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{broken}" in result.stdout and "BROKEN" in result.stdout
