"""Every model field that looks like a person's data is declared for export and erasure
(``personal_data.declare`` in the app's ``personal_data.py``) or listed below as not personal,
with a one-line reason. A new field that looks personal fails this test until it is one or
the other.

What "looks personal" (honest heuristics, no magic):

1. typed as an e-mail address (``EmailField``);
2. a text field (char, text, JSON) whose name has a word of ``PERSON_WORDS`` or is one of
   ``PERSON_NAMES`` (``contact_phone``, ``address``, ``message``, ``notes``…);
3. the ``name`` of a row that also holds an e-mail address (a contact's name);
4. free text (``TextField``) on a row that records a person: one with a foreign key to the
   user model or an e-mail address, or owned (CASCADE) by such a row. Free text someone
   writes on the platform is stored on the row that says who wrote it.

Fields with choices, slugs and URLs are codes or links, not a person's words.
"""

from django.apps import apps
from django.conf import settings
from django.db import models

from ressourcerie.accounts import personal_data

PERSON_WORDS = {
    "email",
    "emails",
    "mail",
    "phone",
    "telephone",
    "tel",
    "mobile",
    "address",
    "adresse",
    "nom",
    "prenom",
    "contact",
    "message",
    "comment",
    "comments",
    "note",
    "notes",
    "body",
    "answer",
    "answers",
    "text",
}
PERSON_NAMES = {"display_name", "first_name", "last_name", "full_name"}

# (model, field) → why it is not a person's data. "*" as model: that field on every model.
NOT_PERSONAL = {
    ("*", "moderation_reason"): "the team's words on its decision, not the submitter's",
    ("core.ModerationTransition", "reason"): "the team's reason, kept as history (actor nulled)",
    ("core.Organisation", "name"): "an association's public name",
    ("core.Organisation", "public_email"): "the structure's public address, shown on its page",
    ("core.Organisation", "description"): "the association's public presentation",
    ("core.SearchEntry", "body"): "search index of published content, rebuilt from its rows",
    ("core.SearchEntry", "body_shadow"): "search index of published content, as above",
    ("toolbox.Tool", "description"): "catalogue content describing software",
    ("toolbox.Tool", "price_note"): "catalogue content describing software",
    ("toolbox.Tool", "rgpd_note"): "catalogue content describing software",
    ("toolbox.Tool", "accessibility_note"): "catalogue content describing software",
    ("toolbox.Tool", "sobriety_note"): "catalogue content describing software",
    ("toolbox.Guide", "body"): "catalogue content: a how-to published for everyone",
    ("testimonials.Testimonial", "cost_note"): "the association's figures in its story",
    ("directory.Place", "address"): "a place's public address (national open-data standard)",
    ("directory.Place", "address_complement"): "a place's public address, as above",
    ("directory.Place", "phone"): "a place's public phone number, as above",
    ("directory.Place", "emails"): "a place's public addresses, as above",
    ("newsletter.Edition", "body"): "the team's newsletter, sent to every subscriber",
    ("diagnostic.Question", "text"): "questionnaire content written by the team",
    ("diagnostic.Question", "help_text"): "questionnaire content written by the team",
    ("diagnostic.RecommendationRule", "advice_text"): "questionnaire content by the team",
}


def _project_models():
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("ressourcerie.") and not m._meta.abstract
    ]


def _records_a_person(model, seen=()) -> bool:
    for f in model._meta.concrete_fields:
        if isinstance(f, models.EmailField):
            return True
        if f.is_relation and f.related_model._meta.label == settings.AUTH_USER_MODEL:
            return True
    for f in model._meta.concrete_fields:
        owner = f.related_model if f.is_relation else None
        if (
            owner is not None
            and owner not in seen
            and f.remote_field.on_delete is models.CASCADE
            and owner.__module__.startswith("ressourcerie.")
            and _records_a_person(owner, (*seen, model))
        ):
            return True
    return False


def _why_personal(model, field) -> str:
    """Which heuristic flags ``field`` ("" when none does)."""
    if isinstance(field, models.EmailField):
        return "typed as an e-mail address"
    if not isinstance(field, models.CharField | models.TextField | models.JSONField):
        return ""
    if field.choices or isinstance(field, models.SlugField | models.URLField):
        return ""
    if field.name in PERSON_NAMES or PERSON_WORDS & set(field.name.split("_")):
        return "named like a person's data"
    has_email = any(isinstance(f, models.EmailField) for f in model._meta.concrete_fields)
    if field.name == "name" and has_email:
        return "the name next to an e-mail address"
    if isinstance(field, models.TextField) and _records_a_person(model):
        return "free text on a row that records a person"
    return ""


def looks_personal() -> dict[tuple[str, str], str]:
    found = {}
    for model in _project_models():
        for field in model._meta.concrete_fields:
            why = _why_personal(model, field)
            if why:
                found[(model._meta.label, field.name)] = why
    return found


def _excluded(key) -> bool:
    return key in NOT_PERSONAL or ("*", key[1]) in NOT_PERSONAL


def test_every_field_that_looks_personal_is_declared_or_explained():
    declared = personal_data.declared_fields()
    missing = [
        f"{model}.{name} ({why})"
        for (model, name), why in sorted(looks_personal().items())
        if (model, name) not in declared and not _excluded((model, name))
    ]
    assert not missing, "Declare in the app's personal_data.py, or explain here:\n" + "\n".join(
        missing
    )


def test_declarations_name_real_fields_and_exclusions_are_still_needed():
    labels = {m._meta.label: m for m in _project_models()}
    for (model, name), (section, _held) in personal_data.declared_fields().items():
        assert model in labels, f"{section}: no model {model}"
        labels[model]._meta.get_field(name)  # raises FieldDoesNotExist
    flagged = looks_personal()
    stale = [
        key
        for key in NOT_PERSONAL
        if key[0] != "*" and key not in flagged  # an exclusion nothing needs any more
    ]
    assert not stale


def test_heuristics_flag_the_fields_of_the_security_review():
    # F3 of issue #12: these stayed after erasure. The heuristics must see them.
    flagged = looks_personal()
    for key in [
        ("donations.DeviceRequest", "contact_email"),
        ("donations.DeviceRequest", "contact_phone"),
        ("donations.Offer", "address"),
        ("core.OrganisationCorrection", "message"),
        ("directory.PlaceReport", "message"),
    ]:
        assert key in flagged
