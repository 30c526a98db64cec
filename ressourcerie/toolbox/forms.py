import difflib
import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.forms import HoneypotMixin

from .licences import is_valid_spdx
from .models import Difficulty, Hosting, Need, Platform, Price, Tool
from .selectors import ToolFilters


def _need_choices():
    choices = [("", _("Tous les besoins"))]
    for parent in Need.objects.filter(parent__isnull=True).prefetch_related("children"):
        children = [(c.slug, c.name) for c in parent.children.all()]
        choices.append((parent.name, [(parent.slug, _("Tout « %s »") % parent.name), *children]))
    return choices


class ToolSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Que cherchez-vous ?"),
        required=False,
        max_length=200,
        help_text=_("Par exemple : « alternative à Zoom », « compta », « sondage de dates »."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    need = forms.ChoiceField(label=_("Besoin"), required=False)
    libre = forms.BooleanField(label=_("Logiciels libres uniquement"), required=False)
    gratuit = forms.BooleanField(label=_("Gratuit pour une association"), required=False)
    ue = forms.BooleanField(
        label=_("Données en France, dans l'UE ou sur votre appareil"), required=False
    )
    difficulte = forms.ChoiceField(
        label=_("Prise en main"),
        required=False,
        choices=[("", _("Tous niveaux")), *Difficulty.choices],
    )
    plateforme = forms.ChoiceField(
        label=_("Plateforme"), required=False, choices=[("", _("Toutes")), *Platform.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = _need_choices()

    def clean_q(self):
        # Control characters never reach the search engine.
        value = self.cleaned_data.get("q", "")
        return "".join(c for c in value if c.isprintable()).strip()

    def filters(self) -> ToolFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return ToolFilters(
            need=data.get("need", ""),
            free_software=bool(data.get("libre")),
            free_for_associations=bool(data.get("gratuit")),
            eu_hosted=bool(data.get("ue")),
            difficulty=data.get("difficulte", ""),
            platform=data.get("plateforme", ""),
        )


def _folded(text: str) -> str:
    """Lower case without accents, spaces or dashes: "Libre Office" finds "LibreOffice"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


class ToolNamesWidget(forms.Widget):
    """Four text boxes sharing one name (``?outils=a&outils=b``): typing a name replaces a
    select of every tool (180 options weighed on the page's budgets; #19)."""

    template_name = "toolbox/_tool_names_widget.html"
    use_fieldset = True
    slots = 4

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.names: dict[str, str] = {}  # slug -> name, to show names where slugs came

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if isinstance(values, str):
            values = [values]
        return [str(v)[:100] for v in (values or [])][:10]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = [self.names.get(v, v) for v in (value or []) if v]
        values = (values + [""] * self.slots)[: max(self.slots, len(values))]
        attrs = context["widget"]["attrs"]
        base = attrs.get("id", f"id_{name}")
        context["describedby"] = attrs.get("aria-describedby", "")
        context["invalid"] = attrs.get("aria-invalid", "")
        context["inputs"] = [
            {"id": f"{base}_{index}", "value": value, "number": index + 1}
            for index, value in enumerate(values)
        ]
        return context

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_


class CompareForm(forms.Form):
    outils = forms.Field(
        label=_("Outils à comparer"),
        help_text=_("Écrivez le nom de 2 à 4 outils, par exemple Nextcloud et CryptPad."),
        widget=ToolNamesWidget,
        error_messages={"required": _("Écrivez le nom d'au moins 2 outils à comparer.")},
    )

    def __init__(self, *args, tools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tools = {t.slug: t for t in tools}
        self.lookup = {}
        for tool in tools:
            self.lookup.setdefault(_folded(tool.name), tool.slug)
            self.lookup.setdefault(_folded(tool.slug), tool.slug)
        self.fields["outils"].widget.names = {t.slug: t.name for t in tools}

    def clean_outils(self):
        typed = [v.strip() for v in self.cleaned_data["outils"] or [] if v and v.strip()]
        slugs, unknown = [], []
        for value in typed:
            slug = self.lookup.get(_folded(value))
            (slugs if slug else unknown).append(slug or value)
        if unknown:
            names = [t.name for t in self.tools.values()]
            close = difflib.get_close_matches(unknown[0], names, n=3, cutoff=0.6)
            message = _("« %(name)s » n'est pas dans le catalogue.") % {"name": unknown[0]}
            if close:
                message += " " + _("Vouliez-vous dire : %(names)s ?") % {"names": ", ".join(close)}
            raise forms.ValidationError(message)
        slugs = list(dict.fromkeys(slugs))
        if len(slugs) < 2:
            raise forms.ValidationError(_("Choisissez au moins 2 outils à comparer."))
        if len(slugs) > 4:
            raise forms.ValidationError(_("Vous pouvez comparer 4 outils au plus."))
        return slugs


class StarterForm(forms.Form):
    MAX_NEEDS = 5

    need = forms.MultipleChoiceField(
        label=_("De quoi votre association a-t-elle besoin ?"),
        help_text=_("Cochez un ou plusieurs besoins (5 au plus)."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins un besoin.")},
    )
    level = forms.ChoiceField(
        label=_("Votre aisance avec l'informatique"),
        choices=[
            ("debutant", _("Débutant : des outils simples, sans installation technique")),
            ("avance", _("À l'aise : tous les outils, y compris en ligne de commande")),
        ],
        initial="debutant",
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [
            (parent.name, [(c.slug, c.name) for c in parent.children.all()])
            for parent in Need.objects.filter(parent__isnull=True).prefetch_related("children")
        ]

    def clean_need(self):
        slugs = list(dict.fromkeys(self.cleaned_data["need"]))
        if len(slugs) > self.MAX_NEEDS:
            raise forms.ValidationError(
                _("Cochez %(n)s besoins au plus : commencez par les plus urgents.")
                % {"n": self.MAX_NEEDS}
            )
        return slugs

    @property
    def beginner(self) -> bool:
        return self.cleaned_data.get("level") != "avance"


class ToolProposalForm(HoneypotMixin, forms.ModelForm):
    """A signed-in person proposes a tool; it is published after moderation."""

    needs = forms.ModelMultipleChoiceField(
        label=_("Besoins auxquels il répond"),
        queryset=Need.objects.filter(parent__isnull=False),
        widget=forms.CheckboxSelectMultiple,
    )
    hosting_choices = forms.MultipleChoiceField(
        label=_("Hébergement"),
        choices=Hosting.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    platform_choices = forms.MultipleChoiceField(
        label=_("Plateformes"),
        choices=Platform.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Tool
        fields = [
            "name",
            "pitch",
            "website",
            "licence",
            "price",
            "price_note",
            "data_location",
            "difficulty",
            "description",
        ]
        help_texts = {
            "pitch": _("200 caractères au plus : ce que l'outil apporte à une association."),
            "licence": _(
                "Identifiant SPDX, par exemple AGPL-3.0-or-later, GPL-3.0-or-later, MIT ; "
                "« LicenseRef-proprietary » pour un logiciel propriétaire."
            ),
            "description": _("Markdown simple accepté (listes, liens, gras)."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].required = True
        self.fields["price"].choices = Price.choices

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Tool.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                _("« %(name)s » est déjà dans le catalogue : proposez plutôt une correction.")
                % {"name": name}
            )
        return name

    def clean_licence(self):
        licence = self.cleaned_data["licence"].strip()
        if not is_valid_spdx(licence):
            raise forms.ValidationError(
                _("Identifiant de licence inconnu. Exemples : AGPL-3.0-or-later, MIT, MPL-2.0.")
            )
        return licence


CORRECTION_FIELDS = [
    ("website", _("Site web")),
    ("licence", _("Licence")),
    ("price", _("Prix")),
    ("data_location", _("Localisation des données")),
    ("rgpd_note", _("Données personnelles")),
    ("accessibility_note", _("Accessibilité")),
    ("sobriety_note", _("Sobriété")),
    ("description", _("Description")),
    ("other", _("Autre chose")),
]


class ToolCorrectionForm(HoneypotMixin, forms.Form):
    field = forms.ChoiceField(label=_("Ce qui est à corriger"), choices=CORRECTION_FIELDS)
    proposed_value = forms.CharField(
        label=_("Votre correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Dites ce qui est faux et ce qu'il faudrait écrire à la place."),
    )
    source = forms.URLField(
        label=_("Source (facultatif)"),
        required=False,
        help_text=_("Un lien qui permet à l'équipe de vérifier."),
    )
