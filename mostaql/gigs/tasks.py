from celery import shared_task

from mostaql.gigs.services import refresh_seller_ratings


@shared_task
def refresh_service_ratings() -> int:
    """Copy the sellers' ratings onto their services (safe to run twice)."""
    return refresh_seller_ratings()
