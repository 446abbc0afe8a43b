"""The Pulumi package schema of the provider plugin (issue 20), generated from the input and outputs tables.

``python -m mgn_resources.schema.package`` writes ``mgn_resources/plugin/schema.json``: the package ``mgn``, its
resources ``mgn:index:Cutover``, ``mgn:index:TestLaunch`` and ``mgn:index:LaunchSettings`` (inputs from
``inputs.INPUTS``: types, descriptions, defaults, required and replacing inputs; outputs from
``outputs.OUTPUTS``), their object types and the provider's configuration. ``--check`` changes nothing and exits 1
naming what differs.
Property names are camelCase on the wire (``source_server_ids`` is ``sourceServerIds``): ``camel`` and ``snake``
convert, and every name survives the round trip (checked as the schema is built).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .. import __version__
from .generate import default_text
from .inputs import CONNECTED, INPUTS, RESOURCES
from .model import Change, Input, ResourceSchema
from .outputs import INTEGER, OBJECT_TYPES, OUTPUTS, FieldType, ListOf, ObjectType, Output, outputs_of
from .types import BOOLEAN, NUMBER, STRING, STRING_LIST, STRING_MAP, InputType

PACKAGE_NAME = "mgn"
MODULE = "index"
DISPLAY_NAME = "AWS MGN Cutover"
DESCRIPTION = (
    "Run AWS Application Migration Service (MGN) test launches and cutovers, and set each source server's launch "
    "settings, as Pulumi resources that wait for MGN's jobs."
)
LICENSE = "Apache-2.0"  # as pyproject.toml's
KEYWORDS = ("pulumi", "aws", "mgn", "migration", "category/cloud")
# The language sections: only what the SDK generators (make sdk) need to name the packages they write. The Go SDK is
# the module github.com/mgn-cutover/mgn-cutover/sdk/go of this repository (sdk/go/go.mod).
PYTHON_PACKAGE_NAME = "pulumi_mgn"
NODEJS_PACKAGE_NAME = "@mgn-cutover/mgn"
GO_IMPORT_BASE_PATH = "github.com/mgn-cutover/mgn-cutover/sdk/go/mgn"

SCHEMA_JSON = Path(__file__).resolve().parents[1] / "plugin" / "schema.json"
COMMAND = "python -m mgn_resources.schema.package"

# The Markdown descriptions of the resources: the resource classes' docstrings (a test keeps them equal).
RESOURCE_DOCS: dict[str, str] = {
    "Cutover": "An MGN cutover: starts a cutover job for the source servers, waits for it (and, by default, for the "
    "post-launch actions), and reports the job and the launched EC2 instances. The resource ID is the job ID.",
    "TestLaunch": "An MGN test launch: starts a test job for the source servers, waits for it (and, by default, for "
    "the post-launch actions), and reports the job and the launched test instances. The resource ID is the job ID.",
    "LaunchSettings": "One source server's launch settings: UpdateLaunchConfiguration for the MGN settings and, for "
    "the EC2 settings, a new version of the server's launch template (based on its default), made the default. The "
    "resource ID is the source server ID. Make launches depend on it (`depends_on`) so they use these settings.",
}


@dataclass(frozen=True, kw_only=True)
class ConfigVariable:
    """One provider configuration variable (``mgn:<camelName>``): a string, described as pulumi-aws's ``aws:*``."""

    name: str
    lead: str  # the ``aws:*``-like sentence
    unset: str = ""  # what an unset variable means (Markdown)

    @property
    def row(self) -> Input | None:
        """The connection input of the same name, which overrides it on a resource and whose rule it follows."""
        return next((r for r in INPUTS if r.name == self.name and set(CONNECTED) <= set(r.resources)), None)


CONFIG: tuple[ConfigVariable, ...] = (
    ConfigVariable(
        name="region",
        lead="The region where AWS operations will take place. Examples are us-east-1, us-west-2, etc.",
        unset="`AWS_REGION` or `AWS_DEFAULT_REGION`",
    ),
    ConfigVariable(
        name="profile",
        lead="The profile for API operations.",
        unset="`AWS_PROFILE`, else the default profile created with `aws configure`",
    ),
    ConfigVariable(
        name="role_arn",
        lead="Amazon Resource Name (ARN) of an IAM role to assume for every MGN call.",
        unset="the deploying identity itself",
    ),
    ConfigVariable(
        name="endpoint_url",
        lead="Use this to override the default MGN service endpoint URL: an emulator or a VPC endpoint "
        "(`LaunchSettings` and the healthy-instance wait send their EC2 calls there too).",
        unset="`AWS_ENDPOINT_URL_MGN`, `AWS_ENDPOINT_URL` or the profile's endpoint",
    ),
    ConfigVariable(
        name="account_id",
        lead="MGN multi-account management: the AWS account ID that owns the source servers.",
        unset="the deploying identity's account",
    ),
)
CONFIG_NAMES = frozenset(c.name for c in CONFIG)

# The Pulumi type of each scalar and collection type of the tables.
TYPE_SPECS: dict[InputType, dict[str, Any]] = {
    STRING: {"type": "string"},
    NUMBER: {"type": "number"},
    INTEGER: {"type": "integer"},
    BOOLEAN: {"type": "boolean"},
    STRING_LIST: {"type": "array", "items": {"type": "string"}},
    STRING_MAP: {"type": "object", "additionalProperties": {"type": "string"}},
}


def token(name: str) -> str:
    """The type token of a resource or object type of the package: ``mgn:index:<name>``."""
    return f"{PACKAGE_NAME}:{MODULE}:{name}"


TOKENS: dict[str, str] = {resource.name: token(resource.name) for resource in RESOURCES}
TYPE_TOKENS: dict[str, str] = {t.name: token(t.name) for t in OBJECT_TYPES}


# ---- names ----


def camel(name: str) -> str:
    """A snake_case name as the package schema spells it: ``source_server_ids`` -> ``sourceServerIds``."""
    first, *rest = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def snake(name: str) -> str:
    """A camelCase property name as the tables spell it: ``sourceServerIds`` -> ``source_server_ids``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@cache
def all_names() -> tuple[str, ...]:
    """Every property name the package schema spells: inputs, outputs, object type fields and config."""
    names = [row.name for row in INPUTS] + [row.name for row in OUTPUTS]
    names += [f.name for t in OBJECT_TYPES for f in t.fields] + [c.name for c in CONFIG]
    return tuple(dict.fromkeys(names))


def _check_names(names: Iterable[str]) -> None:
    broken = [n for n in names if snake(camel(n)) != n]
    if broken:
        raise ValueError(f"names that do not survive camel and back (rename them): {', '.join(broken)}")


# ---- descriptions ----

_SNAKE_WORD = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def markdown(text: str, names: frozenset[str] | None = None) -> str:
    """``text`` as one Markdown sentence or more: capitalized, ending with a period, and each property name (a
    snake_case word the tables name) spelled camelCase, as the schema's consumers know it (``onDelete``)."""
    known = frozenset(all_names()) if names is None else names
    text = _SNAKE_WORD.sub(lambda word: camel(word[0]) if word[0] in known else word[0], text.strip())
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def input_description(row: Input) -> str:
    """The input's doc, its rule and its default (an unset connection input: the provider's configuration)."""
    parts = [row.doc]
    if row.rule.text:
        parts.append(row.rule.text)
    if row.name in CONFIG_NAMES:
        parts.append(f"defaults to the provider's `{row.name}` (config `{PACKAGE_NAME}:{camel(row.name)}`)")
    elif row.has_default or row.unset:
        parts.append(f"defaults to {default_text(row)}")
    return " ".join(markdown(p) for p in parts)


def config_description(variable: ConfigVariable) -> str:
    parts = [variable.lead]
    row = variable.row
    if row is not None and row.rule.text:
        parts.append(row.rule.text)
    if row is not None:
        parts.append(f"a resource's `{row.name}` input overrides it")
    if variable.unset:
        parts.append(f"unset: {variable.unset}")
    return " ".join(markdown(p) for p in parts)


# ---- the schema ----


def type_spec(kind: FieldType) -> dict[str, Any]:
    """The Pulumi type of a table type: a primitive, an array, a map of strings or an array of an object type."""
    if isinstance(kind, ListOf):
        return {"type": "array", "items": {"$ref": f"#/types/{token(kind.item.name)}"}}
    if kind not in TYPE_SPECS:
        raise ValueError(f"the package schema has no Pulumi type for {kind}: add it to TYPE_SPECS")
    return json.loads(json.dumps(TYPE_SPECS[kind]))  # a copy: the caller adds to it


def _input_property(row: Input, *, as_input: bool) -> dict[str, Any]:
    spec = type_spec(row.type) | {"description": input_description(row)}
    # A default the schema can carry (a scalar): the SDKs fill it in, as check does.
    if as_input and row.has_default and isinstance(row.default, bool | int | float | str):
        spec["default"] = row.default
    if row.change is Change.REPLACE:
        spec["replaceOnChanges"] = True
    return spec


def _output_property(row: Output) -> dict[str, Any]:
    return type_spec(row.type) | {"description": markdown(row.doc)}


def object_type(kind: ObjectType) -> dict[str, Any]:
    return {
        "type": "object",
        "description": markdown(kind.doc),
        "properties": {camel(f.name): type_spec(f.type) | {"description": markdown(f.doc)} for f in kind.fields},
        "required": [camel(f.name) for f in kind.fields],
    }


def resource_spec(resource: ResourceSchema) -> dict[str, Any]:
    """A resource: its inputs, and as its outputs every input (echoed, defaults applied) and its own outputs."""
    outputs = outputs_of(resource.name)
    clash = set(resource.names) & {row.name for row in outputs}
    if clash:
        raise ValueError(f"{resource.name}: outputs named like inputs: {', '.join(sorted(clash))}")
    echoed = {camel(row.name): _input_property(row, as_input=False) for row in resource.inputs}
    return {
        "description": markdown(RESOURCE_DOCS[resource.name]),
        "inputProperties": {camel(row.name): _input_property(row, as_input=True) for row in resource.inputs},
        "requiredInputs": [camel(name) for name in resource.required],
        "properties": echoed | {camel(row.name): _output_property(row) for row in outputs},
        # Always set: the required inputs, the defaulted ones (check fills them in), the one others resolve to
        # (source_server_ids) and each output a create sets.
        "required": [camel(row.name) for row in resource.inputs if row.required or row.has_default or row.alternatives]
        + [camel(row.name) for row in outputs if row.always],
    }


def _config_variables() -> dict[str, Any]:
    return {camel(c.name): {"type": "string", "description": config_description(c)} for c in CONFIG}


def package_schema() -> dict[str, Any]:
    """The package schema, as ``mgn_resources/plugin/schema.json`` holds it."""
    _check_names(all_names())
    return {
        "name": PACKAGE_NAME,
        "displayName": DISPLAY_NAME,
        "description": DESCRIPTION,
        "version": __version__,
        "license": LICENSE,
        "keywords": list(KEYWORDS),
        "config": {"variables": _config_variables()},
        "provider": {
            "description": f"The provider type for the {PACKAGE_NAME} package. A resource's own connection inputs "
            "override its settings.",
            "inputProperties": _config_variables(),
        },
        "resources": {TOKENS[r.name]: resource_spec(r) for r in RESOURCES},
        "types": {TYPE_TOKENS[t.name]: object_type(t) for t in OBJECT_TYPES},
        # supportPack: each SDK carries the schema's version (package.json, pyproject.toml, pulumi-plugin.json) and
        # the Go SDK its own go.mod, as `pulumi package gen-sdk` writes them for a package of today.
        "meta": {"supportPack": True},
        "language": {
            "python": {"packageName": PYTHON_PACKAGE_NAME, "pyproject": {"enabled": True}},
            "nodejs": {"packageName": NODEJS_PACKAGE_NAME},
            "go": {"importBasePath": GO_IMPORT_BASE_PATH},
        },
    }


def render(schema: Mapping[str, Any] | None = None) -> str:
    """The schema as the file holds it: sorted keys, 2-space indent, a trailing newline."""
    return json.dumps(package_schema() if schema is None else schema, indent=2, sort_keys=True) + "\n"


# ---- the command ----


def differences(old: Any, new: Any, path: str = "") -> list[str]:
    """The JSON paths (``resources/mgn:index:Cutover/...``) where ``old`` and ``new`` differ."""
    if isinstance(old, dict) and isinstance(new, dict):
        found: list[str] = []
        for key in sorted(set(old) | set(new)):
            where = f"{path}/{key}" if path else key
            if key not in old:
                found.append(f"{where} (new)")
            elif key not in new:
                found.append(f"{where} (gone)")
            else:
                found += differences(old[key], new[key], where)
        return found
    return [] if old == new else [path or "(the whole document)"]


def outdated(path: Path | None = None) -> list[str]:
    """What differs between ``path`` (default: the committed schema.json) and the schema generated now."""
    path = SCHEMA_JSON if path is None else path
    if not path.exists():
        return ["the file is missing"]
    text = path.read_text(encoding="utf-8")
    expected = render()
    if text == expected:
        return []
    try:
        found = differences(json.loads(text), json.loads(expected))
    except ValueError:
        return ["the file is not JSON"]
    return found or ["its formatting (keys sorted, 2-space indent, trailing newline)"]


def write(path: Path | None = None) -> Path:
    """Write the schema, atomically: a reader never sees half a file."""
    path = SCHEMA_JSON if path is None else path
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(render(), encoding="utf-8")
    temporary.replace(path)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if schema.json is stale")
    args = parser.parse_args(argv)
    if args.check:
        found = outdated()
        if found:
            shown = ", ".join(found[:10]) + (f" and {len(found) - 10} more" if len(found) > 10 else "")
            print(f"{SCHEMA_JSON} is out of date with the input schema ({shown}): run `{COMMAND}`", file=sys.stderr)
        return 1 if found else 0
    print(f"wrote {write()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
