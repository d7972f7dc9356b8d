from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that change through their app's services only: the admin looks, never adds, edits or deletes."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
