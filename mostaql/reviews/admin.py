from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mostaql.core.admin import ReadOnlyAdmin
from mostaql.reviews import reputation
from mostaql.reviews.models import Reputation, Review

# Reviews and counters change through mostaql.reviews' services only: the admin looks.


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "contract",
        "author",
        "subject",
        "direction",
        "rating",
        "created_at",
        "published_at",
    ]
    list_filter = ["direction", ("published_at", admin.EmptyFieldListFilter), "published_at", "created_at"]
    search_fields = ["author__email", "author__name", "subject__email", "subject__name", "comment", "reply"]
    list_select_related = ["contract__project", "author", "subject"]
    date_hierarchy = "created_at"
    raw_id_fields = ["contract", "author", "subject"]


@admin.register(Reputation)
class ReputationAdmin(ReadOnlyAdmin):
    list_display = [
        "user",
        "freelancer_review_count",
        "freelancer_completed_count",
        "freelancer_ended_count",
        "client_review_count",
        "client_completed_count",
        "response_count",
        "updated_at",
    ]
    search_fields = ["user__email", "user__name"]
    list_select_related = ["user"]
    actions = ["recount_selected"]

    @admin.action(description=_("Recount from contracts, reviews and messages"))
    def recount_selected(self, request, queryset):
        for row in queryset.select_related("user"):
            reputation.recount(row.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)s reputation recounted.", "%(count)s reputations recounted.", count)
            % {"count": count},
            messages.SUCCESS,
        )
