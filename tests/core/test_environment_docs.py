import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _variables_read_by_settings():
    source = (ROOT / "ressourcerie" / "settings.py").read_text()
    return set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z_]+)"', source)) | set(
        re.findall(r'os\.environ\.get\("([A-Z_]+)"', source)
    ) - {"DJANGO_SETTINGS_MODULE"}


def test_every_setting_variable_is_documented_and_in_env_example():
    variables = _variables_read_by_settings()
    assert len(variables) > 20
    documented = (ROOT / "docs" / "environment.md").read_text()
    example = (ROOT / ".env.example").read_text()
    missing_doc = sorted(v for v in variables if f"`{v}`" not in documented)
    missing_example = sorted(v for v in variables if not re.search(rf"^{v}=", example, re.M))
    assert missing_doc == [], f"undocumented in docs/environment.md: {missing_doc}"
    assert missing_example == [], f"missing from .env.example: {missing_example}"
