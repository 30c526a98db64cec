"""Forgotten password (by e-mail), new password from the link, password change."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from ressourcerie.core.navigation import crumbs

from .. import ratelimits, services
from ..forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from .common import too_many


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if wait := ratelimits.check(request, "password_reset_ip"):
            return self._limited(self.get_form(), wait)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Counted per typed address whether or not it has an account (the answer must not
        # tell), so nobody can fill someone's inbox from many addresses.
        if wait := ratelimits.check_address("password_reset_email", form.cleaned_data["email"]):
            return self._limited(form, wait)
        return super().form_valid(form)

    def _limited(self, form, wait):
        context = self.get_context_data(form=form, limited_message=too_many(wait))
        return self.render_to_response(context, status=429)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("limited_message", "")
        return super().get_context_data(**kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The link reached the inbox: that confirms the address too.
        if form.user.email_confirmed_at is None:
            services.confirm_email(user=form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def get_form_class(self):
        # Accounts used only with e-mailed codes have no old password to type.
        if not self.request.user.has_usable_password():
            return SetPasswordForm
        return super().get_form_class()

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "crumbs",
            crumbs(_("Mon compte"), "accounts:profile", (_("Changer de mot de passe"), None)),
        )
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        messages.success(self.request, _("Votre mot de passe a été changé."))
        return super().form_valid(form)
