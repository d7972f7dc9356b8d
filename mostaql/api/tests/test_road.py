"""The whole marketplace road through the API alone (sign-up excepted): a project posted and approved,
an offer, the hire, a deposit paid on the sandbox, funding, delivery, acceptance, clearance, a
withdrawal paid by finance staff, the balances read through the API at each step, and the ledger's
audit clean at the end."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from mostaql.api.tests.support import ApiClient, verified_user
from mostaql.projects import services as project_services
from mostaql.projects.models import Project
from mostaql.projects.tests.factories import DESCRIPTION, OFFER_TEXT, freelancer_user
from mostaql.wallet import webhooks
from mostaql.wallet.models import Deposit
from mostaql.wallet.tests.factories import finance_staff, sandbox_webhook, verify_identity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sandbox(settings):
    settings.SANDBOX_GATEWAY_ENABLED = True
    settings.SANDBOX_WEBHOOK_SECRET = "test-webhook-secret"
    settings.CLEARANCE_DAYS = 14


def wallet_of(client: ApiClient) -> dict:
    response = client.get("/api/v1/wallet/")
    assert response.status_code == 200, response.content
    body = response.json()
    return {name: body[f"{name}_cents"] for name in ("available", "pending", "escrow", "withdrawal_hold")}


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.json()


def test_the_whole_road_through_the_api():
    client, freelancer, moderator = (
        verified_user(name="عميل"),
        freelancer_user(),
        verified_user(is_staff=True),
    )
    as_client, as_freelancer = ApiClient(client), ApiClient(freelancer)
    as_finance = ApiClient(finance_staff())

    # A project posted, approved by a moderator, found and bid on.
    project = ok(
        as_client.post(
            "/api/v1/projects/",
            {
                "title": "تصميم هوية بصرية لمقهى",
                "description": DESCRIPTION,
                "category": "programming",
                "skills": ["python"],
                "budget": "250-500",
                "duration_days": 20,
            },
        ),
        201,
    )
    project_services.approve_project(moderator=moderator, project=Project.objects.get(pk=project["id"]))
    assert [item["id"] for item in ok(as_freelancer.get("/api/v1/projects/"))["items"]] == [project["id"]]
    offer = ok(
        as_freelancer.post(
            f"/api/v1/projects/{project['id']}/offers/",
            {"amount_cents": 40_000, "duration_days": 10, "text": OFFER_TEXT},
        ),
        201,
    )

    # The client writes to the bidder, then hires.
    conversation = ok(as_client.post(f"/api/v1/offers/{offer['id']}/conversation/"))
    ok(as_client.post(f"/api/v1/conversations/{conversation['id']}/messages/", {"body": "متى تبدأ؟"}), 201)
    assert ok(as_freelancer.get("/api/v1/conversations/"))["items"][0]["unread"] == 1
    contract = ok(as_client.post(f"/api/v1/offers/{offer['id']}/hire/", idempotency_key="hire"), 201)
    contract_url = f"/api/v1/contracts/{contract['id']}/"
    assert [item["action"] for item in ok(as_client.get(contract_url))["actions"]] == [
        "fund",
        "withdraw_hire",
        "propose_milestone_change",
    ]

    # Funding without money is refused; a deposit on the sandbox, confirmed by its signed webhook.
    assert as_client.post(contract_url + "fund/", idempotency_key="fund").status_code == 409
    assert wallet_of(as_client) == {"available": 0, "pending": 0, "escrow": 0, "withdrawal_hold": 0}
    deposit = ok(
        as_client.post("/api/v1/wallet/deposits/", {"amount_cents": 50_000}, idempotency_key="d"), 201
    )
    assert deposit["checkout_url"].endswith(f"/wallet/sandbox/{deposit['id']}/")
    body, signature = sandbox_webhook(Deposit.objects.get(pk=deposit["id"]))
    assert webhooks.handle(gateway_name="sandbox", body=body, signature=signature) == "processed"
    assert ok(as_client.get(f"/api/v1/wallet/deposits/{deposit['id']}/"))["status"] == "succeeded"
    assert wallet_of(as_client)["available"] == 50_000

    # Fund, deliver, accept.
    assert ok(as_client.post(contract_url + "fund/", idempotency_key="fund"))["status"] == "active"
    assert wallet_of(as_client) == {"available": 10_000, "pending": 0, "escrow": 40_000, "withdrawal_hold": 0}
    assert ok(as_freelancer.get(f"/api/v1/projects/{project['id']}/"))["status"] == "in_progress"
    delivered = ok(as_freelancer.post(contract_url + "deliver/", {"message": "أرفقت الملفات النهائية كلها."}))
    assert delivered["status"] == "delivered"
    assert ok(as_client.get("/api/v1/notifications/unread/"))["unread"] >= 1
    accepted = ok(as_client.post(contract_url + "accept/", idempotency_key="accept"))
    assert accepted["status"] == "completed"
    assert wallet_of(as_client) == {"available": 10_000, "pending": 0, "escrow": 0, "withdrawal_hold": 0}
    freelancer_wallet = ok(as_freelancer.get("/api/v1/wallet/"))
    assert freelancer_wallet["pending_cents"] == 32_000 and freelancer_wallet["available_cents"] == 0
    clears_at = datetime.datetime.fromisoformat(freelancer_wallet["pending_earnings"][0]["clears_at"])

    # Both sides review each other: the two reviews are then public.
    client_scores = dict.fromkeys(
        ("professionalism", "communication", "quality", "expertise", "on_time", "would_work_again"), 5
    )
    freelancer_scores = dict.fromkeys(("professionalism", "communication", "clarity", "would_work_again"), 4)
    review = ok(
        as_client.post(contract_url + "review/", {"scores": client_scores, "comment": "عمل ممتاز وسريع."}),
        201,
    )
    assert review["published_at"] is None  # blind until the other side writes theirs
    ok(
        as_freelancer.post(contract_url + "review/", {"scores": freelancer_scores, "comment": "عميل واضح."}),
        201,
    )
    public = ok(ApiClient().get(f"/api/v1/profiles/{freelancer.profile.slug}/reviews/"))
    assert [item["id"] for item in public["items"]] == [review["id"]]
    ok(as_freelancer.post(f"/api/v1/reviews/{review['id']}/reply/", {"reply": "شكراً لك!"}))

    # Clearance: the sweep does nothing before the date; with the clock moved past it, it clears.
    call_command("sweep", stdout=StringIO())
    assert wallet_of(as_freelancer)["pending"] == 32_000
    assert clears_at - timezone.now() > datetime.timedelta(days=13)
    later = clears_at + datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        out = StringIO()
        call_command("sweep", stdout=out)
    assert "1 earnings cleared" in out.getvalue(), out.getvalue()
    assert wallet_of(as_freelancer) == {"available": 32_000, "pending": 0, "escrow": 0, "withdrawal_hold": 0}

    # A withdrawal: refused without a verified identity, then requested and paid by finance staff.
    withdrawal_body = {"amount_cents": 30_000, "method": "paypal", "paypal_email": "layla@example.com"}
    refused = as_freelancer.post("/api/v1/wallet/withdrawals/", withdrawal_body, idempotency_key="w")
    assert refused.status_code == 403
    verify_identity(freelancer, by=moderator)
    withdrawal = ok(
        as_freelancer.post("/api/v1/wallet/withdrawals/", withdrawal_body, idempotency_key="w"), 201
    )
    assert wallet_of(as_freelancer) == {
        "available": 2_000,
        "pending": 0,
        "escrow": 0,
        "withdrawal_hold": 30_000,
    }
    queue = ok(as_finance.get("/api/v1/staff/withdrawals/"))
    assert [item["id"] for item in queue["items"]] == [withdrawal["id"]]
    paid = ok(as_finance.post(f"/api/v1/staff/withdrawals/{withdrawal['id']}/pay/", idempotency_key="p"))
    assert paid["status"] == "paid"
    assert wallet_of(as_freelancer) == {"available": 2_000, "pending": 0, "escrow": 0, "withdrawal_hold": 0}
    statement = ok(as_freelancer.get("/api/v1/wallet/statement/?account=all"))
    # Newest first; the clearance was written with the clock moved ahead, so it sorts first.
    lines = [(line["operation"], line["account"], line["amount_cents"]) for line in statement["items"]]
    assert sorted(lines) == sorted(
        [
            ("release", "pending", 32_000),
            ("clear", "pending", -32_000),
            ("clear", "available", 32_000),
            ("withdraw", "available", -30_000),
            ("withdraw", "withdrawal_hold", 30_000),
            ("payout", "withdrawal_hold", -30_000),
        ]
    )

    # The ledger balances.
    out = StringIO()
    call_command("ledger_audit", stdout=out)
    assert out.getvalue().startswith("ledger audit clean"), out.getvalue()
