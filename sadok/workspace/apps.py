from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The staff workspaces: a head's kindergarten, a district office, the city."""

    name = "sadok.workspace"
    label = "workspace"
