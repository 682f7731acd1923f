package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// What the tests that run the terraform CLI themselves (rather than
// through resource.UnitTest) share: the CLI, its version, and the provider
// built from this tree behind a dev_overrides CLI configuration, for what
// resource.UnitTest cannot see, such as the CLI's own output (warnings,
// logs) or terraform query.

// terraformCLI is the CLI the resource.UnitTest cases run:
// TF_ACC_TERRAFORM_PATH (make test-tofu, make test-terraform15), else
// terraform on PATH.
func terraformCLI(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	bin, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal("terraform is not on PATH; this test runs the real CLI (CI runs 1.11.4, 1.15.0 and OpenTofu 1.12.6)")
	}
	return bin
}

// cliVersion is the CLI's version as major and minor, and its name
// ("terraform" or "tofu", which reports its version under the same key).
func cliVersion(t *testing.T, bin string) (major, minor int, version string) {
	t.Helper()
	// Without the caller's TF_* settings: a CLI configuration that cannot
	// be read makes OpenTofu print a warning before the JSON.
	cmd := exec.Command(bin, "version", "-json")
	cmd.Env = append(cleanEnv(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s version -json: %v", bin, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v", bin, err)
	}
	parts := strings.SplitN(v.Version, ".", 3)
	if len(parts) < 2 {
		t.Fatalf("%s version %q: no major.minor", bin, v.Version)
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		t.Fatalf("%s version %q: no major.minor", bin, v.Version)
	}
	return major, minor, v.Version
}

// devOverrides builds the provider from this tree into dir and returns a
// CLI configuration that serves it as cloudimages/ims without init.
func devOverrides(t *testing.T, dir string) string {
	t.Helper()
	pluginDir := filepath.Join(dir, "plugins")
	build := exec.Command("go", "build", "-o", filepath.Join(pluginDir, "terraform-provider-ims"), "github.com/cloudimages/terraform-provider-ims")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cliConfig := filepath.Join(dir, "dev.tfrc")
	writeFile(t, cliConfig, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "cloudimages/ims" = %q
  }
  direct {}
}
`, pluginDir))
	return cliConfig
}

// cliEnv is the environment a CLI run gets: none of the caller's TF_* or
// HW_* settings, the dev_overrides configuration, no checkpoint, and HOME
// and the data directory inside dir.
func cliEnv(dir, cliConfig string, extra ...string) []string {
	return append(append(cleanEnv(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1", "HOME="+dir, "TF_DATA_DIR="+filepath.Join(dir, "tfdata")), extra...)
}

// cliRunner is the CLI (terraformCLI) with the provider from this tree
// (devOverrides) in a temporary directory of its own.
type cliRunner struct {
	bin       string
	dir       string // a temporary directory for the test's files
	cliConfig string
}

func newCLIRunner(t *testing.T) *cliRunner {
	t.Helper()
	bin := terraformCLI(t)
	dir := t.TempDir()
	return &cliRunner{bin: bin, dir: dir, cliConfig: devOverrides(t, dir)}
}

// run runs the CLI with args (and -no-color -input=false) in work, with a
// clean environment plus env, and returns everything it printed.
func (c *cliRunner) run(work string, env []string, args ...string) (string, error) {
	cmd := exec.Command(c.bin, append(args, "-no-color", "-input=false")...)
	cmd.Dir = work
	cmd.Env = cliEnv(c.dir, c.cliConfig, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// cleanEnv is the test's environment without TF_* and HW_* settings that
// would change what terraform or the provider does.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(name, "TF_") && !strings.HasPrefix(name, "HW_") {
			env = append(env, kv)
		}
	}
	return env
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
