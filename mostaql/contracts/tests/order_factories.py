"""Service orders in each state, placed through gigs.services.place_order and moved by the engine."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mostaql.accounts.models import User
from mostaql.api.tests.support import verified_user
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract, Requirements
from mostaql.core.tests import samples
from mostaql.core.uploads import clean_deliverable
from mostaql.gigs import services as gig_services
from mostaql.gigs.tests.factories import approved_service
from mostaql.wallet.tests.factories import give_available_funds
from mostaql.wallet.tests.lifecycle_helpers import CANCEL_REASON, DELIVERY_MESSAGE, DISPUTE_REASON

REQUIREMENTS_TEXT = "اسم المشروع «ورد»، ألوانه الأخضر والأبيض، وأرفقت صورة للمحل."
DECLINE_REASON = "أعتذر، لا أستطيع تنفيذ الطلب هذا الأسبوع."
CHANGES_MESSAGE = "أرجو تكبير الشعار قليلاً وتغيير لون الخلفية."
ORDER_STATES = (
    "awaiting_requirements",
    "active",
    "late",
    "delivered",
    "completed",
    "declined",
    "cancelled_late",
    "proposed",  # active, the seller proposed to cancel
    "disputed",
)


def placed_order(*, buyer: User | None = None, seller: User | None = None, upgrades: int = 0) -> Contract:
    """A paid order waiting for the buyer's requirements (service: $5, 2 days; upgrades $10 and $20)."""
    buyer = buyer or verified_user(name="مشترٍ")
    seller = seller or verified_user(name="بائع")
    service = approved_service(seller)
    chosen = [upgrade.pk for upgrade in service.upgrades.order_by("pk")[:upgrades]]
    give_available_funds(buyer, 30_000)
    order = gig_services.place_order(buyer=buyer, service=service, upgrade_ids=chosen, quantity=1)
    return Contract.objects.get(pk=order.contract_id)


def a_file(name: str = "brief.png") -> object:
    return clean_deliverable(SimpleUploadedFile(name, samples.picture("PNG")))


def order_in(state: str, *, buyer: User | None = None, seller: User | None = None) -> Contract:
    contract = placed_order(buyer=buyer, seller=seller)
    buyer, seller = contract.client, contract.freelancer
    if state == "awaiting_requirements":
        return contract
    if state == "declined":
        contract_services.decline_order(freelancer=seller, contract=contract, reason=DECLINE_REASON)
        return _fresh(contract)
    started = timezone.now() - datetime.timedelta(days=3) if state in ("late", "cancelled_late") else None
    contract_services.submit_requirements(
        client=buyer, contract=contract, text=REQUIREMENTS_TEXT, files=[a_file()], now=started
    )
    if state == "cancelled_late":
        contract_services.cancel_late_order(client=buyer, contract=_fresh(contract))
    elif state == "proposed":
        contract_services.propose_cancellation(user=seller, contract=contract, reason=CANCEL_REASON)
    elif state == "disputed":
        contract_services.open_dispute(user=buyer, contract=contract, reason=DISPUTE_REASON)
    elif state in ("delivered", "completed"):
        contract_services.deliver(freelancer=seller, contract=contract, message=DELIVERY_MESSAGE)
        if state == "completed":
            contract_services.accept_delivery(client=buyer, contract=_fresh(contract))
    return _fresh(contract)


def _fresh(contract: Contract) -> Contract:
    return Contract.objects.get(pk=contract.pk)


def requirements_file_id(contract: Contract) -> int:
    return Requirements.objects.get(contract=contract).attachments.get().pk
