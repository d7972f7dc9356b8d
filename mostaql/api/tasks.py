from celery import shared_task

from mostaql.api import services


@shared_task
def sweep_idempotency_keys() -> int:
    """Forget idempotency keys older than IDEMPOTENCY_KEY_TTL_HOURS. Idempotent."""
    return services.sweep_idempotency_records()
