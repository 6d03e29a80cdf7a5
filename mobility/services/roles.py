"""The four roles as groups with permissions. Safe to run again: it only adds what is missing."""
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from mobility.models import Role

# app_label.codename; "*" = every permission of that app.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.STUDENT: [],
    Role.DEPARTMENT_COORDINATOR: [
        "mobility.access_office",
        "mobility.view_call",
        "mobility.view_department",
        "applications.view_application",
        "selection.view_selectionrun",
    ],
    Role.OFFICE_STAFF: [
        "mobility.access_office",
        "mobility.run_selection",
        "mobility.view_call",
        "mobility.change_call",
        "mobility.view_department",
        "mobility.view_calldepartment",
        "mobility.view_countrygroup",
        "applications.*",
        "selection.*",
        "letters.*",
        "appeals.*",
        "traineeships.*",
        "internships.*",
    ],
    Role.ADMIN: [
        "mobility.*", "applications.*", "selection.*", "letters.*", "appeals.*", "traineeships.*", "internships.*",
        "auth.*", "account.*",
    ],
}
# Apps with no models of their own (no permissions to give): their pages check the permissions above.
APPS_WITHOUT_PERMISSIONS = {"portal"}


def _permissions(spec: list[str]):
    perms = Permission.objects.none()
    for item in spec:
        app_label, codename = item.split(".", 1)
        query = Permission.objects.filter(content_type__app_label=app_label)
        if codename != "*":
            query = query.filter(codename=codename)
        perms = perms | query
    return perms


@transaction.atomic
def roles_ensure() -> dict[str, Group]:
    groups = {}
    for role, spec in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*_permissions(spec))
        groups[role] = group
    return groups


def user_set_role(*, user, role: Role) -> None:
    """Give a user exactly one role; staff roles may open the admin site."""
    groups = roles_ensure()
    user.groups.remove(*[g for name, g in groups.items() if name != role])
    user.groups.add(groups[role])
    if role in (Role.OFFICE_STAFF, Role.ADMIN) and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def user_role(user) -> Role | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    names = {g.name for g in user.groups.all()}
    for role in (Role.ADMIN, Role.OFFICE_STAFF, Role.DEPARTMENT_COORDINATOR, Role.STUDENT):
        if role in names:
            return role
    return None
