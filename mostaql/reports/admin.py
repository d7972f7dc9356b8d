from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from mostaql.core.admin import ReadOnlyAdmin
from mostaql.core.exceptions import DomainError
from mostaql.reports import services
from mostaql.reports.models import HiddenItem, ModerationEvent, Report, Suspension

# Reports, suspensions and their history change through the services (the staff pages) only.

ITEM_FIELDS = ["kind", "project", "offer", "message", "profile"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "reporter", "author", "status", "item_hidden", "created_at", "decided_at"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["reporter__email", "author__email", "reason"]
    list_select_related = ["reporter", "author"]
    raw_id_fields = ["reporter", "author", "decided_by", *ITEM_FIELDS[1:]]


@admin.register(HiddenItem)
class HiddenItemAdmin(ReadOnlyAdmin):
    """Hidden items stay in the database; here they are listed, and can be shown again."""

    list_display = ["id", "kind", "project", "offer", "message", "profile", "hidden_by", "created_at"]
    list_filter = ["kind", "created_at"]
    list_select_related = [
        "project",
        "offer__freelancer",
        "offer__project",
        "message",
        "profile__user",
        "hidden_by",
    ]
    raw_id_fields = ["hidden_by", "report", *ITEM_FIELDS[1:]]
    actions = ["show_again"]

    @admin.action(description=_("Show the selected items again"))
    def show_again(self, request, queryset):
        shown = 0
        for hidden in queryset:
            try:
                services.show_item(
                    staff=request.user, hidden=hidden, note=str(_("Shown again from the administration."))
                )
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                shown += 1
        self.message_user(request, _("%(count)s item(s) shown again.") % {"count": shown}, messages.SUCCESS)


@admin.register(Suspension)
class SuspensionAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "suspended_by", "created_at", "lifted_at", "lifted_by"]
    list_filter = ["created_at", "lifted_at"]
    search_fields = ["user__email", "user__name", "reason"]
    list_select_related = ["user", "suspended_by", "lifted_by"]


@admin.register(ModerationEvent)
class ModerationEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "action", "actor", "subject", "report", "created_at"]
    list_filter = ["action", "created_at"]
    search_fields = ["actor__email", "subject__email", "note"]
    list_select_related = ["actor", "subject"]
