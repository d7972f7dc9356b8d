from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone

from mostaql.notifications.models import Notification


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> bool:
    """Send a notification's e-mail once; safe to run twice (a sent one is not sent again)."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    try:
        send_mail(notification.title, notification.body, None, [notification.user.email])
    except OSError:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True
