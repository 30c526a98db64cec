from django_tasks import task

from .mail import build_email


@task()
def send_email(
    *, to: list[str], subject: str, template: str, context: dict, reply_to: list[str] | None = None
) -> int:
    """Send one templated e-mail. Arguments are plain data (tasks take ids, never objects)."""
    return build_email(
        to=to, subject=subject, template=template, context=context, reply_to=reply_to
    ).send()
