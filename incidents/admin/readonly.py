"""Admin pages that are a record of what happened: shown, never added, changed or deleted."""


class ReadOnlyAdmin:
    """Mixed into a ModelAdmin whose rows nobody may add, change or delete, superusers included.

    Import jobs, webhook deliveries, the access log and purge entries are the trace of an
    event; editing one would falsify it.
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
