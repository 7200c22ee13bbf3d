import datetime as dt

from newsarchive.settings import Settings


def test_environment_overrides_defaults_with_typed_values():
    s = Settings.from_env({"NEWSARCHIVE_THRESHOLD": "0.6", "NEWSARCHIVE_WINDOW_DAYS": "3",
                           "NEWSARCHIVE_DATE_FLOOR": "1980-01-01", "NEWSARCHIVE_LANDING": "s3://bucket/in",
                           "OTHER": "x"})
    assert (s.threshold, s.window_days, s.date_floor, s.landing) == (0.6, 3, dt.date(1980, 1, 1), "s3://bucket/in")


def test_replace_ignores_unset_values():
    s = Settings().replace(threshold=None, archive_root="/data/archive")
    assert s.threshold == Settings().threshold and s.archive_root == "/data/archive"


def test_mapping_from_airflow_params_ignores_unknown_keys():
    s = Settings.from_mapping({"threshold": 0.7, "landing": "/in", "unrelated": 1})
    assert (s.threshold, s.landing) == (0.7, "/in")
    assert Settings.from_mapping(s.as_dict()) == s
