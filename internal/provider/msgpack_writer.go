package provider

import (
	"fmt"
	"maps"
	"sort"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The direct reads' msgpack (image_members_state_msgpack.go,
// shared_images_state_msgpack.go) is written here, in the encoding tftypes
// uses: objects as maps with sorted keys, the shortest headers.

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

// configAttributes is the configuration's type and a copy of its
// attributes, for the state to start from.
func configAttributes(config tftypes.Value) (tftypes.Object, map[string]tftypes.Value, error) {
	t, ok := config.Type().(tftypes.Object)
	if !ok {
		return t, nil, fmt.Errorf("the configuration is a %s, not an object", config.Type())
	}
	var given map[string]tftypes.Value
	if err := config.As(&given); err != nil {
		return t, nil, err
	}
	// As hands out the value's own map: write to a copy.
	return t, maps.Clone(given), nil
}
