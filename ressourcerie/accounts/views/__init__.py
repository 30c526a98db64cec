"""The pages of "Mon compte", one module per family: ``signup`` (sign-up, confirmation,
sign-up from an invitation), ``signin`` (password, e-mailed codes, sign-out), ``passwords``,
``account`` (profile, contributions), ``tokens`` (API tokens), ``data`` (export, erasure),
``invitations`` (joining an organisation). ``common`` holds what several of them share."""
