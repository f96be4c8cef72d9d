"""The repository explains itself: README.md, CONTRIBUTING.md and docs/ stay true
and link nothing outside the repository."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_links_stay_inside_the_repository_and_resolve(document):
    for target in LINK.findall(document.read_text(encoding="utf-8")):
        assert not re.match(r"[a-z]+:", target), f"{document.name} links outside: {target}"
        path = (document.parent / target.split("#")[0]).resolve()
        assert path.is_relative_to(ROOT), f"{document.name} links outside: {target}"
        assert path.exists(), f"{document.name} links to a missing {target}"


def test_every_make_verb_the_documents_show_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z0-9-]*):", makefile, re.MULTILINE))
    for document in DOCUMENTS:
        shown = set(re.findall(r"`make ([a-z][a-z0-9-]*)", document.read_text(encoding="utf-8")))
        shown |= set(
            re.findall(
                r"^make ([a-z][a-z0-9-]*)", document.read_text(encoding="utf-8"), re.MULTILINE
            )
        )
        assert shown <= targets, f"{document.name} shows make {shown - targets}"


def test_the_readme_lists_every_setting_read_from_the_environment():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    read = set()
    for module in (ROOT / "config").glob("*.py"):
        source = module.read_text(encoding="utf-8")
        read |= set(re.findall(r'"((?:SADOK|KYIVID)_[A-Z0-9_]+|DATABASE_URL)"', source))
        for provider in re.findall(r"for _provider in \(([^)]*)\)", source):
            for name in re.findall(r'"(\w+)"', provider):
                read |= {f"SADOK_{name.upper()}_CLIENT_ID", f"SADOK_{name.upper()}_SECRET"}
    assert read, "no settings found: the pattern above is out of date"
    missing = sorted(name for name in read if f"`{name}`" not in readme)
    assert not missing, f"README.md does not list {missing}"


def test_the_readmes_layers_are_the_import_contracts():
    """The README's picture names the apps in the order `make contracts` enforces."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = (
        contract["layers"]
        for contract in contracts["tool"]["importlinter"]["contracts"]
        if contract["type"] == "layers"
    )
    # Apps side by side in one layer (`a | b`) are named in that order; the core
    # helpers' layer is drawn on its own line below the chain.
    apps = [
        name.strip().removeprefix("sadok.")
        for layer in layers
        if "sadok.clock" not in layer
        for name in layer.split("|")
    ]
    apps.remove("allocation")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    chain = readme[readme.index("demo →") : readme.index("sadok/clock.py")]
    assert re.findall(r"[a-z]+", chain) == apps
