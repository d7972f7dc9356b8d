"""The relevance set (relevance_set.py) through the project list's own selector: every expected project
among the first ten results of its query, for at least 95% of them (recall@10), on whichever database
the suite runs (SQLite by default; PostgreSQL with DATABASE_URL). The figures are printed (-s)."""

import pytest
from django.db import connection

from mostaql.catalog.models import Category
from mostaql.projects import selectors
from mostaql.projects.tests.factories import client_user, post_project, skills
from mostaql.projects.tests.relevance_set import PROJECTS, QUERIES

pytestmark = pytest.mark.django_db


def post_relevance_set() -> dict[str, int]:
    """Every project of the set, through the service, oldest first: its key → its id."""
    owner = client_user("صاحب المشاريع")
    category = Category.objects.get(slug="programming")
    return {
        key: post_project(
            owner, title=title, description=description, category=category, skills=skills(*slugs)
        ).pk
        for key, (title, description, slugs) in PROJECTS.items()
    }


def evaluate(ids: dict[str, int]) -> dict:
    """recall@10 and MRR over every query, and per case; the queries that missed a project."""
    keys = {pk: key for key, pk in ids.items()}
    by_case, misses, recalls, reciprocal_ranks = {}, [], [], []
    for case, queries in QUERIES.items():
        case_recalls = []
        for query, expected in queries:
            ranked = [keys[project.pk] for project in selectors.open_projects(query=query)[:10]]
            recall = len(expected & set(ranked)) / len(expected)
            first = next((rank for rank, key in enumerate(ranked, 1) if key in expected), None)
            reciprocal_ranks.append(1 / first if first else 0.0)
            case_recalls.append(recall)
            if recall < 1:
                misses.append((query, sorted(expected - set(ranked)), ranked))
        by_case[case] = sum(case_recalls) / len(case_recalls)
        recalls += case_recalls
    return {
        "queries": len(recalls),
        "recall": sum(recalls) / len(recalls),
        "mrr": sum(reciprocal_ranks) / len(reciprocal_ranks),
        "by_case": by_case,
        "misses": misses,
    }


def report(figures: dict, vendor: str) -> str:
    lines = [
        f"relevance on {vendor}: {figures['queries']} queries, recall@10 {figures['recall']:.3f}, "
        f"MRR {figures['mrr']:.3f}"
    ]
    lines += [f"  {case}: recall@10 {recall:.3f}" for case, recall in figures["by_case"].items()]
    lines += [f"  missed: {query!r} wanted {wanted}, got {got}" for query, wanted, got in figures["misses"]]
    return "\n".join(lines)


def test_the_relevance_set_finds_what_each_query_means(settings):
    settings.PROJECT_AUTO_APPROVE = True
    assert len(PROJECTS) >= 60 and sum(len(queries) for queries in QUERIES.values()) >= 100
    figures = evaluate(post_relevance_set())

    print("\n" + report(figures, connection.vendor))
    assert figures["recall"] >= 0.95, report(figures, connection.vendor)
