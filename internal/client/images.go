package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// Image is one image of GET /v2/cloudimages. Every field but ID is nil
// when the API left it out (or sent null): never a made-up default.
type Image struct {
	ID         string
	Name       *string
	Status     *string
	Visibility *string
	// ImageType is __imagetype: gold (public), private, shared or market.
	ImageType *string
	Owner     *string
	OSType    *string // __os_type
	Platform  *string // __platform
	OSVersion *string // __os_version
	OSBit     *string // __os_bit, a string as sent ("64")
	// SupportARM is __support_arm as sent: "true" or "false".
	SupportARM *string
	MinDiskGB  *int64 // min_disk
	MinRAMMB   *int64 // min_ram
	// SizeBytes is __image_size, which the API sends as a string of digits.
	SizeBytes           *int64
	DiskFormat          *string
	VirtualEnvType      *string
	EnterpriseProjectID *string
	Tags                []string // nil when absent
	Protected           *bool
	Description         *string // __description
	CreatedAt           *string
	UpdatedAt           *string
}

// ImageList is every image of a listing, in API order.
type ImageList struct {
	Images []Image
	// Requests is how many pages were read, the final empty one included
	// (retries not counted).
	Requests int
}

// ImageFilters are the list API's query filters; an empty field is not
// sent. Values go on the wire as given, percent-encoded.
type ImageFilters struct {
	ImageType           string // __imagetype: gold, private, shared, market
	Visibility          string // public, private, shared
	Owner               string // the owner's project ID
	ID                  string
	Name                string // exact match
	Status              string // queued, saving, deleted, killed, active
	MemberStatus        string // accepted, rejected, pending; needs Visibility "shared"
	OSType              string // __os_type: Linux, Windows, Other
	Platform            string // __platform
	Architecture        string // x86, arm
	EnterpriseProjectID string // "0", a UUID or all_granted_eps
	Tag                 string // key=value
	SortKey             string // name, status, id, size, created_at, ...
	SortDir             string // asc, desc
}

// params is the filters as query parameters, in a fixed order.
func (f ImageFilters) params() []QueryParam {
	var out []QueryParam
	for _, p := range []QueryParam{
		{"__imagetype", f.ImageType}, {"visibility", f.Visibility}, {"owner", f.Owner}, {"id", f.ID},
		{"name", f.Name}, {"status", f.Status}, {"member_status", f.MemberStatus}, {"__os_type", f.OSType},
		{"__platform", f.Platform}, {"architecture", f.Architecture}, {"enterprise_project_id", f.EnterpriseProjectID},
		{"tag", f.Tag}, {"sort_key", f.SortKey}, {"sort_dir", f.SortDir},
	} {
		if p.Value != "" {
			out = append(out, p)
		}
	}
	return out
}

// ListImagesInput names the acting project, the filters and the page size.
type ListImagesInput struct {
	Region    string
	ProjectID string // sent and signed as X-Project-Id
	Filters   ImageFilters
	// PageSize is the limit per request, 1..MaxPageSize; 0 means
	// DefaultImagePageSize.
	PageSize int
}

// DefaultImagePageSize is the list API's own default limit.
const DefaultImagePageSize = 500

const imagesPath = "/v2/cloudimages"

// ListImages reads every page of GET /v2/cloudimages: the marker is the ID
// of the last image of the previous page, and the list ends with an empty
// page, so N images with page size L take ceil(N/L)+1 requests. A page
// shorter than the limit is not taken as the last, so a server that caps
// the limit silently still yields every image. A page that repeats an image
// already read means the marker did not advance: an error, as is a list
// longer than MaxListItems; never a partial list.
func (c *Client) ListImages(ctx context.Context, in ListImagesInput) (*ImageList, error) {
	if in.ProjectID == "" {
		return nil, fmt.Errorf("list images: project ID is required")
	}
	pageSize, err := pageSizeOr(in.PageSize, DefaultImagePageSize, "list images")
	if err != nil {
		return nil, err
	}
	base := append(in.Filters.params(), QueryParam{Key: "limit", Value: strconv.Itoa(pageSize)})
	list := &ImageList{}
	seen := map[string]int{} // image ID -> the page that returned it
	requests, err := readPages(imagesPath, "images", pageSize, func(n int, marker string) (string, bool, string, error) {
		query := base
		if marker != "" {
			query = append(base[:len(base):len(base)], QueryParam{Key: "marker", Value: marker})
		}
		rep, err := c.send(ctx, call{service: "ims", operation: OpListImages, region: in.Region, path: imagesPath, query: query, projectID: in.ProjectID})
		if err != nil {
			return "", false, "", err
		}
		page, err := c.decodeImagesPage(rep.body)
		if err != nil {
			return "", false, "", &ResponseError{Method: http.MethodGet, Path: imagesPath, RequestID: rep.requestID, Reason: err.Error()}
		}
		if len(page) == 0 {
			return "", true, rep.requestID, nil
		}
		for i, img := range page {
			if first, dup := seen[img.ID]; dup {
				return "", false, "", &ResponseError{Method: http.MethodGet, Path: imagesPath, RequestID: rep.requestID,
					Reason: fmt.Sprintf("images[%d] (id %s) was already returned by page %d: the marker %q did not advance, the server is looping",
						i, img.ID, first, marker)}
			}
			seen[img.ID] = n
		}
		list.Images = append(list.Images, page...)
		return page[len(page)-1].ID, false, rep.requestID, nil
	})
	if err != nil {
		return nil, err
	}
	list.Requests = requests
	return list, nil
}

// decodeImagesPage reads {"images": [...]}; an error says which image and
// which field is wrong.
func (c *Client) decodeImagesPage(body []byte) ([]Image, error) {
	var page struct {
		Images json.RawMessage `json:"images"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, fmt.Errorf("the response is not valid JSON: %s: %w", c.bodySnippet(body), err)
	}
	if absent(page.Images) {
		return nil, fmt.Errorf(`the response has no "images" list`)
	}
	var raw []json.RawMessage
	if page.Images[0] != '[' || json.Unmarshal(page.Images, &raw) != nil {
		return nil, fmt.Errorf(`"images" is %s, not a list`, jsonKind(page.Images))
	}
	out := make([]Image, len(raw))
	for i, r := range raw {
		var w wireImage
		if r[0] != '{' || json.Unmarshal(r, &w) != nil {
			return nil, fmt.Errorf("images[%d]: expected an object, got %s", i, jsonKind(r))
		}
		img, err := w.image()
		if err != nil {
			return nil, fmt.Errorf("images[%d]%s: %w", i, idSuffix(img.ID), err)
		}
		out[i] = img
	}
	return out, nil
}

func idSuffix(id string) string {
	if id == "" {
		return ""
	}
	return " (id " + id + ")"
}
