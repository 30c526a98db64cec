"""Forms of the instruction: list filters, routing, notes and labels, moves, reviews,
messages, expert requests and answers, committee decisions."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.models import Department, Organisation
from ressourcerie.core.models.organisations import OrganisationKind

from ..models import ApplicationStatus, Call, Label, Recommendation, ReviewerGroup
from ..selectors.instruction import LISTED_STATUSES, ListFilters

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
SCORE_CHOICES = [("", _("— pas encore noté —"))] + [(str(n), str(n)) for n in range(6)]


class FilterSelect(forms.Select):
    """The filters' lists with their options written inline: an include per option was a
    fifth of the team's list page (#15 measure). No option groups nor option attributes."""

    template_name = "fund/widgets/select.html"


class FilterForm(forms.Form):
    """The team list's filters. Choices are read as (value, name) pairs, one query each and
    no model instances: the list is requested often and its lists are long (departments)."""

    call = forms.TypedChoiceField(
        label=_("Appel"), coerce=int, empty_value=None, required=False, widget=FilterSelect
    )
    status = forms.ChoiceField(label=_("État"), required=False, widget=FilterSelect)
    group = forms.TypedChoiceField(
        label=_("Groupe d'instruction"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=FilterSelect,
    )
    label = forms.TypedChoiceField(
        label=_("Étiquette"), coerce=int, empty_value=None, required=False, widget=FilterSelect
    )
    department = forms.ChoiceField(label=_("Département"), required=False, widget=FilterSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("Tous"))]
        fields = self.fields
        fields["call"].choices = every + list(
            Call.objects.order_by("-opens_on", "title").values_list("pk", "title")
        )
        fields["status"].choices = every + [(s.value, s.label) for s in LISTED_STATUSES]
        fields["group"].choices = every + list(ReviewerGroup.objects.values_list("pk", "name"))
        fields["label"].choices = [("", _("Toutes"))] + list(
            Label.objects.values_list("pk", "name")
        )
        fields["department"].choices = every + [
            (code, f"{code} — {name}")
            for code, name in Department.objects.order_by("code").values_list("code", "name")
        ]

    def filters(self) -> ListFilters:
        if not self.is_bound or not self.is_valid():
            return ListFilters()
        data = self.cleaned_data
        return ListFilters(
            call=data["call"],
            status=data["status"],
            group=data["group"],
            label=data["label"],
            department=data["department"],
        )

    def chosen_call(self) -> Call | None:
        """The call the list is narrowed to (exports name their file and columns after it)."""
        pk = self.filters().call
        return Call.objects.filter(pk=pk).first() if pk else None


class GroupForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Groupe d'instruction"),
        queryset=ReviewerGroup.objects.all(),
        required=False,
        empty_label=_("— aucun groupe —"),
    )


class AnnotationForm(forms.Form):
    body = forms.CharField(
        label=_("Nouvelle annotation (jamais montrée à l'association)"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LabelsForm(forms.Form):
    labels = forms.ModelMultipleChoiceField(
        label=_("Étiquettes"),
        queryset=Label.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_label = forms.CharField(label=_("Nouvelle étiquette"), max_length=60, required=False)


class MoveForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Étape"), choices=ApplicationStatus.choices)
    reason = forms.CharField(
        label=_("Motif (communiqué à l'association)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour une demande de correction ou pour rouvrir une décision."),
    )

    def __init__(self, *args, moves=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ApplicationStatus.choices)
        self.fields["to_status"].choices = [(m, labels[m]) for m in moves]


class ReviewForm(forms.Form):
    """One 0–5 field per criterion of the call's grid, with its guidance per level."""

    comment = forms.CharField(
        label=_("Commentaire"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    recommendation = forms.ChoiceField(
        label=_("Votre avis"),
        required=False,
        choices=[("", _("— à choisir —")), *Recommendation.choices],
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            levels = list(criterion.levels or [])
            guidance = " ".join(f"{n} : {text}." for n, text in enumerate(levels[:6]) if text)
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(title)s (poids %(weight)s)")
                % {"title": criterion.title, "weight": criterion.weight},
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                help_text=guidance,
            )
        self.order_fields([f"score_{c.pk}" for c in self.criteria])

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    attachment = forms.FileField(
        label=_("Pièce jointe (facultatif)"),
        required=False,
        help_text=_("PDF, ODT, DOCX, PNG ou JPEG, 10 Mo au plus."),
    )


class ExpertRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Structure d'accompagnement de l'annuaire"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.SUPPORT_STRUCTURE).order_by(
            "name"
        ),
        required=False,
        empty_label=_("— aucune, je saisis le nom —"),
    )
    expert_name = forms.CharField(label=_("Nom de l'expert"), max_length=200, required=False)
    expert_email = forms.EmailField(
        label=_("Adresse de l'expert"),
        required=False,
        help_text=_("Facultative si la structure choisie a une adresse de contact publique."),
    )
    deadline = forms.DateField(
        label=_("Avis à rendre avant le"),
        input_formats=DATE_FORMATS,
        help_text=_("jj/mm/aaaa"),
        error_messages={"invalid": _("Écrivez la date sous la forme jj/mm/aaaa.")},
    )
    question = forms.CharField(
        label=_("Question posée à l'expert"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        organisation = data.get("organisation")
        if organisation is not None:
            data["expert_name"] = data.get("expert_name") or organisation.name
            data["expert_email"] = data.get("expert_email") or organisation.public_email
        if not data.get("expert_name"):
            self.add_error("expert_name", _("Choisissez une structure ou écrivez un nom."))
        if not data.get("expert_email") and "expert_email" not in self.errors:
            self.add_error("expert_email", _("Indiquez l'adresse de l'expert."))
        return data


class ExpertAnswerForm(forms.Form):
    opinion = forms.CharField(
        label=_("Votre avis sur le dossier"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    recommendation = forms.ChoiceField(
        label=_("En résumé"), choices=[("", _("— à choisir —")), *Recommendation.choices]
    )


class Decision:
    ACCEPT = "accept"
    CONDITIONS = "conditions"
    REFUSE = "refuse"
    WAITING = "waiting"
    NO_FOLLOW_UP = "sans_suite"
    TO_STATUS = {
        ACCEPT: ApplicationStatus.ACCEPTED,
        CONDITIONS: ApplicationStatus.ACCEPTED_WITH_CONDITIONS,
        REFUSE: ApplicationStatus.REFUSED,
        WAITING: ApplicationStatus.WAITING_LIST,
        NO_FOLLOW_UP: ApplicationStatus.WITHOUT_FOLLOW_UP,
    }
    CHOICES = [
        (ACCEPT, _("Accepter")),
        (CONDITIONS, _("Accepter sous conditions")),
        (REFUSE, _("Refuser")),
        (WAITING, _("Mettre en liste d'attente")),
        (NO_FOLLOW_UP, _("Classer sans suite")),
    ]


class DecisionForm(forms.Form):
    reference = forms.CharField(widget=forms.HiddenInput, max_length=20)
    decision = forms.ChoiceField(
        label=_("Décision"), choices=Decision.CHOICES, widget=forms.RadioSelect
    )
    days_granted = forms.DecimalField(
        label=_("Jours accordés"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("999.5"),
        decimal_places=1,
        localize=True,
    )
    amount_granted = forms.IntegerField(
        label=_("Montant accordé (€)"), required=False, min_value=0, max_value=10_000_000
    )
    reason = forms.CharField(
        label=_("Motif ou conditions (communiqués à l'association)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour un refus, un accord sous conditions ou un classement."),
    )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        granted = data.get("days_granted") or data.get("amount_granted")
        if decision in (Decision.ACCEPT, Decision.CONDITIONS) and not granted:
            raise ValidationError(_("Indiquez les jours ou le montant accordés."))
        return data
