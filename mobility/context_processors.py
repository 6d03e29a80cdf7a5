from mobility.services.roles import user_role


def portal(request):
    user = getattr(request, "user", None)
    role = user_role(user) if user is not None else None
    return {
        "user_role": role,
        "is_office": bool(user and user.is_authenticated and user.has_perm("mobility.access_office")),
    }
