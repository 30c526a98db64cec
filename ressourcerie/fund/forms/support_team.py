"""Forms of the team's support pages: the dashboard's call filter and the cohort's edits."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..selectors.support_dashboard import calls_for_filter


class DashboardFilterForm(forms.Form):
    appel = forms.ModelChoiceField(
        label=_("Appel"),
        queryset=calls_for_filter(),
        required=False,
        to_field_name="slug",
        empty_label=_("Tous les appels"),
    )

    def call(self):
        if not self.is_bound or not self.is_valid():
            return None
        return self.cleaned_data["appel"]


class ConfirmCohortForm(forms.Form):
    suggestion = forms.CharField(max_length=5000, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Nom du groupe"), max_length=200, required=False)


class AddMemberForm(forms.Form):
    support = forms.TypedChoiceField(label=_("Association à ajouter"), coerce=int)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support"].choices = [("", _("— choisir —")), *choices]


class RenameForm(forms.Form):
    name = forms.CharField(label=_("Nom du groupe"), max_length=200)


class DropForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi abandonner ce groupe ?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Avant toute proposition aux acteurs, ses associations redeviennent disponibles "
            "pour un autre groupe ; après, leurs accompagnements sont abandonnés avec lui."
        ),
    )
