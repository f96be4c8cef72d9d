"""The KyivID stand-in (kyivid_demo/) is a development tool: never in Sadok's settings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_stand_in_is_a_development_tool_only():
    from django.conf import settings

    assert not [app for app in settings.INSTALLED_APPS if app.startswith("kyivid_demo")]
    refused = subprocess.run(
        [sys.executable, "-c", "import kyivid_demo.settings"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "SADOK_DEBUG"},
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0
    assert "development tool" in refused.stderr
