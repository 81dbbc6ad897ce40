"""Every path the project uses, in one place. Imports nothing from the project."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DATA = ROOT / "data"                # the plan this site is built from (--data FOLDER builds another)
PACKAGE = DATA / "datapackage.json"
PLANS = ROOT / "plans"              # other plans, each a folder laid out as data/ is
NATIONAL = ROOT / "national"        # the national programmes' targets: one package every plan links to
NATIONAL_PACKAGE = NATIONAL / "datapackage.json"
CASE_STUDIES = DATA / "case-studies"
CASE_STUDY_SCHEMA = DATA / "case-study.schema.json"

SITE = ROOT / "site"
TEMPLATES = SITE / "templates"
LABELS = SITE / "labels.yml"
LABELS_ENTERPRISES = SITE / "labels-enterprises.yml"
CONTENT = SITE / "content"          # hand-written pages, one folder per language
ASSETS = SITE / "assets"
OVERRIDES = SITE / "overrides"
GENERATED = SITE / "generated"      # git-ignored: docs folders and configs made by the build

ISSUE_TEMPLATES = ROOT / ".github" / "ISSUE_TEMPLATE"   # the issue forms (scripts/intake/forms.py writes them)

MKDOCS_CONFIG = ROOT / "mkdocs.yml"
MKDOCS_HOOKS = ROOT / "scripts" / "engines" / "mkdocs_hooks.py"   # named in each generated config
BUILD = ROOT / "build"


def docs_dir(lang: str) -> Path:
    """The MkDocs docs folder the build assembles for one language."""
    return GENERATED / lang


def mkdocs_config(lang: str) -> Path:
    """The per-language MkDocs config the build writes; it INHERITs mkdocs.yml."""
    return GENERATED / f"mkdocs.{lang}.yml"


def engine_site_dir(lang: str) -> Path:
    """Where Zensical writes a language's site (it must be inside the config's folder); the build
    moves it into its scratch folder at once."""
    return GENERATED / ".engine-site" / lang
