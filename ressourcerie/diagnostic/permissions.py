from ressourcerie.core.permissions import can_moderate


def can_manage_diagnostic(user) -> bool:
    """The platform team (staff, platform moderators and administrators): dashboard,
    exports and questionnaire versions."""
    return can_moderate(user)
