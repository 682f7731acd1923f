package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// setImagesState writes ims_images' state: the configuration as given,
// the region and project the read used, ids and images in API order.
func setImagesState(ctx context.Context, state *tfsdk.State, m imagesModel, region, projectID string, images []client.Image) diag.Diagnostics {
	t, listType, objType, err := stateTypes(ctx, state, "images")
	if err != nil {
		return stateBug(err)
	}
	ids := make([]tftypes.Value, len(images))
	elems := make([]tftypes.Value, len(images))
	for i := range images {
		ids[i] = tftypes.NewValue(tftypes.String, images[i].ID)
		elems[i] = imageValue(objType, &images[i])
	}
	return writeState(ctx, state, t, map[string]tftypes.Value{
		"region":     tftypes.NewValue(tftypes.String, region),
		"project_id": tftypes.NewValue(tftypes.String, projectID),
		"ids":        tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, ids),
		"images":     tftypes.NewValue(listType, elems),
	}, map[string]attr.Value{
		"image_type": m.ImageType, "owner": m.Owner, "member_status": m.MemberStatus, "name": m.Name,
		"status": m.Status, "os_type": m.OSType, "platform": m.Platform, "architecture": m.Architecture,
		"enterprise_project_id": m.EnterpriseProjectID, "tag": m.Tag, "sort_key": m.SortKey, "sort_dir": m.SortDir,
		"page_size": m.PageSize, "timeouts": m.Timeouts,
	})
}

// imageValue is one image; a field the API left out is null.
func imageValue(objType tftypes.Object, img *client.Image) tftypes.Value {
	str := func(s *string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	num := func(n *int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }
	tagsType := tftypes.List{ElementType: tftypes.String}
	tags := tftypes.NewValue(tagsType, nil)
	if img.Tags != nil {
		elems := make([]tftypes.Value, len(img.Tags))
		for i, tag := range img.Tags {
			elems[i] = tftypes.NewValue(tftypes.String, tag)
		}
		tags = tftypes.NewValue(tagsType, elems)
	}
	return tftypes.NewValue(objType, map[string]tftypes.Value{
		"id":                    tftypes.NewValue(tftypes.String, img.ID),
		"name":                  str(img.Name),
		"status":                str(img.Status),
		"visibility":            str(img.Visibility),
		"image_type":            str(img.ImageType),
		"owner":                 str(img.Owner),
		"os_type":               str(img.OSType),
		"platform":              str(img.Platform),
		"os_version":            str(img.OSVersion),
		"os_bit":                str(img.OSBit),
		"architecture":          str(architecture(img.SupportARM)),
		"min_disk_gb":           num(img.MinDiskGB),
		"min_ram_mb":            num(img.MinRAMMB),
		"size_bytes":            num(img.SizeBytes),
		"disk_format":           str(img.DiskFormat),
		"virtual_env_type":      str(img.VirtualEnvType),
		"enterprise_project_id": str(img.EnterpriseProjectID),
		"tags":                  tags,
		"protected":             tftypes.NewValue(tftypes.Bool, img.Protected),
		"description":           str(img.Description),
		"created_at":            str(img.CreatedAt),
		"updated_at":            str(img.UpdatedAt),
	})
}

// architecture reads __support_arm: "true" is arm, "false" is x86, and
// anything else (absent included) is unknown to us: null.
func architecture(supportARM *string) *string {
	var a string
	switch {
	case supportARM == nil:
		return nil
	case *supportARM == "true":
		a = "arm"
	case *supportARM == "false":
		a = "x86"
	default:
		return nil
	}
	return &a
}

// ims_images builds its state's tftypes.Value directly and assigns
// State.Raw: it is read through the framework (no direct path), and
// State.Set would first build an attr.Value per element and then walk a
// model by reflection. (ims_image_members and ims_shared_images use
// State.Set: their Read is the reference the direct encoder is tested
// against, and it does not run when Terraform reads them.)

// stateTypes are the state's object type and those of its list(object)
// attribute name, from the schema, so that the values built cannot drift
// from it.
func stateTypes(ctx context.Context, state *tfsdk.State, name string) (t tftypes.Object, list tftypes.List, elem tftypes.Object, err error) {
	t, ok := state.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		return t, list, elem, fmt.Errorf("the data source's state is a %s, not an object", state.Schema.Type())
	}
	if list, ok = t.AttributeTypes[name].(tftypes.List); !ok {
		return t, list, elem, fmt.Errorf("%s is a %s, not a list", name, t.AttributeTypes[name])
	}
	if elem, ok = list.ElementType.(tftypes.Object); !ok {
		return t, list, elem, fmt.Errorf("%s's elements are %s, not objects", name, list.ElementType)
	}
	return t, list, elem, nil
}

// writeState sets state to the computed values plus the configuration's
// own values unchanged (as State.Set would write them from the model).
func writeState(ctx context.Context, state *tfsdk.State, t tftypes.Object, computed map[string]tftypes.Value, config map[string]attr.Value) diag.Diagnostics {
	var diags diag.Diagnostics
	for name, v := range config {
		tv, err := v.ToTerraformValue(ctx)
		if err != nil {
			diags.AddError("Cannot convert "+name, err.Error())
			return diags
		}
		computed[name] = tv
	}
	// NewValue panics on a missing attribute or a type mismatch; a bug here
	// should be a diagnostic, not a crash of the plugin.
	if err := tftypes.ValidateValue(t, computed); err != nil {
		diags.AddError("Invalid state", err.Error()+"; this is a bug in the provider")
		return diags
	}
	state.Raw = tftypes.NewValue(t, computed)
	return diags
}
