"""A demo report waiting in the moderators' queue, so /staff/reports/ has something real on it."""

from django.db import transaction

from mostaql.accounts.models import User
from mostaql.projects.models import Project
from mostaql.reports import services
from mostaql.reports.models import Report

REPORTER = "freelancer@demo.test"
REASON = (
    "يطلب صاحب المشروع في الوصف التواصل خارج المنصة والدفع بتحويل مباشر قبل التوظيف، "
    "وهذا مخالف لقواعد الموقع."
)


def load_demo_reports() -> int:
    """File the demo's report once; returns how many were filed (none the second time)."""
    if Report.objects.filter(reporter__email=REPORTER).exists():
        return 0
    reporter = User.objects.get(email=REPORTER)
    project = (
        Project.objects.filter(status=Project.Status.OPEN).exclude(owner=reporter).order_by("-pk").first()
    )
    if project is None:
        return 0
    with transaction.atomic():
        services.file_report(reporter=reporter, item=project, reason=REASON)
    return 1
