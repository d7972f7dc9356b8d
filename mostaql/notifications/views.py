from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mostaql.notifications import selectors, services
from mostaql.notifications.kinds import KINDS
from mostaql.notifications.models import Notification

PAGE_SIZE = 30


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


def _own(request, pk: int) -> Notification:
    """404 for anyone else's notification, so its id tells a stranger nothing."""
    return get_object_or_404(Notification, pk=pk, user=request.user)


@login_required
def open_notification(request, pk: int):
    """Following a notification is reading it: it is marked read on the way to what it is about."""
    notification = _own(request, pk)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    is_safe = url_has_allowed_host_and_scheme(notification.url, allowed_hosts=set())
    return redirect(notification.url if notification.url and is_safe else "notifications:list")


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = _own(request, pk)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(user=request.user)
    return redirect("notifications:list")


class PreferencesForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Send me an e-mail when…"),
        choices=[(name, kind.label) for name, kind in KINDS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of my notifications and e-mails"),
        choices=settings.LANGUAGES,
    )


@login_required
def preferences(request):
    muted = set(request.user.muted_email_kinds.values_list("kind", flat=True))
    initial = {
        "email_kinds": [kind for kind in KINDS if kind not in muted],
        "language": services.recipient_language(request.user),
    }
    # Bound on every POST, even one with no box ticked (turning every e-mail off).
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        wanted = set(form.cleaned_data["email_kinds"])
        services.set_email_preferences(
            user=request.user,
            muted_kinds=[kind for kind in KINDS if kind not in wanted],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your e-mail preferences have been saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
