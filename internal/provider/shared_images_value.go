package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// setSharedImagesState writes ims_shared_images' state: the configuration
// as given, the region and project the read used (nil, null, when it read
// many), and every image with its
// members after the filters. The members are built as ims_image_members
// builds them (membersValue), directly: at 1,000 images of 256 members a
// read holds 256,000 of them.
func setSharedImagesState(ctx context.Context, state *tfsdk.State, m sharedImagesModel, region, projectID *string, images []sharedImage) diag.Diagnostics {
	t, listType, objType, err := stateTypes(ctx, state, "images")
	if err != nil {
		return stateBug(err)
	}
	membersType, ok := objType.AttributeTypes["members"].(tftypes.List)
	if !ok {
		return stateBug(fmt.Errorf("images' members is a %s, not a list", objType.AttributeTypes["members"]))
	}
	status, memberType := m.Status.ValueString(), m.MemberType.ValueString()
	elems := make([]tftypes.Value, len(images))
	for i, img := range images {
		members, err := membersValue(membersType, img.list.Members, status, memberType)
		if err != nil {
			return stateBug(err)
		}
		elems[i] = tftypes.NewValue(objType, map[string]tftypes.Value{
			"id":         tftypes.NewValue(tftypes.String, img.id),
			"name":       tftypes.NewValue(tftypes.String, img.name),
			"region":     tftypes.NewValue(tftypes.String, img.region),
			"project_id": tftypes.NewValue(tftypes.String, img.projectID),
			"members":    members,
		})
	}
	return writeState(ctx, state, t, map[string]tftypes.Value{
		"region":     tftypes.NewValue(tftypes.String, region),
		"project_id": tftypes.NewValue(tftypes.String, projectID),
		"images":     tftypes.NewValue(listType, elems),
	}, map[string]attr.Value{
		"all_projects": m.AllProjects, "regions": m.Regions, "image_ids": m.ImageIDs, "status": m.Status, "member_type": m.MemberType, "timeouts": m.Timeouts,
	})
}
