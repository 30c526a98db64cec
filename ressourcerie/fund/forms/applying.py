"""The association's forms: choosing the association that applies, the dossier (only what the
platform does not know), withdrawing."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import documents, text
from ..errors import FundError
from ..models import SupportFormat
from ..services.applying import COFUNDING_MAX, PROJECT_MAX, offered_formats


class ChooseOrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None,
        label=gettext_lazy("Au nom de quelle association ?"),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": gettext_lazy("Choisissez l'association qui dépose le dossier."),
            "invalid_choice": gettext_lazy("Choisissez une association dont vous êtes membre."),
        },
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


def _document_help(requested) -> str:
    parts = [requested.help_text] if requested.help_text else []
    parts.append(
        _("%(kinds)s, %(max)s Mo au plus.")
        % {"kinds": documents.ACCEPTED_LABELS, "max": documents.max_bytes() // (1024 * 1024)}
    )
    if not requested.required:
        parts.append(_("Facultatif."))
    return " ".join(parts)


class ApplicationForm(forms.Form):
    """The draft. Every field may stay empty while it is a draft; what a deposit needs is
    listed by ``services.applications.missing_for_submission``."""

    project = forms.CharField(
        label=gettext_lazy("Votre projet en quelques lignes"),
        help_text=gettext_lazy(
            "Ce que vous voulez changer, pour qui, avec qui et pour quand (2 000 caractères au plus)."
        ),
        max_length=PROJECT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    support_format = forms.ChoiceField(
        label=gettext_lazy("Format d'accompagnement souhaité"),
        required=False,
        widget=forms.RadioSelect,
    )
    action_keys = forms.MultipleChoiceField(
        label=gettext_lazy("Les actions de votre plan à faire accompagner"),
        help_text=gettext_lazy(
            "Elles viennent de votre autodiagnostic : cochez celles pour lesquelles vous "
            "demandez un accompagnement."
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    days_requested = forms.DecimalField(
        label=gettext_lazy("Nombre de jours d'accompagnement souhaités"),
        required=False,
        min_value=0.5,
        max_digits=4,
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
    )
    cofunding = forms.CharField(
        label=gettext_lazy("Cofinancements"),
        help_text=gettext_lazy(
            "Les autres financements de ce projet, obtenus ou demandés (facultatif, "
            "1 000 caractères au plus)."
        ),
        max_length=COFUNDING_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    checklist_ticked = forms.MultipleChoiceField(
        label=gettext_lazy("Attestations"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, application, **kwargs):
        self.application = application
        call = application.call
        snapshot = application.diagnostic_snapshot
        kwargs.setdefault(
            "initial",
            {
                "project": application.project,
                "support_format": application.support_format,
                "action_keys": application.action_keys,
                "days_requested": application.days_requested,
                "cofunding": application.cofunding,
                "checklist_ticked": [
                    str(index)
                    for index, item in enumerate(call.checklist)
                    if item in application.checklist_ticked
                ],
            },
        )
        super().__init__(*args, **kwargs)
        labels = dict(SupportFormat.choices)
        self.fields["support_format"].choices = [
            (value, labels[value]) for value in offered_formats(call)
        ]
        priority_axes = {a["key"] for a in snapshot.get("axes", []) if a.get("priority")}
        self.fields["action_keys"].choices = [
            (
                action["key"],
                f"{action['title']} ({action['axis_name']}"
                + (_(", thème prioritaire") if action["axis_key"] in priority_axes else "")
                + ")",
            )
            for action in snapshot.get("actions", [])
        ]
        self.fields["days_requested"].validators.append(
            MaxValueValidator(
                call.individual_max_days,
                message=_("Cet appel accorde au plus %(max)s jours par association.")
                % {"max": text.days(call.individual_max_days)},
            )
        )
        self.fields["days_requested"].help_text = _(
            "Par demi-journées, %(max)s jours au plus pour cet appel."
        ) % {"max": text.days(call.individual_max_days)}
        self.fields["checklist_ticked"].choices = [
            (str(index), item) for index, item in enumerate(call.checklist)
        ]
        if not call.checklist:
            del self.fields["checklist_ticked"]
        self.requested = list(call.documents.all())
        self.checked = {}
        for requested in self.requested:
            self.fields[f"document_{requested.pk}"] = forms.FileField(
                label=requested.label,
                help_text=_document_help(requested),
                required=False,
            )

    def document_fields(self):
        return [self[f"document_{r.pk}"] for r in self.requested]

    def main_fields(self):
        return [field for field in self if not field.name.startswith("document_")]

    def clean(self):
        cleaned = super().clean()
        for requested in self.requested:
            name = f"document_{requested.pk}"
            upload = cleaned.get(name)
            if not upload:
                continue
            try:
                self.checked[requested.pk] = documents.check_upload(upload)
            except FundError as error:
                self.add_error(name, error.message)
        return cleaned

    def service_fields(self) -> dict:
        data = self.cleaned_data
        checklist = self.application.call.checklist
        return {
            "project": data.get("project", ""),
            "support_format": data.get("support_format", ""),
            "action_keys": data.get("action_keys", []),
            "days_requested": data.get("days_requested"),
            "cofunding": data.get("cofunding", ""),
            "checklist_ticked": [
                checklist[int(index)] for index in data.get("checklist_ticked", [])
            ],
        }

    def uploads(self) -> list:
        return [(r, self.checked[r.pk]) for r in self.requested if r.pk in self.checked]


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Je confirme retirer ce dossier : il ne sera pas examiné et ne pourra pas être repris."
        ),
        error_messages={
            "required": gettext_lazy("Cochez la case pour confirmer le retrait du dossier.")
        },
    )
