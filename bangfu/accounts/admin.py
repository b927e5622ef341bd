from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from bangfu.accounts.models import ApiToken, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class BangfuUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ("username", "display_name", "is_active", "last_login")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created", "last_used", "revoked")
    readonly_fields = ("digest", "prefix")
