"""The wallet page, its statement and CSV export, and the deposit pages that belong to one person."""

import csv
import html
import io
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

from mostaql.contracts import services as contract_services
from mostaql.projects.tests.factories import clean_pdf, freelancer_user, hire, open_project, place_offer
from mostaql.wallet import services as wallet_services
from mostaql.wallet.gateways.sandbox import SandboxGateway
from mostaql.wallet.models import Deposit, Entry, PendingEarning, Transfer
from mostaql.wallet.tests.lifecycle_helpers import add_funds, ar, balances, fund, hired_scene, scene_in

pytestmark = pytest.mark.django_db


class _Tables(HTMLParser):
    """The text of every cell of every table on a page, row by row."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables_of(response) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables


def balance_cards(response) -> dict[str, str]:
    """The wallet's balance cards: label → amount as shown."""
    page = html.unescape(response.content.decode())
    cards = re.findall(r'<li class="card"><span class="muted">([^<]+)</span><strong>(.*?)</strong>', page)
    return {label: re.sub(r"<[^>]+>", "", amount) for label, amount in cards}


def person_with_every_balance():
    """A freelancer who also hires: money available, pending, in escrow and held for withdrawal."""
    scene = scene_in("completed")  # $320.00 pending for the freelancer
    person = scene.freelancer
    add_funds(person, 20_000)
    own_project = open_project(person, title="ترجمة موقع إلى الإنجليزية")
    contract = hire(place_offer(own_project, freelancer_user("مترجم"), amount_cents=10_000))
    contract_services.fund_contract(client=person, contract=contract)
    check = wallet_services.submit_identity_document(user=person, document=clean_pdf("passport.pdf"))
    wallet_services.review_identity(moderator=scene.staff, verification=check, approve=True)
    wallet_services.request_withdrawal(
        user=person, amount_cents=3_000, method="paypal", paypal_email="laila@example.com"
    )
    return person, scene


def test_the_wallet_shows_each_balance(client):
    person, _scene = person_with_every_balance()
    client.force_login(person)

    response = client.get("/wallet/")

    assert response.status_code == 200
    assert balances(person) == {
        "available": 7_000,
        "pending": 32_000,
        "escrow": 10_000,
        "withdrawal_hold": 3_000,
    }
    assert balance_cards(response) == {
        ar("Available"): "$70.00",
        ar("Pending clearance"): "$320.00",
        ar("In escrow"): "$100.00",
        ar("Held for withdrawal"): "$30.00",
    }


def test_the_wallet_lists_pending_earnings_with_their_clearance_dates(client):
    person, _scene = person_with_every_balance()
    earning = PendingEarning.objects.get(freelancer=person)
    client.force_login(person)

    pending_table = tables_of(client.get("/wallet/"))[0]

    with translation.override("ar"):
        clears_on = date_filter(timezone.localtime(earning.clears_at), "j F Y")
    assert pending_table[1:] == [["تصميم هوية لمقهى", "$320.00", clears_on]]


def statement_rows(response) -> list[tuple[str, str, str]]:
    """(operation, amount, balance after) of each line of the page's statement, read by column title."""
    header, *lines = tables_of(response)[-1]
    columns = [header.index(ar(title)) for title in ("Operation", "Amount", "Balance after")]
    return [tuple(line[column] for column in columns) for line in lines]


def test_the_statement_lists_each_movement_with_its_running_balance(client):
    person, _scene = person_with_every_balance()
    client.force_login(person)

    rows = statement_rows(client.get("/wallet/"))

    # The page's statement follows the available balance; the pending earning has its own table.
    assert rows == [
        (ar("Withdrawal requested"), "-$30.00", "$70.00"),
        (f"{ar('Contract funded')} ترجمة موقع إلى الإنجليزية", "-$100.00", "$100.00"),
        (ar("Funds added"), "$200.00", "$200.00"),
    ]


def test_the_statement_names_each_movement_in_arabic(client):
    add_funds(scene_in("active").freelancer, 1_000)  # every kind of transfer exists in some statement
    person, _scene = person_with_every_balance()
    client.force_login(person)

    page = html.unescape(client.get("/wallet/").content.decode())

    with translation.override("en"):
        english = [str(kind.label) for kind in Transfer.Kind]
    untranslated = [label for label in english if ar(label) == label]
    assert untranslated == []
    for english in (
        "Funds added",
        "Contract funded",
        "Payment released",
        "Withdrawal requested",
        "Available",
    ):
        assert english not in page


def test_the_statement_downloads_as_csv_with_a_byte_order_mark(client):
    person, _scene = person_with_every_balance()
    client.force_login(person)

    response = client.get("/wallet/statement.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="mostaql-statement.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        ar(title)
        for title in ("Date", "Operation", "Account", "Amount", "Balance after", "Currency", "Project")
    ]
    assert len(rows) == 1 + Entry.objects.filter(account__owner=person).count() == 6
    assert [row[1:] for row in rows[1:]] == [
        [ar("Withdrawal requested"), ar("Held for withdrawal"), "30.00", "30.00", "USD", ""],
        [ar("Withdrawal requested"), ar("Available"), "-30.00", "70.00", "USD", ""],
        [ar("Contract funded"), ar("Available"), "-100.00", "100.00", "USD", "ترجمة موقع إلى الإنجليزية"],
        [ar("Funds added"), ar("Available"), "200.00", "200.00", "USD", ""],
        [ar("Payment released"), ar("Pending clearance"), "320.00", "320.00", "USD", "تصميم هوية لمقهى"],
    ]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[0]) for row in rows[1:])


@pytest.mark.parametrize(
    "title",
    [
        '=HYPERLINK("http://evil.example","تفاصيل المشروع")',
        "+1+cmd|' /C calc'!A0 تصميم",
        "-2+3 تصميم شعار",
        "@SUM(1+1) تصميم شعار",
    ],
    ids=["equals", "plus", "minus", "at"],
)
def test_a_project_title_cannot_become_a_formula_in_the_csv(client, title):
    scene = scene_in("completed", title=title)
    client.force_login(scene.freelancer)

    rows = list(csv.reader(io.StringIO(client.get("/wallet/statement.csv").content.decode("utf-8-sig"))))

    titles = [row[-1] for row in rows[1:]]
    assert titles and all(not title.startswith(("=", "+", "-", "@", "\t", "\r")) for title in titles)
    # Kept as written behind the apostrophe that makes it text, and the amounts are left as numbers.
    assert set(titles) == {"'" + scene.project.title}
    assert all(re.fullmatch(r"-?\d+\.\d\d", row[3]) for row in rows[1:])


def test_a_negative_amount_in_the_csv_stays_a_number(client):
    scene = scene_in("active")
    client.force_login(scene.client)

    rows = list(csv.reader(io.StringIO(client.get("/wallet/statement.csv").content.decode("utf-8-sig"))))

    funded = [row for row in rows[1:] if row[1] == ar("Contract funded")]
    assert funded and funded[0][3] == "-400.00" and float(funded[0][3]) == -400


def test_a_person_sees_only_their_own_statement(client):
    scene = fund(hired_scene(funds_cents=50_000))
    client.force_login(scene.freelancer)

    assert tables_of(client.get("/wallet/")) == []
    rows = list(csv.reader(io.StringIO(client.get("/wallet/statement.csv").content.decode("utf-8-sig"))))
    assert len(rows) == 1


def test_an_empty_wallet(client):
    person = freelancer_user()
    client.force_login(person)

    response = client.get("/wallet/")

    assert set(balance_cards(response).values()) == {"$0.00"}
    assert ar("No movements yet.") in html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("path", "login"),
    [
        ("/wallet/", "/accounts/login/"),
        ("/wallet/statement.csv", "/accounts/login/"),
        ("/wallet/deposit/", "/accounts/login/"),
        ("/wallet/withdraw/", "/accounts/login/"),
        ("/staff/finance/", "/admin/login/"),
    ],
)
def test_the_wallet_pages_ask_to_log_in(client, path, login):
    response = client.get(path)

    assert (response.status_code, response.url) == (302, f"{login}?next={quote(path)}")


def test_another_persons_deposit_pages_are_a_404(client, settings):
    settings.SANDBOX_GATEWAY_ENABLED = True
    owner, other = freelancer_user("صاحب الإيداع"), freelancer_user("شخص آخر")
    deposit = wallet_services.start_deposit(user=owner, amount_cents=5_000)
    client.force_login(other)

    assert client.get(f"/wallet/deposit/{deposit.pk}/").status_code == 404
    assert client.get(f"/wallet/sandbox/{deposit.pk}/").status_code == 404
    paid = client.post(
        f"/wallet/sandbox/{deposit.pk}/", {"card_number": "4242424242424242", "expiry": "12/30", "cvc": "1"}
    )

    assert paid.status_code == 404
    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.STARTED
    assert balances(owner)["available"] == balances(other)["available"] == 0


def test_the_owner_pays_a_deposit_on_the_sandbox_page(client, settings):
    settings.SANDBOX_GATEWAY_ENABLED = True
    owner = freelancer_user()
    client.force_login(owner)

    started = client.post("/wallet/deposit/", {"amount": "75.50"})
    deposit = Deposit.objects.get(user=owner)
    paid = client.post(started.url, {"card_number": "4242 4242 4242 4242", "expiry": "12/30", "cvc": "123"})
    back = client.get(paid.url)

    assert (deposit.amount_cents, back.url) == (7_550, "/wallet/")
    assert balances(owner)["available"] == 7_550


def test_a_declined_card_adds_nothing(client, settings):
    settings.SANDBOX_GATEWAY_ENABLED = True
    owner = freelancer_user()
    client.force_login(owner)

    started = client.post("/wallet/deposit/", {"amount": "75.00"})
    paid = client.post(started.url, {"card_number": "4000 0000 0000 0002", "expiry": "12/30", "cvc": "123"})
    result = client.get(paid.url)

    assert result.status_code == 200
    assert ar("The payment was declined") in html.unescape(result.content.decode())
    assert Deposit.objects.get(user=owner).status == Deposit.Status.FAILED
    assert balances(owner)["available"] == 0
    assert Transfer.objects.count() == 0


# --- Query count -----------------------------------------------------------------------------------


def person_with_entries(count: int):
    """A client who funded a contract (two entries) and made `count - 2` more deposits."""
    scene = fund(hired_scene(funds_cents=50_000))
    for _number in range(count - 2):
        add_funds(scene.client, 100)
    assert Entry.objects.filter(account__owner=scene.client).count() == count
    return scene.client


# The user, the unread-notification count and the profile (base layout); the balances (2); the
# pending earnings; the withdrawals; the statement's count and its page.
WALLET_PAGE_QUERIES = 9


@pytest.mark.parametrize(("entries", "lines_shown"), [(5, 5), (50, 30)])
def test_the_wallet_page_costs_the_same_queries_whatever_the_statement_length(
    client, entries, lines_shown, django_assert_num_queries
):
    person = person_with_entries(entries)
    client.force_login(person)

    with django_assert_num_queries(WALLET_PAGE_QUERIES):
        response = client.get("/wallet/")

    assert len(tables_of(response)[-1]) == 1 + lines_shown


def test_the_deposit_form_prefills_the_amount_and_keeps_the_way_back(client):
    person = freelancer_user()
    client.force_login(person)

    page = html.unescape(client.get("/wallet/deposit/?amount=12.34&next=/contracts/7/").content.decode())

    assert 'value="12.34"' in page and 'name="next" value="/contracts/7/"' in page


@pytest.mark.parametrize("next_path", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_a_deposit_never_sends_the_person_off_the_site(client, settings, next_path):
    settings.SANDBOX_GATEWAY_ENABLED = True
    person = freelancer_user()
    client.force_login(person)

    started = client.post("/wallet/deposit/", {"amount": "10.00", "next": next_path})
    deposit = Deposit.objects.get(user=person)
    body, signature = SandboxGateway().charge(deposit, "4242424242424242")
    from mostaql.wallet import webhooks

    webhooks.handle(gateway_name="sandbox", body=body, signature=signature)

    assert started.status_code == 302
    assert client.get(f"/wallet/deposit/{deposit.pk}/").url == "/wallet/"


def test_the_csv_amounts_are_numbers_that_sum_to_the_balance(client):
    person, _scene = person_with_every_balance()
    client.force_login(person)

    rows = list(csv.reader(io.StringIO(client.get("/wallet/statement.csv").content.decode("utf-8-sig"))))

    available = [row for row in rows[1:] if row[2] == ar("Available")]
    total_cents = sum(round(float(row[3]) * 100) for row in available)
    assert total_cents == wallet_services.balances(person)["available"] == 7_000
    assert {row[5] for row in rows[1:]} == {"USD"}
