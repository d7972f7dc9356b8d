"""E-mails leave only after the transaction that caused them commits, in the recipient's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def send_email_on_commit(*, to: str, template: str, context: dict, language: str | None = None) -> None:
    """Render `<template>_subject.txt` and `<template>_body.txt` and send them after commit.

    A rolled-back transaction sends nothing (Zulip's send_event_on_commit habit).
    """

    context = {**context, "site_url": settings.SITE_URL}

    def send() -> None:
        with translation.override(language or settings.LANGUAGE_CODE):
            subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
            body = render_to_string(f"{template}_body.txt", context)
        send_mail(subject, body, None, [to])

    transaction.on_commit(send)
