"""Every event that asks a person to act or changes their money, and the template that words it.

Each template pair `<template>_subject.txt` / `<template>_body.txt` gives the notification's title
and the e-mail's text.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    label: object
    template: str


KINDS: dict[str, Kind] = {
    "new_offer": Kind(_("A new offer on my project"), "projects/email/new_offer"),
    "invited": Kind(_("A client invites me to send an offer"), "projects/email/invited"),
    "project_approved": Kind(_("My project is approved"), "projects/email/approved"),
    "project_rejected": Kind(_("My project is rejected"), "projects/email/rejected"),
    "service_approved": Kind(_("My service is approved"), "gigs/email/approved"),
    "service_rejected": Kind(_("My service is rejected"), "gigs/email/rejected"),
    "hired": Kind(_("I am hired"), "projects/email/hired"),
    "not_hired": Kind(_("Someone else was hired for a project I bid on"), "projects/email/not_hired"),
    "project_reopened": Kind(_("A project I bid on is open again"), "projects/email/reopened"),
    "hire_declined": Kind(_("A freelancer declined my hire"), "contracts/email/decline"),
    "hire_withdrawn": Kind(_("A client withdrew a hire"), "contracts/email/withdraw_hire"),
    "contract_funded": Kind(_("A contract is funded"), "contracts/email/funded"),
    "contract_ended": Kind(_("A contract of mine was ended by the moderators"), "contracts/email/ended"),
    "milestone_paid": Kind(_("A milestone is accepted and paid"), "contracts/email/milestone_paid"),
    "order_placed": Kind(_("A buyer ordered my service"), "contracts/email/order_placed"),
    "requirements_submitted": Kind(_("A buyer sent an order's requirements"), "contracts/email/requirements"),
    "order_declined": Kind(_("A seller declined my order"), "contracts/email/order_declined"),
    "order_cancelled_late": Kind(_("A buyer cancelled a late order"), "contracts/email/order_cancelled_late"),
    "delivered": Kind(_("Work is delivered"), "contracts/email/delivered"),
    "changes_requested": Kind(_("Changes are requested"), "contracts/email/changes_requested"),
    "payment_released": Kind(_("A contract is completed and paid"), "contracts/email/completed"),
    "auto_accepted": Kind(
        _("A delivery I left unanswered was accepted automatically"), "contracts/email/auto_accepted"
    ),
    "cancellation_proposed": Kind(_("A cancellation is proposed"), "contracts/email/cancellation_proposed"),
    "cancellation_answered": Kind(
        _("My cancellation proposal is answered"), "contracts/email/cancellation_answered"
    ),
    "dispute_opened": Kind(_("A dispute is opened"), "contracts/email/dispute_opened"),
    "dispute_decided": Kind(_("A dispute is decided"), "contracts/email/dispute_decided"),
    "earnings_cleared": Kind(_("Earnings are available"), "wallet/email/cleared"),
    "identity_reviewed": Kind(_("My identity document is reviewed"), "wallet/email/identity_reviewed"),
    "withdrawal_processed": Kind(_("A withdrawal is paid or refused"), "wallet/email/withdrawal_processed"),
    "new_message": Kind(_("A new message"), "messaging/email/new_message"),
    "review_received": Kind(_("A review of me"), "reviews/email/received"),
    "report_outcome": Kind(_("The outcome of my report"), "reports/email/outcome"),
    "account_warning": Kind(_("A moderator's warning about my account"), "reports/email/warning"),
}
