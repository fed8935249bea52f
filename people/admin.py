from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import DjangoAdminLoginForm
from .models import Municipality, Organization, User

# The Django admin's login says so when the organization's directory does not answer, as the site's does.
admin.site.login_form = DjangoAdminLoginForm


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "oktmo"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "oktmo"]
    autocomplete_fields = ["parent"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind", "municipality"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["municipality", "parent"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "last_name", "first_name", "patronymic", "email", "municipality", "category"]
    list_filter = ["category", "is_staff", "groups", "has_procurement_duties", "municipality"]
    search_fields = ["username", "last_name", "first_name", "patronymic", "email", "personnel_number"]
    autocomplete_fields = ["organization", "municipality", "managed_municipality"]
    list_select_related = ["municipality"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Личные данные"), {"fields": ["last_name", "first_name", "patronymic", "email"]}),
        (
            _("Служба"),
            {
                "fields": [
                    "personnel_number",
                    "municipality",
                    "organization",
                    "category",
                    "position",
                    "hire_date",
                    "has_procurement_duties",
                    "has_anticorruption_duties",
                    "is_hr_service",
                ]
            },
        ),
        (
            _("Права"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "managed_municipality",
                    "user_permissions",
                ]
            },
        ),
        (_("Даты"), {"fields": ["last_login", "date_joined", "deactivated_at", "anonymized_at"]}),
        (_("Каталог организации"), {"fields": ["directory_dn"]}),
    ]
    readonly_fields = ["deactivated_at", "anonymized_at", "directory_dn"]
