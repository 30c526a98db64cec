"""What the donations views share."""

from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext_lazy

PART = gettext_lazy("Dons d'ordinateurs")  # the root of every breadcrumb trail


def signed_in_or_login(request):
    """A redirect to sign in for an anonymous visitor, else None."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None
