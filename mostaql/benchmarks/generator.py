"""The page benchmark's data: N projects and M offers with Arabic texts, written by COPY in one
transaction. Every generated row belongs to a user whose e-mail ends with @BENCH_DOMAIN, which is how a
second run finds them (and --reset deletes them)."""

import datetime
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from mostaql.accounts.models import Profile, User
from mostaql.benchmarks.corpus import (
    CLIENT_TITLES,
    COUNTRIES,
    FAMILY_NAMES,
    FIRST_NAMES,
    FREELANCER_TITLES,
    OFFER_DETAILS,
    OFFER_OPENINGS,
    SHOWCASE_DESCRIPTION,
    SHOWCASE_TITLE,
    days,
    project_text,
)
from mostaql.catalog.models import Category, Skill
from mostaql.core.text import normalize_arabic
from mostaql.projects.models import Budget, Offer, OfferAttachment, Project, ProjectAttachment, ProjectEvent
from mostaql.projects.search import index_project

BENCH_DOMAIN = "bench.mostaql.test"
SHOWCASE_OFFERS = 50


class Generator:
    """Writes, counts and deletes the generated rows; `say` reports progress."""

    def __init__(self, say: Callable[[str], None]):
        self.say = say

    def counts(self) -> dict:
        users = User.objects.filter(email__endswith="@" + BENCH_DOMAIN)
        projects = Project.objects.filter(owner__in=users)
        return {
            "users": users.count(),
            "projects": projects.count(),
            "open": projects.filter(status=Project.Status.OPEN).count(),
            "offers": Offer.objects.filter(project__in=projects).count(),
        }

    def prepare(self, *, projects: int, offers: int, reset: bool, seed: int) -> dict:
        """Generate the rows, unless they are there at this scale already; returns timings."""
        want_projects, want_offers = projects, offers
        counts = self.counts()
        if reset and (counts["users"] or counts["projects"]):
            started = time.monotonic()
            self.delete()
            self.say(f"--reset: deleted the generated rows in {time.monotonic() - started:.1f}s")
            counts = self.counts()
        if counts["projects"] == want_projects and counts["offers"] == want_offers:
            self.say(
                f"data already generated at this scale ({want_projects:,} projects, {want_offers:,} offers)"
            )
            return {"generated": False}
        if counts["users"] or counts["projects"]:
            raise CommandError(
                f"This database holds generated data at another scale ({counts['projects']:,} projects, "
                f"{counts['offers']:,} offers): run with --reset to replace it."
            )
        started = time.monotonic()
        self.say(f"generating {want_projects:,} projects and {want_offers:,} offers")
        with transaction.atomic():
            self.generate(want_projects, want_offers, random.Random(seed))
        written = time.monotonic() - started
        self.say(f"rows written and committed in {written:.1f}s; VACUUM ANALYZE")
        with connection.cursor() as cursor:
            for model in (User, Profile, Project, Project.skills.through, Profile.skills.through, Offer):
                cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')
        total = time.monotonic() - started
        self.say(f"data ready in {total:.1f}s")
        return {"generated": True, "write_seconds": written, "total_seconds": total}

    def delete(self) -> None:
        """Delete every row that belongs to a generated user, with plain SQL (the ORM would take hours)."""
        t = {
            "user": User._meta.db_table,
            "profile": Profile._meta.db_table,
            "profile_skills": Profile.skills.through._meta.db_table,
            "project": Project._meta.db_table,
            "project_skills": Project.skills.through._meta.db_table,
            "project_attachment": ProjectAttachment._meta.db_table,
            "project_event": ProjectEvent._meta.db_table,
            "offer": Offer._meta.db_table,
            "offer_attachment": OfferAttachment._meta.db_table,
        }
        users = f'SELECT id FROM "{t["user"]}" WHERE email LIKE %s'
        projects = f'SELECT id FROM "{t["project"]}" WHERE owner_id IN ({users})'
        offers = (
            f'SELECT id FROM "{t["offer"]}" WHERE project_id IN ({projects}) OR freelancer_id IN ({users})'
        )
        statements = [
            f'DELETE FROM "{t["offer_attachment"]}" WHERE offer_id IN ({offers})',
            f'DELETE FROM "{t["offer"]}" WHERE project_id IN ({projects}) OR freelancer_id IN ({users})',
            f'DELETE FROM "{t["project_skills"]}" WHERE project_id IN ({projects})',
            f'DELETE FROM "{t["project_attachment"]}" WHERE project_id IN ({projects})',
            f'DELETE FROM "{t["project_event"]}" WHERE project_id IN ({projects})',
            f'DELETE FROM "{t["project_event"]}" WHERE actor_id IN ({users})',
            f'DELETE FROM "{t["project"]}" WHERE owner_id IN ({users})',
            (
                f'DELETE FROM "{t["profile_skills"]}" WHERE profile_id IN '
                f'(SELECT id FROM "{t["profile"]}" WHERE user_id IN ({users}))'
            ),
            f'DELETE FROM "{t["profile"]}" WHERE user_id IN ({users})',
            f'DELETE FROM "{EmailAddress._meta.db_table}" WHERE user_id IN ({users})',
            f'DELETE FROM "{t["user"]}" WHERE email LIKE %s',
        ]
        pattern = "%@" + BENCH_DOMAIN
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement, [pattern] * statement.count("%s"))
        except DatabaseError as error:
            raise CommandError(
                f"Could not delete the generated rows (other rows refer to them?): {error}"
            ) from error

    def _copy(self, table: str, columns: list[str], rows) -> int:
        count = 0
        with connection.cursor() as cursor:
            column_list = ", ".join(f'"{column}"' for column in columns)
            with cursor.cursor.copy(f'COPY "{table}" ({column_list}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count

    def _reserve_ids(self, model, count: int) -> int:
        """The first of `count` consecutive ids to insert explicitly; the sequence moves past them."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')
            (first,) = cursor.fetchone()
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first + count - 1])
        return first

    def generate(self, n_projects: int, n_offers: int, rng: random.Random) -> None:
        now = timezone.now()
        day = 86_400.0
        now_ts = now.timestamp()
        utc = datetime.UTC

        def at(ts: float) -> datetime.datetime:
            return datetime.datetime.fromtimestamp(ts, tz=utc)

        categories = list(Category.objects.order_by("position", "id"))
        skills_of = defaultdict(list)
        for skill in Skill.objects.order_by("id"):
            skills_of[skill.category_id].append(skill)
        if not categories:
            raise CommandError("The catalog is empty: the catalog's data migration has not run.")

        # Users: enough freelancers that a year of offers stays under the monthly quota of 15.
        n_freelancers = max(SHOWCASE_OFFERS + 10, math.ceil(n_offers / 160))
        n_clients = max(20, n_projects // 40)
        n_users = n_freelancers + n_clients
        first_user = self._reserve_ids(User, n_users)
        first_profile = self._reserve_ids(Profile, n_users)
        freelancer_ids = list(range(first_user, first_user + n_freelancers))
        client_ids = list(range(first_user + n_freelancers, first_user + n_users))
        users, profiles, profile_skills = [], [], []
        all_skill_ids = [skill.pk for skills in skills_of.values() for skill in skills]
        for offset in range(n_users):
            user_id, profile_id = first_user + offset, first_profile + offset
            is_freelancer = offset < n_freelancers
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(FAMILY_NAMES)}"
            joined = at(now_ts - rng.uniform(370, 3 * 365) * day)
            kind = "f" if is_freelancer else "c"
            users.append(
                (
                    user_id,
                    "!",  # an unusable password: nobody logs in as a generated user
                    None,
                    False,
                    f"bench-{kind}{offset:06d}@{BENCH_DOMAIN}",
                    name,
                    User.Role.FREELANCER if is_freelancer else User.Role.CLIENT,
                    False,
                    True,
                    joined,
                )
            )
            title = rng.choice(FREELANCER_TITLES if is_freelancer else CLIENT_TITLES)
            rate = rng.randrange(5, 80) * 100 if is_freelancer else None
            profiles.append(
                (
                    profile_id,
                    joined,
                    joined,
                    user_id,
                    f"{slugify(name, allow_unicode=True)}-{user_id}",
                    title,
                    "",
                    "",
                    "",
                    rng.choice(COUNTRIES),
                    rate,
                    normalize_arabic(f"{name} {title}")[:200],
                )
            )
            if is_freelancer:
                for skill_id in rng.sample(all_skill_ids, 3):
                    profile_skills.append((profile_id, skill_id))
        self._copy(
            User._meta.db_table,
            [
                "id",
                "password",
                "last_login",
                "is_superuser",
                "email",
                "name",
                "primary_role",
                "is_staff",
                "is_active",
                "date_joined",
            ],
            users,
        )
        profile_columns = [
            "id",
            "created_at",
            "updated_at",
            "user_id",
            "slug",
            "title",
            "bio",
            "avatar",
            "avatar_thumbnail",
            "country",
            "hourly_rate_cents",
            "search_text",
        ]
        self._copy(Profile._meta.db_table, profile_columns, profiles)
        self._copy(Profile.skills.through._meta.db_table, ["profile_id", "skill_id"], profile_skills)
        self.say(f"  {n_users:,} users with profiles ({n_freelancers:,} freelancers, {n_clients:,} clients)")

        # Projects: mostly open, published over the past year; ids follow the order of creation.
        S = Project.Status
        budgets = Budget.values
        specs = []
        for index in range(n_projects):
            roll = rng.random()
            if index == 0 or roll < 0.88:
                status = S.OPEN
            elif roll < 0.95:
                status = S.CLOSED
            elif roll < 0.98:
                status = S.PENDING_REVIEW
            else:
                status = S.REJECTED
            if index == 0:  # the showcase: two days old
                published = now_ts - 2 * day
            elif status == S.PENDING_REVIEW:
                published = None
            elif status == S.CLOSED:
                published = now_ts - rng.uniform(30, 365) * day
            else:
                published = now_ts - rng.uniform(0, 365) * day
            created = (
                now_ts - rng.uniform(0, 3) * day
                if status == S.PENDING_REVIEW
                else (published or now_ts - rng.uniform(1, 365) * day) - rng.uniform(0.05, 2) * day
            )
            specs.append([created, published, status, index == 0])
        specs.sort(key=lambda spec: spec[0])
        first_project = self._reserve_ids(Project, n_projects)
        for offset, spec in enumerate(specs):
            spec.append(first_project + offset)

        # Offers per project: an exponential spread over open and closed projects, 50 on the showcase.
        takes_offers = [spec for spec in specs if spec[2] in (S.OPEN, S.CLOSED) and not spec[3]]
        showcase = next(spec for spec in specs if spec[3])
        remaining = n_offers - SHOWCASE_OFFERS
        cap = min(n_freelancers - 1, 250)
        if remaining > cap * len(takes_offers):
            raise CommandError("Too many offers for so few projects: raise --projects.")
        weights = [rng.expovariate(1.0) for _ in takes_offers]
        scale = remaining / sum(weights)
        per_project = {
            spec[4]: min(cap, int(weight * scale)) for spec, weight in zip(takes_offers, weights, strict=True)
        }
        short = remaining - sum(per_project.values())
        ids = list(per_project)
        while short > 0:
            project_id = rng.choice(ids)
            if per_project[project_id] < cap:
                per_project[project_id] += 1
                short -= 1
        per_project[showcase[4]] = SHOWCASE_OFFERS

        offer_texts = []
        for _ in range(800):
            parts = [rng.choice(OFFER_OPENINGS), *rng.sample(OFFER_DETAILS, rng.randint(1, 3))]
            offer_texts.append(
                " ".join(parts).format(days=days(rng.randint(2, 30)), years=rng.randint(3, 10))
            )

        offers = []  # (created ts, project id, freelancer id, cents, days, text, status, returned)
        project_rows, project_skill_rows = [], []
        for created, published, status, is_showcase, project_id in specs:
            category = rng.choice(categories)
            skills = rng.sample(skills_of[category.pk], rng.randint(1, min(5, len(skills_of[category.pk]))))
            budget = rng.choice(budgets)
            duration = rng.choice((3, 5, 7, 10, 14, 21, 30, 45, 60, 90))
            if is_showcase:
                category = next((c for c in categories if c.slug == "programming"), category)
                skills = list(skills_of[category.pk][:4])
                title, description, budget, duration = SHOWCASE_TITLE, SHOWCASE_DESCRIPTION, "1000-2500", 30
            else:
                title, description = project_text(rng, category, skills, duration)
            low, high = Budget.bounds_cents(budget)
            count = per_project.get(project_id, 0)
            live = 0
            if count:
                start = published
                span = max(60.0, min(20 * day, now_ts - start))
                for freelancer_id in rng.sample(freelancer_ids, count):
                    withdrawn = not is_showcase and rng.random() < 0.03
                    if withdrawn:
                        offer_status, returned = Offer.Status.WITHDRAWN, False
                    elif status == S.CLOSED:
                        offer_status, returned = Offer.Status.NOT_HIRED, True
                    else:
                        offer_status, returned = Offer.Status.SUBMITTED, False
                    live += not withdrawn
                    cents = max(settings.MIN_OFFER_CENTS, rng.randint(low // 500, high // 500) * 500)
                    offers.append(
                        (
                            start + rng.uniform(0, span),
                            project_id,
                            freelancer_id,
                            cents,
                            max(1, min(365, duration + rng.randint(-3, 7))),
                            rng.randrange(len(offer_texts)),
                            offer_status,
                            returned,
                        )
                    )
            skills.sort(key=lambda skill: skill.name_ar)  # Skill's ordering, within one category
            indexed = Project(title=title, description=description)
            index_project(indexed, skills)  # the search fields exactly as the services write them
            project_rows.append(
                (
                    project_id,
                    at(created),
                    at(published or created),
                    rng.choice(client_ids),
                    title,
                    description,
                    category.pk,
                    budget,
                    duration,
                    status,
                    "الوصف لا يوضح المطلوب بما يكفي، أضف التفاصيل ثم أعد النشر."
                    if status == S.REJECTED
                    else "",
                    at(published) if published else None,
                    live,
                    indexed.search_text,
                    indexed.search_title,
                )
            )
            project_skill_rows.extend((project_id, skill.pk) for skill in skills)
        self._copy(
            Project._meta.db_table,
            [
                "id",
                "created_at",
                "updated_at",
                "owner_id",
                "title",
                "description",
                "category_id",
                "budget",
                "duration_days",
                "status",
                "rejection_reason",
                "published_at",
                "offer_count",
                "search_text",
                "search_title",
            ],
            project_rows,
        )
        self._copy(Project.skills.through._meta.db_table, ["project_id", "skill_id"], project_skill_rows)
        self.say(f"  {n_projects:,} projects with {len(project_skill_rows):,} skill links")
        del project_rows, project_skill_rows

        offers.sort(key=lambda offer: offer[0])  # rows arrive in the order offers were sent
        self._copy(
            Offer._meta.db_table,
            [
                "created_at",
                "updated_at",
                "project_id",
                "freelancer_id",
                "amount_cents",
                "duration_days",
                "text",
                "status",
                "is_returned_to_quota",
            ],
            (
                (at(ts), at(ts), project_id, freelancer_id, cents, days, offer_texts[text], status, returned)
                for ts, project_id, freelancer_id, cents, days, text, status, returned in offers
            ),
        )
        self.say(f"  {len(offers):,} offers")
