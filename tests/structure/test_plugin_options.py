"""The plugin's options have one schema (the core's PluginOptions); MkDocs' config_options are
derived from it, so the two agree on every name, default and type."""

from __future__ import annotations

import pytest
from mkdocs.config import config_options as c
from pydantic import ValidationError

from lchc_gen.mkdocs_plugin.config import LchcConfig, option, plugin_options
from lchc_gen.site.options import PluginOptions


def _mkdocs(values: dict) -> tuple[list, list, LchcConfig]:
    config = LchcConfig()
    config.load_dict(values)
    errors, warnings = config.validate()
    return errors, warnings, config


def test_every_option_has_the_same_name_and_default_in_both() -> None:
    schema = dict(LchcConfig._schema)
    assert list(schema) == list(PluginOptions.model_fields)
    errors, _, config = _mkdocs({})
    assert errors == []
    assert plugin_options(config, None) == PluginOptions()  # MkDocs' defaults are the core's
    assert dict(config) == PluginOptions().model_dump()


@pytest.mark.parametrize(
    "values",
    [
        {"programs_dir": 3},
        {"reports_plaintext_preview": "yes"},
        {"survey": ["not", "a", "mapping"]},
        {"keystore": False},
        {"today": 20270101},
    ],
)
def test_a_value_of_the_wrong_type_is_refused_by_both(values: dict) -> None:
    errors, _, _ = _mkdocs(values)
    assert errors, values
    with pytest.raises(ValidationError):
        PluginOptions(**values)


def test_values_mkdocs_accepts_reach_the_core_unchanged() -> None:
    values = {"programs_dir": "p", "survey": {"questionnaire": "q.yml"}, "keystore": "k.json", "own_origin": True}
    errors, _, config = _mkdocs(values)
    assert errors == []
    assert plugin_options(config, None).model_dump(include=set(values)) == values


def test_optional_options_become_optional_config_options() -> None:
    assert isinstance(option(PluginOptions.model_fields["keystore"]), c.Optional)
    assert isinstance(option(PluginOptions.model_fields["prefix"]), c.Type)


def test_a_today_that_is_no_date_is_named_with_its_line(make_site) -> None:
    from mkdocs.config import load_config
    from mkdocs.exceptions import PluginError

    root = make_site(plugin={"today": "1 Dec 2026"})
    config = load_config(str(root / "mkdocs.yml"))  # MkDocs' own type check lets it through
    with pytest.raises(PluginError) as err:
        config.plugins["lchc"].on_config(config)
    assert "mkdocs.yml:16: plugins[1].lchc.today: '1 Dec 2026' is not a date (YYYY-MM-DD)" in str(err.value)
