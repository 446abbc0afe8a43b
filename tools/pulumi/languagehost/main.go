// Command pulumi-language-python runs this project's Pulumi program for the pinned pulumi CLI.
//
// Upstream's Python language host lives in its own Go module
// (github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3), which the Go module proxy reachable
// from this project's machines does not serve. This host speaks the same LanguageRuntime gRPC protocol with
// Pulumi's own Go SDK at the pinned version (rpcutil, pulumirpc, python/toolchain) and runs the program the way
// upstream's host does: through the SDK's pulumi-language-python-exec shim, inside the project's virtualenv,
// with the stack's config in PULUMI_CONFIG. It implements what `pulumi preview/up/refresh/destroy/about` need;
// project scaffolding, code generation and debugging are left unimplemented.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

const (
	execShim = "pulumi-language-python-exec"
	// The SDK exits with this code after it has already shown the user an actionable error.
	exitAfterUserMessage = 32
)

func main() {
	showVersion := flag.Bool("version", false, "print the plugin version and exit")
	flag.String("tracing", "", "accepted for compatibility with the CLI; tracing is not emitted")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}
	if err := serve(flag.Arg(0)); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
		os.Exit(1)
	}
}

func serve(engineAddress string) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("cannot find this executable: %w", err)
	}
	shim := filepath.Join(filepath.Dir(self), execShim)
	if _, err := os.Stat(shim); err != nil {
		return fmt.Errorf("missing executor %s beside the language host: run make cli", shim)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, 10*time.Second, stop); err != nil {
			return fmt.Errorf("cannot watch the engine: %w", err)
		}
	}
	runCtx, cancelRuns := context.WithCancel(context.Background())
	defer cancelRuns()
	done := make(chan bool)
	go func() {
		<-ctx.Done()
		cancelRuns() // end the running program before the server stops
		close(done)
	}()
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: done,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, &host{
				shim: shim, engineAddress: engineAddress, runCtx: runCtx, cancelRuns: cancelRuns,
			})
			return nil
		},
	})
	if err != nil {
		return fmt.Errorf("cannot start the gRPC server: %w", err)
	}
	fmt.Printf("%d\n", handle.Port)
	return <-handle.Done
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	shim          string
	engineAddress string
	runCtx        context.Context // cancelled by the Cancel RPC
	cancelRuns    context.CancelFunc
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// GetRequiredPackages reports no plugins to install ahead of the run: resource plugins (the dynamic
// provider's pulumi-python among them) are loaded when a resource first needs them.
func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancelRuns()
	return &emptypb.Empty{}, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	tc, err := resolveToolchain(req.GetInfo())
	if err != nil {
		return nil, err
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(h.runCtx)
	defer cancel()
	context.AfterFunc(ctx, cancel)

	cmd, err := tc.Command(runCtx, append([]string{h.shim}, h.arguments(req)...)...)
	if err != nil {
		return nil, err
	}
	// The program runs in a process group of its own, so the engine's SIGINT to this host's group (when it
	// stops after a failed resource, or on Ctrl-C) does not print a KeyboardInterrupt traceback under the real
	// error. The program only registers resources (the waiting happens in the provider plugin), so when the
	// run is cancelled it is ended quietly with SIGTERM, and killed if still there after WaitDelay.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	env, err := runEnvironment(cmd.Env, req)
	if err != nil {
		return nil, err
	}
	cmd.Env = env

	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if status, ok := exit.Sys().(syscall.WaitStatus); ok && status.ExitStatus() == exitAfterUserMessage {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("program exited with non-zero exit code: %d",
				exit.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run the Python program: %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// arguments are the exec shim's command line, as the SDK's pulumi.runtime expects it.
func (h *host) arguments(req *pulumirpc.RunRequest) []string {
	var args []string
	add := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engineAddress)
	add("project", req.GetProject())
	add("root_directory", req.GetInfo().GetRootDirectory())
	add("stack", req.GetStack())
	add("pwd", req.GetPwd())
	add("dry_run", fmt.Sprint(req.GetDryRun()))
	add("parallel", fmt.Sprint(req.GetParallel()))
	add("organization", req.GetOrganization())
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	return append(append(args, entry), req.GetArgs()...)
}

func runEnvironment(base []string, req *pulumirpc.RunRequest) ([]string, error) {
	if base == nil {
		base = os.Environ()
	}
	stackConfig := req.GetConfig()
	if stackConfig == nil {
		stackConfig = map[string]string{} // a stack without config: the SDK wants {}, not null
	}
	config, err := json.Marshal(stackConfig)
	if err != nil {
		return nil, fmt.Errorf("cannot encode the stack config: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	keys, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("cannot encode the secret config keys: %w", err)
	}
	return append(base, "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(keys)), nil
}

// About answers with the program's interpreter and its version from one run of it. The toolchain's own About
// also asks pip for its version (a third interpreter, which imports pip: about 0.4 s) that this answer has no
// field for, and every `pulumi up` and `pulumi preview` waits for About before it runs the program.
func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	tc, err := resolveToolchain(req.GetInfo())
	if err != nil {
		return nil, err
	}
	cmd, err := tc.Command(ctx, "-I", "-S", "-c", aboutScript)
	if err != nil {
		return nil, err
	}
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("cannot run the program's Python interpreter: %w", err)
	}
	executable, versionText, found := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if !found {
		return nil, fmt.Errorf("the program's Python interpreter answered %q, not its path and version", out)
	}
	version, err := toolchain.ParsePythonVersion(versionText)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: executable, Version: version.String()}, nil
}

// aboutScript prints the interpreter's path and its version, one per line (-I -S: no site, nothing imported).
const aboutScript = "import sys; print(sys.executable); print('%d.%d.%d' % sys.version_info[:3])"

func (h *host) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	tc, err := resolveToolchain(req.GetInfo())
	if err != nil {
		return nil, err
	}
	packages, err := tc.ListPackages(ctx, req.GetTransitiveDependencies())
	if err != nil {
		return nil, fmt.Errorf("cannot list the program's Python packages: %w", err)
	}
	deps := make([]*pulumirpc.DependencyInfo, 0, len(packages))
	for _, p := range packages {
		deps = append(deps, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// resolveToolchain honours the runtime options this project uses (pip and a virtualenv).
func resolveToolchain(info *pulumirpc.ProgramInfo) (toolchain.Toolchain, error) {
	opts := toolchain.PythonOptions{
		Root: info.GetRootDirectory(), ProgramDir: info.GetProgramDirectory(), Toolchain: toolchain.Pip,
	}
	options := info.GetOptions().AsMap()
	if venv, ok := options["virtualenv"].(string); ok {
		opts.Virtualenv = venv
	}
	if name, ok := options["toolchain"].(string); ok && name != "pip" {
		return nil, fmt.Errorf("runtime option toolchain: %q is not supported by this language host; use pip", name)
	}
	return toolchain.ResolveToolchain(opts)
}
