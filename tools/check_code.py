"""Project rules that ruff cannot express, run by `make quality`.

- local-date: ``<something>.now().date()`` is the UTC date for an hour or two every night;
  the date a person reads or a rule counts is ``timezone.localdate()`` (DESIGN.md §4).
  (``date.today()`` is refused by ruff's banned-API rule, see pyproject.toml.)

- local-import: an ``import`` inside a function hides a dependency (and often a cycle) from
  the reader and from import-linter. Allowed only in ``AppConfig.ready()``, in management
  commands and migrations. Applied to ``ressourcerie/`` with ``--imports`` (``make quality``).

- long-file: a module of the application over 500 lines is split into a package along the
  lines it already has (DESIGN.md §3, "split into a package before ~500 lines"). Applied to
  ``ressourcerie/`` outside migrations; tests and benches may keep long data tables.

Usage: python tools/check_code.py [--imports] [PATH ...]  (default: ressourcerie tests bench)
Prints one line per finding, ``path:line: rule: message``, and exits 1 if there is any.
"""

import ast
import sys
from pathlib import Path

DEFAULT_ROOTS = ("ressourcerie", "tests", "bench")
MAX_LINES = 500


def _is_now_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name == "now"


def check_source(source: str, path: str = "<string>") -> list[str]:
    """Findings in one file's source, as ``path:line: rule: message`` lines."""
    findings = []
    tree = ast.parse(source, filename=path)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "date"
            and not node.args
            and _is_now_call(node.func.value)
        ):
            findings.append(
                f"{path}:{node.lineno}: local-date: now().date() is the UTC date at night; "
                "use django.utils.timezone.localdate()"
            )
    return findings


def check_length(source: str, path: str = "<string>") -> list[str]:
    """A module of the application longer than MAX_LINES lines."""
    count = len(source.splitlines())
    if count <= MAX_LINES:
        return []
    return [
        f"{path}:{MAX_LINES + 1}: long-file: {count} lines (limit {MAX_LINES}); split it into "
        "a package along the lines it already has"
    ]


def _local_imports(tree: ast.AST, path: str) -> list[str]:
    findings = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, child.name)
                continue
            if function and function != "ready" and isinstance(child, (ast.Import, ast.ImportFrom)):
                name = child.module if isinstance(child, ast.ImportFrom) else child.names[0].name
                findings.append(
                    f"{path}:{child.lineno}: local-import: import of {'.' * getattr(child, 'level', 0)}"
                    f"{name or ''} inside {function}(); import at the top of the module "
                    "(a cycle means the code is in the wrong module)"
                )
            visit(child, function)

    visit(tree, None)
    return findings


def check_imports_source(source: str, path: str = "<string>") -> list[str]:
    return _local_imports(ast.parse(source, filename=path), path)


def check_paths(paths, imports: bool = False) -> list[str]:
    findings = []
    for root in paths:
        root = Path(root)
        files = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for file in files:
            if "migrations" in file.parts:
                continue
            source = file.read_text(encoding="utf-8")
            findings += check_source(source, str(file))
            if "ressourcerie" in file.parts:
                findings += check_length(source, str(file))
            if imports and "management" not in file.parts and "ressourcerie" in file.parts:
                findings += check_imports_source(source, str(file))
    return findings


def main(argv: list[str]) -> int:
    imports = "--imports" in argv
    argv = [a for a in argv if a != "--imports"]
    findings = check_paths(argv or DEFAULT_ROOTS, imports=imports)
    for line in findings:
        print(line)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
