"""Every change here: report an item, decide a report, hide or show an item, suspend or reinstate an account.

Suspension reaches into projects and contracts only through their own services, so the same rules
(quotas given back, hires ended, disputes opened) hold as when the people themselves act.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.encoding import uri_to_iri
from django.utils.translation import gettext as _

from mostaql.accounts import services as account_services
from mostaql.accounts.models import User
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.core.exceptions import DomainError
from mostaql.core.text import strip_bidi_controls
from mostaql.notifications.services import notify
from mostaql.projects import services as project_services
from mostaql.projects.models import Project
from mostaql.reports.models import (
    HiddenItem,
    Item,
    Kind,
    ModerationEvent,
    Report,
    Suspension,
    author_of,
    kind_of,
    page_of,
)
from mostaql.reports.selectors import NotVisible, visible_item

S = Report.Status
REASON_MIN, REASON_MAX = 10, 2000

# A decision, as data: each action closes the open reports on the item with its status.
DECISIONS: dict[str, str] = {
    "dismiss": S.DISMISSED,
    "hide": S.HIDDEN,
    "warn": S.WARNED,
    "suspend": S.SUSPENDED,
}


def _clean_text(text: str) -> str:
    return strip_bidi_controls(text).strip()


def _require_staff(user: User) -> None:
    if not user.is_staff:
        raise DomainError(_("Only moderators can do this."))


def _record(actor: User, action: str, *, subject: User | None = None, report=None, note: str = "") -> None:
    ModerationEvent.objects.create(actor=actor, action=action, subject=subject, report=report, note=note)


# --- Reporting -----------------------------------------------------------------------------------


def reports_per_hour() -> int:
    return settings.REPORTS_PER_HOUR


def _rate_key(user: User) -> str:
    return f"reports:sent:{user.pk}"


def _count_towards_rate_limit(user: User) -> None:
    """An hour-long window that opens with a person's first report; reports sent count, refusals do not."""
    key = _rate_key(user)
    if cache.add(key, 1, 60 * 60):
        return
    try:
        cache.incr(key)
    except ValueError:  # the window closed between the two calls
        cache.add(key, 1, 60 * 60)


@transaction.atomic
def file_report(*, reporter: User, item: Item, reason: str) -> Report:
    """Tell the moderators that a project, offer, message or profile breaks the rules.

    The reporter must be able to see the item; one open report per reporter and item; at most
    REPORTS_PER_HOUR (10) reports an hour per person.
    """
    kind = kind_of(item)
    try:
        item = visible_item(kind=kind, pk=item.pk, user=reporter)
    except NotVisible:
        raise DomainError(_("This item does not exist or is no longer shown.")) from None
    author = author_of(item)
    if author.pk == reporter.pk:
        raise DomainError(_("You cannot report something of your own."))
    reason = _clean_text(reason)
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise DomainError(
            _("Explain what is wrong in %(min)s to %(max)s characters.")
            % {"min": REASON_MIN, "max": "2,000"},
            field="reason",
        )
    if Report.objects.filter(reporter=reporter, status=S.OPEN, **Report.keys_for(item)).exists():
        raise DomainError(_("You have already reported this. Our moderators will look at it."))
    if (cache.get(_rate_key(reporter)) or 0) >= reports_per_hour():
        raise DomainError(
            _(
                "You have sent %(count)s reports in the last hour. "
                "Please wait a little before sending another."
            )
            % {"count": reports_per_hour()}
        )
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter, author=author, reason=reason, **Report.keys_for(item)
            )
    except IntegrityError:  # the same form sent twice at once: the first one counts
        raise DomainError(_("You have already reported this. Our moderators will look at it.")) from None
    transaction.on_commit(lambda: _count_towards_rate_limit(reporter))
    return report


# --- Hiding --------------------------------------------------------------------------------------


def _after_visibility_change(kind: str) -> None:
    if kind == Kind.PROJECT:
        project_services.bump_list_version()  # cached public lists must forget it


def _hide(*, staff: User, item, report: Report | None, note: str) -> HiddenItem:
    keys = Report.keys_for(item)
    hidden = HiddenItem.objects.filter(**keys).first()
    if hidden is None:
        hidden = HiddenItem.objects.create(hidden_by=staff, report=report, note=note, **keys)
        _record(staff, ModerationEvent.Action.HIDDEN, subject=author_of(item), report=report, note=note)
        _after_visibility_change(keys["kind"])
    return hidden


@transaction.atomic
def hide_item(*, staff: User, item: Item, note: str = "") -> HiddenItem:
    """Take an item off the public pages and lists; its row stays as it is (and in the admin)."""
    _require_staff(staff)
    return _hide(staff=staff, item=item, report=None, note=_clean_text(note))


@transaction.atomic
def show_item(*, staff: User, hidden: HiddenItem, note: str = "") -> None:
    """Put a hidden item back on the public pages.

    Locks the hidden item's row.
    """
    _require_staff(staff)
    hidden = HiddenItem.objects.select_for_update().filter(pk=hidden.pk).first()
    if hidden is None:
        raise DomainError(_("This item is not hidden."))
    item = hidden.item
    hidden.delete()
    _record(staff, ModerationEvent.Action.SHOWN, subject=author_of(item), note=_clean_text(note))
    _after_visibility_change(hidden.kind)


# --- Deciding a report ---------------------------------------------------------------------------


@transaction.atomic
def decide_report(
    *, staff: User, report: Report, action: str, note: str = "", hide: bool = False
) -> list[Report]:
    """A moderator decides, for every open report on the same item: each reporter hears the outcome.

    dismiss: nothing was wrong. hide: the item leaves the public pages. warn: the author receives
    the moderator's warning. suspend: the author's account is suspended (see suspend_account).
    A warning or a suspension hides the item too when `hide` is set. Locks the reports.
    """
    _require_staff(staff)
    if action not in DECISIONS:
        raise DomainError(_("Choose what to do with the report."), field="action")
    note = _clean_text(note)
    if action in ("warn", "suspend") and not REASON_MIN <= len(note) <= REASON_MAX:
        message = (
            _("Write the warning the author will read (at least 10 characters).")
            if action == "warn"
            else _("Write the reason for the suspension (at least 10 characters).")
        )
        raise DomainError(message, field="note")
    report = Report.objects.select_for_update(of=("self",)).select_related("author").get(pk=report.pk)
    if not report.is_open:
        raise DomainError(_("This report has already been decided."))
    reports = list(
        Report.objects.select_for_update(of=("self",))
        .filter(status=S.OPEN, **report.same_item())
        .select_related("reporter")
        .order_by("pk")
    )
    item, author = report.item, report.author
    hides = action == "hide" or (hide and action in ("warn", "suspend"))

    if action == "dismiss":
        _record(staff, ModerationEvent.Action.DISMISSED, subject=author, report=report, note=note)
    elif action == "warn":
        _record(staff, ModerationEvent.Action.WARNED, subject=author, report=report, note=note)
        notify(
            user=author,
            kind="account_warning",
            context={"report": report, "warning": note, "person": author},
            # Unencoded: a percent-encoded Arabic profile address would not fit the notification's 200.
            url=uri_to_iri(page_of(report.item)),
        )
    elif action == "suspend":
        suspend_account(staff=staff, user=author, reason=note, report=report)
    if hides:
        _hide(staff=staff, item=item, report=report, note=note)

    now = timezone.now()
    for decided in reports:
        decided.status = DECISIONS[action]
        decided.item_hidden = hides
        decided.decided_by, decided.decided_at, decided.decision_note = staff, now, note
        decided.save(update_fields=["status", "item_hidden", "decided_by", "decided_at", "decision_note"])
        notify(
            user=decided.reporter,
            kind="report_outcome",
            context={"report": decided, "person": decided.reporter},
            url=decided.get_absolute_url(),
        )
    return reports


# --- Suspension ----------------------------------------------------------------------------------


def _end_sessions_on_commit(user: User) -> None:
    """Log the person out everywhere. Django already refuses an inactive user on the next request
    (ModelBackend.get_user); deleting the sessions also clears the cached copies (cached_db)."""
    user_id = str(user.pk)

    def end_sessions() -> None:
        store = import_module(settings.SESSION_ENGINE).SessionStore
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
            if session.get_decoded().get("_auth_user_id") == user_id:
                store(session_key=session.session_key).delete()

    transaction.on_commit(end_sessions)


def _wind_down(*, staff: User, user: User) -> dict[str, list[int]]:
    """Hires end, running contracts go to the dispute queue, projects close (offers back to quotas)."""
    C = Contract.Status
    effects: dict[str, list[int]] = {"ended_hires": [], "disputed_contracts": [], "closed_projects": []}
    # Stored on the contracts and sent to the other sides: in the site's language, as e-mails are.
    with translation.override(settings.LANGUAGE_CODE):
        hire_ended = _("The account of %(name)s was suspended by the moderators.") % {"name": user.name}
        # Opened for the platform by the moderator who suspended (not in the suspended person's name);
        # the reason says why, and the other side is told.
        dispute_opened = _(
            "Opened by Mostaql: the account of %(name)s was suspended by the moderators. "
            "A moderator will decide how the money in escrow is shared."
        ) % {"name": user.name}
    contracts = Contract.objects.filter(
        Q(client=user) | Q(freelancer=user),
        status__in=[
            C.PROPOSED,
            C.AWAITING_FUNDING,
            C.AWAITING_REQUIREMENTS,
            C.ACTIVE,
            C.DELIVERED,
            C.AWAITING_MILESTONE,
        ],
    ).order_by("pk")
    for contract in contracts:
        if contract.status == C.AWAITING_MILESTONE:  # nothing in escrow: the rest is not funded
            contract_services.end_for_platform(moderator=staff, contract=contract, reason=hire_ended)
            effects["ended_hires"].append(contract.pk)
        elif contract.status in (C.PROPOSED, C.AWAITING_FUNDING):
            if contract.client_id == user.pk:
                contract_services.withdraw_hire(client=user, contract=contract, reason=hire_ended)
            else:
                contract_services.decline_hire(freelancer=user, contract=contract, reason=hire_ended)
            effects["ended_hires"].append(contract.pk)
        else:
            contract_services.open_dispute_for_platform(
                moderator=staff, contract=contract, reason=dispute_opened
            )
            effects["disputed_contracts"].append(contract.pk)
    # After the hires: a project whose hire was just withdrawn is open again, and closes here.
    projects = Project.objects.filter(
        owner=user, status__in=[Project.Status.PENDING_REVIEW, Project.Status.OPEN]
    ).order_by("pk")
    for project in projects:
        project_services.close_project(owner=user, project=project)
        effects["closed_projects"].append(project.pk)
    return effects


@transaction.atomic
def suspend_account(*, staff: User, user: User, reason: str, report: Report | None = None) -> Suspension:
    """The account can no longer log in and is logged out everywhere; its open and pending projects
    close (offers given back to quotas); hires waiting for funding end, and so do contracts between two
    milestones; contracts with money in escrow (active, delivered, orders waiting for requirements)
    go to the moderators' dispute queue. One transaction: all of it happens, or none. Locks the user.
    """
    _require_staff(staff)
    reason = _clean_text(reason)
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise DomainError(_("Write the reason for the suspension (at least 10 characters)."), field="reason")
    if user.pk == staff.pk:
        raise DomainError(_("You cannot suspend your own account."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_staff:
        raise DomainError(_("Staff accounts are managed in the administration."))
    if not user.is_active or Suspension.objects.filter(user=user, lifted_at__isnull=True).exists():
        raise DomainError(_("This account is already suspended."))
    # Deactivate first: from here on the person cannot act, while their projects and contracts close.
    account_services.set_account_active(user=user, is_active=False)
    effects = _wind_down(staff=staff, user=user)
    suspension = Suspension.objects.create(
        user=user, suspended_by=staff, reason=reason, report=report, effects=effects
    )
    _record(staff, ModerationEvent.Action.SUSPENDED, subject=user, report=report, note=reason)
    _end_sessions_on_commit(user)
    return suspension


@transaction.atomic
def unsuspend_account(*, staff: User, user: User, reason: str) -> Suspension:
    """The account may log in again. What the suspension closed stays closed; disputes go on.

    Locks the user's row, then the open suspension.
    """
    _require_staff(staff)
    reason = _clean_text(reason)
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise DomainError(
            _("Write the reason for lifting the suspension (at least 10 characters)."), field="reason"
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    suspension = Suspension.objects.select_for_update().filter(user=user, lifted_at__isnull=True).first()
    if suspension is None:
        raise DomainError(_("This account is not suspended."))
    suspension.lifted_by, suspension.lifted_at, suspension.lift_reason = staff, timezone.now(), reason
    suspension.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    account_services.set_account_active(user=user, is_active=True)
    _record(staff, ModerationEvent.Action.UNSUSPENDED, subject=user, note=reason)
    return suspension
