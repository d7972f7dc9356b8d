"""Reputation from real data (issue "Messages, notifications, reviews…", item 5).

The counters move in the transactions of the contract, messaging and review services; each figure is
checked here against a history counted by hand (see history.py), and the counters against a full
recount from the rows.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation

from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.messaging.models import Message
from mostaql.projects.selectors import client_card
from mostaql.projects.tests.factories import client_user, freelancer_user
from mostaql.reviews import figures, reputation, selectors
from mostaql.reviews.models import ContractTally, Reputation, ResponseTally
from mostaql.reviews.tests.factories import (
    accept,
    cancel,
    clock_at,
    completed_contract,
    conversation_of,
    days_ago,
    decide_dispute,
    deliver,
    fund,
    hired,
    request_changes,
    review,
    say,
)
from mostaql.reviews.tests.history import build_history

pytestmark = pytest.mark.django_db


def counters(user) -> dict[str, int]:
    row = Reputation.objects.filter(user=user).first()
    return reputation.counters_of(row) if row else dict.fromkeys(reputation.COUNTERS, 0)


def nonzero(user) -> dict[str, int]:
    return {field: value for field, value in counters(user).items() if value}


def by_key(role_figures) -> dict[str, str | None]:
    shown = {"rating": role_figures.rating.value}
    shown.update({figure.key: figure.value for figure in role_figures.criteria + role_figures.others})
    return shown


# --- The hand-counted history -------------------------------------------------------------------


@pytest.fixture
def history():
    return build_history()


def test_the_freelancers_counters_are_the_hand_counted_ones(history):
    assert nonzero(history.leila) == {
        "freelancer_review_count": 3,
        "freelancer_professionalism_sum": 12,
        "freelancer_communication_sum": 11,
        "freelancer_quality_sum": 12,
        "freelancer_expertise_sum": 13,
        "freelancer_on_time_sum": 10,
        "freelancer_would_work_again_sum": 12,
        "freelancer_completed_count": 4,
        "freelancer_ended_count": 6,
        "freelancer_delivered_count": 5,
        "freelancer_on_time_count": 4,
        "freelancer_client_count": 3,
        "freelancer_repeat_client_count": 1,
        "response_count": 3,
        "response_seconds_sum": 9_600,
    }


def test_the_freelancers_figures_read_as_counted_by_hand(history):
    shown = by_key(selectors.profile_reputation(history.leila)["freelancer"])

    assert shown == {
        "rating": "3.9",
        "professionalism": "4.0",
        "communication": "3.7",
        "quality": "4.0",
        "expertise": "4.3",
        "on_time": "3.3",
        "would_work_again": "4.0",
        "completed": figures.completed_words(4, 0),
        "completion_rate": "67%",
        "on_time_rate": "80%",
        "rehire_rate": "33%",
    }
    with translation.override("en"):
        assert figures.response_time(history.leila.reputation).value == "53 minutes"


def test_the_clients_counters_and_figures_are_the_hand_counted_ones(history):
    assert nonzero(history.amal) == {
        "client_review_count": 2,
        "client_professionalism_sum": 9,
        "client_communication_sum": 9,
        "client_clarity_sum": 9,
        "client_would_work_again_sum": 9,
        "client_completed_count": 2,
    }
    assert client_card(history.amal) | {"hire_rate": None} == {
        "posted": 5,
        "hired": 3,
        "closed": 1,
        "hire_rate": None,
        "open": 1,
        "in_progress": 1,
    }
    shown = by_key(selectors.profile_reputation(history.amal)["client"])
    assert shown == {
        # Two public reviews: below the minimum sample of three.
        "rating": None,
        "professionalism": None,
        "communication": None,
        "clarity": None,
        "would_work_again": None,
        "posted": "5",
        "hire_rate": "75%",
        "client_completed": figures.completed_words(2, 0),
    }
    assert nonzero(history.badr) == {
        "client_review_count": 1,
        "client_professionalism_sum": 2,
        "client_communication_sum": 2,
        "client_clarity_sum": 2,
        "client_would_work_again_sum": 2,
        "client_completed_count": 1,
        "response_count": 1,
        "response_seconds_sum": 86_400,
    }
    assert nonzero(history.camil) == {}
    assert nonzero(history.dana) == {"client_completed_count": 1}


def test_the_counters_match_a_full_recount_of_the_history(history):
    for person in (history.leila, history.amal, history.badr, history.camil, history.dana):
        stored = counters(person)
        assert stored == reputation.counted_from_rows(person), person.name
        assert reputation.counters_of(reputation.recount(person)) == stored


def test_the_hidden_review_counts_once_the_sweep_publishes_it(history):
    from mostaql.reviews.services import publish_due_reviews

    closing = history.contracts["c8"].completed_at + datetime.timedelta(days=14)

    assert publish_due_reviews(now=closing) == 1

    assert counters(history.leila)["freelancer_review_count"] == 4
    assert counters(history.leila)["freelancer_quality_sum"] == 13
    assert by_key(figures.freelancer_figures(Reputation.objects.get(user=history.leila)))["rating"] == "3.2"
    assert counters(history.leila) == reputation.counted_from_rows(history.leila)


def test_the_recount_command_finds_nothing_to_correct(history):
    output = io.StringIO()

    call_command("recount_reputation", "--check", stdout=output)

    assert output.getvalue().strip().endswith(" people checked, 0 found wrong.")


def test_the_recount_command_repairs_a_broken_counter(history):
    Reputation.objects.filter(user=history.leila).update(freelancer_on_time_count=0, response_count=7)
    output = io.StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command("recount_reputation", "--check", stdout=output)
    assert exited.value.code == 1
    assert counters(history.leila)["freelancer_on_time_count"] == 0  # --check changes nothing

    output = io.StringIO()
    call_command("recount_reputation", "--email", history.leila.email, stdout=output)

    assert "freelancer_on_time_count': '0 → 4'" in output.getvalue()
    assert output.getvalue().strip().endswith("1 people checked, 1 corrected.")
    assert counters(history.leila)["freelancer_on_time_count"] == 4
    assert counters(history.leila)["response_count"] == 3


# --- Each hook, where the fact changes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "is_on_time"),
    [
        (datetime.timedelta(days=7), True),
        (datetime.timedelta(days=7, seconds=1), False),
        (datetime.timedelta(hours=1), True),
    ],
    ids=["on_the_last_moment", "a_second_late", "early"],
)
def test_a_delivery_is_on_time_within_the_agreed_days_from_the_funding(after, is_on_time):
    with clock_at(days_ago(30)) as clock:
        contract = fund(hired(duration_days=7))
        clock.advance(seconds=after.total_seconds())
        deliver(contract)

    assert counters(contract.freelancer)["freelancer_delivered_count"] == 1
    assert counters(contract.freelancer)["freelancer_on_time_count"] == int(is_on_time)


def test_only_the_first_delivery_counts_for_on_time():
    with clock_at(days_ago(30)) as clock:
        contract = fund(hired(duration_days=3))
        clock.advance(days=1)
        contract = request_changes(deliver(contract))
        clock.advance(days=10)
        accept(deliver(contract))

    assert nonzero(contract.freelancer) == {
        "freelancer_delivered_count": 1,
        "freelancer_on_time_count": 1,
        "freelancer_completed_count": 1,
        "freelancer_ended_count": 1,
        "freelancer_client_count": 1,
    }


def test_a_delivery_left_unanswered_and_accepted_by_the_sweep_counts_as_completed(settings):
    contract = deliver(fund(hired()))

    accepted = contract_services.auto_accept_overdue(
        now=timezone.now() + datetime.timedelta(days=settings.AUTO_ACCEPT_DAYS + 1)
    )

    assert accepted == 1
    assert counters(contract.freelancer)["freelancer_completed_count"] == 1
    assert counters(contract.client)["client_completed_count"] == 1


def test_a_cancelled_contract_counts_as_ended_but_not_completed():
    contract = cancel(fund(hired()))

    assert nonzero(contract.freelancer) == {"freelancer_ended_count": 1}
    assert nonzero(contract.client) == {}


def test_contracts_that_never_started_count_nowhere():
    waiting = hired()
    declined = hired()
    contract_services.decline_hire(freelancer=declined.freelancer, contract=declined, reason="مشغول")
    withdrawn = hired()
    contract_services.withdraw_hire(client=withdrawn.client, contract=withdrawn, reason="تغيرت الخطة")
    disputed = fund(hired())
    contract_services.open_dispute(
        user=disputed.freelancer, contract=disputed, reason="العميل لا يرد على رسائلي منذ أسبوعين."
    )

    for contract in (waiting, declined, withdrawn, disputed):
        assert nonzero(contract.freelancer) == {}
        assert nonzero(contract.client) == {}


def test_the_rehire_rate_counts_clients_not_contracts():
    freelancer = freelancer_user()
    loyal, once = client_user("وفيّ"), client_user("مرة واحدة")
    for _number in range(3):
        completed_contract(loyal, freelancer)
    completed_contract(once, freelancer)

    assert counters(freelancer)["freelancer_client_count"] == 2
    assert counters(freelancer)["freelancer_repeat_client_count"] == 1
    assert counters(loyal)["client_completed_count"] == 3


def test_a_rolled_back_change_leaves_the_counters_as_they_were():
    contract = fund(hired())

    with pytest.raises(RuntimeError), transaction.atomic():
        deliver(contract)
        assert counters(contract.freelancer)["freelancer_delivered_count"] == 1
        raise RuntimeError("the request failed after the delivery")

    assert nonzero(contract.freelancer) == {}
    assert not ContractTally.objects.filter(first_delivered_at__isnull=False).exists()


def test_each_fact_is_counted_once_whatever_the_number_of_calls():
    contract = completed_contract()
    say(contract.client, conversation_of(contract))
    reply = say(contract.freelancer, conversation_of(contract))
    before = {person.pk: counters(person) for person in (contract.client, contract.freelancer)}

    assert reputation.record_delivery(contract) is False
    assert reputation.record_contract_end(contract) is False
    assert reputation.record_message(reply) is False

    assert {person.pk: counters(person) for person in (contract.client, contract.freelancer)} == before


def test_a_first_reply_counts_from_the_other_sides_first_message():
    with clock_at(days_ago(3)) as clock:
        contract = hired()
        conversation = conversation_of(contract)
        say(contract.client, conversation, "السلام عليكم")
        clock.advance(minutes=20)
        say(contract.client, conversation, "هل رأيت رسالتي؟")
        clock.advance(minutes=25)
        say(contract.freelancer, conversation, "نعم، أعتذر عن التأخير.")
        clock.advance(minutes=1)
        say(contract.client, conversation, "لا بأس.")
        clock.advance(days=1)
        say(contract.freelancer, conversation, "سلمتك النسخة الأولى.")

    assert nonzero(contract.freelancer) == {"response_count": 1, "response_seconds_sum": 45 * 60}
    assert nonzero(contract.client) == {}  # she opened the conversation: nothing to answer
    assert ResponseTally.objects.count() == 1


def test_an_earlier_reply_committed_after_a_later_one_is_the_one_that_counts():
    """Two replies at once: the later one committed first. The counter keeps the first reply's time."""
    with clock_at(days_ago(3)) as clock:
        contract = hired()
        conversation = conversation_of(contract)
        opening = say(contract.client, conversation)
        clock.advance(minutes=15)
        say(contract.freelancer, conversation, "ثانياً")
    # The first reply, written 10 minutes after the opening, whose transaction commits only now.
    earlier = Message.objects.create(conversation=conversation, sender=contract.freelancer, body="أولاً")
    Message.objects.filter(pk=earlier.pk).update(
        created_at=opening.created_at + datetime.timedelta(minutes=10)
    )
    earlier.refresh_from_db()

    assert counters(contract.freelancer)["response_seconds_sum"] == 15 * 60

    assert reputation.record_message(earlier) is True

    assert nonzero(contract.freelancer) == {"response_count": 1, "response_seconds_sum": 10 * 60}
    assert counters(contract.freelancer) == reputation.counted_from_rows(contract.freelancer)


def test_a_review_counts_once_it_is_public_and_never_while_hidden():
    contract = completed_contract()

    review(contract.client, contract, 2)
    assert counters(contract.freelancer)["freelancer_review_count"] == 0

    review(contract.freelancer, contract, 4)
    assert counters(contract.freelancer)["freelancer_review_count"] == 1
    assert counters(contract.freelancer)["freelancer_expertise_sum"] == 2
    assert counters(contract.client)["client_review_count"] == 1
    assert counters(contract.client)["client_clarity_sum"] == 4


def test_a_dispute_decided_either_way_ends_the_contract_once():
    completed = decide_dispute(deliver(fund(hired())), freelancer_share_cents=1_000)
    refunded = decide_dispute(fund(hired()), freelancer_share_cents=0)

    assert completed.status == Contract.Status.COMPLETED and refunded.status == Contract.Status.CANCELLED
    assert nonzero(completed.freelancer) == {
        "freelancer_completed_count": 1,
        "freelancer_ended_count": 1,
        "freelancer_delivered_count": 1,
        "freelancer_on_time_count": 1,
        "freelancer_client_count": 1,
    }
    assert nonzero(refunded.freelancer) == {"freelancer_ended_count": 1}


# --- Figures: what each says, and "not enough data yet" -----------------------------------------


def test_every_figure_says_what_it_counts(history):
    shown = selectors.profile_reputation(history.leila)
    every = [shown["freelancer"].rating, *shown["freelancer"].criteria, *shown["freelancer"].others]
    every += [shown["response_time"]]

    assert all(figure.help_text and figure.label for figure in every)
    assert len({figure.help_text for figure in shown["freelancer"].others}) == 4


@pytest.mark.parametrize(("reviews", "is_shown"), [(0, False), (2, False), (3, True)])
def test_averages_show_from_the_minimum_sample_of_public_reviews(reviews, is_shown):
    row = Reputation(
        freelancer_review_count=reviews,
        **{f"freelancer_{field}_sum": 4 * reviews for field in figures_fields()},
    )

    shown = figures.freelancer_figures(row)

    assert (shown.rating.value == "4.0") is is_shown
    assert (shown.rating.value is None) is not is_shown
    assert all((criterion.value is None) is not is_shown for criterion in shown.criteria)
    assert (figures.card_summary(row).rating is None) is not is_shown


def figures_fields() -> list[str]:
    from mostaql.reviews.models import FREELANCER_CRITERIA

    return [criterion.field for criterion in FREELANCER_CRITERIA]


@pytest.mark.parametrize(("sample", "is_shown"), [(2, False), (3, True)])
def test_rates_show_from_the_minimum_sample(sample, is_shown):
    row = Reputation(
        freelancer_completed_count=sample,
        freelancer_ended_count=sample,
        freelancer_delivered_count=sample,
        freelancer_on_time_count=sample,
        freelancer_client_count=sample,
        response_count=sample,
        response_seconds_sum=sample * 600,
    )

    others = {figure.key: figure.value for figure in figures.freelancer_figures(row).others}
    expected = "100%" if is_shown else None

    assert others == {
        "completed": figures.completed_words(sample, 0),  # a count, not a rate: always shown
        "completion_rate": expected,
        "on_time_rate": expected,
        "rehire_rate": "0%" if is_shown else None,
    }
    with translation.override("en"):
        assert figures.response_time(row).value == ("10 minutes" if is_shown else None)


def test_the_hire_rate_shows_from_the_minimum_sample_of_decided_projects():
    row = Reputation()

    shown = {
        f.key: f.value for f in figures.client_figures(row, {"posted": 9, "hired": 1, "closed": 1}).others
    }
    assert shown["hire_rate"] is None
    shown = {
        f.key: f.value for f in figures.client_figures(row, {"posted": 9, "hired": 2, "closed": 1}).others
    }
    assert shown["hire_rate"] == "67%"


@pytest.mark.parametrize(
    ("seconds", "reads"),
    [
        (0, "1 minute"),
        (89, "1 minute"),
        (90, "2 minutes"),
        (59 * 60, "59 minutes"),
        (60 * 60, "1 hour"),
        (47 * 3600, "47 hours"),
        (48 * 3600, "2 days"),
        (10 * 86400, "10 days"),
    ],
)
def test_a_response_time_reads_in_the_natural_unit(seconds, reads):
    with translation.override("en"):
        assert figures.readable_duration(seconds) == reads


def test_messages_written_in_the_same_instant_count_the_same_incrementally_and_in_a_recount():
    with clock_at(days_ago(2)):
        contract = hired()
        say(contract.client, conversation_of(contract))
        say(contract.freelancer, conversation_of(contract))

    assert nonzero(contract.freelancer) == {"response_count": 1}  # answered in 0 seconds
    assert nonzero(contract.client) == {}
    for person in (contract.client, contract.freelancer):
        assert counters(person) == reputation.counted_from_rows(person)
