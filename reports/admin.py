"""Read-only Django admin for the export audit log and the export jobs."""

from django.contrib import admin

from .models import ExportAuditEntry, ExportJob


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportAuditEntry)
class ExportAuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "username", "table_title", "format", "scope", "period", "row_count"]
    list_filter = ["table_key", "format"]
    search_fields = ["username", "table_title"]
    date_hierarchy = "created_at"


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "table_key", "format", "status", "progress", "row_count"]
    list_filter = ["status", "format"]
