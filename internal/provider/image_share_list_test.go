package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// queryVersionChecks skip a query test on a CLI without `terraform query`.
var queryVersionChecks = []tfversion.TerraformVersionCheck{
	// List blocks and `terraform query` came with Terraform 1.14.
	tfversion.SkipBelow(tfversion.Version1_14_0),
}

// queryInit is the step before a query: the .tf configuration a query's
// .tfquery.hcl file runs beside, naming the provider and nothing else.
var queryInit = resource.TestStep{Config: `
terraform {
  required_providers {
    ims = { source = "hashicorp/ims" }
  }
}
`}

// queryTest runs each step as a query (its Config a list block) after
// queryInit, on a Terraform that has terraform query.
func queryTest(t *testing.T, queries ...resource.TestStep) {
	t.Helper()
	steps := []resource.TestStep{queryInit}
	for _, q := range queries {
		q.Query = true
		steps = append(steps, q)
	}
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   queryVersionChecks,
		ProtoV6ProviderFactories: testProviderFactories,
		Steps:                    steps,
	})
}

// listBlock is a list block of typeName named name; body is its other
// arguments.
func (s *testServer) listBlock(typeName, name, body string) string {
	return s.providerBlock() + "\nlist \"" + typeName + "\" \"" + name + "\" {\n  provider = ims\n" + body + "\n}\n"
}

// setOf is a set check of exactly ids.
func setOf(ids []string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.StringExact(id)
	}
	return knownvalue.SetExact(checks)
}

// memberIDsOfType are the IDs (URNs for organization units) of members of
// type t, as the resource's sets hold them.
func memberIDsOfType(members []emulator.Member, t string) []string {
	var out []string
	for _, m := range members {
		if m.MemberType != t {
			continue
		}
		if m.URN != "" {
			out = append(out, m.URN)
		} else {
			out = append(out, m.MemberID)
		}
	}
	return out
}

// The project's shares, listed: one result per image with a member (the
// private image has none), each with its identity and display name, and
// with include_resource the resource an import gives, members as sets.
func TestImageShareList_query(t *testing.T) {
	s := newTestServer(t)
	w := s.addWorld()
	shared2 := w.members[worldShared2]
	queryTest(t, resource.TestStep{
		Config: s.listBlock("ims_image_share", "all", "  include_resource = true"),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("ims_image_share.all", 2),
			querycheck.ExpectIdentity("ims_image_share.all", identityOf(worldShared1)),
			querycheck.ExpectIdentity("ims_image_share.all", identityOf(worldShared2)),
			querycheck.ExpectResourceDisplayName("ims_image_share.all", queryfilter.ByResourceIdentity(identityOf(worldShared1)),
				knownvalue.StringExact("web-golden ("+worldShared1+")")),
			querycheck.ExpectResourceKnownValues("ims_image_share.all", queryfilter.ByResourceIdentity(identityOf(worldShared2)), []querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(worldShared2)},
				{Path: tfjsonpath.New("image_id"), KnownValue: knownvalue.StringExact(worldShared2)},
				{Path: tfjsonpath.New("region"), KnownValue: knownvalue.StringExact(testRegion)},
				{Path: tfjsonpath.New("project_id"), KnownValue: knownvalue.StringExact(testProjectID)},
				{Path: tfjsonpath.New("project_ids"), KnownValue: setOf(memberIDsOfType(shared2, "project"))},
				{Path: tfjsonpath.New("domain_ids"), KnownValue: setOf(memberIDsOfType(shared2, "domain"))},
				{Path: tfjsonpath.New("organization_urns"), KnownValue: setOf(memberIDsOfType(shared2, "organization"))},
				{Path: tfjsonpath.New("members"), KnownValue: knownvalue.ListSizeExact(len(shared2))},
			}),
		},
	})
	// The listing, then each shared image's members once, the private
	// image's never.
	if reads := s.memberReads(); reads[worldShared1] != 1 || reads[worldShared2] != 1 || reads[worldPrivate] != 0 {
		t.Errorf("member reads %v, want one each of the shared images", reads)
	}
}

// A kind of member the image has none of is an empty set in the listed
// resource, as Read records it (readSet: so that a configuration that
// leaves it out and one that writes [] both plan no change); without
// include_resource no resource is sent.
func TestImageShareList_onlyProjectsAndNoResource(t *testing.T) {
	s := newShareServer(t)
	mustEmu(t, s.UpsertMembers(testProjectID, shareImage, emulator.Member{MemberID: shareProject, MemberType: "project", Status: "accepted"}))
	identity := identityOf(shareImage)
	queryTest(t, resource.TestStep{
		Config: s.listBlock("ims_image_share", "one", "  include_resource = true"),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("ims_image_share.one", 1),
			querycheck.ExpectResourceDisplayName("ims_image_share.one", queryfilter.ByResourceIdentity(identity), knownvalue.StringExact("golden ("+shareImage+")")),
			querycheck.ExpectResourceKnownValues("ims_image_share.one", queryfilter.ByResourceIdentity(identity), []querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("project_ids"), KnownValue: setOf([]string{shareProject})},
				{Path: tfjsonpath.New("domain_ids"), KnownValue: setOf(nil)},
				{Path: tfjsonpath.New("organization_urns"), KnownValue: setOf(nil)},
			}),
		},
	}, resource.TestStep{
		Config: s.listBlock("ims_image_share", "one", ""),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectIdentity("ims_image_share.one", identity),
			expectNoResourceObject("ims_image_share.one"),
		},
	})
}

// A failure is one error naming what failed, never a partial list: here
// one image's members cannot be read.
func TestImageShareList_failureFailsTheQuery(t *testing.T) {
	s := newTestServer(t)
	s.addWorld()
	s.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 403, Path: worldShared1 + "/members"})
	queryTest(t, resource.TestStep{
		Config:      s.listBlock("ims_image_share", "all", ""),
		ExpectError: regexp.MustCompile(`Cannot read the members of image ` + worldShared1),
	})
}

// The list honours the list block's limit and says when it cut the list
// (a warning Terraform prints; query checks see only results, so the
// warning is tested in TestStreamResults_warnsWhenCut), and a project_id
// that cannot be one is refused before any request.
func TestImageShareList_limitAndValidation(t *testing.T) {
	s := newTestServer(t)
	s.addWorld()
	queryTest(t, resource.TestStep{
		Config: s.listBlock("ims_image_share", "first", "  limit = 1"),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("ims_image_share.first", 1),
		},
	}, resource.TestStep{
		Config:      s.listBlock("ims_image_share", "bad", "  config {\n    project_id = \"PROJECT\"\n  }"),
		ExpectError: wrappedText("must be a project ID"),
	})
	if qs := s.imageListQueries(); len(qs) == 0 || slices.ContainsFunc(qs, func(q string) bool { return strings.Contains(q, "PROJECT") }) {
		t.Errorf("image list queries %v: want the first list's, none with the invalid project", qs)
	}
}

// expectNoResourceObject fails when a result of the list block carries a
// resource object (asked for only with include_resource).
func expectNoResourceObject(listAddress string) querycheck.QueryResultCheck {
	return noResourceObject(listAddress)
}

type noResourceObject string

func (a noResourceObject) CheckQuery(_ context.Context, req querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	for _, r := range req.Query {
		if strings.TrimPrefix(r.Address, "list.") == string(a) && r.ResourceObject != nil {
			resp.Error = fmt.Errorf("%s: a result carries a resource object without include_resource: %v", a, r.ResourceObject)
		}
	}
}

func TestStreamResults_warnsWhenCut(t *testing.T) {
	results := []list.ListResult{{DisplayName: "a"}, {DisplayName: "b"}, {DisplayName: "c"}}
	for _, tc := range []struct {
		limit       int64
		wantNames   []string
		wantWarning bool
	}{
		{0, []string{"a", "b", "c"}, false},
		{3, []string{"a", "b", "c"}, false},
		{2, []string{"a", "b"}, true},
	} {
		var names []string
		warned := false
		for r := range streamResults(nil, results, tc.limit) {
			if r.DisplayName == "" {
				for _, d := range r.Diagnostics {
					warned = warned || (d.Summary() == "List cut at its limit" && strings.Contains(d.Detail(), "set limit = 3 or more"))
				}
				continue
			}
			names = append(names, r.DisplayName)
		}
		if !slices.Equal(names, tc.wantNames) || warned != tc.wantWarning {
			t.Errorf("limit %d: results %v, warned %v; want %v, %v", tc.limit, names, warned, tc.wantNames, tc.wantWarning)
		}
	}
}

// A list of many shared images reads every one, through the provider's
// request budget, against a gateway that allows 20 requests/s: as
// ims_shared_images' audit, every image is listed and the 429s stay few. The protocol's
// ListResource, as Terraform calls it; wall time is not asserted.
func TestImageShareList_manyImagesUnderGatewayThrottling(t *testing.T) {
	t.Parallel() // mostly waiting on the gateway's rate
	const images, rps = 200, auditGatewayRPS
	s, _ := newCountingTestServer(t, emulator.Config{})
	for i := range images {
		s.addImage(auditImageID(i), auditMembers)
	}
	s.SetRateLimit(rps, rps)
	ctx := context.Background()
	p := newProtocolProvider(t)
	p.configure(ctx, t, s.emulatorProviderConfig())
	configType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"region": tftypes.String, "project_id": tftypes.String}}
	config := dynamicValue(t, configType, nil)
	stream, err := p.server.(tfprotov6.ListResourceServer).ListResource(ctx, &tfprotov6.ListResourceRequest{
		TypeName: "ims_image_share", Config: &config,
	})
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for r := range stream.Results {
		if msg := diagnosticsText(r.Diagnostics); msg != "" {
			t.Fatalf("list result: %s", msg)
		}
		listed[r.DisplayName] = true
	}
	if len(listed) != images {
		t.Errorf("%d images listed, want %d", len(listed), images)
	}
	throttled, requests := 0, 0
	for _, r := range s.Requests() {
		requests++
		if r.Status == http.StatusTooManyRequests {
			throttled++
		}
	}
	t.Logf("%d images: %d requests, %d answered 429 (gateway %d/s)", images, requests, throttled, rps)
	// The budget starts above this gateway's rate, so the first second draws
	// some 429s (20 measured) and then it follows the gateway. Without the
	// budget the list fails: an image's retries run out.
	if throttled > 2*auditGatewayBurst {
		t.Errorf("%d requests were throttled (429) for %d images: the budget did not back off", throttled, images)
	}
}
