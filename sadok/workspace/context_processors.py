from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sadok.workspace.selectors import Workspace, workspaces_of


def workspaces(request: HttpRequest) -> dict[str, Any]:
    """The person's workspaces for the header's switcher, each with whether this
    page is in it (lazily: only pages that show the header ask)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"workspaces": []}

    def spaces() -> list[tuple[Workspace, bool]]:
        return [(s, request.path.startswith(s.url)) for s in workspaces_of(user=user)]

    return {"workspaces": spaces}
