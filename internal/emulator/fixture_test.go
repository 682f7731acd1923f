package emulator

import (
	"strings"
	"testing"
)

func TestLoadFixture(t *testing.T) {
	f, err := LoadFixture("testdata/fixture.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Projects) != 2 || !f.Projects[0].Enabled || f.Projects[1].Enabled {
		t.Errorf("projects %+v: enabled must default to true and honour false", f.Projects)
	}
	if len(f.Images) != 2 {
		t.Fatalf("images %+v", f.Images)
	}
	img := f.Images[0]
	if img.ProjectID != f.Projects[0].ID {
		t.Errorf("project_id default: %q", img.ProjectID)
	}
	if len(img.Members) != 5 || img.Members[0].MemberType != "organization" || img.Members[1].MemberID != GenerateMembers(img.ImageID, 1)[0].MemberID {
		t.Errorf("listed then generated members: %+v", img.Members)
	}

	v := newEnv(t, Config{Projects: []Project{}})
	v.emu.AddFixture(f)
	got, _ := v.readAll(img.ProjectID, img.ImageID, 2)
	if len(got) != 5 || got[0].ImageID != img.ImageID || got[0].Schema != "/v2/schemas/member" {
		t.Errorf("served %+v", got)
	}
	if l := decodeProjects(t, v.projects("eu-west-101")); len(l.Projects) != 1 {
		t.Errorf("fixture project not in IAM: %+v", l)
	}
	if imgs := v.emu.Images(); len(imgs) != 2 || imgs[1].Members != 0 || imgs[1].ProjectID != "77b6a44cba5143ab91d13ab9a8ff44fd" {
		t.Errorf("Images() = %+v", imgs)
	}
}

func TestFixtureErrors(t *testing.T) {
	for name, tc := range map[string]struct{ json, want string }{
		"unknown field":   {`{"projets": []}`, "unknown field"},
		"not JSON":        {`{`, "fixture"},
		"project no name": {`{"projects":[{"id":"p"}]}`, "name"},
		"no image id":     {`{"projects":[{"id":"p","name":"r"}],"images":[{}]}`, "image_id"},
		"no project":      {`{"images":[{"image_id":"i"}]}`, "project_id"},
		"negative":        {`{"projects":[{"id":"p","name":"r"}],"images":[{"image_id":"i","generate":-1}]}`, "negative"},
		"bad type":        {`{"projects":[{"id":"p","name":"r"}],"images":[{"image_id":"i","members":[{"member_id":"m","member_type":"user","status":"accepted"}]}]}`, "member_type"},
		"bad status":      {`{"projects":[{"id":"p","name":"r"}],"images":[{"image_id":"i","members":[{"member_id":"m","member_type":"project","status":"ok"}]}]}`, "status"},
		"urn on project":  {`{"projects":[{"id":"p","name":"r"}],"images":[{"image_id":"i","members":[{"member_id":"m","member_type":"project","status":"pending","urn":"x"}]}]}`, "urn"},
		"duplicate":       {`{"projects":[{"id":"p","name":"r"}],"images":[{"image_id":"i","members":[{"member_id":"m","member_type":"project","status":"pending"},{"member_id":"m","member_type":"domain","status":"pending"}]}]}`, "repeated"},
		"other image":     {`{"projects":[{"id":"p","name":"r"}],"images":[{"image_id":"i","members":[{"member_id":"m","member_type":"project","status":"pending","image_id":"j"}]}]}`, "image_id"},
		"image twice":     {`{"projects":[{"id":"p","name":"r"}],"images":[{"image_id":"i"},{"image_id":"i"}]}`, "given twice"},
		"shared type":     {`{"projects":[{"id":"p","name":"r"}],"images":[{"image_id":"i","__imagetype":"shared"}]}`, "__imagetype"},
		"image status":    {`{"projects":[{"id":"p","name":"r"}],"images":[{"image_id":"i","status":"ready"}]}`, "status"},
		"os type":         {`{"projects":[{"id":"p","name":"r"}],"images":[{"image_id":"i","__os_type":"linux"}]}`, "__os_type"},
		"support arm":     {`{"projects":[{"id":"p","name":"r"}],"images":[{"image_id":"i","__support_arm":"yes"}]}`, "__support_arm"},
		"image size":      {`{"projects":[{"id":"p","name":"r"}],"images":[{"image_id":"i","__image_size":"1GB"}]}`, "__image_size"},
		"min disk text":   {`{"projects":[{"id":"p","name":"r"}],"images":[{"image_id":"i","min_disk":"40"}]}`, "min_disk"},
		"no member id":    {`{"projects":[{"id":"p","name":"r"}],"images":[{"image_id":"i","members":[{"member_type":"project","status":"pending"}]}]}`, "member_id"},
	} {
		_, err := ParseFixture([]byte(tc.json))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", name, err, tc.want)
		}
	}
	if _, err := LoadFixture("testdata/no-such-file.json"); err == nil {
		t.Error("a missing file loaded")
	}
}

// Image metadata in a fixture is what the image list serves, under the
// API's own names; the owner is the image's project.
func TestFixtureImageMetadata(t *testing.T) {
	f, err := ParseFixture([]byte(`{"projects":[{"id":"` + testProject + `","name":"cn-north-4"}],"images":[
	  {"image_id":"` + testImage + `","name":"ubuntu","__os_type":"Linux","min_disk":40,"__image_size":"1024",
	   "tags":["a=b"],"protected":false,"__imagetype":"private","created_at":"2024-01-01T00:00:00Z"},
	  {"project_id":"99999999999999999999999999999999","image_id":"g","__imagetype":"gold","name":"CentOS"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	m := f.Images[0].Metadata
	if m.Name != "ubuntu" || m.OSType != "Linux" || *m.MinDisk != 40 || m.ImageSize != "1024" || m.Tags[0] != "a=b" || *m.Protected {
		t.Errorf("metadata %+v", m)
	}
	v := newEnv(t, Config{})
	v.emu.AddFixture(f)
	got := imagesOf(t, v.listImages(testProject, "sort_key=name", "sort_dir=asc"))
	if len(got) != 2 || got[0]["id"] != "g" || got[0]["__imagetype"] != "gold" || got[1]["name"] != "ubuntu" || got[1]["owner"] != testProject {
		t.Errorf("listed %v", got)
	}
}
