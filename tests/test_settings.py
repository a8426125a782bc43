"""The coder's settings: names, types, defaults and help; what is refused; what they change."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tidings import code_text
from tidings.cli import _join_setting_values, app
from tidings.settings import DEFAULT, DEFAULT_STAGES, Settings, SettingsError, describe

SENTENCE = "Pyongyang, May 1 (KCNA) -- Kim Jong Un met the Russian foreign minister on Monday."


def test_every_setting_has_a_type_a_default_and_help() -> None:
    rows = describe()
    assert [r[0] for r in rows][:2] == ["stages", "batch_size"]
    for name, kind, default, help_text in rows:
        assert kind in {"int", "float", "str", "tuple[str, ...]"}, name
        assert getattr(DEFAULT, name) == default
        assert help_text and len(help_text) < 120, name


def test_overrides_by_name_parse_command_line_strings() -> None:
    s = Settings.of([("batch_size", "32"), ("stages", "mentions, events,dates")])
    assert s.batch_size == 32 and s.stages == ("mentions", "events", "dates")
    assert Settings.of({"batch_size": 8}).batch_size == 8
    assert Settings.of(None) is DEFAULT and DEFAULT.stages == DEFAULT_STAGES


@pytest.mark.parametrize(("values", "message"), [
    ({"batch_sise": 8}, "unknown setting 'batch_sise'; known settings: .*batch_size"),
    ({"batch_size": "many"}, "takes a number"),
    ({"batch_size": 0}, "must be within"),
    ({"batch_size": 2.5}, "takes int"),
    ({"batch_size": True}, "takes int"),
    ({"stages": "mentions,events,wher"}, "unknown stage 'wher'"),
    ({"stages": "mentions,events,events"}, "given twice"),
    ({"stages": "events,mentions"}, "'events' needs mentions before it"),
    ({"stages": "mentions,events,aim"}, "'aim' needs places before it"),
    ({"stages": "mentions,events,merge,dates"}, "'merge' must come after dates"),
    ({"stages": "mentions"}, "must include mentions and events"),
    ({"decider": "oracle"}, "takes str .one of model, rules"),
    ({"stages": "mentions,events,decide,alternatives"}, "'decide' must come after alternatives"),
])
def test_wrong_names_types_ranges_and_orders_are_refused(values, message) -> None:
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace("[", r"\[")):
        Settings.of(values)


def test_the_stage_order_decides_what_runs() -> None:
    everything = code_text(SENTENCE, date="2024-05-01").events
    assert everything and all("id" in e and e["date"] == "2024-04-29" for e in everything)
    bare = code_text(SENTENCE, date="2024-05-01", settings={"stages": "mentions,events"}).events
    assert bare and all("id" not in e and e["date"] is None for e in bare)
    assert {e["event_type"] for e in bare} == {e["event_type"] for e in everything}
    assert all("voice" not in e for e in everything + bare)  # internal, never output


def test_command_line_setting_pairs() -> None:
    assert _join_setting_values(["code", "a.txt", "--setting", "batch_size", "8", "-f", "csv"]) \
        == ["code", "a.txt", "--setting", "batch_size=8", "-f", "csv"]
    assert _join_setting_values(["--setting", "batch_size=8"]) == ["--setting", "batch_size=8"]
    runner = CliRunner()
    bad = runner.invoke(app, ["code", "-", "--setting", "batch_sise=8"], input=SENTENCE)
    assert bad.exit_code == 2 and "unknown setting 'batch_sise'" in bad.output
    good = runner.invoke(app, ["code", "-", "--date", "2024-05-01", "--setting",
                               "stages=mentions,events"], input=SENTENCE)
    assert good.exit_code == 0 and '"date": null' in good.stdout
    listing = runner.invoke(app, ["settings"])
    assert listing.exit_code == 0 and "batch_size" in listing.stdout
