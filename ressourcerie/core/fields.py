"""Form fields shared by every part."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Commune
from .territories import resolve_commune

MAX_COMMUNE_TEXT = 120


@dataclass(frozen=True)
class CommuneInput:
    """What the browser sent: the typed text and, after an ambiguity, the chosen INSEE code."""

    text: str = ""
    choice: str = ""

    def __str__(self):
        return self.text


class CommuneWidget(forms.TextInput):
    """A text input; below it, when the text was ambiguous or unknown, radio buttons with the
    candidates (no JavaScript needed: the person picks one and sends the form again)."""

    template_name = "core/widgets/commune.html"
    choice_suffix = "_choix"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "address-level2", **(attrs or {})})
        self.candidates: list[Commune] = []
        self.suggested = False
        self.chosen = ""

    def value_from_datadict(self, data, files, name):
        text = data.get(name)
        choice = data.get(name + self.choice_suffix)
        if text is None and choice is None:
            return None
        return CommuneInput(text=str(text or ""), choice=str(choice or ""))

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + self.choice_suffix not in data

    def format_value(self, value):
        if isinstance(value, CommuneInput):
            value = value.text
        elif isinstance(value, Commune):
            value = value.label
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["choice_name"] = name + self.choice_suffix
        context["widget"]["suggested"] = self.suggested
        context["widget"]["candidates"] = [
            (c.insee, _candidate_label(c), c.insee == self.chosen) for c in self.candidates
        ]
        return context


def _candidate_label(commune: Commune) -> str:
    codes = commune.postal_codes.split()
    postal = f" — {codes[0]}" if len(codes) == 1 else (f" — {codes[0]}…" if codes else "")
    return f"{commune.name} ({commune.department.name}, {commune.department.code}){postal}"


class CommuneField(forms.Field):
    """Free text ("44000", "Nantes", "Saint-Nazaire (44)") resolved to one Commune."""

    widget = CommuneWidget
    default_error_messages = {
        "required": _("Indiquez la commune (son nom ou son code postal)."),
        "too_long": _("Ce texte est trop long pour un nom de commune."),
        "ambiguous": _(
            "Plusieurs communes correspondent à « %(text)s » : choisissez la vôtre ci-dessous, "
            "ou ajoutez le code postal ou le département, par exemple « Saint-Denis (93) »."
        ),
        "unknown": _(
            "Nous ne trouvons pas de commune « %(text)s ». Vérifiez l'orthographe ou tapez le "
            "code postal."
        ),
        "suggestions": _(
            "Nous ne trouvons pas de commune « %(text)s ». Vouliez-vous dire : %(names)s ? "
            "Choisissez ci-dessous ou corrigez le texte."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Commune"))
        kwargs.setdefault(
            "help_text", _("Son nom ou son code postal, par exemple « Nantes » ou « 44000 ».")
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, Commune):
            return CommuneInput(text=value.label)
        if isinstance(value, CommuneInput):
            return CommuneInput(text=value.text.strip(), choice=value.choice.strip())
        return CommuneInput(text=str(value or "").strip())

    def validate(self, value):
        pass  # everything happens in clean(), which needs the resolution

    def clean(self, value):
        data = self.to_python(value)
        self.widget.candidates, self.widget.suggested, self.widget.chosen = [], False, ""
        if not data.text:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if len(data.text) > MAX_COMMUNE_TEXT or "\x00" in data.text:
            raise ValidationError(self.error_messages["too_long"], code="too_long")
        resolution = resolve_commune(data.text)
        if resolution.commune is not None:
            return resolution.commune
        params = {"text": data.text}
        if resolution.communes:
            candidates, code = resolution.communes, "ambiguous"
        elif resolution.suggestions:
            candidates, code = resolution.suggestions, "suggestions"
            params["names"] = ", ".join(c.label for c in candidates)
            self.widget.suggested = True
        else:
            raise ValidationError(self.error_messages["unknown"], code="unknown", params=params)
        self.widget.candidates = candidates
        for commune in candidates:
            if data.choice and commune.insee == data.choice:
                # Keep the radios, checked, in case another field sends the form back.
                self.widget.chosen = commune.insee
                return commune
        raise ValidationError(self.error_messages[code], code=code, params=params)


__all__ = ["CommuneField", "CommuneInput", "CommuneWidget"]
