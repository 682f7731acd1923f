// Package signingvectors reads the signer's known-answer vectors
// (internal/client/testdata/signing-vectors.json), so the client's own tests
// and the differential test against the official SDK (its own module,
// internal/client/sdkcheck) check the same file through one reader.
package signingvectors

import (
	"encoding/json"
	"fmt"
	"os"
)

// Vector is one signed request and the signature it must get.
type Vector struct {
	Name             string            `json:"name"`
	AccessKey        string            `json:"access_key"`
	SecretKey        string            `json:"secret_key"`
	Method           string            `json:"method"`
	Host             string            `json:"host"`
	Path             string            `json:"path"`
	Query            [][2]string       `json:"query"`
	SignedHeaders    map[string]string `json:"signed_headers"`
	Body             string            `json:"body"`
	CanonicalRequest string            `json:"canonical_request"`
	StringToSign     string            `json:"string_to_sign"`
	Authorization    string            `json:"authorization"`
}

// Load reads the vectors file at path.
func Load(path string) ([]Vector, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var file struct {
		Vectors []Vector `json:"vectors"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return file.Vectors, nil
}
