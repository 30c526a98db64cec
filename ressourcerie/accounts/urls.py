from django.contrib.auth import views as auth_views
from django.urls import path

from .views import account, data, invitations, passwords, signin, signup, tokens

app_name = "accounts"

urlpatterns = [
    path("", account.profile, name="profile"),
    path("contributions/", account.contributions, name="contributions"),
    path(
        "contributions/<str:kind>/<str:pk>/retirer/",
        account.contribution_withdraw,
        name="contribution_withdraw",
    ),
    path(
        "contributions/<str:kind>/<str:pk>/modifier/",
        account.contribution_edit,
        name="contribution_edit",
    ),
    path("inscription/", signup.signup, name="signup"),
    path("inscription/envoyee/", signup.signup_done, name="signup_done"),
    path(
        "inscription/invitation/<str:token>/",
        signup.signup_invitation,
        name="signup_invitation",
    ),
    path("confirmer/renvoyer/", signup.resend_confirmation, name="resend_confirmation"),
    path("confirmer/<str:token>/", signup.confirm_email, name="confirm_email"),
    path("connexion/", signin.login_view, name="login"),
    path("connexion/code/", signin.code_request, name="code_request"),
    path("connexion/code/saisie/", signin.code_verify, name="code_verify"),
    path("deconnexion/", signin.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/oublie/", passwords.PasswordResetView.as_view(), name="password_reset"),
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
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe/modifier/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("jetons/", tokens.api_tokens, name="api_tokens"),
    path("jetons/<int:token_id>/revoquer/", tokens.api_token_revoke, name="api_token_revoke"),
    path("mes-donnees/", data.personal_data_export, name="personal_data"),
    path("supprimer/", data.delete_account, name="delete"),
]

# Pages about joining an organisation: under /associations/ and in core's namespace, next to
# the organisation pages (included there by ressourcerie/urls.py; names unchanged).
organisation_patterns = [
    path("associations/invitation/<str:token>/", invitations.invitation, name="invitation"),
    path(
        "associations/<slug:slug>/inviter/",
        invitations.organisation_invite,
        name="organisation_invite",
    ),
]
