package emulator

import "slices"

// ImageMetadata is what GET /v2/cloudimages says about an image besides
// who it is shared with. The JSON names are the API's, also used in
// fixtures. An empty string (or nil) is a field the API leaves out.
//
// ID and Owner are the image's key in the members store: the image is
// served by /v1/{Owner}/cloudimages/{ID}/members, and its sharing (and so
// its visibility, __imagetype and each recipient's member status) is read
// from that same store at every request, never copied. ImageType only
// says what the members cannot: "gold" (public) and "market" images; ""
// or "private" is an owner's image, listed as shared while it has members.
type ImageMetadata struct {
	ID                  string   `json:"-"`
	Owner               string   `json:"-"`
	Name                string   `json:"name,omitempty"`
	Status              string   `json:"status,omitempty"`
	ImageType           string   `json:"__imagetype,omitempty"`
	OSType              string   `json:"__os_type,omitempty"`
	Platform            string   `json:"__platform,omitempty"`
	OSVersion           string   `json:"__os_version,omitempty"`
	OSBit               string   `json:"__os_bit,omitempty"`
	SupportARM          string   `json:"__support_arm,omitempty"`
	MinDisk             *int     `json:"min_disk,omitempty"`
	MinRAM              *int     `json:"min_ram,omitempty"`
	ImageSize           string   `json:"__image_size,omitempty"`
	DiskFormat          string   `json:"disk_format,omitempty"`
	VirtualEnvType      string   `json:"virtual_env_type,omitempty"`
	EnterpriseProjectID string   `json:"enterprise_project_id,omitempty"`
	Tags                []string `json:"tags,omitempty"`
	Protected           *bool    `json:"protected,omitempty"`
	Description         string   `json:"__description,omitempty"`
	CreatedAt           string   `json:"created_at,omitempty"`
	UpdatedAt           string   `json:"updated_at,omitempty"`
}

// The values the list API knows for its enumerated fields.
var (
	imageTypes          = []string{"gold", "private", "shared", "market"}
	imageVisibilities   = []string{"public", "private", "shared"}
	imageStatuses       = []string{"queued", "saving", "deleted", "killed", "active"}
	imageOSTypes        = []string{"Linux", "Windows", "Other"}
	imageArchitectures  = []string{"x86", "arm"}
	imageSortKeys       = []string{"name", "container_format", "disk_format", "status", "id", "size", "created_at"}
	imageSortDirections = []string{"asc", "desc"}
)

// AddImageMetadata sets what the image list says about meta.ID, owned by
// meta.Owner, replacing earlier metadata. An image not yet in the members
// store joins it with no members; its members are left alone otherwise.
func (e *Emulator) AddImageMetadata(meta ImageMetadata) {
	e.mu.Lock()
	k := imageKey{meta.Owner, meta.ID}
	_, served := e.images[k]
	m := meta
	m.Tags = slices.Clone(meta.Tags)
	e.meta[k] = &m
	e.mu.Unlock()
	if !served {
		e.AddImage(meta.Owner, meta.ID, nil)
	}
}

// imageView is an image as one requesting project sees it in the list.
type imageView struct {
	meta                  *ImageMetadata
	imageType, visibility string
	// memberStatus is the requester's own status for an image another
	// project shared with it; empty for any other image.
	memberStatus string
}

// viewLocked decides whether requester sees the image at k and how; e.mu
// must be held. domainID is the requester's domain, whose domain-wide
// shares count as its own.
func (e *Emulator) viewLocked(k imageKey, img *image, requester, domainID string) (imageView, bool) {
	meta := e.meta[k]
	if meta == nil {
		meta = &ImageMetadata{ID: k.imageID, Owner: k.projectID}
	}
	switch meta.ImageType {
	case "gold", "market":
		return imageView{meta: meta, imageType: meta.ImageType, visibility: "public"}, true
	}
	if k.projectID == requester {
		if len(img.members) > 0 {
			return imageView{meta: meta, imageType: "shared", visibility: "shared"}, true
		}
		return imageView{meta: meta, imageType: "private", visibility: "private"}, true
	}
	if status := memberStatusOf(img.members, requester, domainID); status != "" {
		return imageView{meta: meta, imageType: "shared", visibility: "shared", memberStatus: status}, true
	}
	return imageView{}, false
}

// memberStatusOf is the status of the requester's membership: its project
// entry, else its domain's; "" when the image is not shared with it.
func memberStatusOf(members []Member, projectID, domainID string) string {
	byDomain := ""
	for i := range members {
		m := &members[i]
		switch {
		case m.MemberType == "project" && m.MemberID == projectID:
			return m.Status
		case m.MemberType == "domain" && domainID != "" && m.MemberID == domainID && byDomain == "":
			byDomain = m.Status
		}
	}
	return byDomain
}

// domainOfLocked is the domain of a project IAM knows, or "".
func (e *Emulator) domainOfLocked(projectID string) string {
	if i, ok := e.known[projectID]; ok && i >= 0 {
		return e.projects[i].DomainID
	}
	return ""
}
