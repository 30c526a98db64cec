"""The team's call form: the call itself, then three repeated fieldsets (priority orientations,
documents asked for, review grid). Plain formsets with blank rows: no JavaScript needed."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.models.organisations import BudgetBand, MembersBand, Sector

from ..models import Call, CallStatus, PriorityKind

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
LEVELS = range(6)


class Checkboxes(forms.CheckboxSelectMultiple):
    """Each box in its own label, without a wrapping element per option (a lighter page)."""

    template_name = "fund/widgets/checkboxes.html"


def _date_field(label):
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y"),
        help_text=_("Au format jj/mm/aaaa."),
        error_messages={
            "invalid": _("Écrivez la date au format jj/mm/aaaa, par exemple 15/01/2027.")
        },
    )


class CallForm(forms.ModelForm):
    slug = forms.SlugField(
        label=_("Adresse courte"),
        required=False,
        max_length=220,
        help_text=_("Dans l'adresse de la page ; laissée vide, elle est tirée du titre."),
    )
    opens_on = _date_field(_("Ouverture le"))
    closes_on = _date_field(_("Clôture le"))
    department_codes = forms.CharField(
        label=_("Départements éligibles"),
        required=False,
        max_length=300,
        help_text=_("Leurs codes séparés par des virgules (par exemple « 37, 45 ») ; vide : tous."),
    )
    members_bands = forms.MultipleChoiceField(
        label=_("Tailles éligibles (vide : toutes)"),
        choices=MembersBand.choices,
        required=False,
        widget=Checkboxes,
    )
    budget_bands = forms.MultipleChoiceField(
        label=_("Budgets annuels éligibles (vide : tous)"),
        choices=BudgetBand.choices,
        required=False,
        widget=Checkboxes,
    )
    sectors = forms.MultipleChoiceField(
        label=_("Secteurs éligibles (vide : tous)"),
        choices=Sector.choices,
        required=False,
        widget=Checkboxes,
    )
    checklist_text = forms.CharField(
        label=_("Attestations à cocher par l'association"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Une phrase par ligne, par exemple « Nous avons lu le règlement de l'appel. »"),
    )

    class Meta:
        model = Call
        fields = [
            "title",
            "slug",
            "summary",
            "text",
            "budget_euros",
            "budget_days",
            "day_value_euros",
            "opens_on",
            "closes_on",
            "verified_only",
            "individual_support",
            "individual_max_days",
            "collective_support",
            "cohort_min",
            "cohort_max",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}
        help_texts = {"text": _("En Markdown : **gras**, listes avec « - », titres avec « ## ».")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        call = self.instance
        if call.pk:
            self.initial.setdefault(
                "department_codes", ", ".join(d.code for d in call.departments.order_by("code"))
            )
            self.initial.setdefault("members_bands", call.members_bands)
            self.initial.setdefault("budget_bands", call.budget_bands)
            self.initial.setdefault("sectors", call.sectors)
            self.initial.setdefault("checklist_text", "\n".join(call.checklist))
        for name in ("budget_euros", "budget_days", "day_value_euros", "individual_max_days"):
            self.fields[name].min_value = 0
        self.fields["budget_days"].error_messages["invalid"] = _(
            "Un nombre de jours, comme 20 ou 2,5."
        )

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("title") or "")[:200]
        if slug == "nouveau":  # the address of the creation page
            slug = "appel-nouveau"
        return slug

    def clean_department_codes(self):
        raw = self.cleaned_data.get("department_codes", "")
        return [c.strip().upper() for c in raw.replace(";", ",").split(",") if c.strip()]

    def clean_checklist_text(self):
        lines = self.cleaned_data.get("checklist_text", "").splitlines()
        return [line.strip() for line in lines if line.strip()]

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("La clôture ne peut pas précéder l'ouverture."))
        if not data.get("individual_support") and not data.get("collective_support"):
            self.add_error(
                "individual_support",
                _("Proposez au moins un format : individuel ou collectif."),
            )
        if (data.get("day_value_euros") or 0) <= 0 and "day_value_euros" not in self.errors:
            self.add_error(
                "day_value_euros", _("Indiquez la valeur d'une journée, en euros (plus de 0).")
            )
        cohort_min, cohort_max = data.get("cohort_min"), data.get("cohort_max")
        if cohort_min and cohort_max and cohort_max < cohort_min:
            self.add_error("cohort_max", _("La taille maximale doit dépasser la taille minimale."))
        if not data.get("slug") and not self.has_error("title"):
            self.add_error("slug", _("Choisissez une adresse courte (lettres, chiffres, tirets)."))
        return data

    def call_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data.update(
            members_bands=self.cleaned_data["members_bands"],
            budget_bands=self.cleaned_data["budget_bands"],
            sectors=self.cleaned_data["sectors"],
            checklist=self.cleaned_data["checklist_text"],
        )
        return data


class RowForm(forms.Form):
    """A repeated row: blank means "not used" (a blank row with an id means "remove it")."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    KEY = ""

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get(self.KEY) or "").strip()

    def row(self) -> dict | None:
        if not hasattr(self, "cleaned_data") or self.is_blank():
            return None
        return dict(self.cleaned_data)


class PriorityForm(RowForm):
    KEY = "kind"
    kind = forms.ChoiceField(
        label=_("Type d'orientation"),
        choices=[("", "—"), *PriorityKind.choices],
        required=False,
    )
    parameter = forms.CharField(
        label=_("Paramètre"),
        required=False,
        max_length=60,
        help_text=_(
            "Nombre d'habitants (commune de moins de N), clé de l'axe, code du secteur ou du "
            "département ; vide pour une première demande."
        ),
    )
    label = forms.CharField(
        label=_("Libellé public (vide : écrit pour vous)"), required=False, max_length=200
    )
    weight = forms.IntegerField(label=_("Points"), required=False, min_value=1, max_value=100)

    def clean(self):
        data = super().clean()
        if data.get("kind") and not data.get("weight"):
            data["weight"] = 1
        return data


class DocumentForm(RowForm):
    KEY = "label"
    label = forms.CharField(label=_("Document"), required=False, max_length=200)
    help_text = forms.CharField(label=_("Précision"), required=False, max_length=300)
    required = forms.BooleanField(label=_("Obligatoire"), required=False, initial=True)


class CriterionForm(RowForm):
    KEY = "title"
    title = forms.CharField(label=_("Intitulé du critère"), required=False, max_length=200)
    weight = forms.IntegerField(
        label=_("Poids (1 à 10)"), required=False, min_value=1, max_value=10
    )
    levels = forms.CharField(
        label=_("Repères des notes 0 à 5 (six lignes, facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_levels(self):
        lines = [line.strip() for line in self.cleaned_data.get("levels", "").splitlines()]
        lines = [line for line in lines if line]
        if lines and len(lines) != len(LEVELS):
            raise ValidationError(
                _(
                    "Écrivez six repères, un par ligne, de la note 0 à la note 5 (vous en avez "
                    "écrit %(n)s)."
                )
                % {"n": len(lines)}
            )
        if any(len(line) > 300 for line in lines):
            raise ValidationError(_("Un repère tient en 300 caractères au plus."))
        return lines

    def clean(self):
        data = super().clean()
        if (data.get("title") or "").strip() and not data.get("weight"):
            data["weight"] = 1
        return data


class BaseRowFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        return [row for form in self.forms if (row := form.row())]

    def removed_ids(self) -> set[int]:
        return {
            form.cleaned_data["id"]
            for form in self.forms
            if hasattr(form, "cleaned_data") and form.cleaned_data.get("id") and form.is_blank()
        }


class CriteriaFormSet(BaseRowFormSet):
    def clean(self):
        if any(form.errors for form in self.forms):
            return
        if not self.rows():
            raise ValidationError(
                _("La grille d'évaluation compte au moins un critère (noté de 0 à 5).")
            )


def _formset(form, base=BaseRowFormSet, extra=1):
    return forms.formset_factory(form, formset=base, extra=extra, max_num=20, absolute_max=30)


# One blank row each (a saved call shows a new blank row); a new call gets three criteria.
PriorityFormSet = _formset(PriorityForm)
DocumentFormSet = _formset(DocumentForm)
CriterionFormSet = _formset(CriterionForm, CriteriaFormSet)
NewCriterionFormSet = _formset(CriterionForm, CriteriaFormSet, extra=3)


def formsets_for(call: Call | None, data=None) -> dict:
    """The three repeated fieldsets, filled from the call's rows (plus two blank rows each)."""
    initial = {"priorities": [], "documents": [], "criteria": []}
    if call is not None and call.pk:
        initial["priorities"] = [
            {
                "id": p.pk,
                "kind": p.kind,
                "parameter": p.parameter,
                "label": p.label,
                "weight": p.weight,
            }
            for p in call.priorities.all()
        ]
        initial["documents"] = [
            {"id": d.pk, "label": d.label, "help_text": d.help_text, "required": d.required}
            for d in call.documents.all()
        ]
        initial["criteria"] = [
            {
                "id": c.pk,
                "title": c.title,
                "weight": c.weight,
                "levels": "\n".join(c.levels),
            }
            for c in call.criteria.all()
        ]
    return {
        "priorities": PriorityFormSet(data, initial=initial["priorities"], prefix="priorites"),
        "documents": DocumentFormSet(data, initial=initial["documents"], prefix="documents"),
        "criteria": (CriterionFormSet if initial["criteria"] else NewCriterionFormSet)(
            data, initial=initial["criteria"], prefix="grille"
        ),
    }


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=CallStatus.choices)
    reason = forms.CharField(
        label=_("Motif (facultatif, gardé dans l'historique)"), required=False, max_length=500
    )
