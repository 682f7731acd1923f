package sdkcheck

import (
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	iam "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"
	ims "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ims/v2/model"
)

// jsonField finds the field of struct type t whose JSON name is name.
func jsonField(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == name && tag != "-" {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// isSDKEnum reports whether t is one of the SDK's enum types: a struct
// holding one unexported string "value", written as a JSON string.
func isSDKEnum(t reflect.Type) bool {
	if t.Kind() != reflect.Struct || t.NumField() != 1 {
		return false
	}
	f := t.Field(0)
	return f.Name == "value" && f.Type.Kind() == reflect.String
}

// shapeProblems walks raw along the SDK model type t and lists every value
// whose JSON type is not the one the model's Go type takes, and, when
// unknownIsProblem, every key the model has no field for. The SDK's own
// unmarshalling is more lenient (an enum takes a bare number, for one),
// so this is what says "no field of the wrong type".
func shapeProblems(at string, raw json.RawMessage, t reflect.Type, unknownIsProblem bool) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	raw = json.RawMessage(strings.TrimSpace(string(raw)))
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	kind := jsonKindOf(raw)
	wrong := func(want string) []string {
		return []string{at + ": " + kind + ", the SDK's " + t.String() + " takes " + want}
	}
	switch {
	case isSDKEnum(t) || t.Kind() == reflect.String:
		if kind != "string" {
			return wrong("a string")
		}
	case t.Kind() == reflect.Bool:
		if kind != "boolean" {
			return wrong("a boolean")
		}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Float64:
		if kind != "number" {
			return wrong("a number")
		}
		if t.Kind() <= reflect.Uint64 {
			if _, err := strconv.ParseInt(string(raw), 10, 64); err != nil {
				return wrong("an integer")
			}
		}
	case t.Kind() == reflect.Slice:
		var items []json.RawMessage
		if kind != "array" || json.Unmarshal(raw, &items) != nil {
			return wrong("an array")
		}
		var out []string
		for i, item := range items {
			out = append(out, shapeProblems(at+"["+strconv.Itoa(i)+"]", item, t.Elem(), unknownIsProblem)...)
		}
		return out
	case t.Kind() == reflect.Struct:
		var fields map[string]json.RawMessage
		if kind != "object" || json.Unmarshal(raw, &fields) != nil {
			return wrong("an object")
		}
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []string
		for _, k := range keys {
			f, ok := jsonField(t, k)
			if !ok {
				if unknownIsProblem {
					out = append(out, at+"."+k+": the SDK's "+t.String()+" has no such field")
				}
				continue
			}
			out = append(out, shapeProblems(at+"."+k, fields[k], f.Type, unknownIsProblem)...)
		}
		return out
	}
	return nil
}

func jsonKindOf(raw json.RawMessage) string {
	switch raw[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// exposedFields are the SDK fields whose values the provider reads or
// writes, with the Go type this module's tests were written against. A
// field renamed or retyped in a new SDK version fails
// TestSDKFieldsTheProviderUsesKeepTheirNameAndType, pointing at the
// decoder or emulator shape to revisit.
var exposedFields = []struct {
	model  any
	fields map[string]string // JSON name -> Go type
}{
	{ims.ListImageMembersResponse{}, map[string]string{
		"members": "*[]model.ImageMember", "schema": "*string", "page_info": "*model.GlancePageInfo"}},
	{ims.GlancePageInfo{}, map[string]string{"next_marker": "string", "current_count": "int32"}},
	{ims.ImageMember{}, map[string]string{
		"member_id": "string", "member_type": "string", "status": "string", "urn": "string",
		"image_id": "string", "schema": "string", "created_at": "string", "updated_at": "string"}},
	{ims.ListImagesResponse{}, map[string]string{"images": "*[]model.ImageInfo"}},
	{ims.ImageInfo{}, map[string]string{
		"id": "string", "name": "string", "status": "model.ImageInfoStatus", "visibility": "model.ImageInfoVisibility",
		"__imagetype": "model.ImageInfoImagetype", "owner": "string", "__os_type": "model.ImageInfoOsType",
		"__platform": "*model.ImageInfoPlatform", "__os_version": "*string", "__os_bit": "*model.ImageInfoOsBit",
		"__support_arm": "*model.ImageInfoSupportArm", "min_disk": "int32", "min_ram": "int32", "__image_size": "string",
		"disk_format": "*string", "virtual_env_type": "model.ImageInfoVirtualEnvType",
		"enterprise_project_id": "*string", "tags": "[]string", "protected": "bool", "__description": "*string",
		"created_at": "string", "updated_at": "string"}},
	{ims.ShowJobResponse{}, map[string]string{
		"status": "*model.ShowJobResponseStatus", "job_id": "*string", "job_type": "*string", "begin_time": "*string",
		"end_time": "*string", "error_code": "*string", "fail_reason": "*string", "entities": "*model.JobEntities"}},
	{ims.JobEntities{}, map[string]string{"results": "*[]model.JobEntitiesResult"}},
	{ims.JobEntitiesResult{}, map[string]string{"image_id": "*string", "project_id": "*string", "status": "*string"}},
	{ims.BatchAddMembersResponse{}, map[string]string{"job_id": "*string"}},
	{ims.BatchUpdateMembersResponse{}, map[string]string{"job_id": "*string"}},
	{ims.BatchAddMembersRequestBody{}, map[string]string{
		"images": "[]string", "projects": "[]string", "domains": "*[]string", "organizations": "*[]string"}},
	{ims.BatchUpdateMembersRequestBody{}, map[string]string{
		"images": "[]string", "project_id": "string", "status": "model.BatchUpdateMembersRequestBodyStatus", "vault_id": "*string"}},
	{iam.KeystoneListProjectsResponse{}, map[string]string{"projects": "*[]model.ProjectResult"}},
	{iam.ProjectResult{}, map[string]string{"id": "string", "name": "string", "enabled": "bool"}},
}

func TestSDKFieldsTheProviderUsesKeepTheirNameAndType(t *testing.T) {
	for _, m := range exposedFields {
		typ := reflect.TypeOf(m.model)
		for name, want := range m.fields {
			f, ok := jsonField(typ, name)
			if !ok {
				t.Errorf("%s has no field with JSON name %q any more", typ, name)
				continue
			}
			if got := f.Type.String(); got != want {
				t.Errorf("%s.%s (%q) is %s, was %s", typ, f.Name, name, got, want)
			}
		}
	}
}

func TestShapeProblemsFindsWrongTypes(t *testing.T) {
	cases := []struct {
		name, body string
		model      any
		want       string // a fragment of the first problem; "" for none
	}{
		{"image size as a number", `{"images":[{"id":"x","__image_size":123}]}`, ims.ListImagesResponse{}, "images[0].__image_size: number"},
		{"min_disk as a string", `{"images":[{"id":"x","min_disk":"40"}]}`, ims.ListImagesResponse{}, "images[0].min_disk: string"},
		{"os bit as a number", `{"images":[{"id":"x","__os_bit":64}]}`, ims.ListImagesResponse{}, "__os_bit: number"},
		{"tags as a string", `{"images":[{"id":"x","tags":"a=b"}]}`, ims.ListImagesResponse{}, "tags: string"},
		{"next marker as a number", `{"members":[],"page_info":{"next_marker":5}}`, ims.ListImageMembersResponse{}, "page_info.next_marker: number"},
		{"fractional count", `{"members":[],"page_info":{"current_count":1.5}}`, ims.ListImageMembersResponse{}, "an integer"},
		{"unknown field", `{"members":[],"next":"x"}`, ims.ListImageMembersResponse{}, "has no such field"},
		{"enabled as a string", `{"projects":[{"id":"p","name":"r","enabled":"true"}]}`, iam.KeystoneListProjectsResponse{}, "enabled: string"},
		{"well formed", `{"members":[{"member_id":"m","status":"accepted"}],"page_info":{"next_marker":"","current_count":1}}`, ims.ListImageMembersResponse{}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := shapeProblems("$", json.RawMessage(c.body), reflect.TypeOf(c.model), true)
			switch {
			case c.want == "" && len(got) > 0:
				t.Errorf("problems %q, want none", got)
			case c.want != "" && (len(got) == 0 || !strings.Contains(got[0], c.want)):
				t.Errorf("problems %q, want one containing %q", got, c.want)
			}
		})
	}
}
