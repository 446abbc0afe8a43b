"""mgn-cutover: one MGN `Cutover` per migration wave, a `TestLaunch` first where a wave asks for one.

The waves come from the stack config (see ``waves.py`` for the schema). The region is ``aws:region``, as for
pulumi-aws; the dynamic provider reads it from the stack config.
"""

from typing import Any

import pulumi

from mgn_resources import Cutover, CutoverArgs, LaunchSettings, LaunchSettingsArgs, TestLaunch, TestLaunchArgs
from waves import NAMESPACE, ProgramConfig, Wave, WaveConfigError, load_config

WAVE_TAG = "mgn:wave"
JOB_TAG = "mgn:job-id"


def namespace_keys() -> list[str]:
    """The keys the stack sets in the program's namespace: from the engine (PULUMI_CONFIG) or set in-process."""
    prefix = f"{NAMESPACE}:"
    names = set(pulumi.runtime.config.CONFIG.get()) | set(pulumi.runtime.get_config_env())
    return sorted(name.removeprefix(prefix) for name in names if name.startswith(prefix))


def read_config() -> ProgramConfig:
    try:
        return load_config(pulumi.Config(NAMESPACE).get, namespace_keys())
    except WaveConfigError as exc:
        # One clean line, before anything is declared.
        raise pulumi.RunError(str(exc)) from None


def declare_launch_settings(wave: Wave, config: ProgramConfig) -> list[pulumi.Resource]:
    """One LaunchSettings per server of a wave that carries ``launch`` settings."""
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
        for server in wave.source_server_ids
    ]


def declare_wave(
    wave: Wave, config: ProgramConfig, after: list[pulumi.Resource]
) -> tuple[Cutover | None, TestLaunch | None]:
    after = [*after, *declare_launch_settings(wave, config)]  # the wave's launches use its launch settings
    common: dict[str, Any] = {
        "source_server_ids": list(wave.source_server_ids),
        "tags": {WAVE_TAG: wave.name, **wave.tags},
        "endpoint_url": config.endpoint_url,
        "role_arn": config.role_arn,
        "account_id": config.account_id,
        "timeout_seconds": wave.timeout_seconds,
    }
    test: TestLaunch | None = None
    if wave.test:
        test = TestLaunch(f"{wave.name}-test", TestLaunchArgs(**common), opts=pulumi.ResourceOptions(depends_on=after))
    if not wave.cutover:
        return None, test
    cutover = Cutover(
        f"{wave.name}-cutover",
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


def main() -> None:
    config = read_config()
    job_ids: dict[str, pulumi.Output[str]] = {}
    test_job_ids: dict[str, pulumi.Output[str]] = {}
    instance_ids: dict[str, pulumi.Output[dict[str, str]]] = {}
    test_instance_ids: dict[str, pulumi.Output[dict[str, str]]] = {}
    previous_stage: list[pulumi.Resource] = []
    for stage in config.stages():
        this_stage: list[pulumi.Resource] = []
        for wave in stage:
            cutover, test = declare_wave(wave, config, previous_stage)
            if test is not None:
                test_job_ids[wave.name] = test.job_id
                test_instance_ids[wave.name] = test.launched_instance_ids
            # the next stage waits for this wave's cutover, or for its test when the wave is in testing
            this_stage += [r for r in (cutover or test,) if r is not None]
            if cutover is None:
                continue
            job_ids[wave.name] = cutover.job_id
            instance_ids[wave.name] = cutover.launched_instance_ids
            if config.tag_instances:
                tag_instances(wave, cutover)
        previous_stage = this_stage
    pulumi.export("job_ids", job_ids)
    pulumi.export("instance_ids", instance_ids)
    pulumi.export("test_job_ids", test_job_ids)
    pulumi.export("test_instance_ids", test_instance_ids)


main()
