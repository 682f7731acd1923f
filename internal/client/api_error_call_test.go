package client_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// TestAPIErrorNamesTheCall: each call's APIError carries its service and
// operation, so the provider's hint can fit the call that failed.
func TestAPIErrorNamesTheCall(t *testing.T) {
	for _, tc := range []struct {
		faultPath, service, operation string
		call                          func(*client.Client) error
	}{
		{"/v3/projects", "iam", client.OpLookUpProject, func(c *client.Client) error {
			_, err := c.ProjectID(context.Background(), testRegion)
			return err
		}},
		{"/v3/auth/projects", "iam", client.OpListAuthProjects, func(c *client.Client) error {
			_, err := c.ListAuthProjects(context.Background(), testRegion)
			return err
		}},
		{"/members", "ims", client.OpListImageMembers, func(c *client.Client) error {
			_, err := c.ListImageMembers(context.Background(), client.ListImageMembersInput{Region: testRegion, ProjectID: testProject, ImageID: testImage})
			return err
		}},
		{"/v2/cloudimages", "ims", client.OpListImages, func(c *client.Client) error {
			_, err := c.ListImages(context.Background(), client.ListImagesInput{Region: testRegion, ProjectID: testProject})
			return err
		}},
	} {
		t.Run(tc.operation, func(t *testing.T) {
			e, c := newEmulatorClient(t, nil)
			e.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 403, Path: tc.faultPath})
			var apiErr *client.APIError
			if err := tc.call(c); !errors.As(err, &apiErr) {
				t.Fatalf("want an APIError, got %v", err)
			}
			if apiErr.StatusCode != 403 || apiErr.Service != tc.service || apiErr.Operation != tc.operation {
				t.Errorf("got status %d, service %q, operation %q; want 403, %q, %q",
					apiErr.StatusCode, apiErr.Service, apiErr.Operation, tc.service, tc.operation)
			}
		})
	}
}
