"""The demo's own wallet moves, outside any contract: deposits, identity documents, withdrawals."""

from typing import NamedTuple

from mostaql.demo.data import paragraph


class MoneyStep(NamedTuple):
    """A person's own move on their wallet, `age` days ago, outside any contract.

    action: deposit (a card that pays), declined_deposit (a card that is declined), identity (sends an
    identity document), approve_identity or reject_identity (a moderator reviews the person's waiting
    document; `note` is the reason), withdraw (by `method`, to the details in PAYOUTS), pay (finance
    pays the person's oldest waiting withdrawal).
    """

    age: float
    email: str
    action: str
    dollars: int = 0
    method: str = ""
    note: str = ""


# Contract money (funding, releases, refunds, clearance) comes from the projects' stories; this is the
# rest. Clients whose balance is short when they fund add the difference then, as the site offers.
WALLET_STORY = [
    MoneyStep(43.2, "client@demo.test", "deposit", 1000),
    MoneyStep(22.4, "layla@demo.test", "identity"),
    MoneyStep(
        22.1,
        "layla@demo.test",
        "reject_identity",
        note=paragraph("""
            الصورة مقصوصة من الأسفل فلا يظهر رقم الهوية ولا تاريخ انتهائها. أرسلي صورة كاملة للوجه الأمامي
            في إضاءة جيدة ودون انعكاس.
        """),
    ),
    MoneyStep(21, "freelancer@demo.test", "identity"),
    MoneyStep(20.7, "freelancer@demo.test", "approve_identity"),
    MoneyStep(20, "freelancer@demo.test", "withdraw", 700, method="paypal"),
    MoneyStep(19.2, "freelancer@demo.test", "pay"),
    MoneyStep(6.93, "client2@demo.test", "declined_deposit", 1500),
    MoneyStep(6.92, "client2@demo.test", "deposit", 1500),
    MoneyStep(1.3, "client@demo.test", "deposit", 2000),  # ready to fund the perfume store's hire
    MoneyStep(0.9, "freelancer@demo.test", "withdraw", 300, method="bank"),
    MoneyStep(0.7, "youssef@demo.test", "identity"),
    MoneyStep(0.4, "layla@demo.test", "identity"),
]

PAYOUTS = {
    "freelancer@demo.test": {
        "paypal_email": "ahmed.mansour@example.com",
        "bank_holder": "أحمد منصور",
        "bank_iban": "EG38 0019 0005 0000 0000 2631 8000 2",
        "bank_name": "البنك الأهلي المصري",
    },
}
