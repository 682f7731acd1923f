package provider

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudimages/terraform-provider-ims/internal/client/recording"
)

// An acceptance run (TF_ACC, real credentials) with IMS_RECORD_DIR set
// records every exchange there: DEVELOPMENT.md, "Recording a run".
func init() {
	if os.Getenv("TF_ACC") != "" && os.Getenv("HW_ACCESS_KEY") != "" {
		recordDir = os.Getenv("IMS_RECORD_DIR")
	}
}

// TestRecordDirRecordsEveryExchange runs a read against the emulator with
// recordDir set, as an acceptance run with IMS_RECORD_DIR does: every
// request the provider makes is saved, and none holds a secret.
func TestRecordDirRecordsEveryExchange(t *testing.T) {
	dir := t.TempDir()
	saved := recordDir
	recordDir = dir
	t.Cleanup(func() { recordDir = saved })

	s := newTestServer(t)
	const imageID = "0c000000-1bc3-4c3f-893e-3e471fd16e64"
	s.addImage(imageID, 3)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: s.providerBlock() + imageConfig(imageID, "  page_size = 2"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("members"), knownvalue.ListSizeExact(3)),
			},
		}},
	})
	exchanges, err := recording.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if sent := len(s.Requests()); len(exchanges) != sent || sent == 0 {
		t.Errorf("%d exchanges recorded, %d requests sent", len(exchanges), sent)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, finding := range recording.Audit(data, recording.Secrets{AccessKey: testAccessKey, SecretKey: testSecretKey}) {
			t.Errorf("%s: %s", filepath.Base(f), finding)
		}
	}
}
