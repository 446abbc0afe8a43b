"""The README's lists are the code's: troubleshooting messages, emulator flags, program exports, public names.

Each message quoted in the troubleshooting table's first column must be one the code can produce. The README
writes values as placeholders (``s-...``, ``mgnjob-...``, ``<reason>``, ``N``, ``...``); what is left, the
literal text, must be spelled out by the string literals of ``mgn_resources`` (not the emulator's), in whole
words: each stretch of it is a run of at least ``MIN_RUN`` characters of one literal, or one whole literal
(say the ``" is "`` between two values of an f-string, or a state name), or, next to a placeholder, the end or
start of an f-string part (where the code puts its value too), if that is the whole fragment or the whole part
(a part's start is not spliced to another literal: "{id} still" of "{id} still not listed" makes no "still
STARTED"). Rows added later are checked the same way.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

import mgn_resources
from mgn_emulator.__main__ import build_parser
from mgn_resources.aws import ActionStatus, JobStatus, LaunchStatus, LifeCycleState

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
PACKAGE = REPO / "mgn_resources"
MIN_RUN = 8
# How the README writes a value: IDs, <names>, "...", N / n / m counts, and " / " between alternatives.
WORD = re.compile(r"\w+")
PLACEHOLDER = re.compile(r"\b(?:s|mgnjob|i)-\.\.\.|\.\.\.|<[^<>]+>|\b[Nnm]\b| / ")


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def troubleshooting_messages() -> list[str]:
    messages = []
    for line in section("Troubleshooting by error message").splitlines():
        cells = line.split(" | ")
        if line.startswith("| `") and len(cells) >= 2:
            messages.extend(re.findall(r"`([^`]+)`", cells[0]))
    return messages


@dataclass(frozen=True)
class Literals:
    corpus: str  # every literal, joined
    whole: frozenset[str]  # each literal, stripped
    before_value: frozenset[str]  # f-string parts a value follows, stripped
    after_value: frozenset[str]  # f-string parts that follow a value, stripped
    words: frozenset[str]  # every word of every literal


@cache
def code_literals() -> Literals:
    """The package's string literals outside docstrings, backticks dropped (a README code span has none)."""
    literals: set[str] = set()
    before: set[str] = set()
    after: set[str] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                literals.add(node.value.replace("`", ""))
            if isinstance(node, ast.JoinedStr):
                parts = node.values
                for i, part in enumerate(parts):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        text = part.value.replace("`", "").strip()
                        if i + 1 < len(parts) and isinstance(parts[i + 1], ast.FormattedValue):
                            before.add(text)
                        if i > 0 and isinstance(parts[i - 1], ast.FormattedValue):
                            after.add(text)
    # The adapter's enums are botocore's model values: the code spells them through the model, not as literals.
    literals.update(member.value for enum in (ActionStatus, JobStatus, LaunchStatus, LifeCycleState) for member in enum)
    whole = frozenset(s.strip() for s in literals if s.strip())
    corpus = "\x00".join(sorted(literals))
    return Literals(corpus, whole, frozenset(before), frozenset(after), frozenset(WORD.findall(corpus)))


def spelled_by_code(message: str) -> bool:
    fragments = PLACEHOLDER.split(message)
    last = len(fragments) - 1
    return all(_covered(fragment, after_value=i > 0, before_value=i < last) for i, fragment in enumerate(fragments))


def _covered(fragment: str, *, after_value: bool, before_value: bool) -> bool:
    code = code_literals()
    reached = [False] * (len(fragment) + 1)
    reached[0] = True
    for start in range(len(fragment)):
        if not reached[start]:
            continue
        if fragment[start].isspace():
            reached[start + 1] = True
        for end in range(start + 1, len(fragment) + 1):
            run = fragment[start:end]
            if run not in code.corpus:
                break  # a longer run is not in it either
            short = run.strip()
            if not set(WORD.findall(run)) <= code.words:
                continue  # a word cut short ("final" of "finalized") is not the code's word
            if (
                end - start >= MIN_RUN
                or short in code.whole
                or (short and before_value and end == len(fragment) and _ends_one(short, code.before_value)
                    and (start == 0 or short in code.before_value))
                or (short and after_value and start == 0 and _starts_one(short, code.after_value)
                    and (end == len(fragment) or short in code.after_value))
            ):
                reached[end] = True
    return reached[-1]


def _ends_one(run: str, parts: frozenset[str]) -> bool:
    return any(part.endswith(run) for part in parts)


def _starts_one(run: str, parts: frozenset[str]) -> bool:
    return any(part.startswith(run) for part in parts)


# The table's messages when this test was written: a row lost (or a parser that stops reading rows) fails here;
# rows added later pass, and the test below checks their messages like these.
KNOWN_MESSAGES = frozenset({
    "MGN in <region> does not know s-...",
    "s-... is NOT_READY (replication has not finished ...)",
    "s-... is STOPPED / DISCONNECTED / PENDING_INSTALLATION",
    "s-... is archived",
    "... completed with n of m servers FAILED: s-... (<reason>)",
    "... must-succeed post-launch actions failed: s-...: <action> (<reason>)",
    "... did not finish within N s; still pending: ...; the next pulumi up adopts it",
    "... never started: MGN refused StartCutover: the account is at its quota of ... concurrent jobs ... Still no free "
    "MGN job slot after timeout_seconds=...",
    "MGN denied <Op>: the credentials lack mgn:<Op>",
    "MGN is not initialized in this region",
    "No AWS region is set for MGN",
    "... is not a region where MGN is served according to botocore's data (did you mean ...?)",
    "MGN <Op>: http://... could not be reached: the connection was refused",
    "MGN <Op>: https://... could not be reached: the host name ... does not resolve",
    "MGN <Op>: ... could not be reached: MGN is not served in region ...",
    "MGN <Op>: the TLS handshake with https://... failed",
    "Could not assume role arn:... through STS at ... (...)",
    "MGN <Op> answered status='...' for job mgnjob-..., a value this version of mgn-cutover does not know",
    "region: mgnjob-... was launched with region '...', but AWS_REGION is '...' in this environment",
    "endpoint_url: mgnjob-... was launched with endpoint_url ..., "
    "but AWS_ENDPOINT_URL_MGN is '...' in this environment",
    "endpoint_url: the URL carries user info (user:password@)",
    "the URL does not parse",
    "the URL contains whitespace or control characters",
    "the URL's port must be from 1 to 65535",
    "role_arn: '...' names partition '...', which botocore does not know",
    "on_delete: 'revert' cannot undo a finalized cutover (finalize is true)",
    "timeout_seconds: ...: must be a number of seconds greater than 0 and at most N",
    "MGN <Op> answered ... even after retries; this is usually temporary",
    "Polling job mgnjob-... failed (...); still waiting",
    "could not find the dynamic provider host's 4-worker gRPC pool",
    "Cannot revert s-...: the cutover of job mgnjob-... is finalized",
    "s-...'s data replication is ..., not CONTINUOUS",
    "s-...'s replication lag is N s, over max_replication_lag_seconds=N",
    "Instance i-... (source server s-...) is stopped, not running",
    "Instance i-... (source server s-...) failed its EC2 system status check (impaired)",
    "Instance i-... (source server s-...) has its EC2 ... status check at ..., not ok after timeout_seconds=N",
    "The default version of launch template ... (source server s-...) is N, not N as set by this LaunchSettings",
})


def test_the_troubleshooting_table_is_read_row_by_row() -> None:
    rows = [line for line in section("Troubleshooting by error message").splitlines() if line.startswith("|")][2:]
    per_row = [re.findall(r"`([^`]+)`", row.split(" | ")[0]) for row in rows]
    assert all(per_row), [row for row, found in zip(rows, per_row) if not found]  # each row quotes a message
    messages = troubleshooting_messages()
    assert messages == [message for found in per_row for message in found]
    assert KNOWN_MESSAGES <= set(messages), sorted(KNOWN_MESSAGES - set(messages))


@pytest.mark.parametrize("message", troubleshooting_messages())
def test_every_troubleshooting_message_is_one_the_code_produces(message: str) -> None:
    assert spelled_by_code(message), f"no code produces the README's message {message!r}"


@pytest.mark.parametrize(
    "invented",
    [
        "MGN is not initialised in this region",  # one letter off a real message
        "MGN in <region> has no record of s-...",
        "s-... is NOT_READY (the replication agent exploded ...)",
        "Started cutover job mgnjob-... for 1 servers",
        "s-... is in job mgnjob-... still STARTED",  # the README's row before it quoted the servers part
        "Cannot revert s-...: the cutover of job mgnjob-... is final",  # a word cut short
    ],
)
def test_the_check_refuses_a_message_the_code_cannot_produce(invented: str) -> None:
    assert not spelled_by_code(invented)


def test_the_readme_lists_every_emulator_flag_and_no_other() -> None:
    listed = set(re.findall(r"`(--[a-z][a-z-]*)", section("The local MGN emulator")))
    flags = {
        option for action in build_parser()._actions for option in action.option_strings if option.startswith("--")
    }
    assert listed == flags


def test_the_readme_lists_every_export_of_the_program_and_no_other() -> None:
    tree = ast.parse((REPO / "__main__.py").read_text(encoding="utf-8"))
    exported = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "export"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    program = section("The program and its stacks")
    listed = set(re.findall(r"^- `(\w+)`:", program.split("The program's exports:", 1)[1], re.MULTILINE))
    assert exported and listed == exported


def test_the_readme_lists_every_public_name_of_the_package_and_no_other() -> None:
    using = " ".join(section("Using `mgn_resources` in your own stack").split())
    sentence = re.search(r"The package's public names \(.*?\): (.*?)\. ", using)
    assert sentence is not None
    listed = set(re.findall(r"`(\w+)`", sentence.group(1)))
    assert listed == {*mgn_resources.__all__, "__version__"}
    assert all(getattr(mgn_resources, name) is not None for name in listed)
