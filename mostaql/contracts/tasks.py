from celery import shared_task

from mostaql.contracts import services


@shared_task
def sweep_contracts() -> int:
    """Accept deliveries left unanswered for AUTO_ACCEPT_DAYS. Idempotent."""
    return services.auto_accept_overdue()
