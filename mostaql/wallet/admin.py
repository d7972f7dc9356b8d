from django.contrib import admin

from mostaql.core.admin import ReadOnlyAdmin
from mostaql.wallet.models import Deposit, Entry, IdentityVerification, LedgerAccount, Transfer, Withdrawal

# The ledger is changed by its services only: the admin looks, never touches.


class EntryInline(admin.TabularInline):
    model = Entry
    fields = ["account", "amount_cents", "balance_after_cents"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "owner", "contract", "balance_cents"]
    list_filter = ["kind"]
    search_fields = ["owner__email", "owner__name"]
    list_select_related = ["owner", "contract"]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "idempotency_key", "contract", "actor", "created_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["idempotency_key", "memo"]
    list_select_related = ["contract", "actor"]
    inlines = [EntryInline]


@admin.register(Deposit)
class DepositAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "amount_cents", "gateway", "status", "created_at"]
    list_filter = ["status", "gateway"]
    search_fields = ["user__email"]


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "amount_cents", "method", "status", "created_at", "processed_at"]
    list_filter = ["status", "method"]
    search_fields = ["user__email"]


@admin.register(IdentityVerification)
class IdentityVerificationAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "status", "created_at", "reviewed_by"]
    list_filter = ["status"]
    search_fields = ["user__email"]
