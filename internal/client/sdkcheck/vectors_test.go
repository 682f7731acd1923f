package sdkcheck

import (
	"encoding/json"
	"os"
	"testing"
)

// signingVector is one entry of the client's known-answer vectors.
type signingVector struct {
	Name          string            `json:"name"`
	AccessKey     string            `json:"access_key"`
	SecretKey     string            `json:"secret_key"`
	Method        string            `json:"method"`
	Host          string            `json:"host"`
	Path          string            `json:"path"`
	Query         [][2]string       `json:"query"`
	SignedHeaders map[string]string `json:"signed_headers"`
	Body          string            `json:"body"`
	Authorization string            `json:"authorization"`
}

// loadSigningVectors reads the client's vectors (its testdata, one module
// up): both modules check the same file.
func loadSigningVectors(t *testing.T) []signingVector {
	t.Helper()
	raw, err := os.ReadFile("../testdata/signing-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Vectors []signingVector `json:"vectors"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	return file.Vectors
}
