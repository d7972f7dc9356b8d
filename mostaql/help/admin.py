from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from mostaql.help.models import Question, Ticket, TicketReply


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Questions and answers are editorial content, written by staff here (Markdown, like the guides)."""

    list_display = ["question", "topic", "position", "is_published"]
    list_filter = ["topic", "is_published"]
    list_editable = ["position", "is_published"]
    search_fields = ["question", "question_en", "answer", "answer_en"]
    fieldsets = [
        (None, {"fields": ["topic", "position", "is_published"]}),
        (_("Arabic"), {"fields": ["question", "answer"]}),
        (_("English"), {"fields": ["question_en", "answer_en"]}),
    ]


class TicketReplyInline(admin.TabularInline):
    model = TicketReply
    extra = 0
    can_delete = False
    readonly_fields = ["author", "body", "created_at", "emailed_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only: tickets are answered from /staff/support/, through the service that e-mails the answer."""

    list_display = ["id", "subject", "topic", "email", "status", "language", "created_at"]
    list_filter = ["status", "topic", "language"]
    search_fields = ["subject", "email", "name", "body"]
    inlines = [TicketReplyInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
