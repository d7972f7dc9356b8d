"""What the database, the private storage and the outbox hold: compared before and after a refusal."""

from pathlib import Path

from django.conf import settings
from django.core import mail
from django.core.cache import cache

from mostaql.contracts.models import Contract, ContractEvent
from mostaql.projects.models import Offer, OfferAttachment, Project, ProjectAttachment, ProjectEvent
from mostaql.projects.services import LIST_VERSION_KEY


def private_files() -> set[str]:
    """Every file in the private storage (a fresh temporary folder in each test)."""
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    if not root.exists():
        return set()
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def everything() -> dict:
    """A picture of every row and message a project action can touch, to compare before and after."""
    return {
        "projects": list(Project.objects.order_by("pk").values()),
        "skills": list(Project.skills.through.objects.order_by("pk").values_list("project_id", "skill_id")),
        "offers": list(Offer.objects.order_by("pk").values()),
        "project_attachments": ProjectAttachment.objects.count(),
        "offer_attachments": OfferAttachment.objects.count(),
        "project_events": ProjectEvent.objects.count(),
        "contracts": list(Contract.objects.order_by("pk").values()),
        "contract_events": ContractEvent.objects.count(),
        "emails": len(mail.outbox),
        "files": private_files(),
        "list_version": cache.get(LIST_VERSION_KEY),
    }
