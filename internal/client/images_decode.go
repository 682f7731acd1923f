package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// wireImage holds each field of an image raw, so that a value of an
// unexpected JSON type is reported by name, with the image, instead of
// failing the whole page as "invalid JSON".
type wireImage struct {
	ID                  json.RawMessage `json:"id"`
	Name                json.RawMessage `json:"name"`
	Status              json.RawMessage `json:"status"`
	Visibility          json.RawMessage `json:"visibility"`
	ImageType           json.RawMessage `json:"__imagetype"`
	Owner               json.RawMessage `json:"owner"`
	OSType              json.RawMessage `json:"__os_type"`
	Platform            json.RawMessage `json:"__platform"`
	OSVersion           json.RawMessage `json:"__os_version"`
	OSBit               json.RawMessage `json:"__os_bit"`
	SupportARM          json.RawMessage `json:"__support_arm"`
	MinDisk             json.RawMessage `json:"min_disk"`
	MinRAM              json.RawMessage `json:"min_ram"`
	ImageSize           json.RawMessage `json:"__image_size"`
	DiskFormat          json.RawMessage `json:"disk_format"`
	VirtualEnvType      json.RawMessage `json:"virtual_env_type"`
	EnterpriseProjectID json.RawMessage `json:"enterprise_project_id"`
	Tags                json.RawMessage `json:"tags"`
	Protected           json.RawMessage `json:"protected"`
	Description         json.RawMessage `json:"__description"`
	CreatedAt           json.RawMessage `json:"created_at"`
	UpdatedAt           json.RawMessage `json:"updated_at"`
}

// image converts the raw fields; the returned Image carries the ID even on
// error, for the message.
func (w *wireImage) image() (Image, error) {
	var img Image
	d := fieldDecoder{}
	id := d.str("id", w.ID)
	if d.err != nil {
		return img, d.err
	}
	if id == nil || *id == "" {
		return img, fmt.Errorf(`field "id": missing or empty`)
	}
	img.ID = *id
	img.Name = d.str("name", w.Name)
	img.Status = d.str("status", w.Status)
	img.Visibility = d.str("visibility", w.Visibility)
	img.ImageType = d.str("__imagetype", w.ImageType)
	img.Owner = d.str("owner", w.Owner)
	img.OSType = d.str("__os_type", w.OSType)
	img.Platform = d.str("__platform", w.Platform)
	img.OSVersion = d.str("__os_version", w.OSVersion)
	img.OSBit = d.str("__os_bit", w.OSBit)
	img.SupportARM = d.str("__support_arm", w.SupportARM)
	img.MinDiskGB = d.integer("min_disk", w.MinDisk)
	img.MinRAMMB = d.integer("min_ram", w.MinRAM)
	img.SizeBytes = d.digits("__image_size", w.ImageSize)
	img.DiskFormat = d.str("disk_format", w.DiskFormat)
	img.VirtualEnvType = d.str("virtual_env_type", w.VirtualEnvType)
	img.EnterpriseProjectID = d.str("enterprise_project_id", w.EnterpriseProjectID)
	img.Tags = d.strings("tags", w.Tags)
	img.Protected = d.boolean("protected", w.Protected)
	img.Description = d.str("__description", w.Description)
	img.CreatedAt = d.str("created_at", w.CreatedAt)
	img.UpdatedAt = d.str("updated_at", w.UpdatedAt)
	return img, d.err
}

// fieldDecoder keeps the first error; absent and null fields give nil.
type fieldDecoder struct{ err error }

func absent(raw json.RawMessage) bool {
	return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
}

// trimJSON drops the whitespace JSON allows around a value.
func trimJSON(raw []byte) []byte { return bytes.TrimSpace(raw) }

// jsonKind names the JSON type of raw for a message.
func jsonKind(raw json.RawMessage) string {
	raw = trimJSON(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case 'n':
		return "null"
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	}
	return "number"
}

func (d *fieldDecoder) fail(name, want string, raw json.RawMessage) {
	if d.err == nil {
		d.err = fmt.Errorf("field %q: expected %s, got %s %s", name, want, jsonKind(raw), snippetN(string(raw), 64))
	}
}

func (d *fieldDecoder) str(name string, raw json.RawMessage) *string {
	if d.err != nil || absent(raw) {
		return nil
	}
	var s string
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		d.fail(name, "a string", raw)
		return nil
	}
	return &s
}

func (d *fieldDecoder) integer(name string, raw json.RawMessage) *int64 {
	if d.err != nil || absent(raw) {
		return nil
	}
	var n int64
	if raw[0] == '"' || json.Unmarshal(raw, &n) != nil {
		d.fail(name, "a number", raw)
		return nil
	}
	return &n
}

// digits reads a number the API sends as a string of decimal digits. An
// empty string is no number: the SDK's ImageInfo.ImageSize is a plain
// string that its own marshalling writes as "" when unset.
func (d *fieldDecoder) digits(name string, raw json.RawMessage) *int64 {
	s := d.str(name, raw)
	if s == nil || *s == "" {
		return nil
	}
	n, err := strconv.ParseInt(*s, 10, 64)
	if err != nil || n < 0 {
		d.fail(name, "a string of decimal digits", raw)
		return nil
	}
	return &n
}

func (d *fieldDecoder) boolean(name string, raw json.RawMessage) *bool {
	if d.err != nil || absent(raw) {
		return nil
	}
	var b bool
	if json.Unmarshal(raw, &b) != nil {
		d.fail(name, "a boolean", raw)
		return nil
	}
	return &b
}

func (d *fieldDecoder) strings(name string, raw json.RawMessage) []string {
	if d.err != nil || absent(raw) {
		return nil
	}
	var out []string
	if raw[0] != '[' || json.Unmarshal(raw, &out) != nil {
		d.fail(name, "an array of strings", raw)
		return nil
	}
	if out == nil {
		out = []string{}
	}
	return out
}
