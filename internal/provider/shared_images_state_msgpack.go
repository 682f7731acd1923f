package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// encodeSharedImagesState is ims_shared_images' state, likewise: what its
// Read sets, to the byte.
func encodeSharedImagesState(t tftypes.Object, attrs map[string]tftypes.Value, images []sharedImage, status, memberType string) ([]byte, error) {
	enc, err := imagesEncoder(t.AttributeTypes["images"], images, status, memberType)
	if err != nil {
		return nil, err
	}
	return encodeObject(t, attrs, map[string]attrEncoder{"images": enc})
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
	"project_id": func(img *sharedImage) (string, bool) { return img.projectID, true },
	"region":     func(img *sharedImage) (string, bool) { return img.region, true },
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
