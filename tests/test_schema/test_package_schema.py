"""The plugin's Pulumi package schema (mgn_resources/plugin/schema.json) comes from the input and outputs tables:
committed up to date, every input row with its type, default and replacement, the outputs equal to the resource
classes' typed attributes, camelCase names that round-trip, and valid against Pulumi's meta-schema.

tests/fixtures/pulumi.json is pkg/codegen/schema/pulumi.json of pulumi/pulumi at commit
1b5949891b3cefcb9974752b24a5ecef0acc86c8 (the same file as at tag v3.259.0; the pinned SDK is 3.260.0).
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any, get_args, get_origin

import pulumi
import pytest

import mgn_resources
from mgn_resources.aws.shapes import ActionStatus, PostLaunchAction
from mgn_resources.engine import ServerLaunch, ServerState
from mgn_resources.lifecycle.outputs import server_outputs
from mgn_resources.resources import Cutover, LaunchSettings, TestLaunch, _launch, settings
from mgn_resources.schema import INPUTS, RESOURCES, Change, Input, ResourceSchema
from mgn_resources.schema import package as pkg
from mgn_resources.schema.outputs import (
    OBJECT_TYPES,
    OUTPUTS,
    SERVER_LAUNCH,
    SERVER_STATES,
    ListOf,
    output_names,
    outputs_of,
)

REPO = Path(__file__).resolve().parents[2]
REGENERATE = "python -m mgn_resources.schema.package"
METASCHEMA = REPO / "tests" / "fixtures" / "pulumi.json"
CLASSES: dict[str, type] = {"Cutover": Cutover, "TestLaunch": TestLaunch, "LaunchSettings": LaunchSettings}
# The Pulumi type of each table type, spelled out here rather than read from package.TYPE_SPECS.
PULUMI_TYPES: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "number": {"type": "number"},
    "int": {"type": "integer"},
    "bool": {"type": "boolean"},
    "list[str]": {"type": "array", "items": {"type": "string"}},
    "map": {"type": "object", "additionalProperties": {"type": "string"}},
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return pkg.package_schema()


def _type_of(spec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in spec.items() if k in ("type", "items", "additionalProperties", "$ref")}


# ---- the committed file ----


def test_the_committed_schema_is_the_generated_one() -> None:
    stale = pkg.outdated()
    assert stale == [], f"{pkg.SCHEMA_JSON} differs from the tables at {', '.join(stale)}: run `{REGENERATE}`"
    assert json.loads(pkg.SCHEMA_JSON.read_text(encoding="utf-8")) == pkg.package_schema()


def test_the_check_command_names_what_differs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "schema.json"
    document = json.loads(pkg.render())
    document["resources"]["mgn:index:Cutover"]["inputProperties"]["timeoutSeconds"]["default"] = 7200
    del document["types"]["mgn:index:PostLaunchAction"]
    stale.write_text(pkg.render(document))
    monkeypatch.setattr(pkg, "SCHEMA_JSON", stale)
    assert pkg.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert f"{stale} is out of date with the input schema" in err
    assert "resources/mgn:index:Cutover/inputProperties/timeoutSeconds/default" in err
    assert "types/mgn:index:PostLaunchAction (new)" in err
    assert f"run `{REGENERATE}`" in err

    stale.write_text(json.dumps(pkg.package_schema()))  # the same content, not the file's format
    assert pkg.outdated(stale) == ["its formatting (keys sorted, 2-space indent, trailing newline)"]
    assert pkg.outdated(tmp_path / "missing.json") == ["the file is missing"]


def test_the_command_writes_sorted_keys_two_space_indent_and_a_trailing_newline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "plugin" / "schema.json"
    monkeypatch.setattr(pkg, "SCHEMA_JSON", target)
    assert pkg.main([]) == 0
    text = target.read_text(encoding="utf-8")
    assert text == json.dumps(pkg.package_schema(), indent=2, sort_keys=True) + "\n"
    assert text.startswith('{\n  "config": {\n') and text.endswith("}\n") and not text.endswith("\n\n")
    assert pkg.main(["--check"]) == 0


def test_the_wheel_ships_the_schema() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "schema.json" in project["tool"]["setuptools"]["package-data"]["mgn_resources.plugin"]
    assert project["project"]["license"] == pkg.LICENSE
    assert (REPO / "mgn_resources" / "plugin" / "__init__.py").exists()


def test_the_package_module_imports_no_pulumi_and_no_engine() -> None:
    above = ("pulumi", "mgn_resources.engine", "mgn_resources.lifecycle", "mgn_resources.provider",
             "mgn_resources.resources")
    code = "import json, sys, mgn_resources.schema.package\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    loaded = json.loads(done.stdout)
    assert [m for m in loaded if m in above or m.startswith(tuple(f"{a}." for a in above))] == []
    assert "mgn_resources.schema.package" in loaded


# ---- the package ----


def test_the_package_names_its_resources_and_version(schema: dict[str, Any]) -> None:
    assert pkg.PACKAGE_NAME == schema["name"] == "mgn"
    assert pkg.TOKENS == {
        "Cutover": "mgn:index:Cutover",
        "TestLaunch": "mgn:index:TestLaunch",
        "LaunchSettings": "mgn:index:LaunchSettings",
    }
    assert set(schema["resources"]) == set(pkg.TOKENS.values())
    assert set(schema["types"]) == {"mgn:index:ServerLaunch", "mgn:index:PostLaunchAction"}
    assert schema["version"] == mgn_resources.__version__
    assert schema["displayName"]
    assert schema["language"] == {
        "python": {"packageName": pkg.PYTHON_PACKAGE_NAME, "pyproject": {"enabled": True}},
        "nodejs": {"packageName": "@mgn-cutover/mgn"},
        "go": {"importBasePath": "github.com/mgn-cutover/mgn-cutover/sdk/go/mgn"},
    }
    assert schema["meta"] == {"supportPack": True}


def test_the_provider_config_is_typed_like_aws(schema: dict[str, Any]) -> None:
    variables = schema["config"]["variables"]
    assert set(variables) == {"region", "profile", "roleArn", "endpointUrl", "accountId"}
    assert schema["provider"]["inputProperties"] == variables
    assert all(v["type"] == "string" and v["description"] for v in variables.values())
    assert variables["region"]["description"].startswith("The region where AWS operations will take place.")
    assert variables["profile"]["description"].startswith("The profile for API operations.")
    # A resource's connection input says it falls back on the provider's setting, and the setting names the input.
    for resource in schema["resources"].values():
        for name in ("region", "roleArn", "endpointUrl", "accountId"):
            assert f"Defaults to the provider's `{name}` (config `mgn:{name}`)." in (
                resource["inputProperties"][name]["description"]
            )
    for name in ("region", "roleArn", "endpointUrl", "accountId"):
        assert f"A resource's `{name}` input overrides it." in variables[name]["description"]
    # The rule of the input is the config's too, from the same row.
    assert "12 digits" in variables["accountId"]["description"]


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_every_input_row_is_an_input_property(schema: dict[str, Any], resource: ResourceSchema) -> None:
    spec = schema["resources"][pkg.TOKENS[resource.name]]
    inputs: dict[str, Any] = spec["inputProperties"]
    assert set(inputs) == {pkg.camel(name) for name in resource.names}
    assert spec["requiredInputs"] == [pkg.camel(name) for name in resource.required]
    for row in resource.inputs:
        prop = inputs[pkg.camel(row.name)]
        assert _type_of(prop) == PULUMI_TYPES[row.type.doc], row.name
        assert prop.get("replaceOnChanges", False) is (row.change is Change.REPLACE), row.name
        assert prop["description"].startswith(pkg.markdown(row.doc)), row.name
        if row.rule.text:
            assert pkg.markdown(row.rule.text) in prop["description"], row.name
        if row.has_default and not isinstance(row.default, dict):
            assert prop["default"] == row.default and type(prop["default"]) is type(row.default), row.name
        else:
            assert "default" not in prop, row.name  # a map default ({}) has no place in Pulumi's `default`
        if row.has_default:
            assert "Defaults to " in prop["description"], row.name


def test_replacing_inputs_and_defaults_as_the_table_says(schema: dict[str, Any]) -> None:
    cutover = schema["resources"]["mgn:index:Cutover"]
    replacing = sorted(n for n, p in cutover["inputProperties"].items() if p.get("replaceOnChanges"))
    assert replacing == ["accountId", "applicationIds", "endpointUrl", "region", "roleArn", "waveId"]
    assert cutover["requiredInputs"] == []  # sourceServerIds, applicationIds or waveId: check says which
    assert cutover["inputProperties"]["timeoutSeconds"]["default"] == 3600.0
    assert cutover["inputProperties"]["onDelete"]["default"] == "retain"
    assert cutover["inputProperties"]["tags"]["description"].endswith("Defaults to `{}`.")
    settings_spec = schema["resources"]["mgn:index:LaunchSettings"]
    assert settings_spec["inputProperties"]["sourceServerId"]["replaceOnChanges"] is True
    assert settings_spec["requiredInputs"] == ["sourceServerId"]


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_the_outputs_are_every_input_and_the_outputs_rows(schema: dict[str, Any], resource: ResourceSchema) -> None:
    spec = schema["resources"][pkg.TOKENS[resource.name]]
    rows = outputs_of(resource.name)
    properties: dict[str, Any] = spec["properties"]
    assert set(properties) == {pkg.camel(n) for n in (*resource.names, *(r.name for r in rows))}
    for row in resource.inputs:  # echoed as given, no default, replacing alike
        echoed = dict(spec["inputProperties"][pkg.camel(row.name)])
        echoed.pop("default", None)
        assert properties[pkg.camel(row.name)] == echoed, row.name
    for row in rows:
        prop = properties[pkg.camel(row.name)]
        expected = (
            {"type": "array", "items": {"$ref": f"#/types/mgn:index:{row.type.item.name}"}}
            if isinstance(row.type, ListOf)
            else PULUMI_TYPES[row.type.doc]
        )
        assert _type_of(prop) == expected, row.name
        assert prop["description"] == pkg.markdown(row.doc)
    # Always set: required, defaulted, or the input its alternatives resolve to (source_server_ids).
    always = [row for row in resource.inputs if row.required or row.has_default or row.alternatives]
    assert spec["required"] == [pkg.camel(r.name) for r in always] + [pkg.camel(r.name) for r in rows if r.always]
    assert "endTime" not in spec["required"] and "region" not in spec["required"]


def test_the_server_types_are_what_the_lifecycle_writes(schema: dict[str, Any]) -> None:
    action = PostLaunchAction(
        action_name="a", document_name="d", status=ActionStatus("SUCCESS"), must_succeed=True, failure_reason=""
    )
    launch = ServerLaunch(source_server_id="s-1", state=ServerState.LAUNCHED, instance_id="i-1",
                          post_launch_actions=(action,))
    written = server_outputs([launch])
    assert set(written) <= set(output_names("Cutover")) & set(output_names("TestLaunch"))
    server = written["servers"][0]
    types = schema["types"]
    assert set(types["mgn:index:ServerLaunch"]["properties"]) == {pkg.camel(k) for k in server}
    assert set(types["mgn:index:PostLaunchAction"]["properties"]) == {
        pkg.camel(k) for k in server["post_launch_actions"][0]
    }
    for kind in OBJECT_TYPES:
        spec = types[f"mgn:index:{kind.name}"]
        assert spec["type"] == "object" and spec["required"] == [pkg.camel(n) for n in kind.names]
    assert set(SERVER_STATES) == {s.value for s in ServerState}
    assert types["mgn:index:ServerLaunch"]["properties"]["postLaunchActions"]["items"] == {
        "$ref": "#/types/mgn:index:PostLaunchAction"
    }
    assert {f.name for f in SERVER_LAUNCH.fields} == set(server)


# ---- names ----


def test_camel_and_snake_round_trip_every_name() -> None:
    names = pkg.all_names()
    assert set(names) >= {row.name for row in INPUTS} | {row.name for row in OUTPUTS} | {"profile"}
    for name in names:
        assert pkg.snake(pkg.camel(name)) == name, name
        assert re.fullmatch(r"[a-z][a-zA-Z0-9]*", pkg.camel(name)), name
    assert pkg.camel("source_server_ids") == "sourceServerIds"
    assert pkg.snake("sourceServerIds") == "source_server_ids"
    assert pkg.camel("byol") == "byol" == pkg.snake("byol")


def test_every_property_name_in_the_schema_is_a_table_name_in_camel_case(schema: dict[str, Any]) -> None:
    names = set(pkg.all_names())
    keys = [k for r in schema["resources"].values() for k in (*r["inputProperties"], *r["properties"])]
    keys += [k for t in schema["types"].values() for k in t["properties"]] + list(schema["config"]["variables"])
    assert sorted({k for k in keys if pkg.snake(k) not in names or pkg.camel(pkg.snake(k)) != k}) == []


def test_descriptions_spell_property_names_in_camel_case(schema: dict[str, Any]) -> None:
    text = json.dumps(schema)
    snake_names = {n for n in pkg.all_names() if "_" in n}
    found = sorted({w for w in re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", text) if w in snake_names})
    assert found == []
    assert "removing one applies `onDelete` to it alone" in text
    assert pkg.camel("a_b") == "aB" and pkg.markdown("the `on_delete=restore` of `LaunchSettings.effective_region`") \
        == "The `onDelete=restore` of `LaunchSettings.effectiveRegion`."


def test_a_name_that_does_not_round_trip_is_refused() -> None:
    with pytest.raises(ValueError, match="ipv4_2"):
        pkg._check_names(["ipv4_2", "subnet_id"])


# ---- the outputs rows and the resource classes ----


def _attribute_docs(path: Path, class_name: str) -> dict[str, str]:
    """The docstrings under the annotated attributes of ``class_name`` in ``path``, whitespace folded, as Markdown."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name).body
    docs: dict[str, str] = {}
    for node, after in zip(body, body[1:]):
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str)):
            docs[node.target.id] = " ".join(after.value.value.split()).replace("``", "`")
    return docs


def _typed_outputs(cls: type, resource: ResourceSchema) -> dict[str, Any]:
    """The class's ``pulumi.Output[...]`` attributes that are not inputs: name -> what the Output holds."""
    hints: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        if klass.__module__.startswith("mgn_resources.resources."):
            namespace = vars(sys.modules[klass.__module__])
            for name, hint in vars(klass).get("__annotations__", {}).items():
                hints[name] = eval(hint, namespace) if isinstance(hint, str) else hint
    return {n: get_args(h)[0] for n, h in hints.items() if get_origin(h) is pulumi.Output and n not in resource.names}


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_the_outputs_rows_are_the_typed_attributes(resource: ResourceSchema) -> None:
    cls = CLASSES[resource.name]
    typed = _typed_outputs(cls, resource)
    rows = outputs_of(resource.name)
    assert set(typed) == {row.name for row in rows}
    for row in rows:
        hint = row.type.output_hint + ("" if row.always else " | None")
        assert typed[row.name] == eval(hint, {"Any": Any}), row.name  # the table's own annotation
    resources = REPO / "mgn_resources" / "resources"
    if resource.name == "LaunchSettings":
        docs = _attribute_docs(resources / "settings.py", "LaunchSettings")
    else:
        docs = _attribute_docs(resources / "_launch.py", "LaunchResource")
        module = "cutover.py" if resource.name == "Cutover" else "test_launch.py"
        docs |= _attribute_docs(resources / module, resource.name)
    assert {row.name: row.doc for row in rows} == {name: docs[name] for name in typed}


def test_the_resources_take_their_output_names_from_the_rows() -> None:
    assert _launch.COMMON_OUTPUTS == tuple(n for n in output_names("Cutover") if n in output_names("TestLaunch"))
    assert settings.OUTPUTS == output_names("LaunchSettings")


@pytest.mark.parametrize("name", list(CLASSES))
def test_the_resource_descriptions_are_the_class_docstrings(schema: dict[str, Any], name: str) -> None:
    docstring = " ".join((CLASSES[name].__doc__ or "").split()).replace("``", "`")
    assert pkg.RESOURCE_DOCS[name] == docstring
    assert schema["resources"][pkg.TOKENS[name]]["description"] == pkg.markdown(docstring)


# ---- Pulumi's rules ----


def _references(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [r for v in node.values() for r in _references(v)]
    if isinstance(node, list):
        return [r for v in node for r in _references(v)]
    return []


def test_every_reference_and_required_name_resolves(schema: dict[str, Any]) -> None:
    refs = _references(schema)
    assert refs and all(r.removeprefix("#/types/") in schema["types"] for r in refs), refs
    for token, spec in schema["resources"].items():
        assert set(spec["requiredInputs"]) <= set(spec["inputProperties"]), token
        assert set(spec["required"]) <= set(spec["properties"]), token
    for token, spec in schema["types"].items():
        assert set(spec["required"]) <= set(spec["properties"]), token


def _python_patterns(node: Any) -> Any:
    """The meta-schema with its ECMAScript named groups (``(?<major>``) as Python's (``(?P<major>``)."""
    if isinstance(node, dict):
        return {
            k: re.sub(r"\(\?<(?=[A-Za-z])", "(?P<", v) if k == "pattern" and isinstance(v, str) else _python_patterns(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_python_patterns(v) for v in node]
    return node


def test_the_schema_is_valid_against_pulumis_metaschema(schema: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema comes with moto[server] (requirements-local)")
    meta = _python_patterns(json.loads(METASCHEMA.read_text(encoding="utf-8")))
    assert meta["title"] == "Pulumi Package Metaschema"
    validator_class = jsonschema.validators.validator_for(meta)
    validator_class.check_schema(meta)
    validator = validator_class(meta, format_checker=validator_class.FORMAT_CHECKER)
    errors = [f"{e.json_path}: {e.message[:200]}" for e in validator.iter_errors(schema)]
    assert errors == []
    # The validator is live: a map default (what the tags row has) and a bad version are refused.
    broken = json.loads(json.dumps(schema))
    broken["resources"]["mgn:index:Cutover"]["inputProperties"]["tags"]["default"] = {}
    broken["version"] = "0.1"
    assert {e.json_path for e in validator.iter_errors(broken)} == {
        "$.resources['mgn:index:Cutover'].inputProperties.tags.default",
        "$.version",
    }


def test_input_rows_read_by_the_schema_are_the_tables(schema: dict[str, Any]) -> None:
    """No property of the schema is written by hand: each comes from a row (input, output or config)."""
    rows: list[Input] = [row for resource in RESOURCES for row in resource.inputs]
    assert sum(len(r["inputProperties"]) for r in schema["resources"].values()) == len(rows)
    assert sum(len(r["properties"]) for r in schema["resources"].values()) == len(rows) + sum(
        len(outputs_of(r.name)) for r in RESOURCES
    )
