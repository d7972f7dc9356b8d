"""Reads behind the help centre: questions by topic, searched with the Arabic folding of core.text."""

from django.db.models import QuerySet

from mostaql.core.text import search_terms
from mostaql.help.models import Question, Ticket, Topic


def questions(*, query: str = "", topic: str = "") -> QuerySet[Question]:
    """Published questions, every word of the query found (folded: «الأموال» = «الاموال»)."""
    found = Question.objects.filter(is_published=True)
    if topic in Topic.values:
        found = found.filter(topic=topic)
    for term in search_terms(query)[:8]:
        found = found.filter(search_text__contains=term)
    return found


def grouped_by_topic(found) -> list[tuple[str, str, list[Question]]]:
    """(topic, label, questions) in the topics' own order, topics without a question left out."""
    by_topic: dict[str, list[Question]] = {}
    for question in found:
        by_topic.setdefault(question.topic, []).append(question)
    return [(value, label, by_topic[value]) for value, label in Topic.choices if value in by_topic]


def open_tickets() -> QuerySet[Ticket]:
    """The staff queue: oldest waiting first."""
    return (
        Ticket.objects.filter(status=Ticket.Status.OPEN)
        .select_related("requester")
        .order_by("created_at", "id")
    )


def answered_tickets() -> QuerySet[Ticket]:
    return Ticket.objects.filter(status=Ticket.Status.ANSWERED).order_by("-updated_at", "-id")


def ticket_for_staff(*, pk: int) -> Ticket:
    return Ticket.objects.select_related("requester").prefetch_related("replies__author").get(pk=pk)
