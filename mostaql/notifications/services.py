"""notify(): the one way a person is told something, in the app and (unless muted) by e-mail."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from mostaql.notifications.kinds import KINDS
from mostaql.notifications.models import EmailPreference, Notification


def notify(*, user, kind: str, context: dict, url: str = "", send_email: bool = True) -> Notification:
    """Record a notification now; its e-mail leaves after commit through a Celery task.

    A rolled-back transaction leaves neither the notification nor the e-mail.
    """
    template = KINDS[kind].template
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(settings.LANGUAGE_CODE):
        title = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context).strip()
    notification = Notification.objects.create(
        user=user, kind=kind, title=title[:200], body=body, url=url[:200]
    )
    if send_email and not EmailPreference.objects.filter(user=user, kind=kind).exists():
        from mostaql.notifications.tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


def mark_read(*, user, notification_ids=None) -> int:
    notifications = Notification.objects.filter(user=user, is_read=False)
    if notification_ids is not None:
        notifications = notifications.filter(pk__in=list(notification_ids))
    return notifications.update(is_read=True)


@transaction.atomic
def set_email_preferences(*, user, muted_kinds) -> None:
    muted = {kind for kind in muted_kinds if kind in KINDS}
    EmailPreference.objects.filter(user=user).exclude(kind__in=muted).delete()
    for kind in muted:
        EmailPreference.objects.get_or_create(user=user, kind=kind)


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, is_read=False).count()
