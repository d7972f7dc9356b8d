"""Reputation counters as a person reads them: each figure with what it counts, and "not enough data
yet" (value None) while its sample is below settings.REPUTATION_MIN_SAMPLE.

Pure arithmetic on one Reputation row (and the client card's figures): no queries.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mostaql.reviews.models import CLIENT_CRITERIA, FREELANCER_CRITERIA, Reputation


@dataclass(frozen=True)
class Figure:
    """One figure: its name, its value as shown (None: not enough data yet), and what it counts."""

    label: str
    value: str | None
    help_text: str
    key: str = ""
    # A mark out of 5, for a meter beside it.
    score: Decimal | None = None


@dataclass
class RoleFigures:
    """The figures of one role (freelancer or client): the overall rating, each criterion, the rest."""

    rating: Figure
    review_count: int
    criteria: list[Figure] = field(default_factory=list)
    others: list[Figure] = field(default_factory=list)


def enough(sample: int) -> bool:
    return sample >= settings.REPUTATION_MIN_SAMPLE


def one_decimal(total: int, count: int) -> Decimal:
    """An average to one decimal, halves rounded up (4.25 → 4.3), as it is shown."""
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> int:
    return int((Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def readable_duration(seconds: int) -> str:
    """ "12 minutes", "3 hours", "2 days": rounded to the unit that reads naturally."""
    minutes = Decimal(seconds) / 60
    if minutes < 60:
        count = max(1, int(minutes.quantize(Decimal(1), rounding=ROUND_HALF_UP)))
        return ngettext("%(count)s minute", "%(count)s minutes", count) % {"count": count}
    hours = minutes / 60
    if hours < 48:
        count = int(hours.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return ngettext("%(count)s hour", "%(count)s hours", count) % {"count": count}
    count = int((hours / 24).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return ngettext("%(count)s day", "%(count)s days", count) % {"count": count}


def _mean(total: int, count: int, *, sample: int) -> Decimal | None:
    return one_decimal(total, count) if count and enough(sample) else None


def _rate(part: int, whole: int) -> str | None:
    return f"{percent(part, whole)}%" if whole and enough(whole) else None


def _rating_figures(reputation: Reputation, role: str, criteria, help_text: str) -> RoleFigures:
    count = getattr(reputation, f"{role}_review_count")
    sums = [getattr(reputation, f"{role}_{criterion.field}_sum") for criterion in criteria]
    overall = _mean(sum(sums), count * len(criteria), sample=count)
    return RoleFigures(
        rating=Figure(
            _("Rating"), None if overall is None else str(overall), help_text, key="rating", score=overall
        ),
        review_count=count,
        criteria=[
            Figure(
                str(criterion.label),
                None if (average := _mean(total, count, sample=count)) is None else str(average),
                str(criterion.help_text),
                key=criterion.field,
                score=average,
            )
            for criterion, total in zip(criteria, sums, strict=True)
        ],
    )


def response_time(reputation: Reputation) -> Figure:
    count = reputation.response_count
    return Figure(
        _("Average response time"),
        readable_duration(reputation.response_seconds_sum // count) if count and enough(count) else None,
        _("From the other side's first message in a conversation to this person's first reply"),
        key="response_time",
    )


def completed_words(completed: int, orders: int) -> str:
    """Contracts and orders counted together, saying which is which: "12 projects · 30 service orders"."""
    projects = completed - orders
    return "{} · {}".format(
        ngettext("%(count)s project", "%(count)s projects", projects) % {"count": projects},
        ngettext("%(count)s service order", "%(count)s service orders", orders) % {"count": orders},
    )


def freelancer_figures(reputation: Reputation) -> RoleFigures:
    figures = _rating_figures(
        reputation,
        "freelancer",
        FREELANCER_CRITERIA,
        _("The average of every mark given by clients in public reviews, out of 5"),
    )
    figures.others = _freelancer_work(reputation)
    return figures


def _freelancer_work(reputation: Reputation) -> list[Figure]:
    return [
        Figure(
            _("Completed work"),
            completed_words(
                reputation.freelancer_completed_count, reputation.freelancer_completed_order_count
            ),
            _("Project contracts and service orders completed as a freelancer"),
            key="completed",
        ),
        Figure(
            _("Completion rate"),
            _rate(reputation.freelancer_completed_count, reputation.freelancer_ended_count),
            _(
                "Completed contracts out of contracts that ended: completed, cancelled "
                "or refunded after a dispute"
            ),
            key="completion_rate",
        ),
        Figure(
            _("On-time delivery"),
            _rate(reputation.freelancer_on_time_count, reputation.freelancer_delivered_count),
            _(
                "Contracts whose first delivery came within the agreed days of the funding, "
                "out of contracts delivered"
            ),
            key="on_time_rate",
        ),
        Figure(
            _("Rehire rate"),
            _rate(reputation.freelancer_repeat_client_count, reputation.freelancer_client_count),
            _("Clients who completed more than one contract with this freelancer, out of all their clients"),
            key="rehire_rate",
        ),
    ]


def client_figures(reputation: Reputation, client_card: dict) -> RoleFigures:
    """`client_card`: mostaql.projects.selectors.client_card(user) (projects posted, hired, closed)."""
    figures = _rating_figures(
        reputation,
        "client",
        CLIENT_CRITERIA,
        _("The average of every mark given by freelancers in public reviews, out of 5"),
    )
    decided = client_card["hired"] + client_card["closed"]
    figures.others = [
        Figure(
            _("Projects posted"),
            str(client_card["posted"]),
            _("Projects published on the site"),
            key="posted",
        ),
        Figure(
            _("Hire rate"),
            _rate(client_card["hired"], decided),
            _("Projects that hired a freelancer, out of projects that hired or closed"),
            key="hire_rate",
        ),
        Figure(
            _("Completed work"),
            completed_words(reputation.client_completed_count, reputation.client_completed_order_count),
            _("Project contracts and service orders completed as a client"),
            key="client_completed",
        ),
    ]
    return figures


@dataclass(frozen=True)
class CardSummary:
    """What a bidder card or a freelancer card shows: the rating, how many reviews, contracts done, and
    the rates (completion, on-time, rehire, response time) that have enough data behind them."""

    rating: Decimal | None
    review_count: int
    completed_count: int  # contracts from projects and rehires; the service orders are counted apart
    rates: list[Figure]
    min_sample: int
    completed_order_count: int = 0

    @property
    def on_time_rate(self) -> str | None:
        return next((figure.value for figure in self.rates if figure.key == "on_time_rate"), None)


def card_summary(reputation: Reputation) -> CardSummary:
    count = reputation.freelancer_review_count
    total = sum(getattr(reputation, f"freelancer_{criterion.field}_sum") for criterion in FREELANCER_CRITERIA)
    # Not freelancer_figures(): a card shows no criterion, and fifty cards made its labels count.
    rates = [figure for figure in _freelancer_work(reputation) if figure.key != "completed"]
    rates.append(response_time(reputation))
    return CardSummary(
        rating=_mean(total, count * len(FREELANCER_CRITERIA), sample=count),
        review_count=count,
        completed_count=reputation.freelancer_completed_count - reputation.freelancer_completed_order_count,
        completed_order_count=reputation.freelancer_completed_order_count,
        rates=[figure for figure in rates if figure.value is not None],
        min_sample=settings.REPUTATION_MIN_SAMPLE,
    )
