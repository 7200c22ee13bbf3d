import dataclasses
import datetime as dt

import pytest

from newsarchive.settings import Settings, SettingsError


def test_environment_overrides_defaults_with_typed_values():
    s = Settings.from_env({"NEWSARCHIVE_THRESHOLD": "0.6", "NEWSARCHIVE_WINDOW_DAYS": "3",
                           "NEWSARCHIVE_DATES__DATE_FLOOR": "1980-01-01", "NEWSARCHIVE_LANDING": "s3://bucket/in",
                           "OTHER": "x"})
    assert (s.threshold, s.window_days, s.dates.date_floor, s.landing) == (0.6, 3, dt.date(1980, 1, 1), "s3://bucket/in")


def test_replace_ignores_unset_values():
    s = Settings().replace(threshold=None, archive_root="/data/archive")
    assert s.threshold == Settings().threshold and s.archive_root == "/data/archive"


def test_mapping_from_airflow_params_ignores_unknown_keys():
    s = Settings.from_mapping({"threshold": 0.7, "landing": "/in", "unrelated": 1})
    assert (s.threshold, s.landing) == (0.7, "/in")
    assert Settings.from_mapping(s.as_dict()) == s


@pytest.mark.parametrize("env, named", [
    ({"NEWSARCHIVE_THRESHOLD": "2"}, "threshold"),
    ({"NEWSARCHIVE_THRESHOLD": "0"}, "threshold"),
    ({"NEWSARCHIVE_WINDOW_DAYS": "-1"}, "window_days"),
    ({"NEWSARCHIVE_SHARD_SIZE": "0"}, "shard_size"),
    ({"NEWSARCHIVE_SHARD_SIZE": "many"}, "shard_size"),
    ({"NEWSARCHIVE_MAX_INPUT_BYTES": "0"}, "max_input_bytes"),
])
def test_values_the_pipeline_cannot_run_with_are_rejected_in_one_line(env, named):
    with pytest.raises(SettingsError) as err:
        Settings.from_env(env)
    assert named in str(err.value) and "\n" not in str(err.value)


def test_replace_is_checked_like_a_new_object():
    with pytest.raises(SettingsError):
        Settings().replace(threshold=1.5)


def test_signature_format_is_not_a_setting():
    # Changing it would make new rows incomparable with archived ones (it used to crash a run);
    # setting it anyway is an error that names it, not a silent no-op.
    assert "num_perm" not in Settings().as_dict()
    with pytest.raises(SettingsError, match="unknown setting NEWSARCHIVE_NUM_PERM"):
        Settings.from_env({"NEWSARCHIVE_NUM_PERM": "64"})


@pytest.mark.parametrize("name", ["NEWSARCHIVE_WINDOWDAYS", "NEWSARCHIVE_CLEAN__NO_SUCH", "NEWSARCHIVE_THRESHOLD__X"])
def test_a_variable_that_names_no_setting_is_an_error(name):
    with pytest.raises(SettingsError, match=f"unknown setting {name}"):
        Settings.from_env({name: "3", "NEWSARCHIVE_WINDOW_DAYS": "3"})
    # variables that other parts read are no settings and no error
    other = {"NEWSARCHIVE_SCHEDULE": "@hourly", "NEWSARCHIVE_FAULTS": "", "NEWSARCHIVE_LANDING_HOST_DIR": "/x"}
    assert Settings.from_env({**other, "NEWSARCHIVE_WINDOW_DAYS": "3"}).window_days == 3


def test_the_clean_stages_config_is_nested_and_set_from_the_environment():
    from newsarchive.clean import CleanConfig

    s = Settings.from_env({"NEWSARCHIVE_CLEAN__GAP_GROWTH": "0.4", "NEWSARCHIVE_CLEAN__TEMPLATE_MIN_STORIES": "4"})
    assert isinstance(s.clean, CleanConfig)
    assert (s.clean.gap_growth, s.clean.template_min_stories) == (0.4, 4)
    assert s.clean.isolated_weight == CleanConfig().isolated_weight
    tuned = [f.name for f in dataclasses.fields(CleanConfig) if "tune" in f.metadata]
    assert tuned and all(getattr(CleanConfig(), name) in f.metadata["tune"]
                         for f in dataclasses.fields(CleanConfig) for name in [f.name] if name in tuned)
