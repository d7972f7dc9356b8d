"""Each event that asks a person to act or changes their money, caused through the real service:
the right person is told, in the app and by e-mail, and the other side is not."""

import datetime
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core import mail
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext

from mostaql.contracts import services as contract_services
from mostaql.core.uploads import clean_file
from mostaql.messaging import services as messaging_services
from mostaql.messaging.models import Conversation
from mostaql.notifications.models import Notification
from mostaql.notifications.services import set_email_preferences
from mostaql.projects import services as project_services
from mostaql.projects.tests.factories import (
    client_user,
    freelancer_user,
    hire,
    moderator,
    open_project,
    place_offer,
    post_project,
)
from mostaql.wallet import services as wallet_services
from mostaql.wallet.tests.factories import (
    clear_everything_due,
    finance_staff,
    identity_document,
    request_paypal_withdrawal,
    verify_identity,
)
from mostaql.wallet.tests.lifecycle_helpers import (
    CANCEL_REASON,
    CHANGES_MESSAGE,
    DECISION,
    DISPUTE_REASON,
    fund,
    hired_scene,
    scene_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sandbox_gateway(settings):
    settings.SANDBOX_GATEWAY_ENABLED = True  # money reaches wallets through the sandbox's webhook


def ar(message_id: str) -> str:
    with translation.override("ar"):
        return gettext(message_id)


@dataclass
class Told:
    """What one action left: the notifications it made, and the e-mails sent once it committed."""

    notifications: list[Notification]
    emails: list

    @property
    def who_and_what(self) -> set[tuple[int, str]]:
        return {(notification.user_id, notification.kind) for notification in self.notifications}

    @property
    def emailed(self) -> list[str]:
        return sorted(address for email in self.emails for address in email.to)

    def title_for(self, person) -> str:
        [notification] = [item for item in self.notifications if item.user_id == person.pk]
        return notification.title


@pytest.fixture
def told(django_capture_on_commit_callbacks):
    """Run an action as a request would (committed, its on-commit e-mails sent) and say who was told."""

    def run(action) -> Told:
        last = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        made = list(Notification.objects.filter(pk__gt=last).order_by("pk"))
        result = Told(notifications=made, emails=list(mail.outbox))
        # every e-mail carries its notification's words, to its owner
        by_address = {notification.user.email: notification for notification in made}
        for email in result.emails:
            [address] = email.to
            assert email.subject == by_address[address].title
            assert email.body == by_address[address].body
        return result

    return run


def expect(result: Told, *pairs) -> None:
    """Exactly these people were told, of exactly these kinds, each in the app and by e-mail."""
    assert result.who_and_what == {(person.pk, kind) for person, kind in pairs}
    assert result.emailed == sorted(person.email for person, _kind in pairs)


# --- Projects and offers --------------------------------------------------------------------------


def test_a_new_offer_tells_the_projects_owner_and_not_the_bidder(told):
    # given
    owner = client_user()
    project = open_project(owner)
    bidder = freelancer_user()
    # when
    result = told(lambda: place_offer(project, bidder))
    # then
    expect(result, (owner, "new_offer"))
    assert result.title_for(owner).startswith(ar("A new offer on your project:"))


def test_approving_a_project_tells_its_owner(told):
    # given
    owner = client_user()
    project = post_project(owner)
    # when
    result = told(lambda: project_services.approve_project(moderator=moderator(), project=project))
    # then
    expect(result, (owner, "project_approved"))
    assert result.title_for(owner) == f"{ar('Your project is published:')} {project.title}"


def test_rejecting_a_project_tells_its_owner(told):
    # given
    owner = client_user()
    project = post_project(owner)
    # when
    result = told(
        lambda: project_services.reject_project(
            moderator=moderator(), project=project, reason="الوصف لا يشرح المطلوب بوضوح."
        )
    )
    # then
    expect(result, (owner, "project_rejected"))
    assert result.title_for(owner).startswith(ar("Your project was not published:"))


def test_a_hire_tells_the_hired_freelancer_and_the_other_bidders_but_not_the_client(told):
    # given
    owner = client_user()
    project = open_project(owner)
    chosen = place_offer(project, freelancer_user("ليلى"))
    other = place_offer(project, freelancer_user("خالد"))
    # when
    result = told(lambda: hire(chosen))
    # then
    expect(result, (chosen.freelancer, "hired"), (other.freelancer, "not_hired"))
    assert result.title_for(chosen.freelancer).startswith(ar("You are hired:"))


# --- Contracts ------------------------------------------------------------------------------------


def test_a_declined_hire_tells_the_client_and_the_other_bidders_that_the_project_is_open_again(told):
    # given
    scene = hired_scene(funds_cents=None)
    # when
    result = told(
        lambda: contract_services.decline_hire(
            freelancer=scene.freelancer, contract=scene.contract, reason="لدي التزام آخر."
        )
    )
    # then
    expect(result, (scene.client, "hire_declined"), (scene.other_bidder, "project_reopened"))
    assert result.title_for(scene.client).startswith(ar("The freelancer declined your hire:"))


def test_a_withdrawn_hire_tells_the_freelancer_and_the_other_bidders(told):
    # given
    scene = hired_scene(funds_cents=None)
    # when
    result = told(
        lambda: contract_services.withdraw_hire(
            client=scene.client, contract=scene.contract, reason="تغيرت خطتنا."
        )
    )
    # then
    expect(result, (scene.freelancer, "hire_withdrawn"), (scene.other_bidder, "project_reopened"))


def test_funding_a_contract_tells_the_freelancer_to_start(told):
    # given
    scene = hired_scene()
    # when
    result = told(lambda: fund(scene))
    # then
    expect(result, (scene.freelancer, "contract_funded"))
    assert result.title_for(scene.freelancer).startswith(ar("The contract is funded, the work can start:"))


def test_a_delivery_tells_the_client(told):
    # given
    scene = scene_in("active")
    # when
    result = told(
        lambda: contract_services.deliver(
            freelancer=scene.freelancer, contract=scene.contract, message="سلمت كل الملفات المطلوبة."
        )
    )
    # then
    expect(result, (scene.client, "delivered"))


def test_asking_for_changes_tells_the_freelancer(told):
    # given
    scene = scene_in("delivered")
    # when
    result = told(
        lambda: contract_services.request_changes(
            client=scene.client, contract=scene.contract, message=CHANGES_MESSAGE
        )
    )
    # then
    expect(result, (scene.freelancer, "changes_requested"))


def test_accepting_the_work_tells_the_freelancer_the_contract_is_completed_and_paid(told):
    # given
    scene = scene_in("delivered")
    # when
    result = told(lambda: contract_services.accept_delivery(client=scene.client, contract=scene.contract))
    # then
    expect(result, (scene.freelancer, "payment_released"))
    assert result.title_for(scene.freelancer).startswith(ar("Payment released:"))


def auto_accept_later():
    later = timezone.now() + datetime.timedelta(days=settings.AUTO_ACCEPT_DAYS + 1)
    assert contract_services.auto_accept_overdue(now=later) == 1


def test_an_automatic_acceptance_tells_the_freelancer_they_are_paid(told):
    # given
    scene = scene_in("delivered")
    # when
    result = told(auto_accept_later)
    # then
    assert (scene.freelancer.pk, "payment_released") in result.who_and_what
    assert scene.freelancer.email in result.emailed


def test_an_automatic_acceptance_tells_the_client_their_escrow_was_released(told):
    # given
    scene = scene_in("delivered")
    # when
    result = told(auto_accept_later)
    # then
    assert scene.client.pk in {person for person, _kind in result.who_and_what}


def test_a_proposal_to_cancel_tells_the_other_side_and_its_answer_tells_the_proposer(told):
    # given
    scene = scene_in("active")
    # when
    proposed = told(
        lambda: contract_services.propose_cancellation(
            user=scene.freelancer, contract=scene.contract, reason=CANCEL_REASON
        )
    )
    answered = told(
        lambda: contract_services.answer_cancellation(user=scene.client, contract=scene.contract, accept=True)
    )
    # then
    expect(proposed, (scene.client, "cancellation_proposed"))
    expect(answered, (scene.freelancer, "cancellation_answered"))


@pytest.mark.parametrize("opener", ["client", "freelancer"])
def test_opening_a_dispute_tells_the_other_side(told, opener):
    # given
    scene = scene_in("active")
    other = scene.freelancer if opener == "client" else scene.client
    # when
    result = told(
        lambda: contract_services.open_dispute(
            user=scene.person(opener), contract=scene.contract, reason=DISPUTE_REASON
        )
    )
    # then
    expect(result, (other, "dispute_opened"))


def test_a_decided_dispute_tells_both_sides_and_not_the_moderator(told):
    # given
    scene = scene_in("disputed")
    # when
    result = told(
        lambda: contract_services.resolve_dispute(
            moderator=scene.staff,
            contract=scene.contract,
            freelancer_share_cents=scene.contract.amount_cents // 2,
            decision=DECISION,
        )
    )
    # then
    expect(result, (scene.client, "dispute_decided"), (scene.freelancer, "dispute_decided"))


# --- Wallet ---------------------------------------------------------------------------------------


def test_cleared_earnings_tell_the_freelancer_their_money_is_available(told):
    # given
    scene = scene_in("completed")
    # when
    result = told(clear_everything_due)
    # then
    expect(result, (scene.freelancer, "earnings_cleared"))
    assert result.title_for(scene.freelancer).startswith(ar("Your earnings are available:"))


@pytest.mark.parametrize(
    ("approve", "subject"),
    [(True, "Your identity is verified"), (False, "Your identity document was not accepted")],
)
def test_an_identity_review_tells_the_person_its_outcome(told, approve, subject):
    # given
    person = freelancer_user()
    verification = wallet_services.submit_identity_document(
        user=person, document=clean_file(identity_document(), kinds={"image", "pdf"})
    )
    # when
    result = told(
        lambda: wallet_services.review_identity(
            moderator=moderator(),
            verification=verification,
            approve=approve,
            reason="" if approve else "الصورة غير واضحة.",
        )
    )
    # then
    expect(result, (person, "identity_reviewed"))
    assert result.title_for(person) == ar(subject)


@pytest.mark.parametrize(
    ("paid", "subject"), [(True, "Your withdrawal was paid"), (False, "Your withdrawal was refused")]
)
def test_a_processed_withdrawal_tells_the_person_whether_it_was_paid(told, paid, subject):
    # given: earnings cleared and an identity verified, then a withdrawal asked for
    scene = scene_in("completed")
    clear_everything_due()
    verify_identity(scene.freelancer)
    withdrawal = request_paypal_withdrawal(scene.freelancer, settings.MIN_WITHDRAWAL_CENTS)
    staff = finance_staff()
    # when
    if paid:
        result = told(lambda: wallet_services.mark_withdrawal_paid(staff=staff, withdrawal=withdrawal))
    else:
        result = told(
            lambda: wallet_services.refuse_withdrawal(
                staff=staff, withdrawal=withdrawal, reason="الحساب غير مطابق."
            )
        )
    # then
    expect(result, (scene.freelancer, "withdrawal_processed"))
    assert result.title_for(scene.freelancer) == ar(subject)


# --- Messages: one e-mail per conversation per quiet period ---------------------------------------


def send(conversation: Conversation, sender, body: str):
    return lambda: messaging_services.send_message(sender=sender, conversation=conversation, body=body)


def test_messages_within_the_quiet_period_make_one_email_and_one_after_it_makes_another(told):
    # given: the conversation a hire opens
    scene = hired_scene(funds_cents=None)
    conversation = Conversation.objects.get(project=scene.project, freelancer=scene.freelancer)
    # when: two messages a moment apart
    first = told(send(conversation, scene.client, "مرحباً، هل يمكن أن نبدأ اليوم؟"))
    second = told(send(conversation, scene.client, "وأرسلت لك ملف الشعار القديم أيضاً."))
    # then: each one is under the bell, only the first is e-mailed
    expect(first, (scene.freelancer, "new_message"))
    assert second.who_and_what == {(scene.freelancer.pk, "new_message")}
    assert second.emails == []
    # when: the quiet period has passed since that e-mail
    Conversation.objects.filter(pk=conversation.pk).update(
        freelancer_emailed_at=timezone.now()
        - datetime.timedelta(minutes=settings.MESSAGE_EMAIL_QUIET_MINUTES, seconds=1)
    )
    third = told(send(conversation, scene.client, "هل وصلتك رسالتي؟"))
    # then
    expect(third, (scene.freelancer, "new_message"))


def test_each_side_of_a_conversation_has_its_own_quiet_period(told):
    # given: the client has just written, and the freelancer was e-mailed about it
    scene = hired_scene(funds_cents=None)
    conversation = Conversation.objects.get(project=scene.project, freelancer=scene.freelancer)
    told(send(conversation, scene.client, "مرحباً، هل يمكن أن نبدأ اليوم؟"))
    # when: the freelancer answers at once
    reply = told(send(conversation, scene.freelancer, "نعم، سأبدأ بعد التمويل مباشرة."))
    # then: the client is e-mailed, the freelancer (the sender) is not told anything
    expect(reply, (scene.client, "new_message"))


def test_a_muted_new_message_kind_still_reaches_the_bell_without_email(told):
    # given
    scene = hired_scene(funds_cents=None)
    set_email_preferences(user=scene.freelancer, muted_kinds=["new_message"])
    conversation = Conversation.objects.get(project=scene.project, freelancer=scene.freelancer)
    # when
    result = told(send(conversation, scene.client, "مرحباً، هل يمكن أن نبدأ اليوم؟"))
    # then
    assert result.who_and_what == {(scene.freelancer.pk, "new_message")}
    assert result.emails == []
