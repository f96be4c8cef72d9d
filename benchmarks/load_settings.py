"""Production settings with the bare baseline view (`bare_urls.py`): what `load.py`
serves under gunicorn."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bare_urls"
