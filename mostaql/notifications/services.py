"""notify(): the one way a person is told something, in the app and (unless muted) by e-mail."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from mostaql.accounts.models import User
from mostaql.core.exceptions import DomainError
from mostaql.notifications.kinds import KINDS
from mostaql.notifications.models import EmailPreference, Notification, NotificationSettings
from mostaql.notifications.tasks import send_notification_email


def recipient_language(user: User) -> str:
    """The language the person chose for what we write to them; the site's (Arabic) otherwise."""
    chosen = NotificationSettings.objects.filter(user=user).values_list("language", flat=True).first()
    supported = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


def notify(*, user: User, kind: str, context: dict, url: str = "", send_email: bool = True) -> Notification:
    """Record a notification now; its e-mail leaves after commit through a Celery task.

    Worded in the recipient's language, never in that of whoever caused the event. A rolled-back
    transaction leaves neither the notification nor the e-mail.
    """
    template = KINDS[kind].template
    context = {**context, "site_url": settings.SITE_URL}
    language = recipient_language(user)
    titles = {}
    for code, _name in settings.LANGUAGES:  # the list page shows the title in the page's language
        with translation.override(code):
            titles[code] = " ".join(render_to_string(f"{template}_subject.txt", context).split())[:200]
    with translation.override(language):
        body = render_to_string(f"{template}_body.txt", context).strip()
    notification = Notification.objects.create(
        user=user, kind=kind, title=titles[language], titles=titles, body=body, url=url[:200]
    )
    if send_email and not EmailPreference.objects.filter(user=user, kind=kind).exists():
        # robust: the action is already committed, so a mail server or broker that is down must not
        # turn it into an error page; the task retries on its own.
        transaction.on_commit(lambda: send_notification_email.delay(notification.pk), robust=True)
    return notification


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the person's own notifications read (all of them when no ids are given)."""
    notifications = Notification.objects.filter(user=user, is_read=False)
    if notification_ids is not None:
        notifications = notifications.filter(pk__in=list(notification_ids))
    return notifications.update(is_read=True)


@transaction.atomic
def set_email_preferences(*, user: User, muted_kinds: Iterable[str], language: str | None = None) -> None:
    """Which kinds the person does not want by e-mail, and (when given) the language to write in."""
    muted = {kind for kind in muted_kinds if kind in KINDS}
    if language is not None:
        if language not in {code for code, _name in settings.LANGUAGES}:
            raise DomainError(translation.gettext("Choose a language."), field="language")
        NotificationSettings.objects.update_or_create(user=user, defaults={"language": language})
    EmailPreference.objects.filter(user=user).exclude(kind__in=muted).delete()
    for kind in muted:
        EmailPreference.objects.get_or_create(user=user, kind=kind)
