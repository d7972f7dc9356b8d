from django.contrib import admin

from mostaql.catalog.models import Category, Skill


class SkillInline(admin.TabularInline):
    model = Skill
    extra = 1
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_ar", "name_en", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_ar", "name_en", "slug"]
    prepopulated_fields = {"slug": ("name_en",)}
    inlines = [SkillInline]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name_ar", "name_en", "category", "slug"]
    list_filter = ["category"]
    list_select_related = ["category"]
    search_fields = ["name_ar", "name_en", "slug"]
    prepopulated_fields = {"slug": ("name_en",)}
