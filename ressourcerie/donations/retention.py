"""Retention and erasure of donors' and requesters' contacts (re-exported by ``services``,
the part's one place of writes)."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import DeviceRequest, Donor, DonorKind, LotStatus, Offer


def purge_contacts(*, older_than_days: int) -> int:
    """Blank donors' contacts of offers finished or abandoned more than N days ago."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    open_statuses = [
        LotStatus.PROPOSED,
        LotStatus.ACCEPTED,
        LotStatus.COLLECTED,
        LotStatus.ERASED,
        LotStatus.REFURBISHED,
        LotStatus.ALLOCATED,
    ]
    stale = Offer.objects.filter(updated_at__lt=cutoff, contacts_purged_at__isnull=True)
    # Unconfirmed offers are deleted; finished ones keep their figures, lose their contacts.
    unconfirmed = stale.filter(confirmed_at__isnull=True)
    donor_ids = list(unconfirmed.values_list("donor_id", flat=True))
    count, _detail = unconfirmed.delete()
    Donor.objects.filter(pk__in=donor_ids, offers__isnull=True).delete()
    finished = stale.exclude(lots__status__in=open_statuses).exclude(lots__updated_at__gte=cutoff)
    ids = list(finished.values_list("pk", flat=True))
    with transaction.atomic():
        for offer in Offer.objects.filter(pk__in=ids).select_related("donor"):
            _anonymise_donor(offer.donor)
            offer.address = ""
            offer.contacts_purged_at = timezone.now()
            offer.save(update_fields=["address", "contacts_purged_at", "updated_at"])
    return count + len(ids)


def _anonymise_donor(donor: Donor) -> None:
    donor.email = ""
    donor.phone = ""
    if donor.kind == DonorKind.INDIVIDUAL:
        donor.name = _("Particulier")
    donor.user = None
    donor.save()


def erase_person(*, user) -> None:
    """Erasure of an account: donors linked to it or to its address lose their contacts, their
    offers their address and notes (the lots stay: anonymous figures for the impact); the
    requests the person made stay the association's, with its public address as contact."""
    donors = Donor.objects.filter(user=user) | Donor.objects.filter(email__iexact=user.email)
    with transaction.atomic():
        for donor in list(donors.distinct()):
            _anonymise_donor(donor)
            donor.offers.update(address="", notes="", contacts_purged_at=timezone.now())
        # The association keeps being told about its request at its public address, if any.
        requests = DeviceRequest.objects.filter(
            Q(created_by=user) | Q(contact_email__iexact=user.email)
        ).select_related("organisation")
        for request_obj in requests:
            request_obj.contact_email = request_obj.organisation.public_email
            request_obj.contact_phone = ""
            request_obj.save(update_fields=["contact_email", "contact_phone", "updated_at"])
