package provider

import (
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// encodeImageMembersState is the state the data source's Read sets: the
// configuration as given plus id, region, project_id, schema and the
// members that pass the filters.
func encodeImageMembersState(config tftypes.Value, m imageMembersModel, got *fetchedMembers) ([]byte, error) {
	t, attrs, err := configAttributes(config)
	if err != nil {
		return nil, err
	}
	attrs["id"] = tftypes.NewValue(tftypes.String, m.ImageID.ValueString())
	attrs["region"] = tftypes.NewValue(tftypes.String, got.region)
	attrs["project_id"] = tftypes.NewValue(tftypes.String, got.projectID)
	attrs["schema"] = tftypes.NewValue(tftypes.String, got.list.Schema)
	return encodeMembersState(t, attrs, got.list.Members, m.Status.ValueString(), m.MemberType.ValueString())
}

// encodeMembersState is ims_image_members' state as the msgpack Terraform
// receives, byte for byte what tftypes would encode for the state the
// data source's Read sets (objects as maps with sorted keys, the shortest
// string, array and map headers), written straight from the client's
// members: no tftypes.Value per member, one buffer of the exact size.
// attrs holds every attribute but members; the filters are keep's.
func encodeMembersState(t tftypes.Object, attrs map[string]tftypes.Value, members []client.Member, status, memberType string) ([]byte, error) {
	enc, err := membersEncoder(t.AttributeTypes["members"], members, status, memberType)
	if err != nil {
		return nil, err
	}
	return encodeObject(t, attrs, map[string]attrEncoder{"members": enc})
}

// membersEncoder is a members list (of type listType) of the members that
// pass the filters, in API order; empty, not null, when none does.
func membersEncoder(listType tftypes.Type, members []client.Member, status, memberType string) (attrEncoder, error) {
	fields, err := memberEncoding(listType)
	if err != nil {
		return attrEncoder{}, err
	}
	kept, size := 0, 0
	for i := range members {
		m := &members[i]
		if !keep(m, status, memberType) {
			continue
		}
		kept++
		size += headerSize(len(fields))
		for _, f := range fields {
			size += len(f.key)
			if s, ok := f.value(m); ok {
				size += strSize(s)
			} else {
				size++ // nil
			}
		}
	}
	size += headerSize(kept)
	return attrEncoder{size: size, write: func(e *msgpackWriter) {
		e.arrayHeader(kept)
		for i := range members {
			m := &members[i]
			if !keep(m, status, memberType) {
				continue
			}
			e.mapHeader(len(fields))
			for _, f := range fields {
				*e = append(*e, f.key...)
				if s, ok := f.value(m); ok {
					e.str(s)
				} else {
					e.null()
				}
			}
		}
	}}, nil
}

// memberField is one attribute of a member: its key, encoded, and where
// its value comes from (false for null).
type memberField struct {
	key   []byte
	value func(*client.Member) (string, bool)
}

// memberEncoding is the attributes of members' elements in encoding
// order, from the schema, so that the bytes cannot drift from it; each
// one's value comes from memberAttributes, the one list of them.
func memberEncoding(listType tftypes.Type) ([]memberField, error) {
	list, ok := listType.(tftypes.List)
	if !ok {
		return nil, fmt.Errorf("members is a %s, not a list", listType)
	}
	elem, ok := list.ElementType.(tftypes.Object)
	if !ok {
		return nil, fmt.Errorf("members' elements are %s, not objects", list.ElementType)
	}
	fields := make([]memberField, 0, len(elem.AttributeTypes))
	for _, k := range sortedKeys(elem.AttributeTypes) {
		at := slices.IndexFunc(memberAttributes, func(a memberAttribute) bool { return a.name == k })
		if at < 0 || !elem.AttributeTypes[k].Equal(tftypes.String) {
			return nil, fmt.Errorf("members' attribute %s (%s) has no string field in the client's member", k, elem.AttributeTypes[k])
		}
		var key msgpackWriter
		key.str(k)
		fields = append(fields, memberField{key: key, value: memberAttributes[at].value})
	}
	return fields, nil
}
