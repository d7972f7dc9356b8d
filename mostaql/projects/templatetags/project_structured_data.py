from django import template

from mostaql.projects.structured_data import job_posting as job_posting_data

register = template.Library()


@register.filter
def job_posting(project):
    """`{{ project|job_posting|json_ld }}`: JobPosting data for an open project, else nothing."""
    return job_posting_data(project)
