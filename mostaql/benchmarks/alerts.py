"""The saved searches' benchmark (issue 14): N saved searches and a batch of new projects, written in
bulk; every generated row belongs to a user whose e-mail ends with @ALERTS_DOMAIN."""

import datetime
import random
from collections import defaultdict
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from mostaql.accounts.models import User
from mostaql.benchmarks.corpus import NEEDS, SEARCHES, project_text
from mostaql.catalog.models import Category, Skill
from mostaql.core.models import SearchWord
from mostaql.core.search.analysis import skeleton, stems
from mostaql.projects.models import Budget, Project
from mostaql.projects.services import index_project
from mostaql.saved.lists import PROJECTS, Cleaned
from mostaql.saved.models import MatchedItem, PendingAlert, SavedSearch

ALERTS_DOMAIN = "alerts.bench.mostaql.test"
SEARCHES_PER_USER = 5


class AlertsData:
    def __init__(self, say: Callable[[str], None], rng: random.Random):
        self.say, self.rng = say, rng
        self.categories = list(Category.objects.order_by("position", "pk"))
        self.skills_of = defaultdict(list)
        for skill in Skill.objects.order_by("pk"):
            self.skills_of[skill.category_id].append(skill)
        self.queries = [text for texts in SEARCHES.values() for text in texts]
        self.need_words = sorted(
            {word for needs in NEEDS.values() for need in needs for word in need.split()}
        )

    def users(self) -> User:
        return User.objects.filter(email__endswith="@" + ALERTS_DOMAIN)

    def delete(self) -> None:
        users = f'SELECT id FROM "{User._meta.db_table}" WHERE email LIKE %s'
        pattern = ["%@" + ALERTS_DOMAIN]
        with transaction.atomic(), connection.cursor() as cursor:
            projects = f'SELECT id FROM "{Project._meta.db_table}" WHERE owner_id IN ({users})'
            for statement in [
                f'DELETE FROM "{PendingAlert._meta.db_table}" WHERE user_id IN ({users})',
                f'DELETE FROM "{MatchedItem._meta.db_table}" WHERE object_id IN ({projects})',
                f'DELETE FROM "{SavedSearch._meta.db_table}" WHERE user_id IN ({users})',
                f'DELETE FROM "{Project.skills.through._meta.db_table}" WHERE project_id IN ({projects})',
                f'DELETE FROM "{Project._meta.db_table}" WHERE owner_id IN ({users})',
                f'DELETE FROM "{User._meta.db_table}" WHERE email LIKE %s',
            ]:
                cursor.execute(statement, pattern)

    def projects(self, count: int, *, published: datetime.datetime, spread_days: float = 0) -> list[int]:
        """`count` open projects, published at `published` (minus up to `spread_days`)."""
        owner = User.objects.create(
            email=f"owner-{User.objects.count()}@{ALERTS_DOMAIN}", name="صاحب المشاريع", password="!"
        )
        rows, links, words = [], [], set()
        budgets = list(Budget.values)
        for _number in range(count):
            category = self.rng.choice(self.categories)
            chosen = self.rng.sample(self.skills_of[category.pk], min(3, len(self.skills_of[category.pk])))
            duration = self.rng.randint(1, 60)
            title, description = project_text(self.rng, category, chosen, duration)
            project = Project(
                owner=owner,
                title=title,
                description=description,
                category=category,
                budget=self.rng.choice(budgets),
                duration_days=duration,
                status=Project.Status.OPEN,
                published_at=published - datetime.timedelta(days=self.rng.uniform(0, spread_days)),
            )
            indexed = index_project(project, chosen)
            words |= indexed.all_words
            rows.append((project, chosen))
        created = Project.objects.bulk_create([project for project, _skills in rows], batch_size=2000)
        for project, chosen in zip(created, [skills for _project, skills in rows], strict=True):
            links += [Project.skills.through(project_id=project.pk, skill_id=skill.pk) for skill in chosen]
        Project.skills.through.objects.bulk_create(links, batch_size=5000)
        SearchWord.objects.bulk_create(
            [SearchWord(word=word, stem=stems(word)[0], skeleton=skeleton(word)) for word in sorted(words)],
            ignore_conflicts=True,
            batch_size=5000,
        )
        return [project.pk for project in created]

    def _search(self) -> Cleaned:
        """A saved search of a realistic shape: words from the benchmark's queries and the catalogue's
        needs, with a category, skills or a budget now and then."""
        rng = self.rng
        roll = rng.random()
        category = rng.choice(self.categories)
        if roll < 0.35:
            query = rng.choice(self.queries)
        elif roll < 0.55:
            query = " ".join(rng.sample(self.need_words, rng.randint(1, 2)))
        else:
            query = ""
        filters: dict = {}
        shape = rng.random()
        if shape < 0.3 or not query:
            filters["category"] = category.slug
        if shape > 0.6 or not query:
            filters["skills"] = sorted(skill.slug for skill in rng.sample(self.skills_of[category.pk], 1))
        if rng.random() < 0.15:
            filters["budget"] = rng.choice(Budget.values)
        if rng.random() < 0.05:
            filters["posted"] = "week"
        return PROJECTS.clean_strict(query, filters)

    def top_up_searches(self, total: int) -> None:
        """Saved searches up to `total`, SEARCHES_PER_USER a person, alerts on (instant or daily)."""
        have = SavedSearch.objects.filter(user__email__endswith="@" + ALERTS_DOMAIN).count()
        missing = total - have
        if missing <= 0:
            return
        first = User.objects.filter(email__endswith="@" + ALERTS_DOMAIN, email__startswith="saver-").count()
        users = User.objects.bulk_create(
            [
                User(
                    email=f"saver-{first + number}@{ALERTS_DOMAIN}",
                    name="مستقل",
                    password="!",
                    primary_role=User.Role.FREELANCER,
                )
                for number in range(-(-missing // SEARCHES_PER_USER))
            ],
            batch_size=5000,
        )
        searches = []
        for number in range(missing):
            cleaned = self._search()
            searches.append(
                SavedSearch(
                    user=users[number // SEARCHES_PER_USER],
                    list_name="projects",
                    name=cleaned.query or "بحث",
                    query=cleaned.query,
                    filters=cleaned.filters,
                    shape=cleaned.shape,
                    frequency=self.rng.choice([SavedSearch.Frequency.INSTANT, SavedSearch.Frequency.DAILY]),
                )
            )
        SavedSearch.objects.bulk_create(searches, batch_size=5000, ignore_conflicts=True)
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{SavedSearch._meta.db_table}"')

    def forget_matches(self, ids: list[int]) -> None:
        """So that the same batch can be matched again at the next size."""
        MatchedItem.objects.filter(list_name="projects", object_id__in=ids).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f'DELETE FROM "{PendingAlert._meta.db_table}" WHERE user_id IN '
                f'(SELECT id FROM "{User._meta.db_table}" WHERE email LIKE %s)',
                ["%@" + ALERTS_DOMAIN],
            )


def now() -> datetime.datetime:
    return timezone.now()
