"""Demo conversations: owners asking bidders questions before a hire (one of them tries to share a
phone number, which is masked), and the two sides of each contract talking once hired.

Written through the messaging service with the clock stopped at the moment each was written, so the
conversation's dates and the reputation's response times come out as they would have.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from mostaql.contracts.models import Contract
from mostaql.messaging import services
from mostaql.messaging.models import Conversation, Message
from mostaql.projects.demo import clock_at
from mostaql.projects.models import Offer, Project

MARKER_OWNER = "client@demo.test"

# Before a hire: (who writes, hours after the offer arrived, text).
QUESTIONS = [
    ("client", 2, "مرحباً، اطلعت على عرضك وأعجبتني أعمالك السابقة. هل سبق لك تنفيذ مشروع مشابه؟"),
    ("freelancer", 3, "أهلاً بك، نعم نفذت مشروعين قريبين من فكرتك، ويمكنني إرسال روابط لهما هنا."),
    ("client", 5, "ممتاز. كم مرة تعرض علي التقدم أثناء العمل؟"),
    (
        "freelancer",
        6,
        "أرسل تحديثاً كل يومين مع لقطات للشاشة. وإن أردت التواصل أسرع فهذا رقمي 0501234567.",
    ),
]
# After the hire: (who writes, hours after the hire, text).
AFTER_HIRE = [
    ("client", 1, "مرحباً، يسعدني بدء العمل معك. أرسلت لك الملفات التي نحتاجها في المرفقات سابقاً."),
    ("freelancer", 2, "شكراً لك، وصلتني الملفات. سأبدأ اليوم وأرسل أول تحديث بعد يومين."),
    ("freelancer", 50, "هذا أول تحديث: أنهيت الهيكل الأساسي، وأنتظر ملاحظاتك قبل المتابعة."),
    ("client", 53, "عمل رائع، واصل على هذا النحو. ملاحظتي الوحيدة على الألوان: نريدها أهدأ قليلاً."),
]


def load_demo_conversations() -> int:
    """Create the demo's conversations once; returns how many were created (none the second time)."""
    if Message.objects.filter(conversation__client__email=MARKER_OWNER).exists():
        return 0
    now = timezone.now()
    created = 0
    with transaction.atomic():
        open_projects = Project.objects.filter(
            owner__email=MARKER_OWNER, status=Project.Status.OPEN, offers__isnull=False
        ).distinct()
        for project in open_projects[:3]:
            offer = project.offers.exclude(status=Offer.Status.WITHDRAWN).order_by("created_at").first()
            conversation = services.open_conversation(
                project=project, client=project.owner, freelancer=offer.freelancer
            )
            created += _write(conversation, QUESTIONS, start=offer.created_at, now=now)
        contracts = (
            Contract.objects.filter(services.LIVE_CONTRACT)
            .select_related("project", "client", "freelancer")
            .order_by("pk")
        )
        for contract in contracts:
            conversation = services.open_conversation(
                project=contract.project, client=contract.client, freelancer=contract.freelancer
            )
            created += _write(conversation, AFTER_HIRE, start=contract.created_at, now=now)
    return created


def _write(conversation: Conversation, script, *, start: datetime.datetime, now: datetime.datetime) -> int:
    """Send the script's messages as its people, each at `hours` after `start` (never in the future);
    the reader has read all but the last one."""
    side = {"client": conversation.client, "freelancer": conversation.freelancer}
    written = []
    for who, hours, text in script:
        moment = start + datetime.timedelta(hours=hours)
        if moment >= now:
            break
        with clock_at(moment):
            services.send_message(sender=side[who], conversation=conversation, body=text)
        written.append((who, moment))
    if not written:
        return 0
    (last_who, _last_at), earlier = written[-1], [moment for _who, moment in written[:-1]]
    reader = "freelancer_read_at" if last_who == "client" else "client_read_at"
    Conversation.objects.filter(pk=conversation.pk).update(
        created_at=written[0][1],
        client_emailed_at=None,
        freelancer_emailed_at=None,
        **{reader: max(earlier) if earlier else None},
    )
    return 1
