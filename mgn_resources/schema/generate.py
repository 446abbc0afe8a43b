"""Generate what Python and the README need spelled out from the input schema.

``python -m mgn_resources.schema.generate`` rewrites ``mgn_resources/resources/_generated.py`` (the Args classes,
their TypedDicts and the typed outputs that echo the inputs) and the README's input tables (between the
``<!-- BEGIN GENERATED: inputs of ... -->`` markers). ``--check`` changes nothing and exits 1 if either is out of date.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .inputs import INPUTS, RESOURCES
from .model import Input, ResourceSchema

PACKAGE = Path(__file__).resolve().parents[1]
GENERATED = PACKAGE / "resources" / "_generated.py"
README = PACKAGE.parent / "README.md"
COMMAND = "python -m mgn_resources.schema.generate"
WIDTH = 116
README_TABLE = re.compile(
    r"(?P<begin><!-- BEGIN GENERATED: inputs of (?P<names>[\w, ]+) \([^)]*\) -->\n)"
    r"(?P<body>.*?)"
    r"(?P<end><!-- END GENERATED: inputs -->)",
    re.DOTALL,
)


# ---- the Python module ----


def _doc_text(text: str) -> str:
    """Markdown `code` as reStructuredText ``code``, first letter capitalized, ending with a period."""
    text = re.sub(r"`([^`]+)`", r"``\1``", text.strip())
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return f"`{value}`"
    if value == {}:
        return "`{}`"
    return str(value)


def default_text(row: Input) -> str:
    """The default as the docs write it: required, a value, what unset means, or nothing."""
    if row.required:
        return "required"
    if row.alternatives:
        return f"required, unless {' or '.join(f'`{a}`' for a in row.alternatives)}"
    if row.has_default:
        return _value(row.default)
    return row.unset


def property_doc(row: Input) -> str:
    parts = [_doc_text(row.doc)]
    if row.rule.text:
        parts.append(_doc_text(row.rule.text))
    default = default_text(row)
    if row.required:
        parts.append("Required.")
    elif row.alternatives:
        parts.append(f"Required, unless {' or '.join(f'``{a}``' for a in row.alternatives)} is set.")
    elif default:
        parts.append(_doc_text(f"defaults to {default}"))
    return " ".join(parts)


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH - len(indent), break_on_hyphens=False, break_long_words=False)


def _hint(row: Input) -> str:
    return row.type.input_hint if row.required else f"{row.type.input_hint} | None"


def _typed_dict(resource: ResourceSchema) -> list[str]:
    doc = f"The keyword arguments of `{resource.name}` and `{resource.name}Args`, documented on the Args properties."
    lines = [f"class {resource.name}Inputs(TypedDict, total=False):", f'    """{doc}"""', ""]
    for row in resource.inputs:
        hint = f"Required[{row.type.input_hint}]" if row.required else f"{row.type.input_hint} | None"
        lines.append(f"    {row.name}: {hint}")
    return lines


def _names(owners: Iterable[str]) -> str:
    quoted = [f"`{o}`" for o in owners]
    return " and ".join([", ".join(quoted[:-1]), quoted[-1]]) if len(quoted) > 1 else quoted[0]


def _properties(resource: ResourceSchema) -> list[str]:
    lines: list[str] = []
    for row in resource.inputs:
        hint = _hint(row)
        lines += [
            "",
            "    @property",
            "    @pulumi.getter",
            f"    def {row.name}(self) -> {hint}:",
            '        """',
            *(f"        {line}" for line in _wrap(property_doc(row), "        ")),
            '        """',
            f'        return pulumi.get(self, "{row.name}")',
            "",
            f"    @{row.name}.setter",
            f"    def {row.name}(self, value: {hint}) -> None:",
            f'        pulumi.set(self, "{row.name}", value)',
        ]
    return lines


def _resource_args(resource: ResourceSchema) -> list[str]:
    name = resource.name
    lines = ["@pulumi.input_type", f"class {name}Args:"]
    if name.startswith("Test"):
        lines += ["    __test__ = False  # not a pytest test class", ""]
    lines += [
        f"    def __init__(__self__, **inputs: Unpack[{name}Inputs]) -> None:",
        '        """',
        f"        The arguments of a {name} resource.",
        "",
    ]
    hanging = " " * 15  # a continued :param: line lines up under its text
    for row in resource.inputs:
        first, *rest = _wrap(f":param {row.name}: {property_doc(row)}", "        ")
        lines += [f"        {first}", *(f"{hanging}{w}" for w in _wrap(" ".join(rest), hanging))]
    lines += ['        """', f'        set_inputs(__self__, "{name}", inputs)']
    return lines + _properties(resource)


def _outputs(resource: ResourceSchema) -> list[str]:
    lines = [
        f"class {resource.name}InputOutputs:",
        f'    """The inputs of `{resource.name}` as outputs (echoed, with the defaults applied)."""',
        "",
    ]
    for row in resource.inputs:
        optional = "" if row.required or row.has_default or row.alternatives else " | None"
        lines.append(f"    {row.name}: pulumi.Output[{row.type.output_hint}{optional}]")
    return lines


def render_module(resources: Sequence[ResourceSchema] = RESOURCES) -> str:
    exported = sorted(f"{r.name}{suffix}" for r in resources for suffix in ("Args", "InputOutputs", "Inputs"))
    blocks: list[list[str]] = [
        [
            f"# GENERATED by `{COMMAND}` from the input schema (mgn_resources/schema/inputs.py).",
            "# Do not edit: change the schema and run the command again; a test fails while this file is out of date.",
            f'"""The Args classes of {_names(r.name for r in resources)}, their keyword-argument TypedDicts and the',
            'typed outputs that echo their inputs."""',
            "",
            "from collections.abc import Mapping, Sequence",
            "from typing import Required, TypedDict, Unpack",
            "",
            "import pulumi",
            "",
            "from ._args import set_inputs",
            "",
            "__all__ = [",
            *(f'    "{name}",' for name in exported),
            "]",
        ],
        *(_typed_dict(r) for r in resources),
        *(_resource_args(r) for r in resources),
        *(_outputs(r) for r in resources),
    ]
    uses_mapping = any("Mapping[" in line for block in blocks[1:] for line in block)
    text = "\n\n\n".join("\n".join(block) for block in blocks) + "\n"
    if not uses_mapping:
        text = text.replace("from collections.abc import Mapping, Sequence", "from collections.abc import Sequence")
    return text


# ---- the README ----


def readme_notes(row: Input, names: Sequence[str]) -> str:
    taken = [n for n in names if n in row.resources]
    notes = row.doc
    if row.rule.text:
        notes += f"; {row.rule.text}"
    if len(taken) < len(names):
        notes = f"{' and '.join(f'`{n}`' for n in taken)} only: {notes}"
    return notes


def render_table(names: Sequence[str], resources: Sequence[ResourceSchema] = RESOURCES) -> str:
    by_name = {r.name: r for r in resources}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise SystemExit(f"README asks for the inputs of {', '.join(missing)}, which the schema does not describe")
    taken = [row for name in names for row in by_name[name].inputs]
    lines = ["| input | type | default | a change | notes |", "|---|---|---|---|---|"]
    for row in INPUTS:
        if row in taken:
            cells = (f"`{row.name}`", row.type.doc, default_text(row), row.change.value, readme_notes(row, names))
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render_readme(text: str, resources: Sequence[ResourceSchema] = RESOURCES) -> str:
    def table(match: re.Match[str]) -> str:
        names = [n.strip() for n in match["names"].split(",")]
        return match["begin"] + render_table(names, resources) + match["end"]

    return README_TABLE.sub(table, text)


# ---- the command ----


def outdated() -> list[Path]:
    """The generated files whose text differs from what the schema generates now."""
    stale = []
    if not GENERATED.exists() or GENERATED.read_text(encoding="utf-8") != render_module():
        stale.append(GENERATED)
    readme = README.read_text(encoding="utf-8")
    if not README_TABLE.search(readme) or render_readme(readme) != readme:
        stale.append(README)
    return stale


def _write(path: Path, text: str) -> None:
    """Atomically: a reader never sees half a file."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a generated file is stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = outdated()
        for path in stale:
            print(f"{path} is out of date with the input schema: run `{COMMAND}`", file=sys.stderr)
        return 1 if stale else 0
    _write(GENERATED, render_module())
    _write(README, render_readme(README.read_text(encoding="utf-8")))
    print(f"wrote {GENERATED} and the input tables of {README}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
