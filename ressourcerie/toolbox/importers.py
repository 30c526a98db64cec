"""Import the catalogue (needs, tools, guides) from JSON: idempotent by slug, all or nothing,
with a report row per entry (DESIGN.md §4 "Data exchange")."""

import json
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify

from ressourcerie.core import search
from ressourcerie.core.models import Moderated

from . import services
from .licences import is_valid_spdx
from .models import (
    DataLocation,
    Difficulty,
    Guide,
    Hosting,
    Need,
    Platform,
    Price,
    Replacement,
    Tool,
    pack,
)

MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass
class ReportRow:
    kind: str
    slug: str
    action: str  # created | updated | unchanged | skipped
    reason: str = ""


@dataclass
class ImportReport:
    rows: list[ReportRow] = field(default_factory=list)
    error: str = ""
    applied: bool = False

    def add(self, kind, slug, action, reason=""):
        self.rows.append(ReportRow(kind, slug, action, reason))

    def count(self, action, kind=None):
        return sum(1 for r in self.rows if r.action == action and (kind is None or r.kind == kind))

    @property
    def skipped(self):
        return [r for r in self.rows if r.action == "skipped"]

    def summary(self) -> str:
        if self.error:
            return f"Fichier refusé : {self.error}"
        parts = []
        for kind, label in (("need", "besoins"), ("tool", "outils"), ("guide", "guides")):
            parts.append(
                f"{label} : {self.count('created', kind)} créés, "
                f"{self.count('updated', kind)} mis à jour, "
                f"{self.count('unchanged', kind)} inchangés, {self.count('skipped', kind)} ignorés"
            )
        state = "appliqué" if self.applied else "rien n'a été modifié"
        return " ; ".join(parts) + f" ({state})"


class ImportRefused(Exception):
    pass


_url = URLValidator(schemes=["http", "https"])


def _choice(value, choices, name, default=None):
    if value in (None, "") and default is not None:
        return default
    if value not in choices.values:
        raise ValueError(
            f"{name} « {value} » inconnu (valeurs possibles : {', '.join(choices.values)})"
        )
    return value


def _codes(values, choices, name):
    values = values or []
    if not isinstance(values, list):
        raise ValueError(f"{name} doit être une liste")
    for value in values:
        _choice(value, choices, name)
    return pack(values)


def _text(entry, key, *, required=False, max_length=None):
    value = entry.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError(f"{key} doit être du texte")
    value = value.strip()
    if required and not value:
        raise ValueError(f"{key} est obligatoire")
    if max_length and len(value) > max_length:
        raise ValueError(f"{key} dépasse {max_length} caractères ({len(value)})")
    return value


def _slug(entry):
    slug = _text(entry, "slug", required=True, max_length=80)
    if slug != slugify(slug):
        raise ValueError(f"adresse courte « {slug} » invalide (minuscules, chiffres, tirets)")
    return slug


def _tool_values(entry) -> dict:
    website = _text(entry, "website", max_length=200)
    if website:
        try:
            _url(website)
        except ValidationError as exc:
            raise ValueError(f"site web « {website} » invalide") from exc
    licence = _text(entry, "licence", required=True, max_length=60)
    if not is_valid_spdx(licence):
        raise ValueError(f"licence « {licence} » : identifiant SPDX inconnu")
    verified = entry.get("verified_on")
    if verified:
        try:
            verified = date.fromisoformat(verified)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"date de vérification « {verified} » invalide") from exc
    keywords = entry.get("keywords") or []
    if not isinstance(keywords, list):
        raise ValueError("keywords doit être une liste")
    return {
        "name": _text(entry, "name", required=True, max_length=120),
        "pitch": _text(entry, "pitch", required=True, max_length=200),
        "description": _text(entry, "description", max_length=20000),
        "website": website,
        "licence": licence,
        "price": _choice(entry.get("price"), Price, "prix"),
        "price_note": _text(entry, "price_note", max_length=300),
        "hosting": _codes(entry.get("hosting"), Hosting, "hébergement"),
        "data_location": _choice(
            entry.get("data_location"), DataLocation, "localisation", DataLocation.UNKNOWN
        ),
        "rgpd_note": _text(entry, "rgpd_note", max_length=300),
        "accessibility_note": _text(entry, "accessibility_note", max_length=300),
        "sobriety_note": _text(entry, "sobriety_note", max_length=300),
        "difficulty": _choice(
            entry.get("difficulty"), Difficulty, "difficulté", Difficulty.BEGINNER
        ),
        "platforms": _codes(entry.get("platforms"), Platform, "plateforme"),
        "languages": pack([str(x)[:5] for x in entry.get("languages") or []]),
        "keywords": ", ".join(str(k).strip() for k in keywords if str(k).strip())[:300],
        "proprietary_reference": bool(entry.get("proprietary_reference", False)),
        "verified_on": verified or None,
    }


def _save(model, slug, values, report, kind):
    obj = model.objects.filter(slug=slug).first()
    if obj is None:
        obj = model(slug=slug, **values)
        if isinstance(obj, Moderated):
            services.publish_imported(obj=obj)
        else:
            obj.save()
        report.add(kind, slug, "created")
        return obj, True
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.save()
    report.add(kind, slug, "updated" if changed else "unchanged", ", ".join(changed))
    return obj, bool(changed)


def _set_m2m(manager, objects) -> bool:
    wanted = {o.pk for o in objects}
    current = set(manager.values_list("pk", flat=True))
    if wanted != current:
        manager.set(objects)
        return True
    return False


def import_catalogue(data, *, dry_run: bool = False) -> ImportReport:
    """Create or update needs, tools and guides by slug. Rows with errors are reported and
    skipped; a file that is not a catalogue at all is refused whole. ``dry_run`` rolls back."""
    report = ImportReport()
    if not isinstance(data, dict) or not any(k in data for k in ("needs", "tools", "guides")):
        report.error = "ce n'est pas un catalogue (clés attendues : needs, tools, guides)"
        return report
    try:
        with transaction.atomic():
            _import(data, report)
            if not dry_run:
                _reindex(report)
            if dry_run:
                raise _DryRun
            report.applied = True
    except _DryRun:
        pass
    return report


class _DryRun(Exception):
    pass


def _reindex(report) -> None:
    """Needs and replacements are set after each save: index the final state once."""
    touched = {r.slug for r in report.rows if r.action in ("created", "updated")}
    for tool in Tool.objects.filter(slug__in=touched):
        search.index_object(tool)
    for guide in Guide.objects.filter(slug__in=touched):
        search.index_object(guide)


def _import(data, report):
    needs = {n.slug: n for n in Need.objects.all()}
    # Parents first, so a child can reference a parent defined later in the file.
    need_entries = sorted(data.get("needs") or [], key=lambda e: bool(e.get("parent")))
    for position, entry in enumerate(need_entries):
        try:
            slug = _slug(entry)
            parent_slug = entry.get("parent")
            parent = needs.get(parent_slug) if parent_slug else None
            if parent_slug and parent is None:
                raise ValueError(f"besoin parent « {parent_slug} » inconnu")
            if parent is not None and parent.parent_id is not None:
                raise ValueError("deux niveaux de besoins au plus")
            values = {
                "name": _text(entry, "name", required=True, max_length=120),
                "description": _text(entry, "description", max_length=300),
                "parent": parent,
                "position": position,
            }
        except (ValueError, AttributeError) as exc:
            report.add("need", str(entry.get("slug", "?"))[:80], "skipped", str(exc))
            continue
        needs[slug], _changed = _save(Need, slug, values, report, "need")

    tools = {t.slug: t for t in Tool.objects.all()}
    pending_links = []
    for entry in data.get("tools") or []:
        try:
            slug = _slug(entry)
            values = _tool_values(entry)
            entry_needs = []
            for need_slug in entry.get("needs") or []:
                if need_slug not in needs:
                    raise ValueError(f"besoin « {need_slug} » inconnu")
                entry_needs.append(needs[need_slug])
        except (ValueError, AttributeError, TypeError) as exc:
            report.add("tool", str(entry.get("slug", "?"))[:80], "skipped", str(exc))
            continue
        tool, _changed = _save(Tool, slug, values, report, "tool")
        tools[slug] = tool
        if _set_m2m(tool.needs, entry_needs) and report.rows[-1].action == "unchanged":
            report.rows[-1].action, report.rows[-1].reason = "updated", "besoins"
        pending_links.append((tool, entry.get("replaces") or [], len(report.rows) - 1))

    # Replacements once every tool exists.
    for tool, replaces, row_index in pending_links:
        wanted = {}
        for item in replaces:
            target = tools.get(item.get("slug")) if isinstance(item, dict) else None
            if target is None or target == tool:
                report.rows[row_index].reason += f" remplacement ignoré : « {item} » inconnu"
                continue
            wanted[target.pk] = str(item.get("reason", ""))[:300]
        current = {r.replaced_id: r for r in tool.replacements.all()}
        changed = False
        for pk, reason in wanted.items():
            existing = current.get(pk)
            if existing is None:
                Replacement.objects.create(tool=tool, replaced_id=pk, reason=reason)
                changed = True
            elif existing.reason != reason:
                existing.reason = reason
                existing.save(update_fields=["reason"])
                changed = True
        stale = [pk for pk in current if pk not in wanted]
        if stale:
            tool.replacements.filter(replaced_id__in=stale).delete()
            changed = True
        if changed and report.rows[row_index].action == "unchanged":
            report.rows[row_index].action = "updated"
            report.rows[row_index].reason = "remplacements"

    for entry in data.get("guides") or []:
        try:
            slug = _slug(entry)
            values = {
                "title": _text(entry, "title", required=True, max_length=200),
                "summary": _text(entry, "summary", required=True, max_length=400),
                "body": _text(entry, "body", required=True, max_length=50000),
                "difficulty": _choice(
                    entry.get("difficulty"), Difficulty, "difficulté", Difficulty.BEGINNER
                ),
            }
            guide_tools = [tools[s] for s in entry.get("tools") or [] if s in tools]
            guide_needs = [needs[s] for s in entry.get("needs") or [] if s in needs]
        except (ValueError, AttributeError, TypeError) as exc:
            report.add("guide", str(entry.get("slug", "?"))[:80], "skipped", str(exc))
            continue
        guide, _changed = _save(Guide, slug, values, report, "guide")
        links_changed = _set_m2m(guide.tools, guide_tools) | _set_m2m(guide.needs, guide_needs)
        if links_changed and report.rows[-1].action == "unchanged":
            report.rows[-1].action, report.rows[-1].reason = "updated", "liens"


def load_catalogue_file(path) -> ImportReport:
    """Read a JSON file (size-limited) and import it."""
    report = ImportReport()
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        report.error = f"fichier illisible ({exc.strerror})"
        return report
    if len(raw) > MAX_FILE_BYTES:
        report.error = "fichier trop gros (20 Mo au plus)"
        return report
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        report.error = "le fichier doit être encodé en UTF-8"
        return report
    except json.JSONDecodeError as exc:
        report.error = f"JSON invalide ligne {exc.lineno}, colonne {exc.colno}"
        return report
    return import_catalogue(data)
