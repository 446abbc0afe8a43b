"""mgn-cutover: one MGN `Cutover` per migration wave, a `TestLaunch` first where a wave asks for one.

The waves come from the stack config (see ``waves.py`` for the schema). The region is ``aws:region``, as for
pulumi-aws; the dynamic provider reads it from the stack config. A wave that names an MGN wave (``mgnWave``) gets one
`Cutover` (and `TestLaunch`) per application of it, side by side: the program lists the wave's applications from MGN
when it runs (``get_wave_applications``, read-only, at preview too).
"""

from typing import Any

import pulumi

from mgn_resources import (
    Cutover,
    CutoverArgs,
    LaunchSettings,
    LaunchSettingsArgs,
    TestLaunch,
    TestLaunchArgs,
    get_wave_applications,
)
from waves import NAMESPACE, Launch, ProgramConfig, Wave, WaveConfigError, load_config

WAVE_TAG = "mgn:wave"
JOB_TAG = "mgn:job-id"


def namespace_keys() -> list[str]:
    """The keys the stack sets in the program's namespace: from the engine (PULUMI_CONFIG) or set in-process."""
    prefix = f"{NAMESPACE}:"
    names = set(pulumi.runtime.config.CONFIG.get()) | set(pulumi.runtime.get_config_env())
    return sorted(name.removeprefix(prefix) for name in names if name.startswith(prefix))


def read_config() -> ProgramConfig:
    try:
        config = load_config(pulumi.Config(NAMESPACE).get, namespace_keys())
        return config.with_mgn_waves(lambda wave_id: list_applications(wave_id, config))
    except WaveConfigError as exc:
        # One clean line, before anything is declared.
        raise pulumi.RunError(str(exc)) from None


def list_applications(wave_id: str, config: ProgramConfig) -> list[tuple[str, tuple[str, ...]]]:
    """The applications of MGN wave ``wave_id`` and their servers, from MGN now (where the launches will go)."""
    found = get_wave_applications(
        wave_id, endpoint_url=config.endpoint_url, role_arn=config.role_arn, account_id=config.account_id
    )
    return [(app.application_id, app.source_server_ids) for app in found]


def declare_launch_settings(wave: Wave, launch: Launch, config: ProgramConfig) -> list[pulumi.Resource]:
    """One LaunchSettings per server of a launch whose wave carries ``launch`` settings."""
    if not wave.launch:
        return []
    return [
        LaunchSettings(
            f"{wave.name}-{server}-launch",
            LaunchSettingsArgs(
                source_server_id=server,
                endpoint_url=config.endpoint_url,
                role_arn=config.role_arn,
                account_id=config.account_id,
                **wave.launch,
            ),
        )
        for server in launch.source_server_ids
    ]


def declare_wave(
    wave: Wave, config: ProgramConfig, after: list[pulumi.Resource]
) -> list[tuple[Launch, Cutover | None, TestLaunch | None]]:
    """Each launch of the wave (one, or one per application of its MGN wave, side by side): its resources."""
    return [(launch, *declare_launch(wave, launch, config, after)) for launch in wave.launches()]


def declare_launch(
    wave: Wave, launch: Launch, config: ProgramConfig, after: list[pulumi.Resource]
) -> tuple[Cutover | None, TestLaunch | None]:
    after = [*after, *declare_launch_settings(wave, launch, config)]  # the launches use their launch settings
    common: dict[str, Any] = {
        **launch.members,
        "tags": {WAVE_TAG: wave.name, **wave.tags},
        "endpoint_url": config.endpoint_url,
        "role_arn": config.role_arn,
        "account_id": config.account_id,
        "timeout_seconds": wave.timeout_seconds,
    }
    test: TestLaunch | None = None
    if wave.test:
        test = TestLaunch(
            f"{launch.name}-test", TestLaunchArgs(**common), opts=pulumi.ResourceOptions(depends_on=after)
        )
    if not wave.cutover:
        return None, test
    cutover = Cutover(
        f"{launch.name}-cutover",
        # A tested wave's cutover also refuses servers whose last test did not succeed (say, reverted since).
        CutoverArgs(**common, finalize=wave.finalize, on_delete=wave.on_delete, require_successful_test=wave.test),
        opts=pulumi.ResourceOptions(depends_on=[*after, *([test] if test else [])], protect=wave.protect),
    )
    return cutover, test


def tag_instances(wave: Wave, cutover: Cutover) -> None:
    """Tag each launched instance with its wave and job. Server IDs are known now; instance IDs later."""
    import pulumi_aws as aws  # only stacks that tag instances pay for importing pulumi-aws

    for server in wave.source_server_ids:
        instance_id = cutover.launched_instance_ids[server]
        aws.ec2.Tag(f"{wave.name}-{server}-wave", resource_id=instance_id, key=WAVE_TAG, value=wave.name)
        job_id = cutover.server_job_ids[server]  # the job that launched this server (a retry's, for one)
        aws.ec2.Tag(f"{wave.name}-{server}-job", resource_id=instance_id, key=JOB_TAG, value=job_id)


Launched = list[tuple[Launch, Cutover]] | list[tuple[Launch, TestLaunch]]


def job_ids_of(wave: Wave, launched: Launched) -> pulumi.Output[Any]:
    """A wave's job ID export: its launch's job, or for an MGN wave, application ID -> each application's job."""
    if not wave.mgn_wave:
        return launched[0][1].job_id
    return pulumi.Output.all(**{launch.application_id: resource.job_id for launch, resource in launched})


def instance_ids_of(launched: Launched) -> pulumi.Output[dict[str, str]]:
    """Source server ID -> instance ID over every launch of a wave (one, or one per application)."""
    maps = [resource.launched_instance_ids for _, resource in launched]
    return pulumi.Output.all(*maps).apply(lambda found: {k: v for m in found for k, v in (m or {}).items()})


def main() -> None:
    config = read_config()
    job_ids: dict[str, pulumi.Output[Any]] = {}
    test_job_ids: dict[str, pulumi.Output[Any]] = {}
    instance_ids: dict[str, pulumi.Output[dict[str, str]]] = {}
    test_instance_ids: dict[str, pulumi.Output[dict[str, str]]] = {}
    previous_stage: list[pulumi.Resource] = []
    for stage in config.stages():
        this_stage: list[pulumi.Resource] = []
        for wave in stage:
            declared = declare_wave(wave, config, previous_stage)
            tests = [(launch, test) for launch, _, test in declared if test is not None]
            cutovers = [(launch, cutover) for launch, cutover, _ in declared if cutover is not None]
            if tests:
                test_job_ids[wave.name] = job_ids_of(wave, tests)
                test_instance_ids[wave.name] = instance_ids_of(tests)
            # the next stage waits for this wave's cutovers, or for its tests when the wave is in testing
            this_stage += [r for _, r in cutovers] if cutovers else [r for _, r in tests]
            if not cutovers:
                continue
            job_ids[wave.name] = job_ids_of(wave, cutovers)
            instance_ids[wave.name] = instance_ids_of(cutovers)
            if config.tag_instances:  # never with an MGN wave (waves.py refuses it): one cutover
                tag_instances(wave, cutovers[0][1])
        previous_stage = this_stage
    pulumi.export("job_ids", job_ids)
    pulumi.export("instance_ids", instance_ids)
    pulumi.export("test_job_ids", test_job_ids)
    pulumi.export("test_instance_ids", test_instance_ids)


main()
