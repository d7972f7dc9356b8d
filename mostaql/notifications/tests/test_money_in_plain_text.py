"""Amounts in notification titles and e-mails keep their order inside Arabic text (Unicode isolates)."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from mostaql.accounts.tests.factories import UserFactory
from mostaql.notifications.kinds import KINDS
from mostaql.notifications.services import notify

LRI, PDI = "\u2066", "\u2069"

contract = SimpleNamespace(
    project=SimpleNamespace(title="تصميم شعار"),
    get_absolute_url=lambda: "/contracts/7/",
    client=SimpleNamespace(get_short_name=lambda: "سارة", name="سارة"),
    freelancer=SimpleNamespace(get_short_name=lambda: "خالد", name="خالد"),
    title="تصميم شعار",
    amount_cents=1250_50,
)
# Every kind whose words carry an amount, with a context that holds one: $1,250.50 everywhere.
AMOUNT_KINDS = {
    "earnings_cleared": {"earning": SimpleNamespace(amount_cents=1250_50, contract=contract)},
    "withdrawal_processed": {
        "withdrawal": SimpleNamespace(
            amount_cents=1250_50, status="paid", reason="", payment_reference="TX-1"
        )
    },
    "bonus_paid": {"contract": contract, "bonus": SimpleNamespace(amount_cents=1250_50)},
    "milestone_change_proposed": {
        "contract": contract,
        "change": SimpleNamespace(title="البرمجة", amount_cents=1250_50, days=5),
    },
    "rehire_offered": {"contract": contract},
    "dispute_decided": {
        "contract": contract,
        "dispute": SimpleNamespace(freelancer_share_cents=1250_50, decision="قرار المشرفين."),
    },
}
REFUSED_WITHDRAWAL = {
    "withdrawal": SimpleNamespace(
        amount_cents=1250_50, status="refused", reason="الحساب مغلق", payment_reference=""
    )
}


def rendered(kind: str, context: dict) -> str:
    template = KINDS[kind].template
    context = {**context, "site_url": "https://mostaql.example"}
    with translation.override("ar"):
        return render_to_string(f"{template}_subject.txt", context) + render_to_string(
            f"{template}_body.txt", context
        )


@pytest.mark.parametrize(
    ("kind", "context"), [*AMOUNT_KINDS.items(), ("withdrawal_processed", REFUSED_WITHDRAWAL)]
)
def test_every_amount_in_a_notification_is_isolated_left_to_right_in_arabic(kind, context):
    text = rendered(kind, context)

    assert f"{LRI}$1,250.50{PDI}" in text
    # and no amount anywhere without its isolates
    assert re.findall(r"\$[\d,.]+", text) == re.findall(rf"(?<={LRI})\$[\d,.]+(?={PDI})", text)


def test_every_notification_template_that_shows_an_amount_is_in_the_table_above():
    """A new kind that words an amount must use money_text (and be listed here)."""
    showing_amounts = set()
    for name, kind in KINDS.items():
        for part in ("subject", "body"):
            path = next(Path("mostaql").glob(f"*/templates/{kind.template}_{part}.txt"))
            source = path.read_text()
            if re.search(r"_cents\b", source):
                assert "|money_text" in source, f"{path} prints cents without money_text"
                showing_amounts.add(name)

    assert showing_amounts == set(AMOUNT_KINDS)


# --- The language a notification is read in ------------------------------------------------------


@pytest.mark.django_db
def test_a_notification_is_listed_in_the_language_of_the_page(client, settings):
    person = UserFactory()
    notify(
        user=person,
        kind="withdrawal_processed",
        context={
            "withdrawal": SimpleNamespace(amount_cents=5_000, status="paid", reason="", payment_reference="")
        },
        send_email=False,
    )
    client.force_login(person)

    arabic_page = client.get("/notifications/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english_page = client.get("/notifications/").content.decode()

    with translation.override("ar"):
        assert translation.gettext("Your withdrawal was paid") in arabic_page
    assert "Your withdrawal was paid" in english_page


def test_a_review_notification_does_not_guess_the_authors_gender():
    context = {
        "review": SimpleNamespace(author=SimpleNamespace(name="ندى"), rating=5),
        "contract": contract,
        "site_url": "https://mostaql.example",
    }
    with translation.override("ar"):
        subject = render_to_string("reviews/email/received_subject.txt", context)

    assert "قيّمك" not in subject and "قيّمتك" not in subject
    assert "تقييم جديد لك من ندى" in subject
