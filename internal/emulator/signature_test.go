package emulator

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// signingVector is one entry of testdata/signing-vectors.json (a copy of
// the client's file, whose vectors come from the contract and from the
// official SDK's signer). The emulator reads it with its own type rather
// than the client's reader, so that no emulator code, tests included,
// takes its idea of the signature from internal/client.
type signingVector struct {
	Name             string            `json:"name"`
	SecretKey        string            `json:"secret_key"`
	Method           string            `json:"method"`
	Path             string            `json:"path"`
	Query            [][2]string       `json:"query"`
	SignedHeaders    map[string]string `json:"signed_headers"`
	Body             string            `json:"body"`
	CanonicalRequest string            `json:"canonical_request"`
	Authorization    string            `json:"authorization"`
}

func TestGatewaySignatureMatchesKnownAnswerVectors(t *testing.T) {
	raw, err := os.ReadFile("testdata/signing-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Vectors []signingVector `json:"vectors"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Vectors) < 5 {
		t.Fatalf("only %d vectors read", len(file.Vectors))
	}
	for _, v := range file.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			req := signedRequest{method: v.Method, path: v.Path, headers: map[string]string{}, body: []byte(v.Body)}
			for _, q := range v.Query {
				req.query = append(req.query, queryParam{Key: q[0], Value: q[1]})
			}
			date := ""
			for name, value := range v.SignedHeaders {
				if _, twice := req.headers[strings.ToLower(name)]; twice {
					t.Fatalf("vector signs two case variants of %s: a gateway receives one header per name", name)
				}
				req.headers[strings.ToLower(name)] = value
				if strings.EqualFold(name, headerSdkDate) {
					date = value
				}
			}
			canonical := req.canonical()
			if v.CanonicalRequest != "" && canonical != v.CanonicalRequest {
				t.Errorf("canonical request:\n got %q\nwant %q", canonical, v.CanonicalRequest)
			}
			auth, err := parseAuthorizationHeader(v.Authorization)
			if err != nil {
				t.Fatal(err)
			}
			if got := expectedSignature(v.SecretKey, date, canonical); got != auth.signature {
				t.Errorf("signature %s, want %s", got, auth.signature)
			}
		})
	}
}

func TestParseWireQueryReadsPlusAsSpaceAndKeepsOrder(t *testing.T) {
	got, err := parseWireQuery("marker=Zm9v+Ym%2FYXI%3D&limit=10&limit=2&flag")
	if err != nil {
		t.Fatal(err)
	}
	want := []queryParam{{"marker", "Zm9v Ym/YXI="}, {"limit", "10"}, {"limit", "2"}, {"flag", ""}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("pair %d = %v, want %v", i, got[i], want[i])
		}
	}
	if _, err := parseWireQuery("limit=%zz"); err == nil {
		t.Error("a bad escape was accepted")
	}
}

// TestEmulatorImportsNothingFromTheClient keeps the emulator and the
// client independent readings of the API: if the emulator took the
// signature, query parsing or response shapes from internal/client, a
// misreading in the client would be mirrored and every test stay green.
func TestEmulatorImportsNothingFromTheClient(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list; skipped when testing.Short() (go test -short)")
	}
	const clientPkg = "github.com/cloudimages/terraform-provider-ims/internal/client"
	for _, pkg := range []string{".", "../../cmd/ims-emulator"} {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		for dep := range strings.FieldsSeq(string(out)) {
			if dep == clientPkg || strings.HasPrefix(dep, clientPkg+"/") {
				t.Errorf("%s depends on %s", pkg, dep)
			}
		}
	}
}
