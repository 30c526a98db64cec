"""The quality gate (`make quality`) refuses what DESIGN.md forbids: shown here on snippets,
so that a rule that stopped working fails a test."""

import subprocess
import sys
from pathlib import Path

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
