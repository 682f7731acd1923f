package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// regionAttribute is the region override every data source takes.
func regionAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{hostNamePart{}},
		MarkdownDescription: "Region to read from, overriding the provider's: a host name part such as `cn-north-4`, checked at plan time. The project of that region is looked up unless `project_id` is set too. " +
			"The read goes to that region's endpoint when the provider's `endpoints` are the default or contain `{region}`; a fixed endpoint serves every region. " +
			"Always set in state to the region the read used.",
	}
}

// projectIDAttribute is the project override every data source takes;
// role says what the project is to the read.
func projectIDAttribute(role string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		MarkdownDescription: role + ", overriding the provider's. Always set in state to the project the read used.",
	}
}

// memberStatusAttribute and memberTypeAttribute are the client-side member
// filters of ims_image_members and ims_shared_images.
func memberStatusAttribute() schema.StringAttribute {
	return oneOf("Keep only members with this status: `accepted`, `rejected` or `pending`. Filtered after reading every page (the API has no filter).",
		"accepted", "rejected", "pending")
}

func memberTypeAttribute() schema.StringAttribute {
	return oneOf("Keep only members of this type: `project`, `domain` or `organization`.", "project", "domain", "organization")
}

// oneOf is an optional string argument with a fixed set of values.
func oneOf(description string, values ...string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		Validators:          []validator.String{stringvalidator.OneOf(values...)},
		MarkdownDescription: description,
	}
}

// computedObjectList is a computed list of objects. It is a list attribute
// of objects rather than a nested attribute: the state is the same
// list(object), and terraform test's override_data and mock_data can fill
// it, which they cannot do for a nested list attribute.
func computedObjectList(elem types.ObjectType, description string) schema.ListAttribute {
	return schema.ListAttribute{Computed: true, ElementType: elem, MarkdownDescription: description}
}
