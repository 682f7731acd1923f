package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
)

// Fixture is a data set for the emulator, read from JSON:
//
//	{
//	  "projects": [
//	    {"id": "1bed8568...", "name": "cn-north-4", "domain_id": "8f1c...", "enabled": true}
//	  ],
//	  "images": [
//	    {"project_id": "1bed8568...", "image_id": "d164b5df-...", "generate": 25},
//	    {"image_id": "9a6e...", "members": [
//	      {"member_id": "...", "member_type": "organization", "status": "accepted",
//	       "urn": "organizations::...", "created_at": "...", "updated_at": "..."}
//	    ]},
//	    {"project_id": "2c4e...", "image_id": "5f0d...", "name": "ubuntu-22.04",
//	     "__os_type": "Linux", "__support_arm": "false", "min_disk": 40,
//	     "__image_size": "2147483648", "tags": ["team=platform"], "members": [
//	      {"member_id": "1bed8568...", "member_type": "project", "status": "accepted", ...}
//	    ]},
//	    {"project_id": "9f9f...", "image_id": "0a1b...", "__imagetype": "gold", "name": "CentOS 7"}
//	  ]
//	}
//
// A project's "enabled" defaults to true. An image's "project_id" defaults
// to the first project. "generate": N adds N members from GenerateMembers
// after any listed "members". A member's "image_id" and "schema" default to
// the image's ID and "/v2/schemas/member". Besides those, an image takes
// the fields of ImageMetadata under their API names (what GET
// /v2/cloudimages lists); "__imagetype" is "private" (the default: listed
// as shared while the image has members), "gold" (public) or "market".
// A world of several projects sharing with each other is images of one
// project whose members are other projects of the fixture. Unknown fields
// are errors, and so are unknown member types or statuses, a URN on a
// non-organization, a member_id repeated within an image, an image ID
// given twice, and metadata values the API would never send.
type Fixture struct {
	Projects []Project
	Images   []FixtureImage
}

// FixtureImage is one image of a Fixture, members complete.
type FixtureImage struct {
	ProjectID, ImageID string
	Members            []Member
	// Metadata is what the image list says; ID and Owner are ignored (the
	// image's own are used).
	Metadata ImageMetadata
}

type fixtureFile struct {
	Projects []struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		DomainID string `json:"domain_id"`
		Enabled  *bool  `json:"enabled"`
	} `json:"projects"`
	Images []struct {
		ProjectID string   `json:"project_id"`
		ImageID   string   `json:"image_id"`
		Members   []Member `json:"members"`
		Generate  int      `json:"generate"`
		ImageMetadata
	} `json:"images"`
}

// LoadFixture reads and checks a fixture file; see Fixture for the format.
func LoadFixture(path string) (*Fixture, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := ParseFixture(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// ParseFixture is LoadFixture for bytes already in hand.
func ParseFixture(data []byte) (*Fixture, error) {
	var raw fixtureFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("fixture: %w", err)
	}
	f := &Fixture{}
	for i, p := range raw.Projects {
		if p.ID == "" || p.Name == "" {
			return nil, fmt.Errorf("fixture: projects[%d]: id and name are required", i)
		}
		enabled := p.Enabled == nil || *p.Enabled
		f.Projects = append(f.Projects, Project{ID: p.ID, Name: p.Name, DomainID: p.DomainID, Enabled: enabled})
	}
	imageIDs := map[string]bool{}
	for i, img := range raw.Images {
		if img.ImageID == "" {
			return nil, fmt.Errorf("fixture: images[%d]: image_id is required", i)
		}
		if imageIDs[img.ImageID] {
			return nil, fmt.Errorf("fixture: images[%d]: image_id %s is given twice", i, img.ImageID)
		}
		imageIDs[img.ImageID] = true
		if err := checkMetadata(img.ImageMetadata); err != nil {
			return nil, fmt.Errorf("fixture: images[%d] (%s): %w", i, img.ImageID, err)
		}
		if img.Generate < 0 {
			return nil, fmt.Errorf("fixture: images[%d]: generate must not be negative", i)
		}
		pid := img.ProjectID
		if pid == "" {
			if len(f.Projects) == 0 {
				return nil, fmt.Errorf("fixture: images[%d]: project_id is required when there are no projects", i)
			}
			pid = f.Projects[0].ID
		}
		members := append(img.Members, GenerateMembers(img.ImageID, img.Generate)...)
		if err := checkMembers(img.ImageID, members); err != nil {
			return nil, fmt.Errorf("fixture: images[%d] (%s): %w", i, img.ImageID, err)
		}
		f.Images = append(f.Images, FixtureImage{ProjectID: pid, ImageID: img.ImageID, Members: members, Metadata: img.ImageMetadata})
	}
	return f, nil
}

func checkMembers(imageID string, members []Member) error {
	seen := make(map[string]bool, len(members))
	for j, m := range members {
		switch {
		case m.MemberID == "":
			return fmt.Errorf("members[%d]: member_id is required", j)
		case seen[m.MemberID]:
			return fmt.Errorf("members[%d]: member_id %s is repeated", j, m.MemberID)
		case !slices.Contains(memberTypes[:], m.MemberType):
			return fmt.Errorf("members[%d]: member_type %q is not one of %v", j, m.MemberType, memberTypes)
		case !slices.Contains(memberStatuses[:], m.Status):
			return fmt.Errorf("members[%d]: status %q is not one of %v", j, m.Status, memberStatuses)
		case m.URN != "" && m.MemberType != "organization":
			return fmt.Errorf("members[%d]: only organization members carry a urn", j)
		case m.ImageID != "" && m.ImageID != imageID:
			return fmt.Errorf("members[%d]: image_id %s is not the image's", j, m.ImageID)
		}
		seen[m.MemberID] = true
	}
	return nil
}

// AddFixture serves the fixture's projects and images.
func (e *Emulator) AddFixture(f *Fixture) {
	for _, p := range f.Projects {
		e.AddProject(p)
	}
	for _, img := range f.Images {
		e.AddImage(img.ProjectID, img.ImageID, img.Members)
		meta := img.Metadata
		meta.ID, meta.Owner = img.ImageID, img.ProjectID
		e.AddImageMetadata(meta)
	}
}

// checkMetadata refuses values the list API would never send, so that a
// fixture cannot make the emulator lie about the API.
func checkMetadata(m ImageMetadata) error {
	for _, c := range []struct {
		name, value string
		allowed     []string
	}{
		{"__imagetype", m.ImageType, []string{"private", "gold", "market"}},
		{"status", m.Status, imageStatuses},
		{"__os_type", m.OSType, imageOSTypes},
		{"__support_arm", m.SupportARM, []string{"true", "false"}},
	} {
		if c.value != "" && !slices.Contains(c.allowed, c.value) {
			return fmt.Errorf("%s %q is not one of %v", c.name, c.value, c.allowed)
		}
	}
	if m.ImageSize != "" {
		if _, err := strconv.ParseUint(m.ImageSize, 10, 64); err != nil {
			return fmt.Errorf("__image_size %q is not a number of bytes in a string", m.ImageSize)
		}
	}
	return nil
}
