"""Set-up for the report and suspension tests: a marketplace built through the services.

A project with two offers and a conversation between its owner and one bidder gives one item of each
kind (project, offer, message, profile), each with a person allowed to report it and people who are
not. Reports, decisions and suspensions go through mostaql.reports.services, as on the staff pages.
"""

from dataclasses import dataclass

from django.contrib.sessions.models import Session
from django.core import mail

from mostaql.accounts.models import Profile, User
from mostaql.contracts.models import Dispute
from mostaql.messaging import services as messaging_services
from mostaql.messaging.models import Conversation, Message
from mostaql.notifications.models import Notification
from mostaql.projects.models import Offer, Project
from mostaql.projects.tests.factories import (
    client_user,
    freelancer_user,
    moderator,
    open_project,
    place_offer,
)
from mostaql.projects.tests.support import everything
from mostaql.reports import services
from mostaql.reports.models import HiddenItem, ModerationEvent, Report, Suspension

REASON = "يطلب صاحب هذا المحتوى التواصل خارج الموقع ويضع رقم هاتفه، وهذا مخالف للشروط."
WARNING = "نرجو عدم مشاركة وسائل التواصل خارج الموقع، فتكرار ذلك يؤدي إلى إيقاف الحساب."
SUSPENSION_REASON = "احتيال متكرر على العملاء وطلب الدفع خارج الموقع رغم التحذير."
LIFT_REASON = "راجعنا الطعن المقدم وتبين أن الحساب لم يكن وراء المخالفة."


@dataclass
class Market:
    """An open project with two offers; its owner and the first bidder have written to each other."""

    owner: User
    project: Project
    bidder: User
    offer: Offer
    other_bidder: User
    other_offer: Offer
    conversation: Conversation
    owner_message: Message
    bidder_message: Message
    stranger: User
    staff: User

    def person(self, role: str) -> User:
        return getattr(self, role)

    def item(self, kind: str):
        """One item of `kind`, written by someone other than its reporter (see REPORTABLE)."""
        return {
            "project": self.project,
            "offer": self.offer,
            "message": self.bidder_message,
            "profile": Profile.objects.get(user=self.bidder),
        }[kind]


# kind → (who reports it, whose item it is): each reporter may see the item, and is not its author.
REPORTABLE = {
    "project": ("stranger", "owner"),
    "offer": ("owner", "bidder"),
    "message": ("owner", "bidder"),
    "profile": ("stranger", "bidder"),
}
KINDS = tuple(REPORTABLE)


def market(title: str = "تصميم هوية بصرية لمقهى") -> Market:
    owner = client_user("سامي العميل")
    project = open_project(owner, title=title)
    offer = place_offer(project, freelancer_user("ليلى المصممة"))
    other = place_offer(project, freelancer_user("خالد المنافس"))
    conversation = messaging_services.open_conversation(
        project=project, client=owner, freelancer=offer.freelancer
    )
    owner_message = messaging_services.send_message(
        sender=owner, conversation=conversation, body="مرحباً، هل يمكنك البدء هذا الأسبوع؟"
    )
    bidder_message = messaging_services.send_message(
        sender=offer.freelancer, conversation=conversation, body="نعم، ويمكننا الحديث على واتساب خارج الموقع."
    )
    return Market(
        owner=owner,
        project=project,
        bidder=offer.freelancer,
        offer=offer,
        other_bidder=other.freelancer,
        other_offer=other,
        conversation=conversation,
        owner_message=owner_message,
        bidder_message=bidder_message,
        stranger=freelancer_user("عابر سبيل"),
        staff=moderator("مشرفة البلاغات"),
    )


def report_on(scene: Market, kind: str, *, reporter: User | None = None, reason: str = REASON) -> Report:
    """A report filed through the service by the person REPORTABLE names (or `reporter`)."""
    reporter_role, _author_role = REPORTABLE[kind]
    return services.file_report(
        reporter=reporter or scene.person(reporter_role), item=scene.item(kind), reason=reason
    )


def moderation_state() -> dict:
    """Every row and message a report, a decision or a suspension can touch: compared around a refusal."""
    return {
        **everything(),
        "reports": list(Report.objects.order_by("pk").values()),
        "hidden": list(HiddenItem.objects.order_by("pk").values()),
        "events": list(ModerationEvent.objects.order_by("pk").values()),
        "suspensions": list(Suspension.objects.order_by("pk").values()),
        "disputes": list(Dispute.objects.order_by("pk").values()),
        "active_users": list(User.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)),
        "notifications": list(Notification.objects.order_by("pk").values_list("user_id", "kind")),
        "emails": len(mail.outbox),
        "sessions": Session.objects.count(),
    }


def notifications_of(user: User, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind=kind).order_by("pk"))


def emails_to(user: User) -> list:
    return [message for message in mail.outbox if user.email in message.to]
