"""Core's own searchable content: associations and support structures."""

from django.utils.translation import gettext_lazy as _

from ..models import Organisation
from .registry import SearchableType, SearchDocumentData
from .signals import register


def organisation_url(organisation) -> str:
    return organisation.get_absolute_url()


def organisation_document(organisation) -> SearchDocumentData:
    commune = organisation.commune
    keywords = [organisation.get_sector_display(), organisation.get_kind_display()]
    filters = {"kind": organisation.kind, "sector": organisation.sector}
    if commune is not None:
        keywords.append(commune.name)
        filters["commune"] = commune.insee
        filters["department"] = commune.department.code
    return SearchDocumentData(
        title=organisation.name,
        body=organisation.description,
        keywords=[str(k) for k in keywords if k],
        filters=filters,
    )


def organisations():
    return Organisation.objects.select_related("commune__department")


def register_core_types() -> None:
    register(
        SearchableType(
            key="organisation",
            label=_("Associations et structures"),
            model=Organisation,
            document=organisation_document,
            queryset=organisations,
            url=organisation_url,
            order=50,
            # Organisations are written from services, the admin and imports alike.
            auto_index=True,
        )
    )
