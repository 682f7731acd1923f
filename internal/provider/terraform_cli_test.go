package provider

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// terraformCLI is the real CLI (terraform on PATH, or what
// TF_ACC_TERRAFORM_PATH names, as the resource.UnitTest cases honour it)
// run against the provider binary built from this tree through a
// dev_overrides CLI configuration: for what resource.UnitTest cannot see,
// such as the CLI's own output (warnings, logs).
type terraformCLI struct {
	bin       string
	dir       string // a temporary directory for the test's files
	cliConfig string
}

func newTerraformCLI(t *testing.T) *terraformCLI {
	t.Helper()
	bin, err := exec.LookPath("terraform")
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		bin, err = p, nil
	}
	if err != nil {
		t.Fatal("terraform is not on PATH; this test runs the real CLI (CI runs 1.11.4)")
	}
	dir := t.TempDir()
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
	return &terraformCLI{bin: bin, dir: dir, cliConfig: cliConfig}
}

// run runs the CLI with args (and -no-color -input=false) in work, with a
// clean environment plus env, and returns everything it printed.
func (c *terraformCLI) run(work string, env []string, args ...string) (string, error) {
	cmd := exec.Command(c.bin, append(args, "-no-color", "-input=false")...)
	cmd.Dir = work
	cmd.Env = append(append(cleanEnv(), "TF_CLI_CONFIG_FILE="+c.cliConfig, "CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1", "HOME="+c.dir, "TF_DATA_DIR="+filepath.Join(c.dir, "tfdata")), env...)
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
