from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("contributions/", views.contributions, name="contributions"),
    path(
        "contributions/<str:kind>/<str:pk>/retirer/",
        views.contribution_withdraw,
        name="contribution_withdraw",
    ),
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoyee/", views.signup_done, name="signup_done"),
    path(
        "inscription/invitation/<str:token>/",
        views.signup_invitation,
        name="signup_invitation",
    ),
    path("confirmer/renvoyer/", views.resend_confirmation, name="resend_confirmation"),
    path("confirmer/<str:token>/", views.confirm_email, name="confirm_email"),
    path("connexion/", views.login_view, name="login"),
    path("connexion/code/", views.code_request, name="code_request"),
    path("connexion/code/saisie/", views.code_verify, name="code_verify"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe/modifier/", views.PasswordChangeView.as_view(), name="password_change"),
    path("jetons/", views.api_tokens, name="api_tokens"),
    path("jetons/<int:token_id>/revoquer/", views.api_token_revoke, name="api_token_revoke"),
    path("mes-donnees/", views.personal_data_export, name="personal_data"),
    path("supprimer/", views.delete_account, name="delete"),
]
