"""Projects published in a batch, and the saved searches that should find them."""

from django.core import mail

from mostaql.projects.tests.factories import freelancer_user, open_project, post_project, skills
from mostaql.saved import services
from mostaql.saved.models import SavedSearch

DESCRIPTION_LOGO = "نحتاج إلى شعار بسيط وأنيق لمتجر عطور إلكتروني، مع نسخة أحادية اللون وملفات مصدرية كاملة."
DESCRIPTION_SHOP = "نحتاج إلى مطور خبير يبني لنا متجراً إلكترونياً سريعاً وآمناً مع لوحة تحكم وتقارير شهرية."


def saved_search(user=None, *, query="", frequency=SavedSearch.Frequency.INSTANT, **filters) -> SavedSearch:
    return services.save_search(
        user=user or freelancer_user(),
        list_name="projects",
        query=query,
        filters=filters,
        frequency=frequency,
    )


def logo_project(**changes):
    fields = {
        "title": "تصميم شعار لمتجر عطور",
        "description": DESCRIPTION_LOGO,
        "category": skills("logo-design")[0].category,
        "skills": skills("logo-design", "brand-identity"),
        "budget": "100-250",
    }
    fields.update(changes)
    return open_project(**fields)


def shop_project(**changes):
    fields = {"title": "برمجة متجر إلكتروني بجانغو", "description": DESCRIPTION_SHOP}
    fields.update(changes)
    return open_project(**fields)


def pending_project(**changes):
    return post_project(**changes)


def sent_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]
