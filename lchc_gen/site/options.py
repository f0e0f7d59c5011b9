"""What the core is given: the plugin's options (the one schema; the MkDocs adapter derives its
config_options from it) and the few settings of the site generator's config it reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator


class PluginOptions(BaseModel):
    """The ``lchc`` plugin's options in mkdocs.yml (``plugins: - lchc: ...``)."""

    # Strict as MkDocs' c.Type is: "yes" is not a bool, 3 is not a folder name.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    # Folder of program YAML files, relative to mkdocs.yml.
    programs_dir: str = "programs"
    # Your template overrides (same file names as the shipped templates), relative to mkdocs.yml.
    templates_dir: str = "templates"
    # Where the generated program pages go inside the site.
    prefix: str = "programs"
    # Fixes "today" for the upcoming-sessions page (YYYY-MM-DD); default: the build date.
    today: str | None = None
    # Survey inputs and scoring settings (see the survey guide); leave out for a site without reports.
    survey: dict[str, Any] | None = None
    # Learner feedback files, k_feedback, extra admins and the LCHC link (see the feedback guide).
    feedback: dict[str, Any] | None = None
    # Reflection questions (what / so_what / now_what lists) and the program page they lead to.
    reflection: dict[str, Any] | None = None
    reflection_program: str = "leadership-development"
    # DEVELOPMENT ONLY: publish team reports and the overview as plain, readable pages.
    # Anyone who can open the site can then read every report. Never enable on a published site.
    reports_plaintext_preview: bool = False
    # Keystore made by `lchc-gen keys` (a secret: outside docs_dir, ignored by git). With it,
    # reports are published encrypted for their readers. $LCHC_KEYSTORE overrides this path.
    keystore: str | None = None
    # FOR THE DEMO SITE ONLY: accept a keystore made by `lchc-gen keys demo`, whose passphrases
    # are published. Without it every build with a demo keystore warns and `--strict` refuses it.
    allow_demo_keystore: bool = False
    # Set true only if nothing but this site is ever served from the scheme, host and port of
    # site_url: then a site on a path (https://host/site/) no longer warns (see the access guide).
    own_origin: bool = False

    @field_validator("today")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
        return value

    def today_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.today) if self.today else None


@dataclass(frozen=True)
class SiteConfig:
    """The generator's settings the core reads (from MkDocs' config, or mkdocs.yml read by the core)."""

    config_file: Path | None  # mkdocs.yml: its folder is the root of relative paths, its lines name problems
    docs_dir: Path
    site_dir: Path
    site_url: str | None = None  # as MkDocs keeps it: ending in "/"
    site_name: str = ""
    use_directory_urls: bool = True
    nav: Any = None
    strict: bool = False
    theme_name: str | None = None
    theme_dir: Path | None = None  # the theme's custom_dir
    theme_features: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # `extra:` (theme templates read it)

    @property
    def root(self) -> Path:
        return self.config_file.resolve().parent if self.config_file else Path.cwd()
