package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// cliRun runs the CLI in dir/work and returns everything it printed; a
// failure fails the test unless allowed lists the exit code.
func cliRun(t *testing.T, bin, dir string, env []string, allowed []int, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = filepath.Join(dir, "work")
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := cmd.ProcessState.ExitCode()
	if err != nil && !containsInt(allowed, code) {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, tail(out.String(), 6000))
	}
	return out.String(), code
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// The adoption recipe of the guide (docs/guides/adopt-existing-shares.md),
// run by the real CLI: `terraform query -generate-config-out` writes an
// import block and a resource block for every share and every answer the
// project has; the plan of that configuration imports each with no change
// (the test fails on any other action, naming the attribute), the apply
// writes nothing, and the next plan is empty.
func TestAdoptExistingShares_generatedConfigPlansNoChange(t *testing.T) {
	bin := terraformCLI(t)
	major, minor, version := cliVersion(t, bin)
	if major < 1 || (major == 1 && minor < 14) {
		t.Skipf("%s %s has no `terraform query` (Terraform 1.14+); CI runs this test under Terraform 1.15.0", filepath.Base(bin), version)
	}
	s := newTestServer(t)
	w := s.addWorld()
	dir := t.TempDir()
	env := cliEnv(dir, devOverrides(t, dir))
	writeFile(t, filepath.Join(dir, "work", "main.tf"), `terraform {
  required_providers {
    ims = { source = "cloudimages/ims" }
  }
}
`+s.providerBlock())
	writeFile(t, filepath.Join(dir, "work", "adopt.tfquery.hcl"), `list "ims_image_share" "console" {
  provider         = ims
  include_resource = true
}

list "ims_shared_image_acceptance" "console" {
  provider         = ims
  include_resource = true
}
`)
	s.ResetRequests()

	cliRun(t, bin, dir, env, nil, "query", "-no-color", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(dir, "work", "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{worldShared1, worldShared2, worldIncomingAccepted, worldIncomingRejected} {
		if !strings.Contains(string(generated), `image_id   = "`+id+`"`) {
			t.Errorf("generated.tf names no identity of %s:\n%s", id, generated)
		}
	}
	// The query's results carry the state: no member list is read twice.
	if reads := s.memberReads(); reads[worldShared1] != 1 || reads[worldShared2] != 1 {
		t.Errorf("member reads during the query %v, want one per shared image", reads)
	}

	cliRun(t, bin, dir, env, nil, "plan", "-no-color", "-input=false", "-out=adopt.tfplan")
	showOut, _ := cliRun(t, bin, dir, env, nil, "show", "-json", "adopt.tfplan")
	var plan tfjson.Plan
	if err := json.Unmarshal([]byte(showOut), &plan); err != nil {
		t.Fatalf("show -json: %v", err)
	}
	imported := map[string]bool{}
	for _, rc := range plan.ResourceChanges {
		if rc.Change == nil || !rc.Change.Actions.NoOp() || rc.Change.Importing == nil {
			t.Errorf("%s: %v (importing: %v), want a no-op import; before %v, after %v", rc.Address, rc.Change.Actions, rc.Change.Importing != nil, rc.Change.Before, rc.Change.After)
			continue
		}
		after, _ := rc.Change.After.(map[string]any)
		imported[fmt.Sprint(after["image_id"])] = true
	}
	if len(imported) != 4 || !imported[worldShared1] || !imported[worldShared2] || !imported[worldIncomingAccepted] || !imported[worldIncomingRejected] {
		t.Errorf("imported %v, want the two shares and the two answers", imported)
	}

	s.ResetRequests()
	cliRun(t, bin, dir, env, nil, "apply", "-no-color", "-input=false", "adopt.tfplan")
	for _, r := range s.Requests() {
		if r.Method != "GET" {
			t.Errorf("the adopting apply sent %s %s", r.Method, r.Path)
		}
	}
	out, code := cliRun(t, bin, dir, env, []int{2}, "plan", "-no-color", "-input=false", "-detailed-exitcode")
	if code != 0 {
		t.Errorf("the plan after adoption is not empty:\n%s", tail(out, 6000))
	}
	if got := s.Members(testProjectID, worldShared1); len(got) != len(w.members[worldShared1]) {
		t.Errorf("worldShared1 has %d members after adoption, want %d", len(got), len(w.members[worldShared1]))
	}
}
