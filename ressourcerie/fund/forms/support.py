"""Forms of the support itself (part 2). Values stay strings where the service checks them,
so a refusal keeps what was typed and says why in French."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.models import Organisation
from ressourcerie.core.models.organisations import OrganisationKind
from ressourcerie.core.territories import resolve_commune

from ..models import DeclineReason, DurationUnit, Provider
from .calls import Checkboxes

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Pourquoi déclinez-vous ?"), choices=DeclineReason.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Précision (obligatoire pour « Autre raison »)"), max_length=500, required=False
    )


class SessionForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date de la séance"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    duration = forms.CharField(label=_("Durée"), max_length=6, help_text=_("Par exemple 3 ou 1,5."))
    unit = forms.ChoiceField(
        label=_("Unité"), choices=DurationUnit.choices, widget=forms.RadioSelect
    )
    action_keys = forms.MultipleChoiceField(
        label=_("Actions travaillées"), widget=Checkboxes, required=False
    )
    attendees = forms.CharField(
        label=_("Participants (prénoms, rôles)"), max_length=500, required=False
    )
    note = forms.CharField(
        label=_("Note courte"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_keys"].choices = [(a["key"], a["title"]) for a in actions]

    def session_kwargs(self) -> dict:
        """What ``support_sessions.log_session`` takes from the form, once valid."""
        data = self.cleaned_data
        keys = ("held_on", "duration", "unit", "action_keys", "attendees", "note")
        return {key: data[key] for key in keys}


class CohortSessionForm(SessionForm):
    """A cohort's session: which member associations attended, and the planned agenda
    session it delivers (carried from the « Enregistrer cette séance » link)."""

    present = forms.MultipleChoiceField(
        label=_("Associations présentes"), widget=Checkboxes, required=False
    )
    event = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    field_order = ["held_on", "duration", "unit", "action_keys", "present", "attendees", "note"]

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (str(m.pk), m.application.organisation.name) for m in members
        ]

    def session_kwargs(self) -> dict:
        data = self.cleaned_data
        return super().session_kwargs() | {
            "event_id": data["event"],
            "present_ids": data["present"],
        }


class CheckForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Cette séance"),
        choices=[("confirmer", _("A bien eu lieu")), ("contester", _("Ne correspond pas"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire (obligatoire si vous contestez)"), max_length=1000, required=False
    )


class ReportForm(forms.Form):
    report = forms.CharField(
        label=_("Bilan de l'accompagnement"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ce qui a été fait, ce qui reste à faire : quelques lignes."),
    )


class SatisfactionForm(forms.Form):
    score = forms.ChoiceField(
        label=_("Votre satisfaction (1 = pas du tout, 5 = tout à fait)"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), max_length=500)


class GrantForm(forms.Form):
    days = forms.CharField(label=_("Jours accordés"), max_length=6)
    reason = forms.CharField(label=_("Motif du changement"), max_length=500)


class ProposeForm(forms.Form):
    organisations = forms.MultipleChoiceField(
        label=_("Acteurs à qui proposer"), widget=Checkboxes, required=False
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].choices = [
            (str(c.organisation.pk), f"{c.organisation.name} — {c.why}") for c in candidates
        ]


class AssignForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Prestataire agréé"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(label=_("Pourquoi cet acteur"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            fund_provider__is_active=True
        ).order_by("name")


class ProviderForm(forms.ModelForm):
    class Meta:
        model = Provider
        fields = ["organisation", "days_per_quarter", "is_active", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        structures = Organisation.objects.filter(kind=OrganisationKind.SUPPORT_STRUCTURE)
        if self.instance.pk:
            self.fields["organisation"].disabled = True
        else:
            structures = structures.exclude(fund_provider__isnull=False)
        self.fields["organisation"].queryset = structures.order_by("name")
        self.fields["organisation"].label = _("Structure d'accompagnement (annuaire)")

    def clean_days_per_quarter(self):
        days = self.cleaned_data["days_per_quarter"]
        if days is None or days < 0 or days > 999:
            raise forms.ValidationError(_("Indiquez entre 0 et 999 jours."))
        return days


MODES = [("presentiel", _("En présentiel")), ("en_ligne", _("En ligne"))]


class CohortEventForm(forms.Form):
    """A collective session of a cohort (an agenda event reserved to its members)."""

    title = forms.CharField(label=_("Titre"), max_length=200)
    day = forms.DateField(
        label=_("Date"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    start = forms.TimeField(
        label=_("Heure de début"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        label=_("Heure de fin"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    attendance_mode = forms.ChoiceField(
        label=_("Modalité"), choices=MODES, initial="presentiel", widget=forms.RadioSelect
    )
    address = forms.CharField(label=_("Adresse (en présentiel)"), max_length=300, required=False)
    commune = forms.CharField(
        label=_("Commune (en présentiel)"),
        max_length=120,
        required=False,
        help_text=_("Son nom, son code postal ou son code INSEE."),
    )
    online_url = forms.URLField(
        label=_("Lien de connexion (en ligne)"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )

    def clean_commune(self) -> str:
        """The INSEE code of the commune typed ("" when none)."""
        text = self.cleaned_data["commune"].strip()
        if not text:
            return ""
        resolution = resolve_commune(text)
        commune = resolution.commune or (
            resolution.communes[0] if resolution.communes and text.isdigit() else None
        )
        if commune is None:
            raise forms.ValidationError(
                _("Nous ne trouvons pas cette commune : essayez son code postal.")
            )
        return commune.insee
