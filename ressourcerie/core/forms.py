from django import forms
from django.utils.translation import gettext_lazy as _


class HoneypotMixin(forms.Form):
    """A field hidden from people (CSS + aria-hidden) that bots fill in."""

    website_hp = forms.CharField(
        required=False,
        label=_("Ne remplissez pas ce champ"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website_hp(self):
        if self.cleaned_data.get("website_hp"):
            raise forms.ValidationError(_("Ce formulaire n'a pas pu être envoyé."))
        return ""
