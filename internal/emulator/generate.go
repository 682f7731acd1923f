package emulator

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

var (
	memberTypes    = [3]string{"project", "domain", "organization"}
	memberStatuses = [3]string{"accepted", "rejected", "pending"}
	// generatedEpoch is the API page's example time, so dates look familiar.
	generatedEpoch = time.Date(2023, 8, 23, 4, 7, 52, 0, time.UTC)
)

// GenerateMembers makes n members for imageID, the same for the same
// arguments. Types cycle project, domain, organization; statuses are
// staggered so the first nine members cover all nine type/status pairs (any
// three cover every type and every status). Project and domain IDs are 32 hex
// digits; organizations are organizational units with a URN shaped like the
// API page's example. IDs are derived from imageID and the index by SHA-256,
// so they are unique within an image and differ between images.
func GenerateMembers(imageID string, n int) []Member {
	out := make([]Member, max(n, 0))
	for i := range out {
		seed := sha256.Sum256([]byte(imageID + "/" + itoa(i)))
		typ := memberTypes[i%3]
		status := memberStatuses[(i+i/3)%3]
		created := generatedEpoch.Add(time.Duration(i) * time.Minute)
		updated := created
		if status != "pending" { // answered some time after the share
			updated = created.Add(time.Duration(1+binary.BigEndian.Uint16(seed[30:])%720) * time.Hour)
		}
		m := Member{
			MemberType: typ,
			Status:     status,
			ImageID:    imageID,
			Schema:     memberSchema,
			CreatedAt:  created.Format(time.RFC3339),
			UpdatedAt:  updated.Format(time.RFC3339),
		}
		switch typ {
		case "organization":
			account := hex.EncodeToString(seed[16:32])
			org := "o-" + base36(seed, "org")
			m.MemberID = "ou-" + base36(seed, "ou")
			m.URN = "organizations::" + account + ":ou:" + org + "/" + m.MemberID
		default:
			m.MemberID = hex.EncodeToString(seed[:16])
		}
		out[i] = m
	}
	return out
}

// base36 spells 32 characters of [0-9a-z], as organization IDs look, from
// a hash of seed and label.
func base36(seed [32]byte, label string) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	sum := sha256.Sum256(append(seed[:], label...))
	out := make([]byte, len(sum))
	for i, c := range sum {
		out[i] = digits[int(c)%len(digits)]
	}
	return string(out)
}

// GenerateImages makes n images owned by projectID, the same for the same
// arguments: IDs are UUIDs derived by SHA-256 from the owner and index,
// names "image-0001", ..., created a minute apart. OS types, architectures
// and sizes vary so that every list filter has something to match.
func GenerateImages(projectID string, n int) []ImageMetadata {
	out := make([]ImageMetadata, max(n, 0))
	for i := range out {
		seed := sha256.Sum256([]byte("image/" + projectID + "/" + itoa(i)))
		h := hex.EncodeToString(seed[:16])
		created := generatedEpoch.Add(time.Duration(i) * time.Minute)
		minDisk, minRAM := 40, 1024*(1+i%4)
		arm := i%4 == 3
		out[i] = ImageMetadata{
			ID:     h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32],
			Owner:  projectID,
			Name:   "image-" + fmt.Sprintf("%04d", i+1),
			Status: "active", ImageType: "private",
			OSType: imageOSTypes[i%3], Platform: []string{"Ubuntu", "Windows", "Other"}[i%3],
			OSVersion: []string{"Ubuntu 22.04 server 64bit", "Windows Server 2022 Datacenter 64bit", "Other Linux(64 bit)"}[i%3],
			OSBit:     "64", SupportARM: strconv.FormatBool(arm),
			MinDisk: &minDisk, MinRAM: &minRAM,
			ImageSize:  strconv.Itoa(1<<30 + i*4096),
			DiskFormat: "zvhd2", VirtualEnvType: "FusionCompute", EnterpriseProjectID: "0",
			Tags:      []string{"generated=true"},
			CreatedAt: created.Format(time.RFC3339), UpdatedAt: created.Add(time.Hour).Format(time.RFC3339),
		}
	}
	return out
}
