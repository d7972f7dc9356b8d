"""The services market's share of the page benchmark: N services (100,000 by default) with Arabic
texts, 0–4 upgrades and a gallery picture each, sold by the generated freelancers, written by COPY in
one transaction (after the projects' generator made the users).

Then M orders (1,000,000 by default, `generate_orders`) as the agreement engine stores them: a contract
of origin "order" with its one milestone, a gigs.Order row with the snapshots of its upgrades, and on
each completed order the buyer's published review; the showcase service has exactly SHOWCASE_REVIEWS of
them, for the service page with 50 reviews. Generated history has no ledger rows (no escrow transfers,
no wallets): the pages measured read contracts, orders and reviews, never balances.
"""

import datetime
import random
import time
from collections import defaultdict
from collections.abc import Callable

from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from mostaql.accounts.models import User
from mostaql.benchmarks.corpus import GENERIC_NEEDS, NEEDS
from mostaql.benchmarks.generator import BENCH_DOMAIN
from mostaql.catalog.models import Category, Skill
from mostaql.contracts.models import Contract, Milestone
from mostaql.core.models import SearchWord
from mostaql.core.search.analysis import document, skeleton, stems
from mostaql.core.search.engine import index_fields
from mostaql.gigs.models import Order, OrderUpgrade, Service, ServiceEvent, ServiceImage, Upgrade
from mostaql.gigs.services import index_service
from mostaql.reviews.models import FREELANCER_CRITERIA, Direction, Review

SHOWCASE_SERVICE_TITLE = "سأصمم لك شعاراً احترافياً لمتجرك بثلاثة نماذج"
SHOWCASE_REVIEWS = 50
REVIEW_COMMENTS = [
    "عمل ممتاز وتسليم قبل الموعد، أنصح بالتعامل معه.",
    "تواصل رائع وفهم سريع لما أريده، والنتيجة أفضل مما توقعت.",
    "خدمة جيدة، احتجت تعديلاً واحداً ونفذه بسرعة.",
    "محترف ومتعاون، سأطلب منه مرة أخرى بالتأكيد.",
    "النتيجة جيدة لكن التسليم تأخر يوماً.",
    "جودة عالية وسعر مناسب، شكراً لك.",
    "ملتزم بالتفاصيل ويرد على الرسائل بسرعة.",
    "أنجز المطلوب كما اتفقنا، تجربة موفقة.",
]
OPENINGS = ["سأنجز لك", "سأقدم لك", "سأساعدك في", "سأتولى", "خدمة"]
CLOSINGS = ["باحتراف", "خلال يومين", "بجودة عالية", "مع تعديلات مجانية", "بسعر مناسب", "وفق طلبك", ""]
UPGRADE_TITLES = [
    "تسليم سريع خلال يوم",
    "ملفات المصدر المفتوحة",
    "تعديلات إضافية",
    "نسخة ثانية مختلفة",
    "دعم فني لمدة أسبوع",
    "شرح مصور للتسليم",
]
DESCRIPTION_PARTS = [
    "أقدم لك {need} بخبرة سنوات في {skill}، مع الالتزام بالموعد والتواصل المستمر.",
    "تحصل على عمل أصلي مصمم خصيصاً لك، مع تعديلين مجانيين حتى ترضى عن النتيجة.",
    "أسلمك الملفات بالصيغ التي تحتاجها، مع شرح مختصر لطريقة استخدامها.",
    "قبل البدء أراجع معك التفاصيل لأتأكد أن النتيجة تناسب جمهورك وهدفك.",
    "عملت مع عشرات العملاء في مجالات مختلفة، ويمكنك الاطلاع على أعمالي في ملفي الشخصي.",
    "لا تتردد في مراسلتي قبل الطلب لأي استفسار.",
]
INSTRUCTIONS = "أرسل لي وصفاً لما تحتاجه، وأمثلة تعجبك، وأي ملفات أو نصوص سأعمل عليها."


class ServiceGenerator:
    """Writes, counts and deletes the generated services; `say` reports progress."""

    def __init__(self, say: Callable[[str], None]):
        self.say = say

    def _services(self):
        return Service.objects.filter(seller__email__endswith="@" + BENCH_DOMAIN)

    def counts(self) -> dict:
        services = self._services()
        return {
            "services": services.count(),
            "approved": services.filter(status=Service.Status.APPROVED).count(),
            "orders": Order.objects.filter(service__in=services).count(),
            "reviews": Review.objects.filter(contract__service_order__service__in=services).count(),
        }

    def prepare(self, *, services: int, orders: int, reset: bool, seed: int) -> dict:
        if orders and orders < SHOWCASE_REVIEWS:
            raise CommandError(
                f"Generate no orders, or at least {SHOWCASE_REVIEWS} (the showcase's reviews)."
            )
        counts = self.counts()
        if reset and counts["services"]:
            self.delete()
            counts = self.counts()
        if counts["services"] == services and counts["orders"] == orders:
            self.say(f"services already generated at this scale ({services:,}, {orders:,} orders)")
            return {"generated": False}
        if counts["services"]:
            self.say(
                f"replacing {counts['services']:,} generated services and {counts['orders']:,} orders "
                f"with {services:,} and {orders:,}"
            )
            self.delete()
        started = time.monotonic()
        self.say(f"generating {services:,} services")
        with transaction.atomic():
            self.generate(services, random.Random(seed + 1))
            if orders:
                self.generate_orders(orders, random.Random(seed + 2))
        with connection.cursor() as cursor:
            for model in (
                Service,
                Service.skills.through,
                Upgrade,
                ServiceImage,
                *((Contract, Milestone, Order, OrderUpgrade, Review) if orders else ()),
            ):
                cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')
        seconds = time.monotonic() - started
        self.say(f"services ready in {seconds:.1f}s")
        return {"generated": True, "seconds": seconds}

    def delete(self) -> None:
        t = {model: model._meta.db_table for model in (Service, Upgrade, ServiceImage, ServiceEvent)}
        links = Service.skills.through._meta.db_table
        services = (
            f'SELECT s.id FROM "{t[Service]}" s JOIN "{User._meta.db_table}" u ON u.id = s.seller_id '
            "WHERE u.email LIKE %s"
        )
        contracts = f'SELECT contract_id FROM "{Order._meta.db_table}" WHERE service_id IN ({services})'
        statements = [
            f'DELETE FROM "{Review._meta.db_table}" WHERE contract_id IN ({contracts})',
            f'DELETE FROM "{Milestone._meta.db_table}" WHERE contract_id IN ({contracts})',
            f'DELETE FROM "{OrderUpgrade._meta.db_table}" WHERE order_id IN '
            f'(SELECT id FROM "{Order._meta.db_table}" WHERE service_id IN ({services}))',
            f"CREATE TEMPORARY TABLE bench_order_contracts AS {contracts}",
            f'DELETE FROM "{Order._meta.db_table}" WHERE service_id IN ({services})',
            f'DELETE FROM "{Contract._meta.db_table}" WHERE id IN '
            "(SELECT contract_id FROM bench_order_contracts)",
            "DROP TABLE bench_order_contracts",
            f'DELETE FROM "{links}" WHERE service_id IN ({services})',
            f'DELETE FROM "{t[Upgrade]}" WHERE service_id IN ({services})',
            f'DELETE FROM "{t[ServiceImage]}" WHERE service_id IN ({services})',
            f'DELETE FROM "{t[ServiceEvent]}" WHERE service_id IN ({services})',
            f'DELETE FROM "{t[Service]}" WHERE id IN ({services})',
        ]
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement, ["%@" + BENCH_DOMAIN] * statement.count("%s"))
        except DatabaseError as error:
            raise CommandError(f"Could not delete the generated services: {error}") from error

    def _copy(self, table: str, columns: list[str], rows) -> None:
        with connection.cursor() as cursor:
            column_list = ", ".join(f'"{column}"' for column in columns)
            with cursor.cursor.copy(f'COPY "{table}" ({column_list}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)

    def _reserve_ids(self, model, count: int) -> int:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')
            (first,) = cursor.fetchone()
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first + count - 1])
        return first

    def generate(self, n_services: int, rng: random.Random) -> None:
        now_ts = timezone.now().timestamp()
        day = 86_400.0

        def at(ts: float) -> datetime.datetime:
            return datetime.datetime.fromtimestamp(ts, tz=datetime.UTC)

        sellers = list(
            User.objects.filter(email__endswith="@" + BENCH_DOMAIN, primary_role=User.Role.FREELANCER)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not sellers:
            raise CommandError("No generated freelancers: the projects' generator makes them first.")
        # Sellers' ratings as the sweep copies them (0: no reviews), for the best-rated sort and the filter.
        rating_of = {
            seller: 0.0 if rng.random() < 0.3 else round(rng.uniform(3.0, 5.0), 2) for seller in sellers
        }
        categories = list(Category.objects.order_by("position", "id"))
        skills_of = defaultdict(list)
        for skill in Skill.objects.order_by("id"):
            skills_of[skill.category_id].append(skill)
        S = Service.Status
        first = self._reserve_ids(Service, n_services)
        rows, links, upgrades, images = [], [], [], []
        vocabulary: set[str] = set()
        specs = []
        for index in range(n_services):
            roll = rng.random()
            status = S.APPROVED if index == 0 or roll < 0.9 else (S.PAUSED if roll < 0.95 else S.PENDING)
            published = now_ts - (3 * day if index == 0 else rng.uniform(0, 700) * day)
            specs.append((published, status, index == 0))
        specs.sort(key=lambda spec: spec[0])
        for offset, (published, status, is_showcase) in enumerate(specs):
            service_id = first + offset
            category = rng.choice(categories)
            skills = rng.sample(skills_of[category.pk], rng.randint(1, min(5, len(skills_of[category.pk]))))
            if is_showcase:
                category = next((c for c in categories if c.slug == "design"), category)
                skills = list(skills_of[category.pk][:3])
                title = SHOWCASE_SERVICE_TITLE
            need = rng.choice(NEEDS.get(category.slug) or GENERIC_NEEDS)
            if not is_showcase:
                title = f"{rng.choice(OPENINGS)} {need} {rng.choice(CLOSINGS)}".strip()[:100]
            values = {"need": need, "skill": rng.choice(skills).name_ar}
            description = " ".join(rng.sample(DESCRIPTION_PARTS, rng.randint(2, 5))).format(**values)
            skills.sort(key=lambda skill: skill.name_ar)
            service = Service(title=title, description=description)
            vocabulary |= index_service(service, skills).all_words
            price = 500 * rng.choice([1, 1, 1, 2, 2, 3, 4, 5, 6, 10, 20])
            days = rng.choice([1, 1, 2, 2, 3, 3, 5, 7, 10, 14])
            order_count = int(rng.expovariate(1 / 8)) if status != S.PENDING else 0
            seller = rng.choice(sellers)
            rows.append(
                (
                    service_id,
                    at(published - day),
                    at(published),
                    seller,
                    title,
                    description,
                    category.pk,
                    price,
                    days,
                    INSTRUCTIONS,
                    rng.choice([1, 1, 2, 3, 5]),
                    status,
                    "",
                    at(published) if status != S.PENDING else None,
                    order_count,
                    rating_of[seller],
                    *(getattr(service, column) for column in index_fields(document(title="", body=""))),
                )
            )
            links.extend((service_id, skill.pk) for skill in skills)
            for position, upgrade_title in enumerate(rng.sample(UPGRADE_TITLES, rng.randint(0, 4))):
                upgrades.append(
                    (service_id, position, upgrade_title, 500 * rng.randint(1, 10), rng.randint(0, 3))
                )
            cover = f"services/bench-{category.slug}-{rng.randrange(4)}"
            images.append((service_id, f"{cover}.jpg", f"{cover}-thumb.jpg", 800, 600, 0))
        self._copy(
            Service._meta.db_table,
            [
                "id",
                "created_at",
                "updated_at",
                "seller_id",
                "title",
                "description",
                "category_id",
                "price_cents",
                "delivery_days",
                "instructions",
                "max_quantity",
                "status",
                "rejection_reason",
                "published_at",
                "order_count",
                "seller_rating",
                *index_fields(document(title="", body="")),
            ],
            rows,
        )
        self._copy(Service.skills.through._meta.db_table, ["service_id", "skill_id"], links)
        self._copy(
            Upgrade._meta.db_table, ["service_id", "position", "title", "price_cents", "extra_days"], upgrades
        )
        self._copy(
            ServiceImage._meta.db_table,
            ["service_id", "image", "thumbnail", "width", "height", "position"],
            images,
        )
        self.say(f"  {n_services:,} services, {len(links):,} skill links, {len(upgrades):,} upgrades")
        SearchWord.objects.bulk_create(
            [
                SearchWord(word=word, stem=stems(word)[0], skeleton=skeleton(word))
                for word in sorted(vocabulary)
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )

    def generate_orders(self, n_orders: int, rng: random.Random) -> None:
        """N orders of the published and paused services, bought by the generated clients, written by
        COPY as the engine stores them (contracts.services.start_order, gigs.services.place_order, the
        buyer's review of an order): most completed and reviewed, the others in progress, delivered or
        cancelled. The showcase service gets exactly SHOWCASE_REVIEWS orders, all completed and reviewed.
        No ledger rows: generated history moves no money (see the module's docstring)."""
        now_ts = timezone.now().timestamp()
        day = 86_400.0

        def at(ts: float) -> datetime.datetime:
            return datetime.datetime.fromtimestamp(ts, tz=datetime.UTC)

        services = list(
            self._services()
            .exclude(status=Service.Status.PENDING)
            .order_by("pk")
            .values_list("pk", "seller_id", "title", "price_cents", "delivery_days", "published_at")
        )
        showcase = next((row for row in services if row[2] == SHOWCASE_SERVICE_TITLE), None)
        buyers = list(
            User.objects.filter(email__endswith="@" + BENCH_DOMAIN, primary_role=User.Role.CLIENT)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if showcase is None or not buyers:
            raise CommandError("Orders need the generated services (with the showcase) and clients.")
        upgrades_of = defaultdict(list)
        for row in Upgrade.objects.filter(service__in=[s[0] for s in services]).values_list(
            "service_id", "pk", "title", "price_cents", "extra_days"
        ):
            upgrades_of[row[0]].append(row[1:])
        others = [row for row in services if row is not showcase]
        weights = [rng.expovariate(1.0) for _ in others]
        chosen = rng.choices(others, weights=weights, k=n_orders - SHOWCASE_REVIEWS) if others else []
        chosen += [showcase] * SHOWCASE_REVIEWS

        C = Contract.Status
        specs = []  # (created ts, service row, buyer, status, quantity, upgrades, stars, comment)
        for index, service in enumerate(chosen):
            is_showcase = index >= len(chosen) - SHOWCASE_REVIEWS
            published = service[5].timestamp()
            if is_showcase:
                status = C.COMPLETED
            else:
                roll = rng.random()
                status = (
                    C.COMPLETED
                    if roll < 0.8
                    else C.ACTIVE
                    if roll < 0.9
                    else C.DELIVERED
                    if roll < 0.95
                    else C.CANCELLED
                )
            latest = now_ts - (30 * day if status == C.COMPLETED else 1 * day)
            created = rng.uniform(min(published, latest - day), latest)
            buyer = rng.choice(buyers)
            if buyer == service[1]:  # cannot happen (clients sell nothing), kept for the constraint
                continue
            upgrades = upgrades_of[service[0]]
            picked = tuple(u for u in upgrades if rng.random() < 0.3)
            stars = rng.choice((5, 5, 5, 5, 4, 4, 3)) if status == C.COMPLETED else 0
            specs.append(
                (
                    created,
                    service,
                    buyer,
                    status,
                    rng.choice((1, 1, 1, 1, 2)),
                    picked,
                    stars,
                    rng.randrange(len(REVIEW_COMMENTS)),
                )
            )
        specs.sort(key=lambda spec: spec[0])  # ids follow the order the orders were placed in
        first_contract = self._reserve_ids(Contract, len(specs))
        first_milestone = self._reserve_ids(Milestone, len(specs))
        first_order = self._reserve_ids(Order, len(specs))
        M = Milestone.Status
        milestone_status = {
            C.COMPLETED: M.PAID,
            C.ACTIVE: M.FUNDED,
            C.DELIVERED: M.DELIVERED,
            C.CANCELLED: M.REFUNDED,
        }

        def terms(spec):
            """(total cents, days, funded, started, delivered, completed) of one order."""
            created, service, _, status, quantity, picked, _, _ = spec
            total = service[3] * quantity + sum(u[2] for u in picked)
            days = service[4] + sum(u[3] for u in picked)
            started = created + rng_hours[int(created) % len(rng_hours)]
            delivered = (
                started + min(days * day, max(3600.0, now_ts - started - 3600)) * 0.8
                if status in (C.COMPLETED, C.DELIVERED)
                else None
            )
            completed = delivered + 2 * day if status == C.COMPLETED else None
            return total, days, created, started, delivered, completed

        rng_hours = [rng.uniform(600, 12 * 3600) for _ in range(97)]
        self._copy(
            Contract._meta.db_table,
            [
                "id",
                "created_at",
                "updated_at",
                "origin",
                "title",
                "description",
                "client_id",
                "freelancer_id",
                "amount_cents",
                "duration_days",
                "status",
                "funded_at",
                "delivered_at",
                "completed_at",
            ],
            (
                (
                    first_contract + offset,
                    at(spec[0]),
                    at(completed or delivered or spec[0]),
                    Contract.Origin.ORDER,
                    spec[1][2],
                    "",
                    spec[2],
                    spec[1][1],
                    total,
                    days,
                    spec[3],
                    at(funded),
                    at(delivered) if delivered else None,
                    at(completed) if completed else None,
                )
                for offset, spec in enumerate(specs)
                for total, days, funded, _, delivered, completed in (terms(spec),)
            ),
        )
        self._copy(
            Milestone._meta.db_table,
            [
                "id",
                "contract_id",
                "position",
                "title",
                "amount_cents",
                "days",
                "extra_days",
                "status",
                "funded_at",
                "started_at",
                "delivered_at",
                "paid_at",
            ],
            (
                (
                    first_milestone + offset,
                    first_contract + offset,
                    0,
                    spec[1][2][:120],
                    total,
                    days,
                    0,
                    milestone_status[spec[3]],
                    at(funded),
                    at(started),
                    at(delivered) if delivered else None,
                    at(completed) if completed else None,
                )
                for offset, spec in enumerate(specs)
                for total, days, funded, started, delivered, completed in (terms(spec),)
            ),
        )
        self._copy(
            Order._meta.db_table,
            [
                "id",
                "contract_id",
                "service_id",
                "quantity",
                "base_price_cents",
                "total_cents",
                "days",
                "created_at",
            ],
            (
                (
                    first_order + offset,
                    first_contract + offset,
                    spec[1][0],
                    spec[4],
                    spec[1][3],
                    total,
                    days,
                    at(spec[0]),
                )
                for offset, spec in enumerate(specs)
                for total, days, *_ in (terms(spec),)
            ),
        )
        self._copy(
            OrderUpgrade._meta.db_table,
            ["order_id", "upgrade_id", "title", "price_cents", "extra_days"],
            ((first_order + offset, *upgrade) for offset, spec in enumerate(specs) for upgrade in spec[5]),
        )
        # The buyer's review of a completed order: one overall mark stored in each of the freelancer's
        # criteria (reviews.models.OVERALL), published when the window closed.
        criteria = [criterion.field for criterion in FREELANCER_CRITERIA]
        self._copy(
            Review._meta.db_table,
            [
                "contract_id",
                "author_id",
                "subject_id",
                "direction",
                *criteria,
                "comment",
                "reply",
                "created_at",
                "published_at",
            ],
            (
                (
                    first_contract + offset,
                    spec[2],
                    spec[1][1],
                    Direction.CLIENT_TO_FREELANCER,
                    *([spec[6]] * len(criteria)),
                    REVIEW_COMMENTS[spec[7]],
                    "",
                    at(completed + 3600),
                    at(completed + 3600),
                )
                for offset, spec in enumerate(specs)
                if spec[3] == C.COMPLETED
                for *_, completed in (terms(spec),)
            ),
        )
        with connection.cursor() as cursor:  # each service counts the orders placed, as place_order does
            cursor.execute(
                f'UPDATE "{Service._meta.db_table}" SET order_count = 0 WHERE id = ANY(%s)',
                [[service[0] for service in services]],
            )
            cursor.execute(
                f'UPDATE "{Service._meta.db_table}" s SET order_count = o.n FROM '
                f'(SELECT service_id, COUNT(*) AS n FROM "{Order._meta.db_table}" '
                f"WHERE id >= %s GROUP BY service_id) o WHERE o.service_id = s.id",
                [first_order],
            )
        completed = sum(spec[3] == C.COMPLETED for spec in specs)
        self.say(f"  {len(specs):,} orders ({completed:,} completed and reviewed)")
