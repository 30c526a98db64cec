import logging

from django import forms
from django.db import transaction

from ressourcerie.core.models import Organisation
from ressourcerie.core.organisations import services as organisations

audit = logging.getLogger("ressourcerie.audit")

PUBLIC_PROFILE_FIELDS = ("description", "website", "public_email")


class OrganisationPublicProfileForm(forms.ModelForm):
    """Validation of the fields a member may change through the API (French messages)."""

    description = forms.CharField(required=False, max_length=5000)
    website = forms.URLField(required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = PUBLIC_PROFILE_FIELDS


@transaction.atomic
def update_organisation_public_profile(*, organisation: Organisation, by, changes: dict):
    """Change description, website and public e-mail; returns (organisation, field errors)."""
    data = {name: getattr(organisation, name) for name in PUBLIC_PROFILE_FIELDS}
    data.update({k: ("" if v is None else v) for k, v in changes.items()})
    form = OrganisationPublicProfileForm(data=data, instance=organisation)
    if not form.is_valid():
        return organisation, {field: list(errors) for field, errors in form.errors.items()}
    if form.changed_data:
        # Same rule as the web page: the contact addresses of a verified organisation change
        # through the moderation queue (OrganisationError when the person may not ask).
        organisations.update_organisation(
            organisation=organisation,
            actor=by,
            data={name: form.cleaned_data[name] for name in form.changed_data},
        )
        organisation.refresh_from_db()
        audit.info(
            "organisation %s public profile changed by user %s through the API: %s",
            organisation.pk,
            by.pk,
            ", ".join(form.changed_data),
        )
    return organisation, {}
