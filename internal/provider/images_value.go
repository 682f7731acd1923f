package provider

import (
	"context"

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
