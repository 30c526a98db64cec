"""URLs of the fund's instruction views."""

urlpatterns: list = []
