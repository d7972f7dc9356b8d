"""Demo reviews: both sides of most completed contracts review each other a day or two after the
end, one leaves only the client's review (published when the window closed), and a freelancer
answers one review. Written through the services with the clock stopped at each moment, so the
double-blind rule, the review window and the reputation counters apply as they would have.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from mostaql.contracts.models import Contract
from mostaql.projects.demo import clock_at
from mostaql.reviews import services
from mostaql.reviews.models import CRITERIA, Review

MARKER_OWNER = "client@demo.test"

CLIENT_COMMENTS = [
    "عمل متقن وتواصل ممتاز طوال المشروع، سلّم قبل الموعد واستجاب لكل ملاحظاتنا بصدر رحب.",
    "مستقل محترف يفهم المطلوب من أول مرة، والنتيجة فاقت توقعاتي. سأعمل معه مجدداً بلا تردد.",
    "جودة جيدة والتزام بالمواعيد، احتجنا جولة تعديل واحدة فقط وكانت سريعة.",
    "أنصح بالتعامل معه: منظم، يشرح كل خطوة، ويسلم ملفات مرتبة وواضحة.",
]
FREELANCER_COMMENTS = [
    "صاحب مشروع واضح في طلباته، يرد بسرعة ويعطي ملاحظات محددة. تجربة ممتعة.",
    "تعامل راقٍ ومتطلبات مكتوبة بعناية، وتم تمويل العقد فوراً. أتمنى التعامل معه مجدداً.",
    "متعاون ومتفهم، وكان متاحاً للإجابة عن أسئلتي طوال فترة العمل.",
]
REPLY = "شكراً جزيلاً على كلماتك اللطيفة، سعدت بالعمل على مشروعك وأتطلع إلى التعاون القادم."


def load_demo_reviews() -> int:
    """Write the demo's reviews once; returns how many were written (none the second time)."""
    if Review.objects.filter(contract__client__email=MARKER_OWNER).exists():
        return 0
    rng = random.Random(7)  # the same marks on every machine
    now = timezone.now()
    written = 0
    completed = Contract.objects.filter(status=Contract.Status.COMPLETED, completed_at__isnull=False)
    with transaction.atomic():
        for index, contract in enumerate(completed.select_related("client", "freelancer").order_by("pk")):
            client_at = contract.completed_at + datetime.timedelta(hours=rng.uniform(2, 30))
            freelancer_at = contract.completed_at + datetime.timedelta(hours=rng.uniform(3, 40))
            client_review = _review(contract, contract.client, client_at, now, rng, CLIENT_COMMENTS)
            written += client_review is not None
            if index % 4 != 3:  # now and then the freelancer never writes: the window publishes it
                freelancer_review = _review(
                    contract, contract.freelancer, freelancer_at, now, rng, FREELANCER_COMMENTS
                )
                written += freelancer_review is not None
            if index == 0 and client_review is not None:
                with clock_at(max(client_at, freelancer_at) + datetime.timedelta(hours=5)):
                    client_review.refresh_from_db()
                    if client_review.published_at:
                        services.reply_to_review(user=contract.freelancer, review=client_review, text=REPLY)
        services.publish_due_reviews(now=now)
    return written


def _review(contract, author, moment, now, rng, comments) -> Review | None:
    if moment >= now:
        return None
    direction = services.direction_for(contract, author)
    # Mostly fives and fours, as on a marketplace where people choose whom to hire.
    scores = {criterion.field: rng.choice((5, 5, 5, 4, 4, 3)) for criterion in CRITERIA[direction]}
    with clock_at(moment):
        return services.write_review(
            author=author, contract=contract, scores=scores, comment=comments[contract.pk % len(comments)]
        )
