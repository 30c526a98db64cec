"""What the fund's views share."""

from django.utils.translation import gettext_lazy

PART = gettext_lazy("Fonds d'accompagnement")  # the root of every breadcrumb trail
