"""docs/deployment.md and what ships in deploy/ stay one thing (make prod-check runs both)."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
NGINX = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
sys.path.insert(0, str(ROOT))

from deploy import stack  # noqa: E402


def test_the_guide_installs_the_shipped_nginx_file_and_no_copy_of_it():
    assert "deploy/nginx.conf" in GUIDE
    assert "server {" not in GUIDE and "proxy_pass" not in GUIDE
    in_file = set(re.findall(r"@([A-Z_]+)@", NGINX))
    replaced_by_guide = set(re.findall(r"s\|@([A-Z_]+)@\|", GUIDE))
    assert in_file == replaced_by_guide


def test_the_nginx_site_compresses_what_the_platform_serves():
    directives = " ".join(line.split("#", 1)[0] for line in NGINX.splitlines())
    types = re.search(r"gzip_types([^;]*);", directives).group(1).split()
    for content_type in (
        "text/css",
        "application/javascript",
        "application/json",
        "application/geo+json",
        "text/csv",
        "text/calendar",
    ):
        assert content_type in types  # text/html is always compressed once gzip is on
    for directive in ("gzip on;", "gzip_proxied any;", "gzip_vary on;", "ssl http2;"):
        assert directive in directives
    assert "proxy_set_header X-Real-IP $remote_addr;" in directives
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in directives


def test_the_drill_reads_its_commands_from_the_guide():
    commands = stack.guide_setup_commands()
    assert commands[0].endswith("check --deploy --fail-level WARNING")
    assert any(c.endswith("manage.py migrate") for c in commands)
    assert any(c.endswith("collectstatic --noinput") for c in commands)
    assert not any("createsuperuser" in c or "load_demo" in c for c in commands)
    web = stack.guide_exec_start("ressourcerie-web.service")
    assert Path(web[0]).name == "gunicorn" and "--bind" in web
    assert stack.guide_exec_start("ressourcerie-worker.service")[-1] == "db_worker"
