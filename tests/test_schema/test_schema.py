"""One table describes every input: the generated Args classes and README table follow it, and so do check,
the defaults and diff's replace and update sets; the provider's translation gives the engine every value."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from mgn_resources import CutoverArgs, CutoverProvider, TestLaunchArgs, TestLaunchProvider
from mgn_resources.aws import LaunchKind
from mgn_resources.engine import LaunchSpec
from mgn_resources.lifecycle.check import check_inputs
from mgn_resources.lifecycle.translate import launch_spec
from mgn_resources.resources import _generated
from mgn_resources.schema import CUTOVER, INPUTS, RESOURCES, TEST_LAUNCH, Change, Input, ResourceSchema, generate
from mgn_resources.schema.rules import Seconds
from mgn_resources.schema.types import NUMBER

REGENERATE = "python -m mgn_resources.schema.generate"
A = "s-0a1b2c3d4e5f6a7b8"


def test_the_generated_args_and_readme_table_are_up_to_date() -> None:
    stale = generate.outdated()
    assert stale == [], f"{', '.join(map(str, stale))} out of date with the input schema: run `{REGENERATE}`"


def test_the_check_command_reports_a_stale_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "_generated.py"
    stale.write_text(generate.GENERATED.read_text().replace("Defaults to 3600.", "Defaults to 7200."))
    monkeypatch.setattr(generate, "GENERATED", stale)
    assert generate.main(["--check"]) == 1
    assert f"{stale} is out of date with the input schema: run `{REGENERATE}`" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "schema"), [(CutoverArgs, CUTOVER), (TestLaunchArgs, TEST_LAUNCH)])
def test_each_args_class_has_exactly_the_schema_inputs(args: type, schema: ResourceSchema) -> None:
    properties = {n for klass in args.__mro__ for n, v in vars(klass).items() if isinstance(v, property)}
    assert properties == set(schema.names)
    typed = getattr(_generated, f"{schema.name}Inputs")
    assert typed.__required_keys__ == set(schema.required)
    assert typed.__required_keys__ | typed.__optional_keys__ == set(schema.names)


@pytest.mark.parametrize(("provider", "schema"), [(CutoverProvider, CUTOVER), (TestLaunchProvider, TEST_LAUNCH)])
def test_check_fills_in_the_schema_defaults(provider: type, schema: ResourceSchema) -> None:
    checked = provider().check({}, {"source_server_ids": [A], "region": "us-east-1"})
    assert checked.failures == []
    assert {k: checked.inputs[k] for k in schema.defaults} == schema.defaults


def test_the_replace_and_update_sets_come_from_the_table() -> None:
    assert CUTOVER.replacing == ("application_ids", "wave_id", "account_id", "region", "endpoint_url", "role_arn")
    assert TEST_LAUNCH.replacing == CUTOVER.replacing
    assert set(CUTOVER.updatable) == {
        "source_server_ids", "allow_revert_on_replace",
        "tags", "finalize", "on_delete", "timeout_seconds", "poll_interval_seconds", "wait_for_post_launch_actions",
        "require_successful_test", "max_replication_lag_seconds", "wait_for_healthy_instances",
    }
    assert set(TEST_LAUNCH.updatable) == {
        "source_server_ids", "allow_revert_on_replace",
        "tags", "mark_ready_for_cutover", "on_delete", "timeout_seconds", "poll_interval_seconds",
        "wait_for_post_launch_actions", "wait_for_healthy_instances",
    }


@pytest.mark.parametrize(("kind", "schema"), [(LaunchKind.CUTOVER, CUTOVER), (LaunchKind.TEST, TEST_LAUNCH)])
def test_the_engine_spec_gets_every_value_with_the_schema_defaults(kind: LaunchKind, schema: ResourceSchema) -> None:
    fields = {f.name for f in dataclasses.fields(LaunchSpec)} - {"kind"}
    assert fields <= set(CUTOVER.names) | set(TEST_LAUNCH.names)  # the spec invents no setting of its own
    spec = launch_spec(kind, {"source_server_ids": [A], "timeout_seconds": 60})
    assert (spec.source_server_ids, spec.timeout_seconds) == ((A,), 60.0)
    for name, default in schema.defaults.items():
        if name in fields and name != "timeout_seconds":
            assert getattr(spec, name) == default, name
    assert spec.wait_for_healthy_instances is True and spec.max_replication_lag_seconds is None


def test_every_row_names_a_known_resource_and_each_resource_takes_a_name_once() -> None:
    assert {r for row in INPUTS for r in row.resources} == {r.name for r in RESOURCES}
    for resource in RESOURCES:
        assert len(resource.names) == len(set(resource.names)), resource.name


# ---- a new input is one row: everything else follows ----

EXTRA = Input(
    name="max_wait_minutes", type=NUMBER, resources=("Cutover",), change=Change.UPDATE, rule=Seconds(0.0, 90.0),
    doc="how long to wait, in minutes", default=30.0,
)


@pytest.fixture
def with_extra_row(monkeypatch: pytest.MonkeyPatch) -> ResourceSchema:
    table = (*INPUTS, EXTRA)
    schemas = tuple(ResourceSchema.of(r.name, table) for r in RESOURCES)
    monkeypatch.setattr(generate, "INPUTS", table)
    monkeypatch.setattr(generate, "RESOURCES", schemas)
    return schemas[0]


def _load(source: str, tmp_path: Path) -> ModuleType:
    path = tmp_path / "extra_generated.py"
    path.write_text(source.replace("from ._args import", "from mgn_resources.resources._args import"))
    spec = importlib.util.spec_from_file_location("extra_generated", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["extra_generated"] = module
    spec.loader.exec_module(module)
    return module


def test_a_new_row_reaches_args_readme_check_and_diff(with_extra_row: ResourceSchema, tmp_path: Path) -> None:
    cutover = with_extra_row
    source = generate.render_module(generate.RESOURCES)
    assert source != generate.GENERATED.read_text()  # the test above would fail until regenerated
    module = _load(source, tmp_path)
    assert "max_wait_minutes" in module.CutoverInputs.__optional_keys__
    assert "max_wait_minutes" not in module.TestLaunchInputs.__optional_keys__
    doc = module.CutoverArgs.max_wait_minutes.__doc__
    assert "How long to wait, in minutes. Above 0, at most 90. Defaults to 30." in doc

    readme = generate.render_readme(generate.README.read_text(), generate.RESOURCES)
    row = (
        "| `max_wait_minutes` | number | 30 | update "
        "| `Cutover` only: how long to wait, in minutes; above 0, at most 90 |"
    )
    assert row in readme

    assert "max_wait_minutes" in cutover.updatable and cutover.defaults["max_wait_minutes"] == 30.0
    checked = check_inputs(cutover, {"source_server_ids": [A], "region": "us-east-1", "max_wait_minutes": 120})
    assert [f.property for f in checked.failures] == ["max_wait_minutes"]
    assert check_inputs(cutover, {"source_server_ids": [A], "region": "us-east-1"}).inputs["max_wait_minutes"] == 30.0
