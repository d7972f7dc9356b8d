"""The services market's share of the page benchmark: N services (100,000 by default) with Arabic
texts, 0–4 upgrades and a gallery picture each, sold by the generated freelancers, written by COPY in
one transaction (after the projects' generator made the users).

Orders come with the agreement engine's orders (issue 11's other half): `generate_orders` is the hook
where they go (contracts of origin "order" with their milestone, escrow transfers, gigs.Order rows, and
50 reviews on the showcase service); until then the service page is measured without reviews and
`--orders` must stay 0.
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
from mostaql.core.models import SearchWord
from mostaql.core.search.analysis import document, skeleton, stems
from mostaql.core.search.engine import index_fields
from mostaql.gigs.models import Order, OrderUpgrade, Service, ServiceEvent, ServiceImage, Upgrade
from mostaql.gigs.services import index_service

SHOWCASE_SERVICE_TITLE = "سأصمم لك شعاراً احترافياً لمتجرك بثلاثة نماذج"
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
        }

    def prepare(self, *, services: int, orders: int, reset: bool, seed: int) -> dict:
        if orders:
            raise CommandError(
                "Service orders are not generated yet (mostaql/benchmarks/gigs.py, generate_orders): "
                "they come with the order pages. Run with --orders 0."
            )
        counts = self.counts()
        if reset and counts["services"]:
            self.delete()
            counts = self.counts()
        if counts["services"] == services:
            self.say(f"services already generated at this scale ({services:,})")
            return {"generated": False}
        if counts["services"]:
            self.say(f"replacing {counts['services']:,} generated services with {services:,}")
            self.delete()
        started = time.monotonic()
        self.say(f"generating {services:,} services")
        with transaction.atomic():
            self.generate(services, random.Random(seed + 1))
        with connection.cursor() as cursor:
            for model in (Service, Service.skills.through, Upgrade, ServiceImage):
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
        statements = [
            f'DELETE FROM "{OrderUpgrade._meta.db_table}" WHERE order_id IN '
            f'(SELECT id FROM "{Order._meta.db_table}" WHERE service_id IN ({services}))',
            f'DELETE FROM "{Order._meta.db_table}" WHERE service_id IN ({services})',
            f'DELETE FROM "{links}" WHERE service_id IN ({services})',
            f'DELETE FROM "{t[Upgrade]}" WHERE service_id IN ({services})',
            f'DELETE FROM "{t[ServiceImage]}" WHERE service_id IN ({services})',
            f'DELETE FROM "{t[ServiceEvent]}" WHERE service_id IN ({services})',
            f'DELETE FROM "{t[Service]}" WHERE id IN ({services})',
        ]
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement, ["%@" + BENCH_DOMAIN])
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
            rows.append(
                (
                    service_id,
                    at(published - day),
                    at(published),
                    rng.choice(sellers),
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
        """The hook for the orders (see the module's docstring): not written yet."""
        raise NotImplementedError("service orders are generated with the order pages (issue 11)")
