package sdkcheck

import (
	"testing"

	"github.com/cloudimages/terraform-provider-ims/internal/client/signingvectors"
)

// loadSigningVectors reads the client's vectors (its testdata, one module
// up): both modules check the same file.
func loadSigningVectors(t *testing.T) []signingvectors.Vector {
	t.Helper()
	vectors, err := signingvectors.Load("../testdata/signing-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	return vectors
}
