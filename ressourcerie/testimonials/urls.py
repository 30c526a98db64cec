from django.urls import path

from . import views

app_name = "testimonials"

urlpatterns = [
    path("", views.index, name="index"),
    path("raconter/", views.create, name="create"),
    path("mes-temoignages/", views.mine, name="mine"),
    path("export.<str:fmt>", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/images/", views.images, name="images"),
    path("<int:pk>/images/<int:image_pk>/supprimer/", views.image_delete, name="image_delete"),
    path("<int:pk>/retirer/", views.withdraw, name="withdraw"),
    path("<int:pk>/contacter/", views.contact, name="contact"),
]
