package provider

import (
	"fmt"
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
	memberKeys, err := memberEncoding(t)
	if err != nil {
		return nil, err
	}
	keys := sortedKeys(t.AttributeTypes)
	encoded := make(map[string][]byte, len(keys))
	size := mapHeaderSize(len(keys))
	for _, k := range keys {
		size += strSize(k)
		if k == "members" {
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
	kept := 0
	for i := range members {
		m := &members[i]
		if !keep(m, status, memberType) {
			continue
		}
		kept++
		size += mapHeaderSize(len(memberKeys))
		for _, f := range memberKeys {
			size += len(f.key)
			if s, ok := f.value(m); ok {
				size += strSize(s)
			} else {
				size++ // nil
			}
		}
	}
	size += arrayHeaderSize(kept)

	e := msgpackWriter(make([]byte, 0, size))
	e.mapHeader(len(keys))
	for _, k := range keys {
		e.str(k)
		if k != "members" {
			e = append(e, encoded[k]...)
			continue
		}
		e.arrayHeader(kept)
		for i := range members {
			m := &members[i]
			if !keep(m, status, memberType) {
				continue
			}
			e.mapHeader(len(memberKeys))
			for _, f := range memberKeys {
				e = append(e, f.key...)
				if s, ok := f.value(m); ok {
					e.str(s)
				} else {
					e = append(e, 0xc0)
				}
			}
		}
	}
	return e, nil
}

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

// memberEncoding is members' element attributes in encoding order, from
// the schema, so that the bytes cannot drift from it.
func memberEncoding(t tftypes.Object) ([]memberField, error) {
	list, ok := t.AttributeTypes["members"].(tftypes.List)
	if !ok {
		return nil, fmt.Errorf("members is a %s, not a list", t.AttributeTypes["members"])
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

func arrayHeaderSize(n int) int { return headerSize(n) }
func mapHeaderSize(n int) int   { return headerSize(n) }

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
