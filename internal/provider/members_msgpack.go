package provider

import (
	"fmt"
	"slices"
	"sort"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// encodeMembersState is ims_image_members' state as the msgpack Terraform
// receives, byte for byte what tftypes would encode for the value
// setMembersState builds (objects as maps with sorted keys, the shortest
// string, array and map headers), written straight from the client's
// members: no tftypes.Value per member, one buffer of the exact size.
// attrs holds every attribute but members; the filters are membersValue's.
func encodeMembersState(t tftypes.Object, attrs map[string]tftypes.Value, members []client.Member, status, memberType string) ([]byte, error) {
	enc, err := membersEncoder(t.AttributeTypes["members"], members, status, memberType)
	if err != nil {
		return nil, err
	}
	return encodeObject(t, attrs, map[string]attrEncoder{"members": enc})
}

// encodeSharedImagesState is ims_shared_images' state, likewise: what
// setSharedImagesState builds, to the byte.
func encodeSharedImagesState(t tftypes.Object, attrs map[string]tftypes.Value, images []sharedImage, status, memberType string) ([]byte, error) {
	enc, err := imagesEncoder(t.AttributeTypes["images"], images, status, memberType)
	if err != nil {
		return nil, err
	}
	return encodeObject(t, attrs, map[string]attrEncoder{"images": enc})
}

// attrEncoder writes one attribute's value of a known encoded size.
type attrEncoder struct {
	size  int
	write func(*msgpackWriter)
}

// encodeObject encodes an object of type t: the attributes in direct by
// their encoders, every other one from attrs through tftypes.
func encodeObject(t tftypes.Object, attrs map[string]tftypes.Value, direct map[string]attrEncoder) ([]byte, error) {
	keys := sortedKeys(t.AttributeTypes)
	encoded := make(map[string][]byte, len(keys))
	size := headerSize(len(keys))
	for _, k := range keys {
		size += strSize(k)
		if enc, ok := direct[k]; ok {
			size += enc.size
			continue
		}
		v, ok := attrs[k]
		if !ok {
			return nil, fmt.Errorf("no value for %s", k)
		}
		dv, err := tfprotov6.NewDynamicValue(t.AttributeTypes[k], v)
		if err != nil {
			return nil, err
		}
		encoded[k] = dv.MsgPack
		size += len(dv.MsgPack)
	}
	e := msgpackWriter(make([]byte, 0, size))
	e.mapHeader(len(keys))
	for _, k := range keys {
		e.str(k)
		if enc, ok := direct[k]; ok {
			enc.write(&e)
		} else {
			e = append(e, encoded[k]...)
		}
	}
	return e, nil
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

// imagesEncoder is ims_shared_images' images list: id, name (null when
// unknown), the filtered members, project_id and region of each image.
func imagesEncoder(listType tftypes.Type, images []sharedImage, status, memberType string) (attrEncoder, error) {
	list, ok := listType.(tftypes.List)
	if !ok {
		return attrEncoder{}, fmt.Errorf("images is a %s, not a list", listType)
	}
	obj, ok := list.ElementType.(tftypes.Object)
	if !ok {
		return attrEncoder{}, fmt.Errorf("images' elements are %s, not objects", list.ElementType)
	}
	keys := sortedKeys(obj.AttributeTypes)
	if !slices.Equal(keys, sharedImageKeys) {
		return attrEncoder{}, fmt.Errorf("images' elements are %s, not %v", obj, sharedImageKeys)
	}
	for _, k := range keys {
		if k != "members" && !obj.AttributeTypes[k].Equal(tftypes.String) {
			return attrEncoder{}, fmt.Errorf("images' attribute %s is a %s, not a string", k, obj.AttributeTypes[k])
		}
	}
	members := make([]attrEncoder, len(images))
	size := headerSize(len(images))
	for i, img := range images {
		enc, err := membersEncoder(obj.AttributeTypes["members"], img.list.Members, status, memberType)
		if err != nil {
			return attrEncoder{}, err
		}
		members[i] = enc
		size += headerSize(len(keys)) + strSize("id") + strSize(img.id) + strSize("members") + enc.size + strSize("name") + 1
		if img.name != nil {
			size += strSize(*img.name) - 1
		}
		size += strSize("project_id") + strSize(img.projectID) + strSize("region") + strSize(img.region)
	}
	return attrEncoder{size: size, write: func(e *msgpackWriter) {
		e.arrayHeader(len(images))
		for i, img := range images {
			e.mapHeader(len(keys))
			e.str("id")
			e.str(img.id)
			e.str("members")
			members[i].write(e)
			e.str("name")
			if img.name != nil {
				e.str(*img.name)
			} else {
				e.null()
			}
			e.str("project_id")
			e.str(img.projectID)
			e.str("region")
			e.str(img.region)
		}
	}}, nil
}

// sharedImageKeys are the attributes of an element of images, in encoding
// (sorted) order.
var sharedImageKeys = []string{"id", "members", "name", "project_id", "region"}

// memberField is one attribute of a member: its key, encoded, and where
// its value comes from (false for null).
type memberField struct {
	key   []byte
	value func(*client.Member) (string, bool)
}

// memberValues maps each attribute of members' elements to the client's
// field; memberEncoding refuses a schema with any other.
var memberValues = map[string]func(*client.Member) (string, bool){
	"member_id":   func(m *client.Member) (string, bool) { return m.MemberID, true },
	"member_type": func(m *client.Member) (string, bool) { return m.MemberType, true },
	"status":      func(m *client.Member) (string, bool) { return m.Status, true },
	"image_id":    func(m *client.Member) (string, bool) { return m.ImageID, true },
	"schema":      func(m *client.Member) (string, bool) { return m.Schema, true },
	"created_at":  func(m *client.Member) (string, bool) { return m.CreatedAt, true },
	"updated_at":  func(m *client.Member) (string, bool) { return m.UpdatedAt, true },
	"urn": func(m *client.Member) (string, bool) {
		if m.URN == nil {
			return "", false
		}
		return *m.URN, true
	},
}

// memberEncoding is the attributes of members' elements in encoding
// order, from the schema, so that the bytes cannot drift from it.
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
		value, known := memberValues[k]
		if !known || !elem.AttributeTypes[k].Equal(tftypes.String) {
			return nil, fmt.Errorf("members' attribute %s (%s) has no string field in the client's member", k, elem.AttributeTypes[k])
		}
		var key msgpackWriter
		key.str(k)
		fields = append(fields, memberField{key: key, value: value})
	}
	return fields, nil
}

func sortedKeys(types map[string]tftypes.Type) []string {
	keys := make([]string, 0, len(types))
	for k := range types {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// msgpackWriter appends msgpack in the encoding tftypes uses (its msgpack
// library's shortest forms).
type msgpackWriter []byte

func (e *msgpackWriter) str(s string) {
	switch n := len(s); {
	case n < 32:
		*e = append(*e, 0xa0|byte(n))
	case n < 1<<8:
		*e = append(*e, 0xd9, byte(n))
	case n < 1<<16:
		*e = append(*e, 0xda, byte(n>>8), byte(n))
	default:
		*e = append(*e, 0xdb, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	*e = append(*e, s...)
}

func (e *msgpackWriter) null() { *e = append(*e, 0xc0) }

func (e *msgpackWriter) arrayHeader(n int) { e.header(n, 0x90, 0xdc, 0xdd) }
func (e *msgpackWriter) mapHeader(n int)   { e.header(n, 0x80, 0xde, 0xdf) }

func (e *msgpackWriter) header(n int, fix, n16, n32 byte) {
	switch {
	case n < 16:
		*e = append(*e, fix|byte(n))
	case n < 1<<16:
		*e = append(*e, n16, byte(n>>8), byte(n))
	default:
		*e = append(*e, n32, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}

func strSize(s string) int {
	switch n := len(s); {
	case n < 32:
		return 1 + n
	case n < 1<<8:
		return 2 + n
	case n < 1<<16:
		return 3 + n
	default:
		return 5 + n
	}
}

// headerSize is the size of the header of an array or map of n elements.
func headerSize(n int) int {
	switch {
	case n < 16:
		return 1
	case n < 1<<16:
		return 3
	default:
		return 5
	}
}
