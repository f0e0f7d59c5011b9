"""The plugin's options in mkdocs.yml (``plugins: - lchc: ...``)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class LchcConfig(base.Config):
    # Folder of program YAML files, relative to mkdocs.yml.
    programs_dir = c.Type(str, default="programs")
    # Your template overrides (same file names as the shipped templates), relative to mkdocs.yml.
    templates_dir = c.Type(str, default="templates")
    # Where the generated program pages go inside the site.
    prefix = c.Type(str, default="programs")
    # Fixes "today" for the upcoming-sessions page (YYYY-MM-DD); default: the build date.
    today = c.Optional(c.Type(str))
    # Survey inputs and scoring settings (see the survey guide); leave out for a site without reports.
    survey = c.Optional(c.Type(dict))
    # Learner feedback files, k_feedback, extra admins and the LCHC link (see the feedback guide).
    feedback = c.Optional(c.Type(dict))
    # Reflection questions (what / so_what / now_what lists) and the program page they lead to.
    reflection = c.Optional(c.Type(dict))
    reflection_program = c.Type(str, default="leadership-development")
    # DEVELOPMENT ONLY: publish team reports and the overview as plain, readable pages.
    # Anyone who can open the site can then read every report. Never enable on a published site.
    reports_plaintext_preview = c.Type(bool, default=False)
    # Keystore made by `lchc-gen keys` (a secret: outside docs_dir, ignored by git). With it,
    # reports are published encrypted for their readers. $LCHC_KEYSTORE overrides this path.
    keystore = c.Optional(c.Type(str))
    # FOR THE DEMO SITE ONLY: accept a keystore made by `lchc-gen keys demo`, whose passphrases
    # are published. Without it every build with a demo keystore warns and `--strict` refuses it.
    allow_demo_keystore = c.Type(bool, default=False)
    # Set true only if nothing but this site is ever served from the scheme, host and port of
    # site_url: then a site on a path (https://host/site/) no longer warns (see the access guide).
    own_origin = c.Type(bool, default=False)
