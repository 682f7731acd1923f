package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
)

// A marker is opaque standard Base64 of 20 bytes:
//
//	fb ef ff | flags | offset (uint32) | seq (uint32) | mac (8 bytes)
//
// The fixed prefix encodes to "++//" and 20 bytes end in one '=', so every
// marker carries the three characters a client must percent-encode. The MAC
// binds it to the project, image and image generation, so a marker from
// another image, a replaced image or a garbled one is refused with 400.
// Flags let one faulty page start a server bug that persists for the rest of
// the listing without keeping per-client state.
const (
	markerLen    = 20
	markerMACLen = 8
)

var markerMagic = [3]byte{0xfb, 0xef, 0xff}

type markerFlags byte

const (
	markerLoop    markerFlags = 1 << iota // the page answers with this same marker again
	markerEndless                         // the page answers with a fresh marker, forever
)

type marker struct {
	flags  markerFlags
	offset uint32
	seq    uint32
}

func (e *Emulator) encodeMarker(projectID, imageID string, gen uint32, m marker) string {
	var b [markerLen]byte
	copy(b[:3], markerMagic[:])
	b[3] = byte(m.flags)
	binary.BigEndian.PutUint32(b[4:8], m.offset)
	binary.BigEndian.PutUint32(b[8:12], m.seq)
	copy(b[12:], e.markerMAC(projectID, imageID, gen, b[:12]))
	return base64.StdEncoding.EncodeToString(b[:])
}

// decodeMarker returns ok=false for anything this image did not issue.
func (e *Emulator) decodeMarker(projectID, imageID string, gen uint32, s string) (marker, bool) {
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != markerLen || [3]byte(b[:3]) != markerMagic {
		return marker{}, false
	}
	if !hmac.Equal(b[12:], e.markerMAC(projectID, imageID, gen, b[:12])) {
		return marker{}, false
	}
	return marker{
		flags:  markerFlags(b[3]),
		offset: binary.BigEndian.Uint32(b[4:8]),
		seq:    binary.BigEndian.Uint32(b[8:12]),
	}, true
}

func (e *Emulator) markerMAC(projectID, imageID string, gen uint32, head []byte) []byte {
	mac := hmac.New(sha256.New, e.markerKey)
	var g [4]byte
	binary.BigEndian.PutUint32(g[:], gen)
	mac.Write([]byte(projectID))
	mac.Write([]byte{0})
	mac.Write([]byte(imageID))
	mac.Write([]byte{0})
	mac.Write(g[:])
	mac.Write(head)
	return mac.Sum(nil)[:markerMACLen]
}
