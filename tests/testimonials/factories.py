import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from ressourcerie.core.models import ModerationStatus, OrganisationKind
from ressourcerie.testimonials.models import Testimonial, TestimonialTool, ToolRole
from ressourcerie.toolbox.models import Need, Tool
from tests.factories import OrganisationFactory, UserFactory


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need
        django_get_or_create = ["slug"]

    slug = "partage-fichiers"
    name = "Partager des fichiers"


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tool
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"outil-{n}")
    name = factory.Sequence(lambda n: f"Outil {n}")
    pitch = "Un outil pour les associations."
    price = "gratuit"
    licence = "AGPL-3.0-or-later"
    moderation_status = ModerationStatus.PUBLISHED


class SupportStructureFactory(OrganisationFactory):
    kind = OrganisationKind.SUPPORT_STRUCTURE
    name = factory.Sequence(lambda n: f"Structure d'accompagnement {n}")
    slug = factory.Sequence(lambda n: f"structure-{n}")


class StoryFactory(factory.django.DjangoModelFactory):
    """A published testimonial (named "Story" so that pytest does not collect it)."""

    class Meta:
        model = Testimonial
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory, sector="sport", members_band="51-200")
    display_mode = "named"
    consent_names = True
    sector = "sport"
    members_band = "51-200"
    title = factory.Sequence(lambda n: f"Nous avons changé d'outil {n}")
    problem = "Nos fichiers étaient éparpillés."
    actions = "Nous avons ouvert un espace partagé."
    moderation_status = ModerationStatus.PUBLISHED
    submitted_by = factory.SubFactory(UserFactory)
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def department_from_org(obj, create, extracted, **kwargs):
        if create and obj.department_id is None and obj.organisation.commune_id:
            obj.department = obj.organisation.commune.department
            obj.save(update_fields=["department"])


def link(testimonial, tool, role=ToolRole.AFTER):
    TestimonialTool.objects.create(testimonial=testimonial, tool=tool, role=role)
    from ressourcerie.core import search

    search.index_object(testimonial)


def image_file(name="photo.jpg", fmt="JPEG", size=(2400, 1200), exif=False) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 120, 40))
    buffer = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "CameraMaker"  # Make
        data[0x8825] = {2: (47.0, 13.0, 0.0)}  # GPS
        kwargs["exif"] = data.tobytes()
    image.save(buffer, format=fmt, **kwargs)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}.get(fmt, "")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type or "image/gif")
