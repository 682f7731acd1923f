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

// encodeSharedImagesState is ims_shared_images' state, likewise: what its
// Read sets, to the byte.
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

// sharedImageAttributes are the string attributes of one element of
// ims_shared_images' images, besides its members (membersEncoder): each
// one's name and where its value comes from (false for null). An attribute
// added to sharedImageObjectType is one entry here (and its field in
// sharedImageModel); imagesEncoder refuses a schema this list does not
// cover.
var sharedImageAttributes = map[string]func(*sharedImage) (string, bool){
	"id": func(img *sharedImage) (string, bool) { return img.id, true },
	"name": func(img *sharedImage) (string, bool) {
		if img.name == nil {
			return "", false
		}
		return *img.name, true
	},
}

// imagesEncoder is ims_shared_images' images list: each image's
// attributes (sharedImageAttributes) and its filtered members.
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
	for _, k := range keys {
		if _, known := sharedImageAttributes[k]; k != "members" && (!known || !obj.AttributeTypes[k].Equal(tftypes.String)) {
			return attrEncoder{}, fmt.Errorf("images' attribute %s (%s) has no string field in sharedImage", k, obj.AttributeTypes[k])
		}
	}
	members := make([]attrEncoder, len(images))
	size := headerSize(len(images))
	for i := range images {
		img := &images[i]
		enc, err := membersEncoder(obj.AttributeTypes["members"], img.list.Members, status, memberType)
		if err != nil {
			return attrEncoder{}, err
		}
		members[i] = enc
		size += headerSize(len(keys))
		for _, k := range keys {
			size += strSize(k)
			if k == "members" {
				size += enc.size
			} else if v, ok := sharedImageAttributes[k](img); ok {
				size += strSize(v)
			} else {
				size++ // nil
			}
		}
	}
	return attrEncoder{size: size, write: func(e *msgpackWriter) {
		e.arrayHeader(len(images))
		for i := range images {
			img := &images[i]
			e.mapHeader(len(keys))
			for _, k := range keys {
				e.str(k)
				if k == "members" {
					members[i].write(e)
				} else if v, ok := sharedImageAttributes[k](img); ok {
					e.str(v)
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
