"""The reads behind the bell and the notification list, each at a fixed number of queries."""

from django.db.models import QuerySet

from mostaql.accounts.models import User
from mostaql.notifications.models import Notification


def notifications_for(user: User) -> QuerySet[Notification]:
    """The person's notifications, newest first; the list shows only their own columns."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    """One COUNT query, whatever the number of notifications."""
    return Notification.objects.filter(user=user, is_read=False).count()
