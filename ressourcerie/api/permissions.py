from ressourcerie.accounts.models import Role

# Organisation roles allowed to change an organisation's public profile.
EDITING_ROLES = {Role.MEMBER, Role.EDITOR}


def can_edit_organisation(user, organisation) -> bool:
    """Staff, or a member/editor of this organisation."""
    if not user.is_active:
        return False
    if user.is_staff:
        return True
    return user.memberships.filter(organisation=organisation, role__in=EDITING_ROLES).exists()
