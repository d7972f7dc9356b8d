"""The demo dates what it writes by passing now= to the services: nothing patches the clock.

A contract's money and its times follow the `now` it is given; the rows that stamp themselves are set
to the move's moment afterwards; and a message's or a delivery's time counts at once for reputation.
"""

import datetime

import pytest
from django.utils import timezone

from mostaql.contracts import services as contract_services
from mostaql.contracts.models import ContractEvent, Delivery
from mostaql.demo.timeline import dated
from mostaql.messaging import services as messaging_services
from mostaql.reviews.models import ContractTally, Reputation, ResponseTally
from mostaql.wallet.models import Transfer
from mostaql.wallet.tests.lifecycle_helpers import DELIVERY_MESSAGE, hired_scene

pytestmark = pytest.mark.django_db


def test_a_contract_funded_and_delivered_in_the_past_is_dated_then():
    scene = hired_scene()
    funded_at = timezone.now() - datetime.timedelta(days=20)
    delivered_at = funded_at + datetime.timedelta(days=3)

    with dated(funded_at):
        contract_services.fund_contract(client=scene.client, contract=scene.contract, now=funded_at)
    with dated(delivered_at):
        contract_services.deliver(
            freelancer=scene.freelancer, contract=scene.contract, message=DELIVERY_MESSAGE, now=delivered_at
        )

    scene.contract.refresh_from_db()
    assert scene.contract.funded_at == funded_at
    assert scene.contract.delivered_at == delivered_at
    assert Transfer.objects.get(contract=scene.contract, kind=Transfer.Kind.FUND).created_at == funded_at
    assert Delivery.objects.get(contract=scene.contract).created_at == delivered_at
    events = ContractEvent.objects.filter(contract=scene.contract).exclude(action="hire")
    assert {event.action: event.created_at for event in events} == {
        "fund": funded_at,
        "deliver": delivered_at,
    }
    assert scene.contract.updated_at == delivered_at
    # Three days into a contract of more days: on time, counted from the delivery's own date.
    assert scene.contract.duration_days > 3
    assert ContractTally.objects.get(contract=scene.contract).was_on_time


def test_without_now_the_services_still_date_with_the_clock():
    scene = hired_scene()
    before = timezone.now()

    contract_services.fund_contract(client=scene.client, contract=scene.contract)

    scene.contract.refresh_from_db()
    assert before <= scene.contract.funded_at <= timezone.now()
    assert before <= Transfer.objects.get(contract=scene.contract, kind=Transfer.Kind.FUND).created_at


def test_a_reply_written_in_the_past_counts_its_response_time_from_its_own_date():
    scene = hired_scene()
    conversation = messaging_services.open_conversation(
        project=scene.project, client=scene.client, freelancer=scene.freelancer
    )
    asked_at = timezone.now() - datetime.timedelta(days=5)
    answered_at = asked_at + datetime.timedelta(hours=2)

    for sender, moment, body in [
        (scene.client, asked_at, "هل يمكنك البدء هذا الأسبوع؟"),
        (scene.freelancer, answered_at, "نعم، أبدأ غداً بإذن الله."),
    ]:
        with dated(moment):
            messaging_services.send_message(sender=sender, conversation=conversation, body=body, now=moment)

    assert [message.created_at for message in conversation.messages.order_by("pk")] == [asked_at, answered_at]
    conversation.refresh_from_db()
    assert conversation.last_message_at == answered_at
    assert ResponseTally.objects.get(conversation=conversation).seconds == 2 * 3600
    assert Reputation.objects.get(user=scene.freelancer).response_seconds_sum == 2 * 3600
