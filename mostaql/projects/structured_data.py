"""schema.org `JobPosting` data for an open project's page (what search engines show as a job)."""

import datetime

from django.conf import settings

from mostaql.projects.models import Budget, Project

# An open project takes offers until its owner hires or closes it; search engines want an end date.
VALID_FOR_DAYS = 30


def job_posting(project: Project) -> dict | None:
    """None unless the project is open: a closed or finished project is no longer a job offer."""
    if project.status != Project.Status.OPEN or project.published_at is None or project.is_private:
        return None
    low_cents, high_cents = Budget.bounds_cents(project.budget)
    return {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": project.title,
        "description": project.description,
        "datePosted": project.published_at.isoformat(),
        "validThrough": (project.published_at + datetime.timedelta(days=VALID_FOR_DAYS)).isoformat(),
        "employmentType": "CONTRACTOR",
        "jobLocationType": "TELECOMMUTE",
        "applicantLocationRequirements": {"@type": "Country", "name": "Worldwide"},
        "url": settings.SITE_URL + project.get_absolute_url(),
        "identifier": {"@type": "PropertyValue", "name": "Mostaql", "value": str(project.pk)},
        "hiringOrganization": {"@type": "Person", "name": project.owner.name},
        "industry": project.category.name,
        "skills": ", ".join(skill.name for skill in project.skills.all()),
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "USD",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": low_cents / 100,
                "maxValue": high_cents / 100,
                "unitText": "PROJECT",
            },
        },
    }
