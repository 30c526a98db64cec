def can_manage_diagnostic(user) -> bool:
    """The platform team: dashboard, exports and questionnaire versions."""
    return bool(user and user.is_authenticated and user.is_staff)
