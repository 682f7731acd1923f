package client_test

import (
	"strings"
	"testing"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// TestEndpoint: the base URL of each service in each region. A fixed
// endpoint serves every region; {region} in an endpoint is replaced by the
// region of the call.
func TestEndpoint(t *testing.T) {
	for _, tc := range []struct {
		name, ims, cloud, region, want string
	}{
		{"default", "", "", "ap-southeast-1", "https://ims.ap-southeast-1.myhuaweicloud.com"},
		{"European default", "", "", "eu-west-101", "https://ims.eu-west-101.myhuaweicloud.eu"},
		{"cloud", "", "example.cloud", "r1", "https://ims.r1.example.cloud"},
		{"fixed endpoint serves every region", "https://ims.proxy.example/", "", "ap-southeast-1", "https://ims.proxy.example"},
		{"{region} in the host", "https://ims.{region}.example.cloud", "", "ap-southeast-1", "https://ims.ap-southeast-1.example.cloud"},
		{"{region} in the path", "http://127.0.0.1:8080/{region}/", "", "cn-north-4", "http://127.0.0.1:8080/cn-north-4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := client.New(client.Config{Credentials: client.Credentials{AccessKey: "AK", SecretKey: "SK"}, IMSEndpoint: tc.ims, Cloud: tc.cloud})
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Endpoint("ims", tc.region); got != tc.want {
				t.Errorf("Endpoint(ims, %s) = %s, want %s", tc.region, got, tc.want)
			}
		})
	}
}

func TestValidateEndpoint(t *testing.T) {
	for _, tc := range []struct {
		endpoint, wantErr string
	}{
		{"https://ims.example.cloud", ""},
		{"http://127.0.0.1:8080", ""},
		{"https://ims.{region}.example.cloud", ""},
		{"ims.example.cloud", "not an http:// or https:// URL"},
		{"ftp://ims.example.cloud", "not an http:// or https:// URL"},
		{"https://", "not an http:// or https:// URL"},
		{"https://ims.{cloud}.example", "not an http:// or https:// URL"},
	} {
		t.Run(tc.endpoint, func(t *testing.T) {
			err := client.ValidateEndpoint(tc.endpoint)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("got %v, want an error saying %q", err, tc.wantErr)
			}
		})
	}
}
