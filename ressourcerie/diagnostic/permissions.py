"""Who may do what in the self-diagnostic (views, templates and services ask here)."""

from ressourcerie.accounts.permissions import organisations_for


def can_follow_plan(user, organisation) -> bool:
    """The members of an association share its kept plan (« Mon plan d'action »): they see it
    and mark its actions. Anyone else gets nothing (404)."""
    if organisation is None:
        return False
    return organisations_for(user).filter(pk=organisation.pk).exists()
