"""Plain project and offer rows, and the service calls that set up anything with rules.

Factories make rows for lists and counts (the public list, dashboards, the client card); a project
that is posted, approved, bid on or hired goes through mostaql.projects.services, as in the product.
"""

import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from mostaql.accounts.models import User
from mostaql.accounts.tests.factories import UserFactory, verify_email
from mostaql.catalog.models import Category, Skill
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.core.uploads import CleanFile, clean_file
from mostaql.projects import services
from mostaql.projects.forms import ATTACHMENT_KINDS
from mostaql.projects.models import Budget, Offer, Project

DESCRIPTION = (
    "نحتاج إلى مطور خبير يبني لنا موقعاً سريعاً وآمناً، مع لوحة تحكم بسيطة وتقارير شهرية واضحة للمبيعات."
)
OFFER_TEXT = "لدي خبرة خمس سنوات في مشاريع مماثلة، وسأسلم العمل كاملاً مع الشرح والدعم بعد التسليم."


# --- People ---------------------------------------------------------------------------------------


def client_user(name: str = "عميل المشروع", **fields) -> User:
    """Someone who hires, with a verified e-mail address (needed to post)."""
    user = UserFactory(name=name, primary_role=User.Role.CLIENT, **fields)
    verify_email(user)
    return user


def freelancer_user(name: str = "مستقل", **fields) -> User:
    """Someone who works, with a verified e-mail address (needed to bid)."""
    user = UserFactory(name=name, primary_role=User.Role.FREELANCER, **fields)
    verify_email(user)
    return user


def moderator(name: str = "مشرف الموقع") -> User:
    return UserFactory(name=name, is_staff=True)


# --- Files ----------------------------------------------------------------------------------------


def pdf_upload(name: str = "brief.pdf") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_upload(name: str = "sketch.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "#b45309").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def clean_pdf(name: str = "brief.pdf") -> CleanFile:
    """An attachment as the core upload helper hands it to a service."""
    return clean_file(pdf_upload(name), kinds=ATTACHMENT_KINDS)


def clean_png(name: str = "sketch.png") -> CleanFile:
    return clean_file(png_upload(name), kinds=ATTACHMENT_KINDS)


# --- Projects and offers through the services -----------------------------------------------------


def skills(*slugs: str) -> list[Skill]:
    found = list(Skill.objects.filter(slug__in=slugs))
    assert len(found) == len(slugs), "unknown skill slug"
    return found


def project_fields(**changes) -> dict:
    """Everything post_project needs, valid, with `changes` on top."""
    fields = {
        "title": "تطوير متجر إلكتروني متكامل",
        "description": DESCRIPTION,
        "category": Category.objects.get(slug="programming"),
        "skills": skills("python", "django"),
        "budget": Budget.B250_500,
        "duration_days": 30,
    }
    fields.update(changes)
    return fields


def post_project(owner: User | None = None, **changes) -> Project:
    """A project posted through the service: waiting for review unless auto-approval is on."""
    return services.post_project(owner=owner or client_user(), **project_fields(**changes))


def open_project(owner: User | None = None, **changes) -> Project:
    """A project posted and approved by a moderator, as it reaches the public list."""
    project = post_project(owner, **changes)
    return services.approve_project(moderator=moderator(name="مشرف"), project=project)


def place_offer(project: Project, freelancer: User | None = None, **changes) -> Offer:
    fields = {"amount_cents": 10_000, "duration_days": 7, "text": OFFER_TEXT}
    fields.update(changes)
    return services.place_offer(freelancer=freelancer or freelancer_user(), project=project, **fields)


def hire(offer: Offer) -> Contract:
    project = Project.objects.get(pk=offer.project_id)
    return contract_services.hire(owner=project.owner, project=project, offer=offer)


# --- Plain rows -----------------------------------------------------------------------------------


class ProjectFactory(factory.django.DjangoModelFactory):
    """A plain project row, open by default: for lists, counts and the client card."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    owner = factory.LazyFunction(client_user)
    title = factory.Sequence(lambda number: f"مشروع تجريبي رقم {number}")
    description = DESCRIPTION
    category = factory.LazyFunction(lambda: Category.objects.get(slug="programming"))
    budget = Budget.B100_250
    duration_days = 10
    status = Project.Status.OPEN
    published_at = factory.LazyFunction(timezone.now)
    search_title = factory.LazyAttribute(lambda project: project.title)
    search_text = factory.LazyAttribute(lambda project: f"{project.title} {project.description}")

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create:
            self.skills.set(extracted if extracted is not None else skills("python"))


class OfferFactory(factory.django.DjangoModelFactory):
    """A plain offer row; the project's kept count is not touched (see add_offers)."""

    class Meta:
        model = Offer

    project = factory.SubFactory(ProjectFactory)
    freelancer = factory.LazyFunction(freelancer_user)
    amount_cents = 10_000
    duration_days = 5
    text = OFFER_TEXT


def add_offers(project: Project, count: int) -> list[Offer]:
    """`count` offers by new freelancers, with the project's offer count kept in step."""
    offers = [OfferFactory(project=project) for _number in range(count)]
    Project.objects.filter(pk=project.pk).update(offer_count=project.offers.count())
    return offers


def published_days_ago(project: Project, days: float) -> None:
    Project.objects.filter(pk=project.pk).update(published_at=timezone.now() - datetime.timedelta(days=days))
