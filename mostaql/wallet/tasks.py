from celery import shared_task

from mostaql.wallet import services


@shared_task
def sweep_wallet() -> int:
    """Clear pending earnings whose clearance period has passed. Idempotent."""
    return services.clear_due_earnings()
