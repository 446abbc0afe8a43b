// A program on the generated Go SDK (sdk/go, by a replace in go.mod) under Pulumi's Go mocks. It prints one JSON
// line: the inputs each resource type was registered with, the outputs it read back, and the error of a
// LaunchSettings with no SourceServerId (tests/test_sdk/test_go.py checks them against the schema).
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/mgn-cutover/mgn-cutover/sdk/go/mgn"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	s1 = "s-00000000000000001"
	s2 = "s-00000000000000002"
)

type mocks struct {
	mu         sync.Mutex
	registered map[string]map[string]any
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	m.registered[args.TypeToken] = args.Inputs.Mappable()
	m.mu.Unlock()
	state := args.Inputs.Copy()
	switch {
	case args.TypeToken == "mgn:index:LaunchSettings":
		state["launchTemplateVersion"] = resource.NewNumberProperty(2)
	case strings.HasPrefix(args.TypeToken, "mgn:index:"):
		launched(args.Name, state)
	}
	return args.Name + "-id", state, nil
}

func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return args.Args, nil
}

// launched adds what the plugin would report for a launch: a job and one instance per server.
func launched(name string, state resource.PropertyMap) {
	jobID := "mgnjob-" + name
	instances := resource.PropertyMap{}
	var servers []resource.PropertyValue
	for _, id := range state["sourceServerIds"].ArrayValue() {
		server := id.StringValue()
		instances[resource.PropertyKey(server)] = resource.NewStringProperty("i-" + server)
		servers = append(servers, resource.NewObjectProperty(resource.NewPropertyMapFromMap(map[string]any{
			"sourceServerId": server, "instanceId": "i-" + server, "jobId": jobID,
			"jobArn": "arn:aws:mgn:us-east-1:111122223333:job/" + jobID, "state": "CUTOVER",
			"launchStatus": "LAUNCHED", "postLaunchActions": []any{},
		})))
	}
	state["jobId"] = resource.NewStringProperty(jobID)
	state["launchedInstanceIds"] = resource.NewObjectProperty(instances)
	state["servers"] = resource.NewArrayProperty(servers)
}

type report struct {
	Registered map[string]map[string]any `json:"registered"`
	Outputs    map[string]any            `json:"outputs"`
	Missing    string                    `json:"missing"`
}

func program(ctx *pulumi.Context, out *report) error {
	provider, err := mgn.NewProvider(ctx, "mgn", &mgn.ProviderArgs{
		Region: pulumi.String("us-east-1"), EndpointUrl: pulumi.String("http://127.0.0.1:9"),
	})
	if err != nil {
		return err
	}
	settings, err := mgn.NewLaunchSettings(ctx, "settings", &mgn.LaunchSettingsArgs{
		SourceServerId: pulumi.String(s1), InstanceType: pulumi.String("t3.small"),
	}, pulumi.Provider(provider))
	if err != nil {
		return err
	}
	test, err := mgn.NewTestLaunch(ctx, "test", &mgn.TestLaunchArgs{
		SourceServerIds: pulumi.StringArray{pulumi.String(s1), pulumi.String(s2)},
	}, pulumi.Provider(provider))
	if err != nil {
		return err
	}
	cutover, err := mgn.NewCutover(ctx, "cutover", &mgn.CutoverArgs{
		SourceServerIds:       pulumi.StringArray{pulumi.String(s1), pulumi.String(s2)},
		RequireSuccessfulTest: pulumi.Bool(true),
	}, pulumi.Provider(provider), pulumi.DependsOn([]pulumi.Resource{test, settings}))
	if err != nil {
		return err
	}
	if _, err := mgn.NewLaunchSettings(ctx, "incomplete", &mgn.LaunchSettingsArgs{
		InstanceType: pulumi.String("t3.small"),
	}, pulumi.Provider(provider)); err != nil {
		out.Missing = err.Error()
	}

	// Typed outputs: a wrong type here fails the build.
	var (
		jobID     pulumi.StringOutput    = cutover.JobId
		instances pulumi.StringMapOutput = cutover.LaunchedInstanceIds
		first     pulumi.StringOutput    = cutover.Servers.Index(pulumi.Int(0)).InstanceId()
		version   pulumi.IntOutput       = settings.LaunchTemplateVersion
	)
	var wg sync.WaitGroup
	wg.Add(1)
	pulumi.All(jobID, instances, first, test.JobId, version).ApplyT(func(all []any) error {
		defer wg.Done()
		out.Outputs = map[string]any{
			"cutoverJobId": all[0], "launchedInstanceIds": all[1], "firstInstanceId": all[2], "testJobId": all[3],
			"launchTemplateVersion": all[4],
		}
		return nil
	})
	wg.Wait()
	return nil
}

func main() {
	m := &mocks{registered: map[string]map[string]any{}}
	out := &report{}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error { return program(ctx, out) },
		pulumi.WithMocks("mgn-sdk", "dev", m))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out.Registered = m.registered
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
