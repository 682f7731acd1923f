package provider

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The account-wide forms of ims_shared_images: all_projects and regions
// (IMAGES-AND-SHARING "Account-wide reads").

// accountWide reports whether the configuration asks for many projects.
func (m sharedImagesModel) accountWide() bool {
	return m.AllProjects.ValueBool() || !m.Regions.IsNull()
}

// fetchAccount reads every project the configuration covers, in parallel,
// each at its own region's endpoint (and so its own request budget), and
// returns their images ordered by region, project ID, then enumeration. A
// project that cannot be read fails the whole read, naming it and its
// region: an audit with a silent gap would pass off a partial result as
// complete.
func (d *sharedImagesDataSource) fetchAccount(ctx context.Context, m sharedImagesModel, op operation, diags *diag.Diagnostics) *fetchedSharedImages {
	var regions []string
	if !m.Regions.IsNull() {
		diags.Append(m.Regions.ElementsAs(ctx, &regions, false)...)
		if diags.HasError() {
			return nil
		}
	}
	projects, err := d.accountProjects(ctx, m.AllProjects.ValueBool(), regions)
	if err != nil {
		op.fail(diags, "Cannot find the projects to read shared images of", err)
		return nil
	}
	results := make([]projectRead, len(projects))
	// One failing project stops the others: the read fails anyway.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	for i, p := range projects {
		wg.Go(func() {
			r := &results[i]
			r.images, r.warnings, r.err = d.readProject(ctx, p, nil, true)
			if r.err != nil && context.Cause(ctx) == nil {
				cancel(errAnotherProjectFailed)
			}
		})
	}
	wg.Wait()

	var images []sharedImage
	for i, r := range results {
		p := projects[i]
		switch {
		case r.err == nil:
			for _, w := range r.warnings {
				diags.AddWarning(w.Summary(), fmt.Sprintf("Project %s in region %s: %s", p.id, p.region, w.Detail()))
			}
			images = append(images, r.images...)
		case errors.Is(context.Cause(ctx), errAnotherProjectFailed) && errors.Is(r.err, context.Canceled):
			// Stopped because another project failed; that one is reported.
		default:
			op.fail(diags, fmt.Sprintf("Cannot read the shared images of project %s in region %s", p.id, p.region), projectFailure(p, r.err))
		}
	}
	if diags.HasError() {
		return nil
	}
	return &fetchedSharedImages{model: m, images: images}
}

var errAnotherProjectFailed = errors.New("another project of the account-wide read failed")

// obsSystemProject is the project IAM keeps for OBS in every account
// (IAM API reference, "Querying Information About a Specified Project":
// "MOS", the default project name of OBS). It is no region and has no IMS
// endpoint, so all_projects leaves it out.
const obsSystemProject = "MOS"

// projectRead is one project's share of an account-wide read.
type projectRead struct {
	images   []sharedImage
	warnings diag.Diagnostics
	err      error
}

// projectFailure is why project p could not be read: which of its calls
// failed, where the error knows.
func projectFailure(p project, err error) error {
	var failed *imageReadError
	var listing *listingError
	switch {
	case errors.As(err, &failed):
		return &failedStep{fmt.Sprintf("Reading the members of image %s (project %s, region %s): ", failed.image.label(), p.id, p.region), failed.err}
	case errors.As(err, &listing):
		return &failedStep{fmt.Sprintf("Listing the images project %s shares in region %s: ", p.id, p.region), listing.err}
	}
	return err
}

// failedStep is err in the step of a read that drew it: step, then err.
type failedStep struct {
	step string
	err  error
}

func (e *failedStep) Error() string { return e.step + e.err.Error() }
func (e *failedStep) Unwrap() error { return e.err }

// accountProjects is the projects an account-wide read covers, ordered by
// region then project ID. With all: every enabled project IAM lists for
// the credentials (sub-projects included; not OBS's MOS), in the given regions only when
// regions is set; each region given must have one. Without all: the
// default project of each region, found as the provider finds its own.
func (d *sharedImagesDataSource) accountProjects(ctx context.Context, all bool, regions []string) ([]project, error) {
	var out []project
	if all {
		listed, err := d.data.client.ListAuthProjects(ctx, d.data.region)
		if err != nil {
			return nil, err
		}
		wanted := map[string]bool{}
		for _, r := range regions {
			wanted[r] = false
		}
		for _, p := range listed {
			region := p.Region()
			if seen, ok := wanted[region]; !p.Enabled || p.Name == obsSystemProject || (len(regions) > 0 && !ok) {
				continue
			} else if ok && !seen {
				wanted[region] = true
			}
			out = append(out, project{region: region, id: p.ID})
		}
		var missing []string
		for r, seen := range wanted {
			if !seen {
				missing = append(missing, r)
			}
		}
		if len(missing) > 0 {
			slices.Sort(missing)
			return nil, fmt.Errorf("IAM lists no enabled project of these credentials in region(s) %s (GET /v3/auth/projects); remove them from regions or check the region names",
				strings.Join(missing, ", "))
		}
	} else {
		for _, r := range regions {
			_, id, err := d.data.target(ctx, types.StringValue(r), types.StringNull())
			if err != nil {
				return nil, fmt.Errorf("region %s: %w", r, err)
			}
			out = append(out, project{region: r, id: id})
		}
	}
	slices.SortFunc(out, func(a, b project) int { return cmp.Or(cmp.Compare(a.region, b.region), cmp.Compare(a.id, b.id)) })
	return slices.Compact(out), nil
}

var _ datasource.DataSourceWithValidateConfig = (*sharedImagesDataSource)(nil)

// ValidateConfig refuses, at plan time, the single-project arguments
// (region, project_id, image_ids) beside the account-wide ones: each
// names one project, which an account-wide read has many of. An unknown
// all_projects or regions is judged once known.
func (d *sharedImagesDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var m sharedImagesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var wide []string
	if m.AllProjects.ValueBool() {
		wide = append(wide, "all_projects")
	}
	if !m.Regions.IsNull() && !m.Regions.IsUnknown() {
		wide = append(wide, "regions")
	}
	if len(wide) == 0 {
		return
	}
	for _, single := range []struct {
		name string
		set  bool
	}{
		{"region", !m.Region.IsNull()},
		{"project_id", !m.ProjectID.IsNull()},
		{"image_ids", !m.ImageIDs.IsNull()},
	} {
		if single.set {
			resp.Diagnostics.AddAttributeError(path.Root(single.name), "Conflicting arguments",
				fmt.Sprintf("%s names one project's read and cannot be combined with %s, which read many projects: "+
					"every image in the result says its own region and project_id. Remove %s, or remove %s to read one project.",
					single.name, strings.Join(wide, " and "), single.name, strings.Join(wide, " and ")))
		}
	}
}
