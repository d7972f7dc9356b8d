from celery import shared_task

from mostaql.reviews import services


@shared_task
def publish_due_reviews() -> int:
    """Publish the reviews whose review window has closed. Idempotent."""
    return services.publish_due_reviews()
