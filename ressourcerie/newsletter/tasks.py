from django_tasks import task

from . import sending, services


@task()
def send_edition(*, edition_id: int) -> dict:
    """Send what is left of an edition (several may run at once: claims keep it exact)."""
    report = sending.send_pending(edition_id)
    return {"sent": report.sent, "failed": report.failed, "interrupted": report.interrupted}


@task()
def purge() -> dict:
    return services.purge()
