"""Requests through the services (post, approve, answer), as in the product."""

from mostaql.accounts.models import User
from mostaql.briefs import services
from mostaql.briefs.models import Answer, Brief
from mostaql.gigs.models import Service
from mostaql.gigs.tests.factories import a_category, approved_service
from mostaql.projects.tests.factories import client_user, freelancer_user, moderator

TITLE = "أحتاج تصميم شعار لمتجر قهوة"
DESCRIPTION = "متجر قهوة مختصة في الرياض، أريد شعاراً بسيطاً بلونين يصلح للأكواب واللافتة والموقع."
NOTE = "صممت شعارات لعدة مقاهٍ، وأسلمك ثلاثة نماذج خلال يومين."


def posted_brief(buyer: User | None = None, **changes) -> Brief:
    fields = {
        "title": TITLE,
        "description": DESCRIPTION,
        "category": a_category(),
        "budget_cents": 5000,
        "delivery_days": 3,
        **changes,
    }
    return services.post_brief(buyer=buyer or client_user(), **fields)


def open_brief(buyer: User | None = None, **changes) -> Brief:
    brief = posted_brief(buyer, **changes)
    return services.approve_brief(moderator=moderator(), brief=brief)


def answered(brief: Brief, seller: User | None = None, service: Service | None = None) -> Answer:
    seller = seller or (service.seller if service else freelancer_user())
    service = service or approved_service(seller)
    return services.answer_brief(seller=seller, brief=brief, service=service, note=NOTE)
