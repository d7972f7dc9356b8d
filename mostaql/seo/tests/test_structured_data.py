"""schema.org data on public pages (JobPosting, Person, Article) is valid against the vocabulary.

Services do not exist yet: when their market lands, the service page adds `Service` with an `Offer`
(both already in the vocabulary file) and a test here like the JobPosting one.
"""

import pytest

from mostaql.accounts.tests.factories import image_upload
from mostaql.catalog.models import Skill
from mostaql.guides.models import Article
from mostaql.projects import services as project_services
from mostaql.projects.tests.factories import client_user, freelancer_user, open_project
from mostaql.seo.tests.schemaorg import structured_data_in, validate

pytestmark = pytest.mark.django_db


def test_an_open_project_is_a_valid_job_posting(client, settings):
    settings.SITE_URL = "https://mostaql.example"
    project = open_project(title="تطوير متجر إلكتروني متكامل")

    page = client.get(project.get_absolute_url()).content.decode()

    [data] = structured_data_in(page)
    assert validate(data) == []
    assert data["@type"] == "JobPosting" and data["title"] == "تطوير متجر إلكتروني متكامل"
    assert data["baseSalary"]["value"]["minValue"] == 250 and data["baseSalary"]["value"]["maxValue"] == 500
    assert data["url"] == f"https://mostaql.example/projects/{project.pk}/"
    assert data["skills"] == ", ".join(skill.name for skill in project.skills.all())


def test_a_closed_project_is_no_longer_a_job_posting(client):
    owner = client_user()
    project = open_project(owner)
    project_services.close_project(owner=owner, project=project)

    assert structured_data_in(client.get(project.get_absolute_url()).content.decode()) == []


def test_a_project_title_cannot_close_the_structured_data_block(client):
    project = open_project(title="مشروع </script><script>alert(1)</script> خطير")

    page = client.get(project.get_absolute_url()).content.decode()

    [data] = structured_data_in(page)
    assert data["title"] == "مشروع </script><script>alert(1)</script> خطير"
    assert "<script>alert(1)" not in page


def test_a_public_profile_is_a_valid_person_with_its_avatar(client, settings):
    settings.SITE_URL = "https://mostaql.example"
    member = freelancer_user(name="ليلى حسن")
    profile = member.profile
    profile.title, profile.bio, profile.country = "مصممة واجهات", "أصمم واجهات عربية واضحة.", "JO"
    profile.avatar.save("a.png", image_upload())
    profile.save()
    profile.skills.set(Skill.objects.all()[:2])

    page = client.get(profile.get_absolute_url()).content.decode()

    [data] = structured_data_in(page)
    assert validate(data) == []
    assert (data["@type"], data["name"], data["jobTitle"]) == ("Person", "ليلى حسن", "مصممة واجهات")
    assert data["image"].startswith("https://mostaql.example/media/")
    assert f'<meta property="og:image" content="{data["image"]}">' in page
    assert '<meta property="og:type" content="profile">' in page


def test_every_guide_is_a_valid_article(client):
    for article in Article.objects.filter(is_published=True):
        [data] = structured_data_in(client.get(article.get_absolute_url()).content.decode())
        assert validate(data) == [], article.slug
        assert data["@type"] == "Article"


@pytest.mark.parametrize(
    "node, problem",
    [
        ({"@type": "Person", "name": "x", "headline": "y"}, "not a property of Person"),
        ({"@type": "JobPosting", "title": "x", "salary": 5}, "not a schema.org property"),
        ({"@type": "Freelancer", "name": "x"}, "unknown type"),
        ({"@type": "JobPosting", "datePosted": "yesterday"}, "not an ISO 8601 date"),
        ({"@type": "JobPosting", "hiringOrganization": {"@type": "Country", "name": "x"}}, "expected range"),
        ({"@type": "Article", "author": "someone"}, "text is not in the range"),
    ],
)
def test_the_check_refuses_what_schema_org_does_not_define(node, problem):
    errors = validate({"@context": "https://schema.org", **node})

    assert any(problem in error for error in errors), errors
