"""The program's stack configuration (namespace ``mgn-cutover``), read and checked before anything is declared.

```yaml
config:
  aws:region: us-east-1
  mgn-cutover:endpointUrl: http://127.0.0.1:4599   # optional: MGN endpoint (an emulator)
  mgn-cutover:roleArn: arn:aws:iam::123456789012:role/mgn-cutover   # optional
  mgn-cutover:accountId: "123456789012"           # optional: MGN multi-account management
  mgn-cutover:tagInstances: true                  # optional: tag launched instances with wave and job
  mgn-cutover:waves:
    - name: wave-1
      sourceServerIds: [s-0123456789abcdef0]
      test: true                 # a TestLaunch first; the cutover waits for it
      cutover: false             # optional: only the TestLaunch for now (the wave is in testing)
    - name: wave-2
      sourceServerIds: [s-...]
      parallel: true             # runs alongside wave-1 instead of after it
    - name: payments
      mgnWave: wave-0123456789abcdef0   # instead of sourceServerIds: an MGN wave, one Cutover per application
      tags: {team: payments}
      finalize: false
      onDelete: retain           # retain | revert | terminate
      timeoutSeconds: 7200
      protect: true              # Pulumi refuses to delete or replace this wave's cutover
      launch:                    # optional: one LaunchSettings per server, before the wave's launches
        instanceType: m5.large
        subnetId: subnet-0123456789abcdef0
        securityGroupIds: [sg-0123456789abcdef0]
```

Waves run in stages: a wave starts a new stage unless it says ``parallel: true``, in which case it joins the
stage of the wave before it. Every wave (and its test) waits for every cutover of the previous stage.

A wave that names an MGN wave (``mgnWave``) instead of listing servers becomes one launch per application of that
wave, all in parallel: :meth:`ProgramConfig.with_mgn_waves` lists the wave's applications and their servers when the
program runs (it asks MGN, read-only, at preview too), and each launch declares its application (``application_ids``),
so the servers are resolved by the resource at create, and a server added to the application later is reported, not
launched.
Each problem is reported as :class:`WaveConfigError` with a one-line message naming the key at fault; a key of
the namespace that the program does not know (a typo such as ``endpointURL``) is one of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mgn_resources.resources.choices import CUTOVER_ON_DELETE, TARGET_SETTINGS

NAMESPACE = "mgn-cutover"
ON_DELETE_CHOICES = CUTOVER_ON_DELETE  # a wave's onDelete is its cutover's on_delete
_KEYS = ("waves", "endpointUrl", "roleArn", "accountId", "tagInstances")
_WAVE_KEYS = (
    "name",
    "sourceServerIds",
    "tags",
    "finalize",
    "onDelete",
    "timeoutSeconds",
    "parallel",
    "test",
    "cutover",
    "protect",
    "launch",
    "mgnWave",
)
#: A wave's ``launch`` keys (camelCase) -> the LaunchSettings input each sets: every target setting.
LAUNCH_KEYS = {
    "".join(w if i == 0 else w.title() for i, w in enumerate(name.split("_"))): name for name in TARGET_SETTINGS
}


class WaveConfigError(ValueError):
    """The stack configuration cannot be used; the message is one line naming the key and the problem."""


#: How the program lists an MGN wave's applications: wave ID -> (application ID, its source server IDs) each.
ListApplications = Callable[[str], Sequence[tuple[str, Sequence[str]]]]


@dataclass(frozen=True)
class Launch:
    """One ``Cutover`` (and ``TestLaunch``) of a wave: the whole wave, or one application of the MGN wave it names."""

    name: str  # the resources' name prefix: the wave's name, or ``<wave>-<application ID>``
    members: Mapping[str, list[str]]  # the launch's input: ``source_server_ids``, or ``application_ids``
    source_server_ids: tuple[str, ...]  # its servers (an application's as MGN listed them when the program ran)
    application_id: str = ""


@dataclass(frozen=True)
class Wave:
    name: str
    source_server_ids: tuple[str, ...]  # an MGN wave's: every application's servers, once listed
    tags: Mapping[str, str] = field(default_factory=dict)
    finalize: bool | None = None
    on_delete: str | None = None
    timeout_seconds: float | None = None
    parallel: bool = False
    test: bool = False
    cutover: bool = True  # False: the wave is in testing, only its TestLaunch is declared
    protect: bool = False
    launch: Mapping[str, Any] = field(default_factory=dict)  # LaunchSettings inputs (snake_case), checked there
    mgn_wave: str = ""  # an MGN wave ID instead of servers: one launch per application of it
    applications: tuple[tuple[str, tuple[str, ...]], ...] = ()  # the MGN wave's, once listed: (ID, its servers)

    def launches(self) -> list[Launch]:
        """The wave's launches: one for its servers, or one per application of the MGN wave it names."""
        if not self.mgn_wave:
            return [Launch(self.name, {"source_server_ids": list(self.source_server_ids)}, self.source_server_ids)]
        return [
            Launch(f"{self.name}-{app}", {"application_ids": [app]}, servers, app) for app, servers in self.applications
        ]


@dataclass(frozen=True)
class ProgramConfig:
    waves: tuple[Wave, ...]
    endpoint_url: str | None = None
    role_arn: str | None = None
    account_id: str | None = None
    tag_instances: bool = False

    def with_mgn_waves(self, list_applications: ListApplications) -> ProgramConfig:
        """The config with each wave that names an MGN wave given that wave's applications and their servers, as
        ``list_applications`` reads them from MGN (which refuses an unknown or empty wave, an application without
        servers and one of more servers than one job takes, with the count); a server in two waves is refused."""
        waves = tuple(_with_applications(wave, list_applications) if wave.mgn_wave else wave for wave in self.waves)
        _check_unique(waves)
        return replace(self, waves=waves)

    def stages(self) -> list[list[Wave]]:
        """The waves grouped into stages that run one after the other."""
        stages: list[list[Wave]] = []
        for wave in self.waves:
            if wave.parallel and stages:
                stages[-1].append(wave)
            else:
                stages.append([wave])
        return stages


def load_config(get: Callable[[str], Any], keys: Iterable[str] = ()) -> ProgramConfig:
    """Read the config through ``get(key)`` (a key of the ``mgn-cutover`` namespace -> value or None).

    ``keys`` are the keys the stack sets in the namespace: one the program does not know stops it.
    Values may be parsed (a list, a bool) or the raw strings Pulumi stores; both are accepted.
    """
    unknown = sorted(set(keys) - set(_KEYS))
    if unknown:
        raise WaveConfigError(
            f"{NAMESPACE}:{unknown[0]} is not a setting of this program (known: {', '.join(sorted(_KEYS))}); "
            "fix its spelling or remove it"
        )
    return parse_config({key: get(key) for key in _KEYS})


def parse_config(raw: Mapping[str, Any]) -> ProgramConfig:
    waves_raw = _json(raw.get("waves"), "waves")
    if waves_raw is None:
        raise WaveConfigError(f"{NAMESPACE}:waves is not set: add a list of waves to the stack config")
    if not isinstance(waves_raw, list) or not waves_raw:
        raise WaveConfigError(f"{NAMESPACE}:waves must be a non-empty list of waves")
    waves = tuple(_wave(entry, i) for i, entry in enumerate(waves_raw))
    _check_unique(waves)
    tag_instances = _bool(_json(raw.get("tagInstances"), "tagInstances"), f"{NAMESPACE}:tagInstances") or False
    named = next((wave for wave in waves if wave.mgn_wave), None)
    if tag_instances and named is not None:
        raise WaveConfigError(
            f"{NAMESPACE}:tagInstances cannot tag the instances of wave '{named.name}', which names an mgnWave: its "
            "servers are known only as MGN lists them at each run (MGN tags each instance with its source server "
            "ID, AWSApplicationMigrationServiceSourceServerID); set tagInstances to false"
        )
    return ProgramConfig(
        waves=waves,
        endpoint_url=_optional_str(raw.get("endpointUrl"), "endpointUrl"),
        role_arn=_optional_str(raw.get("roleArn"), "roleArn"),
        account_id=_optional_str(raw.get("accountId"), "accountId"),
        tag_instances=tag_instances,
    )


def _wave(entry: Any, index: int) -> Wave:
    where = f"{NAMESPACE}:waves[{index}]"
    if not isinstance(entry, Mapping):
        raise WaveConfigError(f"{where} must be a mapping with 'name' and 'sourceServerIds'")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise WaveConfigError(f"{where} has no name: set 'name' to a non-empty string")
    where = f"{where} ({name})"
    unknown = sorted(set(entry) - set(_WAVE_KEYS))
    if unknown:
        raise WaveConfigError(f"{where}: unknown key '{unknown[0]}' (known: {', '.join(_WAVE_KEYS)})")
    mgn_wave = entry.get("mgnWave")
    servers = entry.get("sourceServerIds")
    if mgn_wave is not None:
        if servers is not None:
            raise WaveConfigError(f"{where}: set either 'sourceServerIds' or 'mgnWave', not both")
        if not isinstance(mgn_wave, str) or not mgn_wave.startswith("wave-"):
            raise WaveConfigError(f"{where}: 'mgnWave' must be an MGN wave ID (wave-...), not {mgn_wave!r}")
        servers = []
    elif not isinstance(servers, list) or not servers:
        raise WaveConfigError(
            f"{where} has no servers: set 'sourceServerIds' to a non-empty list, or 'mgnWave' to an MGN wave ID"
        )
    if not all(isinstance(s, str) and s for s in servers):
        raise WaveConfigError(f"{where}: 'sourceServerIds' must list source server IDs (strings)")
    repeated = sorted({s for s in servers if servers.count(s) > 1})
    if repeated:
        raise WaveConfigError(f"{where}: server {repeated[0]} is listed twice")
    tags = entry.get("tags") or {}
    if not isinstance(tags, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in tags.items()):
        raise WaveConfigError(f"{where}: 'tags' must map strings to strings")
    test = _bool(entry.get("test"), f"{where}: 'test'") or False
    cutover = _bool(entry.get("cutover"), f"{where}: 'cutover'")
    if cutover is False and not test:
        raise WaveConfigError(f"{where}: 'cutover' is false and 'test' is not true, so it declares nothing; set test")
    on_delete = entry.get("onDelete")
    if on_delete is not None and on_delete not in ON_DELETE_CHOICES:
        raise WaveConfigError(f"{where}: 'onDelete' is {on_delete!r}, not one of {', '.join(ON_DELETE_CHOICES)}")
    return Wave(
        name=name,
        source_server_ids=tuple(servers),
        tags=dict(tags),
        finalize=_bool(entry.get("finalize"), f"{where}: 'finalize'"),
        on_delete=on_delete,
        timeout_seconds=_timeout(entry.get("timeoutSeconds"), where),
        parallel=_bool(entry.get("parallel"), f"{where}: 'parallel'") or False,
        test=test,
        cutover=cutover is not False,
        protect=_bool(entry.get("protect"), f"{where}: 'protect'") or False,
        launch=_launch(entry.get("launch"), where),
        mgn_wave=mgn_wave or "",
    )


def _with_applications(wave: Wave, list_applications: ListApplications) -> Wave:
    """``wave`` (naming an MGN wave) with that wave's applications and their servers, as MGN lists them now."""
    applications = tuple((app, tuple(servers)) for app, servers in list_applications(wave.mgn_wave))
    servers = tuple(server for _, listed in applications for server in listed)
    return replace(wave, applications=applications, source_server_ids=servers)


def _launch(value: Any, where: str) -> dict[str, Any]:
    """A wave's ``launch`` settings as LaunchSettings inputs; their values are checked by the resource."""
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not value:
        raise WaveConfigError(f"{where}: 'launch' must be a mapping of launch settings such as instanceType")
    unknown = sorted(set(value) - set(LAUNCH_KEYS))
    if unknown:
        raise WaveConfigError(f"{where}: unknown launch setting '{unknown[0]}' (known: {', '.join(LAUNCH_KEYS)})")
    return {LAUNCH_KEYS[key]: item for key, item in value.items()}


def _check_unique(waves: tuple[Wave, ...]) -> None:
    names: set[str] = set()
    owner: dict[str, str] = {}
    for wave in waves:
        if wave.name in names:
            raise WaveConfigError(f"{NAMESPACE}:waves: two waves are named '{wave.name}'")
        names.add(wave.name)
        for server in wave.source_server_ids:
            if server in owner:
                raise WaveConfigError(
                    f"{NAMESPACE}:waves: server {server} is in waves '{owner[server]}' and '{wave.name}'"
                )
            owner[server] = wave.name


def _json(value: Any, key: str) -> Any:
    """Pulumi hands structured config to the program as JSON text; accept it parsed or not."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        if key == "tagInstances":
            return value
        raise WaveConfigError(f"{NAMESPACE}:{key} must be a list, not the text {value!r}") from None


def _bool(value: Any, where: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise WaveConfigError(f"{where} must be true or false, not {value!r}")


def _timeout(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise WaveConfigError(f"{where}: 'timeoutSeconds' must be a positive number of seconds, not {value!r}")
    return float(value)


def _optional_str(value: Any, key: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise WaveConfigError(f"{NAMESPACE}:{key} must be a string, not {value!r}")
    return value
