from django_tasks import task

from ressourcerie.core.tasks import send_email


@task()
def relay_contact_message(*, message_id: int) -> int:
    """Kept for relay messages queued before e-mails went through core.emails: the same
    e-mail as the "testimonials.contact" purpose, which new messages use."""
    return send_email.call(purpose="testimonials.contact", ids={"message": message_id})
