// A program on the generated TypeScript SDK (sdk/nodejs, copied beside it as ./mgn) under Pulumi's Node.js mocks.
// It prints one JSON line: the inputs each resource type was registered with, the outputs it read back, and the
// error of a LaunchSettings with no sourceServerId (tests/test_sdk/test_nodejs.py checks them against the schema).
// The type annotations and @ts-expect-error lines are checks too: tsc fails if the SDK's types differ.
import * as pulumi from "@pulumi/pulumi";
import * as mgn from "./mgn";

const S1 = "s-00000000000000001";
const S2 = "s-00000000000000002";
const registered: Record<string, Record<string, unknown>> = {};

// What the plugin would report for a launch: a job and one instance per server.
function launched(name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const jobId = `mgnjob-${name}`;
    const servers = (inputs.sourceServerIds as string[]).map((id) => ({
        sourceServerId: id, instanceId: `i-${id}`, jobId, jobArn: `arn:aws:mgn:us-east-1:111122223333:job/${jobId}`,
        state: "CUTOVER", launchStatus: "LAUNCHED", postLaunchActions: [],
    }));
    const launchedInstanceIds = Object.fromEntries(servers.map((s) => [s.sourceServerId, s.instanceId]));
    return { ...inputs, jobId, servers, launchedInstanceIds };
}

const mocks: pulumi.runtime.Mocks = {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        registered[args.type] = args.inputs;
        const state = args.type === "mgn:index:LaunchSettings"
            ? { ...args.inputs, launchTemplateVersion: 2 }
            : args.type.startsWith("mgn:index:") ? launched(args.name, args.inputs) : args.inputs;
        return { id: `${args.name}-id`, state };
    },
    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        return args.inputs;
    },
};

// Never called: only type-checked.
export function snakeCaseInputsAreRefused(): void {
    // @ts-expect-error: the inputs are camelCase, as the schema spells them
    new mgn.Cutover("snake", { source_server_ids: [S1] });
}

function settled<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => resolve(value)));
}

async function main(): Promise<void> {
    await pulumi.runtime.setMocks(mocks, "mgn-sdk", "dev", false);

    const provider = new mgn.Provider("mgn", { region: "us-east-1", endpointUrl: "http://127.0.0.1:9" });
    const settings = new mgn.LaunchSettings("settings", { sourceServerId: S1, instanceType: "t3.small" }, { provider });
    const test = new mgn.TestLaunch("test", { sourceServerIds: [S1, S2] }, { provider });
    const cutover = new mgn.Cutover(
        "cutover", { sourceServerIds: [S1, S2], requireSuccessfulTest: true }, { provider, dependsOn: [test, settings] },
    );

    const jobId: pulumi.Output<string> = cutover.jobId;
    const instances: pulumi.Output<{ [server: string]: string }> = cutover.launchedInstanceIds;
    const servers: pulumi.Output<mgn.types.output.ServerLaunch[]> = cutover.servers;
    const version: pulumi.Output<number> = settings.launchTemplateVersion;

    let missing = "";
    try {
        // @ts-expect-error: sourceServerId is required
        new mgn.LaunchSettings("incomplete", { instanceType: "t3.small" }, { provider });
    } catch (error) {
        missing = (error as Error).message;
    }

    const [cutoverJobId, launchedInstanceIds, firstInstanceId, testJobId, launchTemplateVersion] = await Promise.all([
        settled(jobId), settled(instances), settled(servers.apply((all) => all[0].instanceId)), settled(test.jobId),
        settled(version),
    ]);
    const outputs = { cutoverJobId, launchedInstanceIds, firstInstanceId, testJobId, launchTemplateVersion };
    console.log(JSON.stringify({ registered, outputs, missing }));
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
