from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from mostaql.accounts import services
from mostaql.accounts.models import PortfolioImage, PortfolioItem, Profile, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["-date_joined"]
    list_display = ["email", "name", "primary_role", "is_active", "is_staff", "date_joined", "last_login"]
    list_filter = ["primary_role", "is_active", "is_staff", "is_superuser", "date_joined"]
    search_fields = ["email", "name"]
    # "Active" is read-only: suspending is reports.services.suspend_account (it also logs the person
    # out and winds down their projects and contracts), done from the moderators' pages.
    readonly_fields = ["date_joined", "last_login", "is_active"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal information"), {"fields": ["name", "primary_role"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})]

    def save_model(self, request, obj, form, change):
        """Staff edits keep the same guarantees as sign-up: a profile, and a search text that matches."""
        super().save_model(request, obj, form, change)
        services.reindex_profile(services.ensure_profile(obj))


class PortfolioImageInline(admin.TabularInline):
    model = PortfolioImage
    extra = 0
    fields = ["thumbnail", "width", "height", "position"]
    readonly_fields = ["thumbnail", "width", "height"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "slug", "title", "country", "created_at"]
    list_filter = ["country", "user__primary_role"]
    list_select_related = ["user"]
    search_fields = ["user__name", "user__email", "slug", "title"]
    autocomplete_fields = ["skills"]
    readonly_fields = ["user", "search_text", "avatar_thumbnail"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.reindex_profile(obj)


@admin.register(PortfolioItem)
class PortfolioItemAdmin(admin.ModelAdmin):
    list_display = ["title", "profile", "completed_on", "created_at"]
    list_select_related = ["profile__user"]
    search_fields = ["title", "profile__user__name", "profile__user__email"]
    list_filter = ["created_at"]
    autocomplete_fields = ["skills"]
    raw_id_fields = ["profile"]
    inlines = [PortfolioImageInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
