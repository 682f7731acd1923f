package provider

import (
	"slices"
	"strings"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// knownRegions are Huawei Cloud's public regions with an IMS endpoint, as
// the official Go SDK lists them (huaweicloud-sdk-go-v3 v0.1.207,
// services/ims/v2/region/region.go). The list only feeds warnings and
// hints: new regions appear, so a name not on it is never an error.
var knownRegions = []string{
	"ae-ad-1", "af-north-1", "af-south-1",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
	"cn-east-2", "cn-east-3", "cn-east-4", "cn-east-5",
	"cn-north-1", "cn-north-2", "cn-north-4", "cn-north-9", "cn-north-11", "cn-north-12",
	"cn-south-1", "cn-south-2", "cn-south-4", "cn-southwest-2", "cn-southwest-3",
	"eu-west-0", "eu-west-101",
	"la-north-2", "la-south-2", "me-east-1", "my-kualalumpur-1", "na-mexico-1",
	"ru-moscow-1", "sa-brazil-1", "tr-west-1",
}

// isKnownRegion reports whether region is on knownRegions.
func isKnownRegion(region string) bool { return slices.Contains(knownRegions, region) }

// regionChecked reports whether a region name is worth checking against
// knownRegions: only when Huawei Cloud's public endpoints are used, that
// is when the cloud is a public domain (or unset) and at least one service
// has no endpoint of its own. Another cloud, or endpoints given for both
// services (an emulator, a private deployment), may use any region name.
func regionChecked(cloud string, endpoints map[string]string) bool {
	if cloud != "" && cloud != client.DefaultCloud && cloud != "myhuaweicloud.eu" {
		return false
	}
	return endpoints["ims"] == "" || endpoints["iam"] == ""
}

// nearRegions are the known regions closest in spelling to region, at most
// three, closest first: the likely intended name of a typo.
func nearRegions(region string) []string {
	type scored struct {
		name     string
		distance int
	}
	var near []scored
	limit := max(3, len(region)/3)
	for _, known := range knownRegions {
		if d := editDistance(strings.ToLower(region), known); d <= limit {
			near = append(near, scored{known, d})
		}
	}
	slices.SortStableFunc(near, func(a, b scored) int { return a.distance - b.distance })
	out := make([]string, 0, 3)
	for _, s := range near[:min(len(near), 3)] {
		out = append(out, s.name)
	}
	return out
}

// unknownRegionNote says that region is not a known Huawei Cloud region and
// which known names are near it; "" for a known region.
func unknownRegionNote(region string) string {
	if isKnownRegion(region) {
		return ""
	}
	note := "\"" + region + "\" is not a known Huawei Cloud region"
	if near := nearRegions(region); len(near) > 0 {
		note += "; known regions near it: " + strings.Join(near, ", ")
	}
	return note + "."
}

// editDistance is the Levenshtein distance between a and b (bytes; region
// names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
