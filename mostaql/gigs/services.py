"""Every change to services and orders: publish, edit, moderate, pause, resume, order."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mostaql.accounts.models import User
from mostaql.catalog.models import Category, Skill
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.core.cache import bump_version
from mostaql.core.exceptions import DomainError
from mostaql.core.masking import mask_contacts
from mostaql.core.money import format_money
from mostaql.core.search.analysis import Document, document
from mostaql.core.search.engine import index_fields, remember_words
from mostaql.core.text import clean_line, strip_bidi_controls
from mostaql.core.uploads import CleanImage
from mostaql.gigs.models import Order, OrderUpgrade, Service, ServiceEvent, ServiceImage, Upgrade
from mostaql.notifications.services import notify
from mostaql.projects.services import has_verified_email

S = Service.Status
LIST_VERSION_KEY = "gigs:list-version"
# Who may do what to a service in which state (the pages and the API ask the same table).
EDITABLE = {S.PENDING, S.APPROVED, S.REJECTED, S.PAUSED}
MOVES = {
    "approve": ({S.PENDING}, S.APPROVED),
    "reject": ({S.PENDING}, S.REJECTED),
    "pause": ({S.APPROVED}, S.PAUSED),
    "resume": ({S.PAUSED}, S.APPROVED),
}


def bump_list_version() -> None:
    """Cached service lists carry this version in their keys; a change to any service retires them."""
    bump_version(LIST_VERSION_KEY)


def offered_moves(service: Service) -> set[str]:
    return {move for move, (sources, _target) in MOVES.items() if service.status in sources}


def _move(service: Service, move: str) -> str:
    sources, target = MOVES[move]
    if service.status not in sources:
        messages = {
            "approve": _("Only a service waiting for review can be approved."),
            "reject": _("Only a service waiting for review can be rejected."),
            "pause": _("Only a published service can be paused."),
            "resume": _("Only a paused service can be resumed."),
        }
        raise DomainError(messages[move])
    return target


@dataclass(frozen=True)
class UpgradeSpec:
    """An upgrade as the seller writes it: a title, a price in cents, and the days it adds."""

    title: str
    price_cents: int
    extra_days: int = 0


@dataclass(frozen=True)
class Quote:
    """What an order of a service would cost and take, checked against every rule (nothing written)."""

    service: Service
    quantity: int
    upgrades: list[Upgrade]
    base_cents: int
    upgrades_cents: int
    total_cents: int
    days: int

    def due_date(self, now: datetime.datetime | None = None) -> datetime.date:
        return (timezone.localtime(now or timezone.now()) + datetime.timedelta(days=self.days)).date()


def _record(service: Service, actor: User | None, action: str, note: str = "") -> None:
    ServiceEvent.objects.create(service=service, actor=actor, action=action, note=note)


def index_service(service: Service, skills: Iterable[Skill]) -> Document:
    """Fill what search reads of a service (core.search), not saved here: its title, then its
    description and skills. The caller saves the row and passes the document to remember_words."""
    skill_names = " ".join(f"{skill.name_ar} {skill.name_en}" for skill in skills)
    indexed = document(title=service.title, body=f"{service.description} {skill_names}")
    for column, value in index_fields(indexed).items():
        setattr(service, column, value)
    return indexed


def _in_steps(cents: int) -> bool:
    return cents % settings.SERVICE_PRICE_STEP_CENTS == 0


def check_price(price_cents: int) -> None:
    low, high = settings.SERVICE_MIN_PRICE_CENTS, settings.SERVICE_MAX_PRICE_CENTS
    if not low <= price_cents <= high or not _in_steps(price_cents):
        raise DomainError(
            _("The price must be from %(low)s to %(high)s, in steps of %(step)s.")
            % {
                "low": format_money(low),
                "high": format_money(high),
                "step": format_money(settings.SERVICE_PRICE_STEP_CENTS),
            },
            field="price",
        )


def check_upgrades(upgrades: Sequence[UpgradeSpec]) -> None:
    if len(upgrades) > settings.SERVICE_MAX_UPGRADES:
        raise DomainError(
            _("A service has at most %(count)s upgrades.") % {"count": settings.SERVICE_MAX_UPGRADES},
            field="upgrades",
        )
    low, high = settings.UPGRADE_MIN_PRICE_CENTS, settings.UPGRADE_MAX_PRICE_CENTS
    for upgrade in upgrades:
        if not 3 <= len(upgrade.title) <= 100:
            raise DomainError(_("Each upgrade needs a title of 3 to 100 characters."), field="upgrades")
        if not low <= upgrade.price_cents <= high or not _in_steps(upgrade.price_cents):
            raise DomainError(
                _("An upgrade costs from %(low)s to %(high)s, in steps of %(step)s.")
                % {
                    "low": format_money(low),
                    "high": format_money(high),
                    "step": format_money(settings.SERVICE_PRICE_STEP_CENTS),
                },
                field="upgrades",
            )
        if not 0 <= upgrade.extra_days <= 30:
            raise DomainError(_("An upgrade adds from 0 to 30 days."), field="upgrades")


def _check_fields(
    *,
    title: str,
    description: str,
    skills: list,
    price_cents: int,
    delivery_days: int,
    instructions: str,
    max_quantity: int,
    upgrades: Sequence[UpgradeSpec],
) -> None:
    if not 10 <= len(title) <= 100:
        raise DomainError(_("The title must be 10 to 100 characters long."), field="title")
    if not 30 <= len(description) <= 5000:
        raise DomainError(_("The description must be 30 to 5,000 characters long."), field="description")
    if not 1 <= len(skills) <= settings.SERVICE_MAX_SKILLS:
        raise DomainError(
            _("Choose from 1 to %(count)s skills.") % {"count": settings.SERVICE_MAX_SKILLS}, field="skills"
        )
    check_price(price_cents)
    if not 1 <= delivery_days <= settings.SERVICE_MAX_DELIVERY_DAYS:
        raise DomainError(
            _("The delivery time must be 1 to %(count)s days.")
            % {"count": settings.SERVICE_MAX_DELIVERY_DAYS},
            field="delivery_days",
        )
    if not 10 <= len(instructions) <= 2000:
        raise DomainError(
            _("Tell the buyer what you need to start (10 to 2,000 characters)."), field="instructions"
        )
    if not 1 <= max_quantity <= settings.SERVICE_MAX_QUANTITY:
        raise DomainError(
            _("The most copies in one order is 1 to %(count)s.") % {"count": settings.SERVICE_MAX_QUANTITY},
            field="max_quantity",
        )
    check_upgrades(upgrades)


def _check_image_count(count: int, *, minimum: int = 1) -> None:
    if not minimum <= count <= settings.SERVICE_MAX_IMAGES:
        raise DomainError(
            _("A service shows from 1 to %(count)s images.") % {"count": settings.SERVICE_MAX_IMAGES},
            field="images",
        )


def _clean_texts(title: str, description: str, instructions: str) -> tuple[str, str, str, bool]:
    """Services come before any contract: contact details in them are masked (and the seller told)."""
    title = clean_line(title)
    description = strip_bidi_controls(description).strip()
    instructions = strip_bidi_controls(instructions).strip()
    results = [mask_contacts(text) for text in (title, description, instructions)]
    (title, _m1), (description, _m2), (instructions, _m3) = results
    return title, description, instructions, any(masked for _text, masked in results)


def _clean_upgrades(upgrades: Iterable[UpgradeSpec]) -> list[UpgradeSpec]:
    return [
        UpgradeSpec(
            title=mask_contacts(clean_line(upgrade.title))[0],
            price_cents=upgrade.price_cents,
            extra_days=upgrade.extra_days,
        )
        for upgrade in upgrades
    ]


def _add_images(service: Service, images: Iterable[CleanImage], start: int) -> None:
    for offset, clean in enumerate(images):
        ServiceImage.objects.create(
            service=service,
            image=clean.image,
            thumbnail=clean.thumbnail,
            width=clean.width,
            height=clean.height,
            position=start + offset,
        )


def _set_upgrades(service: Service, upgrades: list[UpgradeSpec]) -> None:
    """Upgrades are kept by position: a changed one keeps its id (an open order page still finds it)."""
    existing = list(service.upgrades.order_by("position", "pk"))
    for position, spec in enumerate(upgrades):
        if position < len(existing):
            row = existing[position]
            row.position, row.title, row.price_cents, row.extra_days = (
                position,
                spec.title,
                spec.price_cents,
                spec.extra_days,
            )
            row.save()
        else:
            Upgrade.objects.create(
                service=service,
                position=position,
                title=spec.title,
                price_cents=spec.price_cents,
                extra_days=spec.extra_days,
            )
    Upgrade.objects.filter(pk__in=[row.pk for row in existing[len(upgrades) :]]).delete()


@transaction.atomic
def publish_service(
    *,
    seller: User,
    title: str,
    description: str,
    category: Category,
    skills: Iterable[Skill],
    price_cents: int,
    delivery_days: int,
    instructions: str,
    max_quantity: int = 1,
    upgrades: Iterable[UpgradeSpec] = (),
    images: Sequence[CleanImage] = (),
    now: datetime.datetime | None = None,
) -> Service:
    """A new service waits for a moderator. Takes no locks (a new row)."""
    if not has_verified_email(seller):
        raise DomainError(_("Verify your e-mail address before you publish a service."))
    title, description, instructions, masked = _clean_texts(title, description, instructions)
    skills, upgrades = list(skills), _clean_upgrades(upgrades)
    _check_fields(
        title=title,
        description=description,
        skills=skills,
        price_cents=price_cents,
        delivery_days=delivery_days,
        instructions=instructions,
        max_quantity=max_quantity,
        upgrades=upgrades,
    )
    # The web form sends its images with the service; the API adds them after (add_service_images):
    # a service is approved only with at least one.
    _check_image_count(len(images), minimum=0)
    service = Service(
        seller=seller,
        title=title,
        description=description,
        category=category,
        price_cents=price_cents,
        delivery_days=delivery_days,
        instructions=instructions,
        max_quantity=max_quantity,
        status=S.PENDING,
    )
    indexed = index_service(service, skills)
    service.save()
    service.skills.set(skills)
    remember_words(indexed)
    _set_upgrades(service, upgrades)
    _add_images(service, images, 0)
    _record(service, seller, "published")
    service.masked_contacts = masked
    return service


def _lock(service: Service) -> Service:
    """The service's row, locked (docs/architecture.md, "Locks": after the user, before the contract)."""
    return Service.objects.select_for_update().get(pk=service.pk)


@transaction.atomic
def edit_service(
    *,
    seller: User,
    service: Service,
    title: str,
    description: str,
    category: Category,
    skills: Iterable[Skill],
    price_cents: int,
    delivery_days: int,
    instructions: str,
    max_quantity: int,
    upgrades: Iterable[UpgradeSpec],
    new_images: Sequence[CleanImage] = (),
    removed_image_ids: Iterable[int] = (),
    now: datetime.datetime | None = None,
) -> Service:
    """The seller changes a service; it goes back to the moderators (and out of the market) until
    approved again. Orders already placed keep what they bought (their own copy).

    Locks the service's row.
    """
    service = _lock(service)
    if service.seller_id != seller.pk:
        raise DomainError(_("Only the service's seller can edit it."))
    if service.status not in EDITABLE:
        raise DomainError(_("This service can no longer be edited."))
    title, description, instructions, masked = _clean_texts(title, description, instructions)
    skills, upgrades = list(skills), _clean_upgrades(upgrades)
    _check_fields(
        title=title,
        description=description,
        skills=skills,
        price_cents=price_cents,
        delivery_days=delivery_days,
        instructions=instructions,
        max_quantity=max_quantity,
        upgrades=upgrades,
    )
    removed = list(service.images.filter(pk__in=list(removed_image_ids)))
    _check_image_count(service.images.count() - len(removed) + len(new_images), minimum=0)
    was_listed = service.status == S.APPROVED
    service.title, service.description, service.category = title, description, category
    service.price_cents, service.delivery_days = price_cents, delivery_days
    service.instructions, service.max_quantity = instructions, max_quantity
    service.status, service.rejection_reason = S.PENDING, ""
    indexed = index_service(service, skills)
    service.save()
    service.skills.set(skills)
    remember_words(indexed)
    _set_upgrades(service, upgrades)
    for image in removed:
        files = [(image.image.storage, image.image.name), (image.thumbnail.storage, image.thumbnail.name)]
        image.delete()
        for storage, name in files:
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    last = service.images.order_by("-position").values_list("position", flat=True).first()
    _add_images(service, new_images, 0 if last is None else last + 1)
    _record(service, seller, "edited")
    if was_listed:
        bump_list_version()
    service.masked_contacts = masked
    return service


@transaction.atomic
def add_service_images(
    *, seller: User, service: Service, images: Sequence[CleanImage], now: datetime.datetime | None = None
) -> Service:
    """Add gallery images (the API's way; the web form sends them with the service). A published
    service goes back to the moderators, as after any edit. Locks the service's row."""
    service = _lock(service)
    if service.seller_id != seller.pk:
        raise DomainError(_("Only the service's seller can edit it."))
    if not images:
        raise DomainError(_("Choose at least one image."), field="images")
    _check_image_count(service.images.count() + len(images))
    last = service.images.order_by("-position").values_list("position", flat=True).first()
    _add_images(service, images, 0 if last is None else last + 1)
    was_listed = service.status == S.APPROVED
    if service.status != S.PENDING:
        service.status, service.rejection_reason = S.PENDING, ""
        service.save(update_fields=["status", "rejection_reason", "updated_at"])
    _record(service, seller, "images_added")
    if was_listed:
        bump_list_version()
    return service


@transaction.atomic
def approve_service(*, moderator: User, service: Service, now: datetime.datetime | None = None) -> Service:
    """Locks the service's row."""
    if not moderator.is_staff:
        raise DomainError(_("Only moderators can review services."))
    service = _lock(service)
    service.status = _move(service, "approve")
    if not service.images.exists():
        raise DomainError(_("A service needs at least one gallery image before it is published."))
    service.published_at = service.published_at or now or timezone.now()
    service.rejection_reason = ""
    service.save(update_fields=["status", "published_at", "rejection_reason", "updated_at"])
    _record(service, moderator, "approved")
    notify(
        user=service.seller,
        kind="service_approved",
        context={"service": service},
        url=service.get_absolute_url(),
    )
    bump_list_version()
    return service


@transaction.atomic
def reject_service(
    *, moderator: User, service: Service, reason: str, now: datetime.datetime | None = None
) -> Service:
    """Locks the service's row."""
    if not moderator.is_staff:
        raise DomainError(_("Only moderators can review services."))
    reason = strip_bidi_controls(reason).strip()
    if len(reason) < 10:
        raise DomainError(_("Explain the reason to the seller (at least 10 characters)."), field="reason")
    service = _lock(service)
    service.status = _move(service, "reject")
    service.rejection_reason = reason
    service.save(update_fields=["status", "rejection_reason", "updated_at"])
    _record(service, moderator, "rejected", reason)
    notify(
        user=service.seller,
        kind="service_rejected",
        context={"service": service},
        url=service.get_absolute_url(),
    )
    return service


def _seller_move(*, seller: User, service: Service, move: str) -> Service:
    service = _lock(service)
    if service.seller_id != seller.pk:
        raise DomainError(_("Only the service's seller can do this."))
    service.status = _move(service, move)
    service.save(update_fields=["status", "updated_at"])
    _record(service, seller, move)
    bump_list_version()
    return service


@transaction.atomic
def pause_service(*, seller: User, service: Service, now: datetime.datetime | None = None) -> Service:
    """Out of the market until resumed; orders already placed go on. Locks the service's row."""
    return _seller_move(seller=seller, service=service, move="pause")


@transaction.atomic
def resume_service(*, seller: User, service: Service, now: datetime.datetime | None = None) -> Service:
    """Back in the market as it was approved. Locks the service's row."""
    return _seller_move(seller=seller, service=service, move="resume")


# --- Orders ---------------------------------------------------------------------------------------


def quote_order(*, buyer: User | None, service: Service, upgrade_ids: Iterable[int], quantity: int) -> Quote:
    """Check an order against every rule and price it; writes nothing. `buyer` None: a visitor's
    preview (the rules about the buyer are checked when they order)."""
    if buyer is not None and service.seller_id == buyer.pk:
        raise DomainError(_("You cannot order your own service."))
    if service.status != S.APPROVED:
        raise DomainError(
            _("This service cannot be ordered now: its seller paused it or it is not published.")
        )
    if not 1 <= quantity <= service.max_quantity:
        raise DomainError(
            _("You can order from 1 to %(count)s of this service at a time.")
            % {"count": service.max_quantity},
            field="quantity",
        )
    wanted = list(dict.fromkeys(int(pk) for pk in upgrade_ids))
    upgrades = [upgrade for upgrade in service.upgrades.all() if upgrade.pk in wanted]
    if len(upgrades) != len(wanted):
        raise DomainError(_("One of the chosen upgrades is not offered by this service."), field="upgrades")
    base = service.price_cents * quantity
    extras = sum(upgrade.price_cents for upgrade in upgrades)
    total = base + extras
    if total > settings.ORDER_MAX_CENTS:
        raise DomainError(
            _(
                "An order may cost at most %(cap)s; this one comes to %(total)s. "
                "Choose fewer copies or upgrades."
            )
            % {"cap": format_money(settings.ORDER_MAX_CENTS), "total": format_money(total)},
            field="quantity",
        )
    days = service.delivery_days + sum(upgrade.extra_days for upgrade in upgrades)
    return Quote(
        service=service,
        quantity=quantity,
        upgrades=upgrades,
        base_cents=base,
        upgrades_cents=extras,
        total_cents=total,
        days=days,
    )


@transaction.atomic
def place_order(
    *,
    buyer: User,
    service: Service,
    upgrade_ids: Iterable[int],
    quantity: int,
    now: datetime.datetime | None = None,
) -> Order:
    """Order a service: the whole price goes from the buyer's balance into escrow in one transfer
    (contracts.services.start_order), and the order waits for the buyer's answers to the seller's
    instructions. Raises contracts.services.NeedsFunds when the balance is short; nothing is written
    on any refusal.

    Locks the service's row, then what start_order locks (the buyer's and the escrow's ledger accounts).
    """
    upgrade_ids = list(upgrade_ids)
    service = _lock(service)
    quote = quote_order(buyer=buyer, service=service, upgrade_ids=upgrade_ids, quantity=quantity)
    contract: Contract = contract_services.start_order(
        buyer=buyer,
        seller=service.seller,
        title=service.title,
        amount_cents=quote.total_cents,
        days=quote.days,
        now=now,
    )
    order = Order.objects.create(
        contract=contract,
        service=service,
        quantity=quantity,
        base_price_cents=service.price_cents,
        total_cents=quote.total_cents,
        days=quote.days,
    )
    OrderUpgrade.objects.bulk_create(
        OrderUpgrade(
            order=order,
            upgrade=upgrade,
            title=upgrade.title,
            price_cents=upgrade.price_cents,
            extra_days=upgrade.extra_days,
        )
        for upgrade in quote.upgrades
    )
    Service.objects.filter(pk=service.pk).update(order_count=F("order_count") + 1)
    bump_list_version()
    return order
