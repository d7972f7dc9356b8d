"""notify(): the row under the bell at once, the e-mail only after commit, in the recipient's language,
and not at all for a kind the person turned off."""

from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from mostaql.accounts.tests.factories import UserFactory
from mostaql.core.exceptions import DomainError
from mostaql.notifications import services
from mostaql.notifications.models import EmailPreference, Notification, NotificationSettings
from mostaql.notifications.tasks import send_notification_email
from mostaql.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

TITLE = "تصميم متجر للعطور الشرقية"


def ar(message_id: str) -> str:
    with translation.override("ar"):
        return gettext(message_id)


def approved(user, **options):
    """The notification a moderator's approval sends: a real kind with its real templates."""
    project = ProjectFactory(owner=user, title=TITLE)
    return services.notify(
        user=user,
        kind="project_approved",
        context={"project": project},
        url=project.get_absolute_url(),
        **options,
    )


def test_notify_records_the_notification_at_once_and_sends_the_email_only_after_commit(
    django_capture_on_commit_callbacks,
):
    # given
    person = UserFactory()
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = approved(person)
        # then: the row is there for the bell, the e-mail waits for the commit
        assert Notification.objects.get(user=person).pk == notification.pk
        assert mail.outbox == []
    assert len(callbacks) == 1
    [email] = mail.outbox
    assert email.to == [person.email]
    assert email.subject == notification.title
    assert email.body == notification.body
    assert f"{settings.SITE_URL}{notification.url}" in email.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert notification.is_read is False


def test_a_rolled_back_transaction_stores_nothing_and_sends_nothing(django_capture_on_commit_callbacks):
    # given
    person = UserFactory()
    project = ProjectFactory(owner=person, title=TITLE)
    # when
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.notify(user=person, kind="project_approved", context={"project": project})
        raise RuntimeError("the action that caused it failed")
    # then
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_the_notification_is_in_arabic_by_default_even_when_whoever_caused_it_reads_english(
    django_capture_on_commit_callbacks,
):
    # given: a moderator browsing in English approves the project of someone who chose nothing
    person = UserFactory()
    assert ar("Your project is published:") != "Your project is published:"
    # when
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notification = approved(person)
    # then
    assert notification.title == f"{ar('Your project is published:')} {TITLE}"
    [email] = mail.outbox
    assert email.subject == notification.title
    assert "Your project" not in email.body
    assert TITLE in email.body


def test_a_person_who_chose_english_is_written_to_in_english(django_capture_on_commit_callbacks):
    # given
    person = UserFactory()
    services.set_email_preferences(user=person, muted_kinds=[], language="en")
    # when: the moderator who causes it reads Arabic
    with translation.override("ar"), django_capture_on_commit_callbacks(execute=True):
        notification = approved(person)
    # then
    assert notification.title == f"Your project is published: {TITLE}"
    [email] = mail.outbox
    assert email.subject == f"Your project is published: {TITLE}"


def test_an_unknown_stored_language_falls_back_to_arabic():
    # given: a language the site no longer offers
    person = UserFactory()
    NotificationSettings.objects.create(user=person, language="fr")
    # when
    language = services.recipient_language(person)
    # then
    assert language == "ar"


def test_a_muted_kind_still_reaches_the_bell_but_sends_no_email(django_capture_on_commit_callbacks):
    # given
    person = UserFactory()
    services.set_email_preferences(user=person, muted_kinds=["project_approved"])
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = approved(person)
    # then
    assert Notification.objects.filter(user=person, kind="project_approved").get() == notification
    assert callbacks == []
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_muting_one_kind_leaves_the_others_emailed(django_capture_on_commit_callbacks):
    # given
    person = UserFactory()
    services.set_email_preferences(user=person, muted_kinds=["new_offer"])
    # when
    with django_capture_on_commit_callbacks(execute=True):
        approved(person)
    # then
    assert [email.to for email in mail.outbox] == [[person.email]]


def test_another_persons_preferences_do_not_mute_mine(django_capture_on_commit_callbacks):
    # given
    someone_else = UserFactory()
    services.set_email_preferences(user=someone_else, muted_kinds=["project_approved"])
    person = UserFactory()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        approved(person)
    # then
    assert [email.to for email in mail.outbox] == [[person.email]]


def test_send_email_false_records_the_notification_without_an_email(django_capture_on_commit_callbacks):
    # given
    person = UserFactory()
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        approved(person, send_email=False)
    # then
    assert Notification.objects.filter(user=person).count() == 1
    assert callbacks == []
    assert mail.outbox == []


def test_the_email_task_sends_once_however_often_it_runs(django_capture_on_commit_callbacks):
    # given
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification = approved(person)
    assert len(mail.outbox) == 1
    # when: the task is delivered again (a broker redelivers after a worker restart)
    sent_again = send_notification_email.delay(notification.pk).get()
    # then
    assert sent_again is False
    assert len(mail.outbox) == 1


def test_a_mail_server_that_is_down_does_not_undo_or_break_the_committed_action(
    django_capture_on_commit_callbacks,
):
    # given
    person = UserFactory()
    # when: every attempt to reach the mail server fails
    with (
        mock.patch("mostaql.notifications.tasks.send_mail", side_effect=ConnectionRefusedError) as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = approved(person)
    # then: no error reached the caller, the notification stays, and the e-mail is still owed
    assert send.call_count >= 1
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert mail.outbox == []
    # and once the server is back, the task sends it
    assert send_notification_email.delay(notification.pk).get() is True
    assert [email.to for email in mail.outbox] == [[person.email]]


def test_mark_read_marks_only_the_given_notifications_of_that_person():
    # given
    person, someone_else = UserFactory(), UserFactory()
    first, second = approved(person), approved(person)
    theirs = approved(someone_else)
    # when: ids of someone else's notification are mixed in
    changed = services.mark_read(user=person, notification_ids=[first.pk, theirs.pk])
    # then
    assert changed == 1
    assert dict(Notification.objects.values_list("pk", "is_read")) == {
        first.pk: True,
        second.pk: False,
        theirs.pk: False,
    }


def test_mark_all_read_leaves_other_peoples_notifications_unread():
    # given
    person, someone_else = UserFactory(), UserFactory()
    approved(person), approved(person)
    theirs = approved(someone_else)
    # when
    changed = services.mark_read(user=person)
    # then
    assert changed == 2
    assert not Notification.objects.filter(user=person, is_read=False).exists()
    theirs.refresh_from_db()
    assert theirs.is_read is False


def test_preferences_keep_only_the_muted_kinds_and_ignore_unknown_ones():
    # given
    person = UserFactory()
    services.set_email_preferences(user=person, muted_kinds=["new_offer", "delivered"])
    # when
    services.set_email_preferences(user=person, muted_kinds=["delivered", "no_such_kind"])
    # then
    assert list(EmailPreference.objects.filter(user=person).values_list("kind", flat=True)) == ["delivered"]


def test_an_unknown_language_is_refused_and_nothing_changes():
    # given
    person = UserFactory()
    services.set_email_preferences(user=person, muted_kinds=["new_offer"], language="en")
    # when
    with pytest.raises(DomainError):
        services.set_email_preferences(user=person, muted_kinds=[], language="xx")
    # then
    assert list(EmailPreference.objects.filter(user=person).values_list("kind", flat=True)) == ["new_offer"]
    assert NotificationSettings.objects.get(user=person).language == "en"
