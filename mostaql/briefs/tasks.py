from celery import shared_task

from mostaql.briefs.services import expire_briefs


@shared_task
def expire_requests() -> int:
    """Mark requests past their expiry as expired (safe to run twice)."""
    return expire_briefs()
