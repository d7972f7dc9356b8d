from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mostaql.guides.models import Article, Track


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    """Guides are editorial content, written and ordered by staff here; no market rule hangs on them."""

    list_display = ["title", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["title_en"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "track", "position", "is_published", "published_at", "updated_at"]
    list_filter = ["is_published", "track"]
    search_fields = ["title", "title_en", "summary", "body"]
    list_select_related = ["track"]
    filter_horizontal = ["related"]
    prepopulated_fields = {"slug": ["title_en"]}
    fieldsets = [
        (None, {"fields": ["track", "slug", "position", "is_published", "published_at", "related"]}),
        (_("Arabic"), {"fields": ["title", "summary", "body"]}),
        (_("English"), {"fields": ["title_en", "summary_en", "body_en"], "classes": ["collapse"]}),
    ]

    def save_model(self, request, obj, form, change):
        if obj.is_published and obj.published_at is None:
            obj.published_at = timezone.now()
        super().save_model(request, obj, form, change)
