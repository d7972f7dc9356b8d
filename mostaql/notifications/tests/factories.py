"""Notification rows for list and count tests; anything with rules goes through the services."""

import factory

from mostaql.accounts.tests.factories import UserFactory
from mostaql.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    """A plain notification row, unread, as notify() leaves one."""

    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = "new_offer"
    title = factory.Sequence(lambda number: f"عرض جديد على مشروعك رقم {number}")
    body = "وصل عرض جديد على مشروعك."
    url = "/projects/1/"
