from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .cabinet import cabinet_sections
from .roles import roles_of


@login_required
def cabinet(request):
    """Мой кабинет: the person's own profile and the sections other apps contribute."""
    user = request.user
    return render(
        request,
        "people/cabinet.html",
        {
            "person": user,
            "roles": sorted(roles_of(user)),
            "sections": cabinet_sections(request),
        },
    )
