from django_tasks import task

from . import services


@task()
def purge_unconfirmed_accounts() -> int:
    """Scheduled daily: accounts never confirmed are deleted after 7 days (privacy page)."""
    return services.purge_unconfirmed_accounts()
