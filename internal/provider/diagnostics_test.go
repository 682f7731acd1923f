package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// TestForbiddenHintFitsTheCall: a 403 says what to grant for the call that
// failed. The IAM project lookup points at project_id / HW_PROJECT_ID or the
// IAM permission to list projects, never at IMS; an IMS call at IMS read
// permission for what it read.
func TestForbiddenHintFitsTheCall(t *testing.T) {
	const imageID = "f0bb1dde-1bc3-4c3f-893e-3e471fd16e64"
	for _, tc := range []struct {
		name, faultPath, dataSource string
		withoutProjectID            bool
		says, never                 []string
	}{
		{"IAM project lookup", "/v3/projects", "ims_image_members", true,
			[]string{"HTTP 403", "project_id", "HW_PROJECT_ID", "IAM permission to list projects"}, []string{"IMS read permission"}},
		{"IMS member list", "/members", "ims_image_members", false,
			[]string{"HTTP 403", "IMS read permission", "image members"}, []string{"HW_PROJECT_ID", "list projects"}},
		{"IMS image list", "/v2/cloudimages", "ims_images", false,
			[]string{"HTTP 403", "IMS read permission", "list images"}, []string{"HW_PROJECT_ID", "list projects"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			s.addImage(imageID, 2)
			s.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 403, Path: tc.faultPath})
			config := s.emulatorProviderConfig()
			if tc.withoutProjectID {
				delete(config, "project_id")
			}
			p := newProtocolProvider(t)
			p.configure(context.Background(), t, config)
			var attrs map[string]tftypes.Value
			if tc.dataSource == "ims_image_members" {
				attrs = map[string]tftypes.Value{"image_id": tfString(imageID)}
			}
			_, diags, err := p.readDataSource(context.Background(), tc.dataSource, attrs)
			if err != nil {
				t.Fatal(err)
			}
			text := diagnosticsText(diags)
			for _, w := range tc.says {
				if !strings.Contains(text, w) {
					t.Errorf("the diagnostic does not say %q: %s", w, text)
				}
			}
			for _, w := range tc.never {
				if strings.Contains(text, w) {
					t.Errorf("the diagnostic says %q, which does not fit the call: %s", w, text)
				}
			}
		})
	}
}
