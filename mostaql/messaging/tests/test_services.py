"""Writing to each other through the services: who may open a conversation, what a message may carry,
and when contact details are masked (before a hire) or passed as written (a live contract)."""

from dataclasses import dataclass

import pytest
from django.core import mail
from django.utils import translation

from mostaql.accounts.models import User
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.core.exceptions import DomainError
from mostaql.core.masking import MASK
from mostaql.messaging import services
from mostaql.messaging.models import Conversation, Message, MessageAttachment
from mostaql.notifications.models import Notification
from mostaql.projects.models import Offer, Project
from mostaql.projects.tests.factories import (
    clean_pdf,
    clean_png,
    client_user,
    freelancer_user,
    hire,
    moderator,
    open_project,
    place_offer,
)
from mostaql.projects.tests.support import private_files
from mostaql.wallet.tests.factories import completed_contract, funded_contract, hired_contract

pytestmark = pytest.mark.django_db

PHONE = "٠٥٠-١٢٣-٤٥٦٧"
CONTACTS = f"هذا رقمي {PHONE} وبريدي layla.design@gmail.com وحسابي https://t.me/layla_design"
MASKED_CONTACTS = f"هذا رقمي {MASK} وبريدي {MASK} وحسابي {MASK}"


@pytest.fixture(autouse=True)
def _english_messages():
    """Refusals are matched on their English message ids; the pages show the catalogue's wording."""
    with translation.override("en"):
        yield


# --- Set-up shared with the page and selector tests ------------------------------------------------


@dataclass
class Bidding:
    """An open project with two offers, and people who have nothing to do with it."""

    project: Project
    owner: User
    bidder: User
    offer: Offer
    other_bidder: User
    other_offer: Offer
    stranger: User
    staff: User

    def person(self, role: str) -> User:
        return getattr(self, role)


def bidding(title: str = "تصميم هوية لمقهى") -> Bidding:
    owner = client_user("سامي العميل")
    project = open_project(owner, title=title)
    offer = place_offer(project, freelancer_user("ليلى المصممة"))
    other = place_offer(project, freelancer_user("خالد المنافس"))
    return Bidding(
        project=project,
        owner=owner,
        bidder=offer.freelancer,
        offer=offer,
        other_bidder=other.freelancer,
        other_offer=other,
        stranger=freelancer_user("عابر سبيل"),
        staff=moderator("مشرفة الرسائل"),
    )


def conversation_of(scene: Bidding) -> Conversation:
    """The owner writes to the first bidder: their conversation, opened by the service."""
    return services.open_conversation(project=scene.project, client=scene.owner, freelancer=scene.bidder)


def message_state() -> dict:
    """Everything sending a message can change: compared before and after a refusal."""
    return {
        "messages": list(Message.objects.order_by("pk").values()),
        "attachments": MessageAttachment.objects.count(),
        # Read marks are left out: the page that shows the refusal also marks the conversation read.
        "conversations": list(
            Conversation.objects.order_by("pk").values(
                "pk",
                "project",
                "client",
                "freelancer",
                "last_message_at",
                "client_emailed_at",
                "freelancer_emailed_at",
            )
        ),
        "notifications": Notification.objects.count(),
        "emails": len(mail.outbox),
        "files": private_files(),
    }


# --- Opening a conversation -------------------------------------------------------------------------


def test_the_owner_opens_one_conversation_with_a_bidder_however_often_they_ask():
    scene = bidding()

    first = conversation_of(scene)
    again = conversation_of(scene)

    assert first == again
    assert (first.project, first.client, first.freelancer) == (scene.project, scene.owner, scene.bidder)
    assert first.last_message_at is None
    assert Conversation.objects.count() == 1


@pytest.mark.parametrize("writer", ["bidder", "other_bidder", "stranger", "staff"])
def test_only_the_projects_owner_can_start_a_conversation_about_it(writer):
    scene = bidding()

    with pytest.raises(DomainError, match="Only the project's owner can start a conversation"):
        services.open_conversation(
            project=scene.project, client=scene.person(writer), freelancer=scene.bidder
        )

    assert not Conversation.objects.exists()


@pytest.mark.parametrize("someone", ["stranger", "staff", "owner"])
def test_the_owner_cannot_write_to_someone_who_did_not_bid(someone):
    scene = bidding()

    with pytest.raises(DomainError, match="You can write to the freelancers who sent an offer"):
        services.open_conversation(
            project=scene.project, client=scene.owner, freelancer=scene.person(someone)
        )

    assert not Conversation.objects.exists()


def test_a_bid_on_another_project_of_the_owner_does_not_open_this_one():
    scene = bidding()
    elsewhere = open_project(scene.owner, title="تصميم شعار لمطعم")

    with pytest.raises(DomainError):
        services.open_conversation(project=elsewhere, client=scene.owner, freelancer=scene.bidder)


def test_a_hire_opens_the_conversation_between_the_two_sides():
    scene = bidding()

    contract = hire(scene.offer)

    conversation = Conversation.objects.get()
    assert (conversation.project_id, conversation.client, conversation.freelancer) == (
        contract.project_id,
        contract.client,
        contract.freelancer,
    )


def test_a_hire_reuses_the_conversation_the_owner_had_started():
    scene = bidding()
    started = conversation_of(scene)
    services.send_message(sender=scene.owner, conversation=started, body="هل يمكنك البدء غداً؟")

    hire(scene.offer)

    assert list(Conversation.objects.all()) == [started]
    assert started.messages.count() == 1


# --- Sending a message ------------------------------------------------------------------------------


def test_both_sides_send_text_and_the_conversation_keeps_time(django_capture_on_commit_callbacks):
    scene = bidding()
    conversation = conversation_of(scene)

    with django_capture_on_commit_callbacks(execute=True):
        question = services.send_message(sender=scene.owner, conversation=conversation, body="  متى تسلم؟  ")
        answer = services.send_message(sender=scene.bidder, conversation=conversation, body="خلال أسبوع.")

    conversation.refresh_from_db()
    assert [(message.sender, message.body) for message in conversation.messages.all()] == [
        (scene.owner, "متى تسلم؟"),
        (scene.bidder, "خلال أسبوع."),
    ]
    assert conversation.last_message_at == answer.created_at
    assert conversation.client_read_at == question.created_at  # one's own message counts as read
    assert conversation.freelancer_read_at == answer.created_at
    assert not question.was_masked and not answer.was_masked


def test_a_message_carries_up_to_five_files():
    scene = bidding()
    conversation = conversation_of(scene)
    files = [clean_pdf(f"part-{number}.pdf") for number in range(4)] + [clean_png("mockup.png")]

    message = services.send_message(sender=scene.bidder, conversation=conversation, body="", files=files)

    assert message.body == ""
    attachments = dict(message.attachments.values_list("original_name", "kind"))
    assert len(attachments) == 5
    assert [kind for name, kind in attachments.items() if name.startswith("mockup.")] == ["image"]
    assert {name: kind for name, kind in attachments.items() if kind == "pdf"} == {
        f"part-{number}.pdf": "pdf" for number in range(4)
    }
    assert len(private_files()) == 5


def test_six_files_are_refused_and_nothing_is_sent(django_capture_on_commit_callbacks):
    scene = bidding()
    conversation = conversation_of(scene)
    files = [clean_pdf(f"part-{number}.pdf") for number in range(6)]
    before = message_state()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as refused:
        services.send_message(sender=scene.owner, conversation=conversation, body="الملفات", files=files)

    assert refused.value.field == "files"
    assert str(refused.value) == "At most 5 files a message."
    assert message_state() == before


@pytest.mark.parametrize(
    "body", ["", "   \n\t ", "\u202e\u202c", "\u2066 \u2069"], ids=["empty", "spaces", "bidi", "isolates"]
)
def test_a_message_with_no_text_and_no_file_is_refused_and_nothing_is_sent(
    body, django_capture_on_commit_callbacks
):
    scene = bidding()
    conversation = conversation_of(scene)
    before = message_state()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as refused:
        services.send_message(sender=scene.owner, conversation=conversation, body=body)

    assert (str(refused.value), refused.value.field) == ("Write a message or attach a file.", "body")
    assert message_state() == before


@pytest.mark.parametrize("sender", ["other_bidder", "stranger", "staff"])
def test_someone_outside_the_conversation_cannot_write_in_it(sender, django_capture_on_commit_callbacks):
    scene = bidding()
    conversation = conversation_of(scene)
    before = message_state()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.send_message(sender=scene.person(sender), conversation=conversation, body="مرحباً")

    assert message_state() == before


def test_bidirectional_controls_are_removed_from_a_message():
    scene = bidding()
    conversation = conversation_of(scene)

    message = services.send_message(
        sender=scene.bidder, conversation=conversation, body="\u202eسأسلم\u202c العمل \u2067غداً\u2069"
    )

    assert message.body == "سأسلم العمل غداً"
    assert Message.objects.get().body == "سأسلم العمل غداً"


def test_reading_marks_the_conversation_read_for_that_side_only():
    scene = bidding()
    conversation = conversation_of(scene)
    services.send_message(sender=scene.owner, conversation=conversation, body="مرحباً")

    services.mark_read(user=scene.bidder, conversation=conversation)

    conversation.refresh_from_db()
    assert conversation.freelancer_read_at > conversation.last_message_at
    assert conversation.client_read_at == conversation.last_message_at


# --- Masking before a hire ----------------------------------------------------------------------------


@pytest.mark.parametrize("sender", ["owner", "bidder"])
def test_before_a_hire_contact_details_are_masked_whoever_writes(sender, django_capture_on_commit_callbacks):
    scene = bidding()
    conversation = conversation_of(scene)

    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_message(sender=scene.person(sender), conversation=conversation, body=CONTACTS)

    stored = Message.objects.get()
    assert message.was_masked and stored.was_masked
    assert stored.body == MASKED_CONTACTS
    # Nothing carries the contact details out: neither the notification nor its e-mail.
    notification = Notification.objects.get(kind="new_message")
    assert MASK in notification.body and PHONE not in notification.body
    assert len(mail.outbox) == 1
    assert PHONE not in mail.outbox[0].body and "gmail" not in mail.outbox[0].body


def test_a_message_without_contact_details_is_not_flagged():
    scene = bidding()

    message = services.send_message(
        sender=scene.bidder, conversation=conversation_of(scene), body="السعر $2,500 والمدة 30 يوماً."
    )

    assert (message.body, message.was_masked) == ("السعر $2,500 والمدة 30 يوماً.", False)


def test_after_the_hire_contact_details_pass_as_written():
    scene = bidding()
    hire(scene.offer)
    conversation = Conversation.objects.get(freelancer=scene.bidder)

    message = services.send_message(sender=scene.bidder, conversation=conversation, body=CONTACTS)

    assert (message.was_masked, Message.objects.get().body) == (False, CONTACTS)


@pytest.mark.parametrize(
    "contract_in", [hired_contract, funded_contract, completed_contract], ids=["hired", "funded", "completed"]
)
def test_a_live_contract_in_any_state_lets_contact_details_through(contract_in):
    contract = contract_in()
    conversation = Conversation.objects.get(project=contract.project, freelancer=contract.freelancer)

    message = services.send_message(sender=contract.client, conversation=conversation, body=CONTACTS)

    assert (message.body, message.was_masked) == (CONTACTS, False)


def test_the_losing_bidders_conversation_stays_masked_after_the_hire():
    scene = bidding()
    losing = services.open_conversation(
        project=scene.project, client=scene.owner, freelancer=scene.other_bidder
    )
    hire(scene.offer)

    message = services.send_message(sender=scene.other_bidder, conversation=losing, body=CONTACTS)

    assert (message.body, message.was_masked) == (MASKED_CONTACTS, True)


def test_a_contract_on_another_project_does_not_unmask_this_conversation():
    scene = bidding()
    elsewhere = open_project(scene.owner, title="تصميم شعار لمطعم")
    hire(place_offer(elsewhere, scene.bidder))
    conversation = conversation_of(scene)

    message = services.send_message(sender=scene.owner, conversation=conversation, body=CONTACTS)

    assert message.was_masked


@pytest.mark.parametrize("ending", ["declined", "withdrawn"])
def test_after_the_hire_is_declined_or_withdrawn_contact_details_are_masked_again(ending):
    scene = bidding()
    contract = hire(scene.offer)
    conversation = Conversation.objects.get(freelancer=scene.bidder)
    unmasked = services.send_message(sender=scene.owner, conversation=conversation, body=CONTACTS)
    if ending == "declined":
        contract_services.decline_hire(freelancer=scene.bidder, contract=contract, reason="لدي التزام آخر.")
    else:
        contract_services.withdraw_hire(client=scene.owner, contract=contract, reason="تغيرت خطتنا.")

    masked = services.send_message(sender=scene.bidder, conversation=conversation, body=CONTACTS)

    assert Contract.objects.get().status == ending
    assert (unmasked.body, unmasked.was_masked) == (CONTACTS, False)
    assert (masked.body, masked.was_masked) == (MASKED_CONTACTS, True)
    # What was said under the contract stays as it was written.
    assert Message.objects.get(pk=unmasked.pk).body == CONTACTS


def test_have_contract_counts_only_a_live_contract_between_these_two_on_this_project():
    scene = bidding()
    sides = {"project": scene.project, "client": scene.owner, "freelancer": scene.bidder}
    assert not services.have_contract(**sides)

    contract = hire(scene.offer)
    assert services.have_contract(**sides)
    assert not services.have_contract(**{**sides, "freelancer": scene.other_bidder})

    contract_services.decline_hire(freelancer=scene.bidder, contract=contract)
    assert not services.have_contract(**sides)
