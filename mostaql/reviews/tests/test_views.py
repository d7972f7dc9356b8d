"""The review pages, the profile's reviews and figures, and the bidder cards, as a person sees them."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from mostaql.accounts.tests.factories import UserFactory
from mostaql.projects.tests.factories import client_user, freelancer_user, open_project, place_offer
from mostaql.reviews import reputation
from mostaql.reviews.models import Direction, Review
from mostaql.reviews.tests.factories import (
    PublicReviewFactory,
    clock_at,
    completed_contract,
    days_ago,
    fund,
    hired,
    marks,
    review,
)
from mostaql.reviews.tests.history import build_history
from mostaql.wallet.tests.lifecycle_helpers import ar, forget_messages, messages_of

pytestmark = pytest.mark.django_db

COMPLETION_HELP = (
    "Completed contracts out of contracts that ended: completed, cancelled or refunded after a dispute"
)
ON_TIME_HELP = (
    "Contracts whose first delivery came within the agreed days of the funding, out of contracts delivered"
)
REHIRE_HELP = "Clients who completed more than one contract with this freelancer, out of all their clients"
CLIENT_COMMENT = "عمل متقن وتواصل ممتاز طوال المشروع، أنصح بالتعامل معها."
FREELANCER_COMMENT = "عميل واضح في طلباته ويدفع في الوقت، سعدت بالعمل معه."


def write_url(contract) -> str:
    return f"/contracts/{contract.pk}/review/"


def reply_url(review_row) -> str:
    return f"/reviews/{review_row.pk}/reply/"


def form_body(direction: str, mark: int = 5, comment: str = CLIENT_COMMENT) -> dict:
    return {**{field: str(value) for field, value in marks(direction, mark).items()}, "comment": comment}


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def profile_url(user) -> str:
    return f"/u/{user.profile.slug}/"


# --- Writing a review -----------------------------------------------------------------------------


def test_the_client_sees_the_six_criteria_and_writes_a_hidden_review(client):
    contract = completed_contract()
    client.force_login(contract.client)

    html = page(client, write_url(contract))
    assert html.count('type="radio"') == 6 * 5
    for label in (
        "Professionalism",
        "Communication and follow-up",
        "Quality of the work",
        "Expertise in the field",
    ):
        assert ar(label) in html
    assert re.search(r'<textarea[^>]*dir="auto"', html)

    response = client.post(write_url(contract), form_body(Direction.CLIENT_TO_FREELANCER))

    assert response.status_code == 302 and response.url == write_url(contract)
    assert messages_of(response) == [
        (
            "success",
            ar(
                "Thank you. Your review stays hidden until the other side writes theirs "
                "or the review period ends."
            ),
        )
    ]
    written = Review.objects.get()
    assert (written.author, written.comment, written.published_at) == (contract.client, CLIENT_COMMENT, None)
    forget_messages(client)
    html = page(client, write_url(contract))
    assert CLIENT_COMMENT in html and 'type="radio"' not in html


def test_the_freelancer_rates_the_client_on_four_criteria_and_both_reviews_go_public(client):
    contract = completed_contract()
    review(contract.client, contract, 4, CLIENT_COMMENT)
    client.force_login(contract.freelancer)

    html = page(client, write_url(contract))
    assert html.count('type="radio"') == 4 * 5
    assert ar("Clarity of requirements") in html
    assert CLIENT_COMMENT not in html  # double-blind: hers stays hidden until he has written his
    waiting = ar(
        "%(name)s has written a review. You will see it once you have written yours, "
        "or when the review period ends."
    )
    assert waiting % {"name": contract.client.name} in html

    response = client.post(
        write_url(contract), form_body(Direction.FREELANCER_TO_CLIENT, 5, FREELANCER_COMMENT)
    )

    assert messages_of(response) == [("success", ar("Thank you. Both reviews are now public."))]
    forget_messages(client)
    html = page(client, write_url(contract))
    assert CLIENT_COMMENT in html and FREELANCER_COMMENT in html
    assert ar("Answer this review") in html


def test_a_missing_mark_shows_the_form_again_with_the_error(client):
    contract = completed_contract()
    client.force_login(contract.client)
    body = form_body(Direction.CLIENT_TO_FREELANCER)
    del body["quality"]

    response = client.post(write_url(contract), body)

    assert response.status_code == 200
    assert ar("Choose a mark from 1 to 5.") in response.content.decode()
    assert CLIENT_COMMENT in response.content.decode()  # what was typed is kept
    assert not Review.objects.exists()


def test_a_second_review_is_refused_with_a_message(client):
    contract = completed_contract()
    review(contract.client, contract, 5, CLIENT_COMMENT)
    client.force_login(contract.client)

    response = client.post(
        write_url(contract), form_body(Direction.CLIENT_TO_FREELANCER, 1, "تغيير رأيي لاحقاً.")
    )

    assert response.status_code == 302
    assert messages_of(response) == [("error", ar("You have already reviewed this contract."))]
    assert list(Review.objects.values_list("comment", flat=True)) == [CLIENT_COMMENT]


def test_a_review_after_the_window_is_refused_with_a_message(client):
    with clock_at(days_ago(20)):
        contract = completed_contract()
    client.force_login(contract.freelancer)

    html = page(client, write_url(contract))
    assert 'type="radio"' not in html
    response = client.post(write_url(contract), form_body(Direction.FREELANCER_TO_CLIENT))

    [(level, text)] = messages_of(response)
    assert level == "error"
    assert text.startswith(ar("The review period of this contract ended on %(date)s.").split("%(date)s")[0])
    assert not Review.objects.exists()


def test_a_contract_that_did_not_complete_cannot_be_reviewed_from_its_page(client):
    contract = fund(hired())
    client.force_login(contract.client)

    assert ar("Reviews open once the contract is completed.") in page(client, write_url(contract))
    response = client.post(write_url(contract), form_body(Direction.CLIENT_TO_FREELANCER))

    assert messages_of(response) == [("error", ar("Reviews open once the contract is completed."))]
    assert not Review.objects.exists()


# --- Who may see the pages ----------------------------------------------------------------------


def test_people_outside_the_contract_get_404_whatever_the_id(client):
    contract = completed_contract()
    own = completed_contract()
    review(contract.client, contract)
    review(contract.freelancer, contract)
    target = Review.objects.filter(contract=contract).first()
    before = list(Review.objects.values())

    for outsider in (own.client, own.freelancer, UserFactory(is_staff=True)):
        client.force_login(outsider)
        assert client.get(write_url(contract)).status_code == 404
        assert client.post(write_url(contract), form_body(Direction.CLIENT_TO_FREELANCER)).status_code == 404
        assert client.post(reply_url(target), {"reply": "رد من غريب"}).status_code == 404
        assert client.get("/contracts/999999/review/").status_code == 404
        assert client.post("/reviews/999999/reply/", {"reply": "رد"}).status_code == 404
    assert list(Review.objects.values()) == before


def test_anonymous_visitors_are_sent_to_log_in(client):
    contract = completed_contract()
    review(contract.client, contract)
    target = Review.objects.get()

    for response in (
        client.get(write_url(contract)),
        client.post(write_url(contract), form_body(Direction.CLIENT_TO_FREELANCER)),
        client.post(reply_url(target), {"reply": "رد"}),
    ):
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
    assert Review.objects.count() == 1 and Review.objects.get().reply == ""


def test_a_reply_is_a_post(client):
    contract = completed_contract()
    review(contract.client, contract)
    client.force_login(contract.freelancer)

    assert client.get(reply_url(Review.objects.get())).status_code == 405


# --- Answering ---------------------------------------------------------------------------------


def both_public() -> tuple:
    contract = completed_contract()
    review(contract.client, contract, 3, CLIENT_COMMENT)
    review(contract.freelancer, contract, 5, FREELANCER_COMMENT)
    return (
        contract,
        Review.objects.get(author=contract.client),
        Review.objects.get(author=contract.freelancer),
    )


def test_the_freelancer_answers_once_and_the_answer_is_public(client):
    contract, of_freelancer, _of_client = both_public()
    client.force_login(contract.freelancer)

    response = client.post(reply_url(of_freelancer), {"reply": "شكراً على كلماتك الطيبة."})

    assert response.url == f"{write_url(contract)}#review-{of_freelancer.pk}"
    assert messages_of(response) == [("success", ar("Your answer is published under the review."))]
    forget_messages(client)
    response = client.post(reply_url(of_freelancer), {"reply": "رد ثان"})
    assert messages_of(response) == [("error", ar("You have already answered this review."))]
    client.logout()
    html = page(client, profile_url(contract.freelancer))
    assert re.search(r'<div class="prose" dir="auto"><p>شكراً على كلماتك الطيبة.</p></div>', html)
    assert "رد ثان" not in html


def test_the_client_is_not_offered_an_answer_and_cannot_post_one(client):
    contract, _of_freelancer, of_client = both_public()
    client.force_login(contract.client)

    html = page(client, write_url(contract))
    assert f'action="{reply_url(of_client)}"' not in html
    response = client.post(reply_url(of_client), {"reply": "أعترض على هذا التقييم."})

    with translation.override("ar"):
        refusal = gettext("Only the freelancer who was reviewed can answer this review.")
    assert refusal != "Only the freelancer who was reviewed can answer this review."  # told in Arabic
    assert messages_of(response) == [("error", refusal)]
    assert Review.objects.get(pk=of_client.pk).reply == ""


def test_an_empty_answer_is_refused_with_the_forms_message(client):
    contract, of_freelancer, _of_client = both_public()
    client.force_login(contract.freelancer)

    response = client.post(reply_url(of_freelancer), {"reply": ""})

    [(level, _text)] = messages_of(response)
    assert level == "error"
    assert Review.objects.get(pk=of_freelancer.pk).reply == ""


# --- The profile ---------------------------------------------------------------------------------


def test_the_profile_shows_public_reviews_only(client):
    contract, _of_freelancer, _of_client = both_public()
    hidden_contract = completed_contract(freelancer=contract.freelancer)
    review(hidden_contract.client, hidden_contract, 1, "تقييم لم يُنشر بعد ولا يجوز أن يظهر.")

    html = page(client, profile_url(contract.freelancer))

    assert CLIENT_COMMENT in html
    assert "تقييم لم يُنشر" not in html
    assert html.count('class="card review"') == 1
    assert re.search(r'<div class="prose" dir="auto"><p>' + re.escape(CLIENT_COMMENT), html)
    assert f'<span dir="auto">{contract.project.title}</span>' in html
    assert '<bdi dir="ltr">3.0</bdi>' in html  # the review's own mark, with a full stop


def test_a_new_profile_says_not_enough_data_yet_for_every_average(client):
    contract, _of_freelancer, _of_client = both_public()

    html = page(client, profile_url(contract.freelancer))

    # Rating, six criteria, completion, on-time and rehire rates, response time.
    assert html.count('class="muted not-enough"') == 6 + 3 + 1
    assert ar("not enough data yet") in html
    with translation.override("ar"):
        help_line = ngettext(
            "Averages are shown from %(counter)s public review on.",
            "Averages are shown from %(counter)s public reviews on.",
            3,
        ) % {"counter": 3}
    assert help_line in html


def test_the_profile_shows_each_hand_counted_figure_with_what_it_counts(client):
    history = build_history()

    html = page(client, profile_url(history.leila))

    figures = dict(
        re.findall(r'<dt title="([^"]+)">[^<]+</dt>\s*<dd>(.*?)<span class="figure-help">', html, re.S)
    )
    shown = {help_text: re.sub(r"<[^>]+>", "", value).strip() for help_text, value in figures.items()}
    assert shown[ar("Delivered within the agreed time")] == "3.3"
    assert shown[ar("Knows the field and gives good advice")] == "4.3"
    assert shown[ar("Project contracts and service orders completed as a freelancer")].startswith("4 ")
    assert shown[ar(COMPLETION_HELP)] == "67%"
    assert shown[ar(ON_TIME_HELP)] == "80%"
    assert shown[ar(REHIRE_HELP)] == "33%"
    assert '<meter min="0" max="5" value="4.3" aria-hidden="true">' in html
    assert '<bdi dir="ltr">3.9</bdi>' in html  # the overall rating
    assert ar("Member since") in html and ar("Last seen") in html
    assert html.count('class="card review"') == 3


def test_a_clients_profile_shows_the_hire_rate(client):
    history = build_history()

    html = page(client, profile_url(history.amal))

    assert ar("Hire rate") in html
    assert re.search(
        re.escape(ar("Projects that hired a freelancer, out of projects that hired or closed"))
        + r'">[^<]+</dt>\s*<dd><bdi dir="auto">75%</bdi>',
        html,
    )


# --- The bidder cards ---------------------------------------------------------------------------


def test_every_bidder_card_shows_the_reputation_summary(client):
    history = build_history()
    newcomer = freelancer_user("وافد جديد")
    project = open_project(client_user("صاحب مشروع جديد"))
    place_offer(project, history.leila)
    place_offer(project, newcomer)

    html = page(client, f"/projects/{project.pk}/")

    cards = re.findall(r'<li class="card offer-card".*?</li>', html, re.S)
    assert len(cards) == 2
    leila, new = cards
    assert '<bdi dir="ltr">3.9</bdi>' in leila
    for label, value, help_text in (
        ("Completion rate", "67%", COMPLETION_HELP),
        ("On-time delivery", "80%", ON_TIME_HELP),
        ("Rehire rate", "33%", REHIRE_HELP),
    ):
        # Each figure says what it counts on hover.
        assert f'<span title="{ar(help_text)}">{ar(label)}: <bdi dir="auto">{value}</bdi></span>' in leila
    assert ar("Average response time") in leila
    assert ar("not enough data yet") not in leila
    assert f"{ar('Rating')}: {ar('not enough data yet')}" in new
    assert f"{ar('Rates')}: {ar('not enough data yet')}" in new


def test_the_freelancer_directory_cards_show_the_summary(client):
    build_history()

    html = page(client, "/freelancers/")

    assert '<bdi dir="ltr">3.9</bdi>' in html


# --- Query counts -------------------------------------------------------------------------------


def queries_for(client, url: str) -> tuple[int, str]:
    client.get(url)  # warm the per-process caches out of the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def add_public_reviews(freelancer, count: int) -> None:
    moment = timezone.now()
    for number in range(count):
        PublicReviewFactory(
            contract__hired_freelancer=freelancer,
            published_at=moment - datetime.timedelta(minutes=number),
            comment=f"تعليق رقم {number} على عمل ممتاز.",
        )
    reputation.recount(freelancer)


@pytest.mark.parametrize("as_owner", [False, True], ids=["visitor", "the_freelancer"])
def test_the_profile_costs_the_same_with_20_and_200_reviews(client, django_assert_num_queries, as_owner):
    freelancer = freelancer_user("كثيرة التقييمات")
    if as_owner:
        client.force_login(freelancer)
    url = profile_url(freelancer)
    add_public_reviews(freelancer, 20)
    with_twenty, html = queries_for(client, url)
    assert html.count('class="card review"') == 10
    add_public_reviews(freelancer, 180)
    client.get(url)

    with django_assert_num_queries(with_twenty):
        response = client.get(url)
    with django_assert_num_queries(with_twenty):
        client.get(url + "?page=20")

    html = response.content.decode()
    assert html.count('class="card review"') == 10
    assert "(200)" in html
    assert "تعليق رقم 0 على" in html  # newest first
    assert freelancer.reputation.freelancer_review_count == 200


def test_the_project_page_costs_the_same_with_2_and_10_bidders_with_reputations(
    client, django_assert_num_queries
):
    project = open_project(client_user())
    bidders = []

    def add_bidders(count: int) -> None:
        for _number in range(count):
            bidder = freelancer_user()
            add_public_reviews(bidder, 3)
            place_offer(project, bidder)
            bidders.append(bidder)

    add_bidders(2)
    with_two, _html = queries_for(client, f"/projects/{project.pk}/")
    add_bidders(8)
    client.get(f"/projects/{project.pk}/")

    with django_assert_num_queries(with_two):
        response = client.get(f"/projects/{project.pk}/")

    assert response.content.decode().count('<bdi dir="ltr">4.7</bdi>') == 10
