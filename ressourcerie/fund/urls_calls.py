"""URLs of the fund's calls views."""

urlpatterns: list = []
