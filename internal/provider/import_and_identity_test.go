package provider

import (
	"context"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// identityOf is the identity the resources record for an image of the test
// project.
func identityOf(imageID string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{
		"image_id":   knownvalue.StringExact(imageID),
		"project_id": knownvalue.StringExact(testProjectID),
		"region":     knownvalue.StringExact(testRegion),
	}
}

// importBlock is an import block by identity with the given attributes.
func importBlock(address, identity string) string {
	return "\nimport {\n  to       = " + address + "\n  identity = {\n" + identity + "\n  }\n}\n"
}

// Both resources import by identity (an import block's identity, Terraform
// 1.12+), whole or by image_id alone, beside the import ID; each import
// plans no change and ends with the same identity.
func TestResourceIdentity_importByIdentity(t *testing.T) {
	s := newShareServer(t)
	s.addWorld()
	share := s.shareConfig(`project_ids = ["` + shareProject + `"]`)
	acceptance := s.acceptanceConfig(worldIncomingRejected, "")
	for _, tc := range []struct {
		name, address, imageID, config string
	}{
		{"ims_image_share", shareAddress, shareImage, share},
		{"ims_shared_image_acceptance", acceptanceAddress, worldIncomingRejected, acceptance},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks: []tfversion.TerraformVersionCheck{
					// Import blocks take an identity from Terraform 1.12 on.
					tfversion.SkipBelow(tfversion.Version1_12_0),
				},
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{
					{
						Config:            tc.config,
						ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectIdentity(tc.address, identityOf(tc.imageID))},
					},
					{ResourceName: tc.address, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
					{
						// image_id alone: the provider's project and region.
						ResourceName: tc.address, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity,
						ImportStateConfigExact: true,
						Config:                 tc.config + importBlock(tc.address, `    image_id = "`+tc.imageID+`"`),
					},
					{ResourceName: tc.address, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
				},
			})
		})
	}
}

// An identity that names no image, or a project or region that cannot be
// one, fails the import with the attribute named, before any request.
func TestResourceIdentity_invalidIdentity(t *testing.T) {
	s := newShareServer(t)
	config := s.shareConfig(`project_ids = ["` + shareProject + `"]`)
	for _, tc := range []struct {
		name, identity string
		want           *regexp.Regexp
	}{
		{"image_id", `    image_id = "golden"`, wrappedText("Invalid import identity", `image_id must be an image ID in UUID form`, `not "golden"`)},
		{"project_id", `    image_id = "` + shareImage + `"
    project_id = "PROJECT"`, wrappedText(`project_id "PROJECT" is not a project ID`)},
		{"region", `    image_id = "` + shareImage + `"
    region = "cn north 4"`, wrappedText("region:", "cannot be part of a host name")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      config + importBlock(shareAddress, tc.identity),
					PlanOnly:    true,
					ExpectError: tc.want,
				}},
			})
		})
	}
	if n := s.CountRequests(""); n != 0 {
		t.Errorf("invalid identities sent %d requests", n)
	}
}

// A state written without an identity (by Terraform before 1.12, or by
// OpenTofu) whose image is gone: Read removes the resource and still
// answers with an identity, or the framework fails the refresh with
// "Missing Resource Identity After Read". Read through the protocol, as
// every CLI sends it; TestImageShare_imageGoneAfterApply and
// TestSharedImageAcceptance_unshared take the same path under each CLI CI
// runs.
func TestResourceIdentity_vanishedImageWithoutIdentity(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		typeName, imageID string
		vanish            func(*testServer)
	}{
		{"ims_image_share", worldShared2, func(s *testServer) { s.DeleteImage(testProjectID, worldShared2) }},
		{"ims_shared_image_acceptance", worldIncomingAccepted, func(s *testServer) {
			mustEmu(t, s.RemoveMembers(peerProjectID, worldIncomingAccepted, testProjectID))
		}},
	} {
		t.Run(tc.typeName, func(t *testing.T) {
			s := newTestServer(t)
			s.addWorld()
			p := newProtocolProvider(t)
			p.configure(ctx, t, s.emulatorProviderConfig())
			schemas, err := p.server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
			if err != nil {
				t.Fatal(err)
			}
			typ := schemas.ResourceSchemas[tc.typeName].ValueType().(tftypes.Object)
			state := dynamicValue(t, typ, map[string]tftypes.Value{
				"id": tfString(tc.imageID), "image_id": tfString(tc.imageID),
				"region": tfString(testRegion), "project_id": tfString(testProjectID),
			})
			read := func() *tfprotov6.ReadResourceResponse {
				resp, err := p.server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: tc.typeName, CurrentState: &state})
				if err != nil {
					t.Fatal(err)
				}
				if msg := diagnosticsText(resp.Diagnostics); msg != "" {
					t.Fatalf("ReadResource: %s", msg)
				}
				return resp
			}

			// Still there: the state gains its identity.
			resp := read()
			if resp.NewIdentity == nil {
				t.Fatal("Read of a state without identity answered with none")
			}
			idType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"image_id": tftypes.String, "project_id": tftypes.String, "region": tftypes.String}}
			id, err := resp.NewIdentity.IdentityData.Unmarshal(idType)
			if err != nil {
				t.Fatal(err)
			}
			want := tftypes.NewValue(idType, map[string]tftypes.Value{
				"image_id": tfString(tc.imageID), "project_id": tfString(testProjectID), "region": tfString(testRegion),
			})
			if !id.Equal(want) {
				t.Errorf("identity %v, want %v", id, want)
			}

			// Gone: the resource leaves the state, without an error.
			tc.vanish(s)
			resp = read()
			newState, err := resp.NewState.Unmarshal(typ)
			if err != nil {
				t.Fatal(err)
			}
			if !newState.IsNull() {
				t.Errorf("state after the image vanished: %v, want null", newState)
			}
		})
	}
}
