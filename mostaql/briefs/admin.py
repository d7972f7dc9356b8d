from django.contrib import admin

from mostaql.briefs.models import Answer, Brief
from mostaql.core.admin import ReadOnlyAdmin


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = ("seller", "service", "note", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Brief)
class BriefAdmin(ReadOnlyAdmin):
    """Requests change through briefs.services only (moderation: /staff/services/)."""

    list_display = ("title", "buyer", "category", "budget_cents", "status", "published_at", "expires_at")
    list_filter = ("status", "category")
    search_fields = ("title", "buyer__email")
    list_select_related = ("buyer", "category")
    inlines = [AnswerInline]
