from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import SearchSynonym
from ..text import fold

MAX_EQUIVALENTS = 20


class SynonymForm(forms.Form):
    term = forms.CharField(
        label=_("Terme"),
        max_length=100,
        help_text=_("Le mot ou l'expression que les personnes tapent, par exemple « visio »."),
    )
    synonyms = forms.CharField(
        label=_("Équivalents"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Séparés par des virgules, par exemple : visioconférence, réunion en ligne. "
            "Chercher l'un trouve les autres, dans les deux sens."
        ),
    )

    def __init__(self, *args, instance: SearchSynonym | None = None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"term": instance.term, "synonyms": instance.synonyms}
        super().__init__(*args, **kwargs)

    def clean_term(self):
        term = " ".join(self.cleaned_data["term"].split())
        if not fold(term):
            raise forms.ValidationError(
                _("Le terme doit contenir au moins une lettre ou un chiffre.")
            )
        others = SearchSynonym.objects.all()
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        folded = fold(term)
        for other in others.only("term"):
            if fold(other.term) == folded:
                raise forms.ValidationError(
                    _("Ce terme existe déjà (« %(term)s ») : modifiez-le plutôt.")
                    % {"term": other.term}
                )
        return term

    def clean_synonyms(self):
        items, seen = [], set()
        for raw in self.cleaned_data["synonyms"].split(","):
            item = " ".join(raw.split())
            if not item:
                continue
            if not fold(item):
                raise forms.ValidationError(
                    _("« %(item)s » ne contient ni lettre ni chiffre.") % {"item": item}
                )
            if len(item) > 100:
                raise forms.ValidationError(_("Chaque équivalent fait au plus 100 caractères."))
            if fold(item) not in seen:
                seen.add(fold(item))
                items.append(item)
        if not items:
            raise forms.ValidationError(_("Indiquez au moins un équivalent."))
        if len(items) > MAX_EQUIVALENTS:
            raise forms.ValidationError(
                _("Indiquez au plus %(max)d équivalents.") % {"max": MAX_EQUIVALENTS}
            )
        return items

    def clean(self):
        cleaned = super().clean()
        term, synonyms = cleaned.get("term"), cleaned.get("synonyms")
        if term and synonyms and fold(term) in {fold(s) for s in synonyms}:
            self.add_error("synonyms", _("Un équivalent ne peut pas être le terme lui-même."))
        return cleaned
