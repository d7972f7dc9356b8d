"""Notifications for API clients: the list, the unread count, marking read; the same selectors and
services as the bell and the notification page."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from mostaql.api.errors import errors
from mostaql.api.pagination import paginate
from mostaql.api.params import path_id
from mostaql.notifications import selectors, services
from mostaql.notifications.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str = Field(description="Written in the recipient's chosen language when it was sent.")
    body: str
    url: str = Field(description="The site's page it is about (a path), or empty.")
    is_read: bool
    created_at: datetime.datetime


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int = Field(description="How many notifications were unread and are now read.")
    unread: int


@router.get("/notifications/", response=list[NotificationOut])
@paginate
def list_notifications(request):
    """Your notifications, newest first."""
    return selectors.notifications_for(request.auth)


@router.get("/notifications/unread/", response=UnreadOut)
def unread_count(request):
    """How many of your notifications are unread (what the bell shows)."""
    return {"unread": selectors.unread_count(request.auth)}


@router.post("/notifications/{notification_id}/read/", response={200: NotificationOut, **errors(404)})
def mark_read(request, notification_id: int = path_id()):
    """Mark one of your notifications read."""
    notification = get_object_or_404(Notification, pk=notification_id, user=request.auth)
    services.mark_read(user=request.auth, notification_ids=[notification.pk])
    notification.refresh_from_db()
    return notification


@router.post("/notifications/read/", response=MarkedOut)
def mark_all_read(request):
    """Mark all your notifications read."""
    marked = services.mark_read(user=request.auth)
    return {"marked": marked, "unread": selectors.unread_count(request.auth)}
