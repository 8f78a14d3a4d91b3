"""The admin lists of a commune's own rows, for the commune's staff (scoped like every staff
query, through `staff_scope`)."""

from xaso.core.admin import ReadOnlyAdmin

from .scoping import staff_scope


class CommuneScopedAdmin(ReadOnlyAdmin):
    """A read-only admin list of one commune's rows, for the commune's staff.

    Rows are kept to the communes where the user holds a role (`staff_scope`), through the model's
    `commune_field` (a lookup path to a `Commune`); a superuser sees every row. Any role in some
    commune (or a province viewer's province) lets an `is_staff` user read, without Django model
    permissions. Nothing is added, changed or deleted here: subclasses write through services
    (admin actions or views of their own).
    """

    commune_field = "commune"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return staff_scope(request.user).filter(queryset, commune_field=self.commune_field)

    def has_view_permission(self, request, obj=None):
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return user.is_superuser or staff_scope(user).is_staff

    def has_module_permission(self, request):
        return self.has_view_permission(request)
