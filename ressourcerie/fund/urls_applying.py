"""URLs of the fund's applying views."""

urlpatterns: list = []
