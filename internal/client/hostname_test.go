package client

import (
	"strings"
	"testing"
)

func TestValidateHostNamePart(t *testing.T) {
	for _, ok := range []string{"cn-north-4", "eu-west-101", "myhuaweicloud.com", "my-cloud.example.eu", "A1", strings.Repeat("a", 63)} {
		if err := ValidateHostNamePart(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for bad, says := range map[string]string{
		"":                      "empty string",
		"cn north 4":            `' ' is not a letter, digit, hyphen or dot`,
		"cn_north_4":            `'_' is not a letter`,
		"ims.example.com/path":  `'/' is not a letter`,
		"host:443":              `':' is not a letter`,
		"-cn-north-4":           "starts or ends with a hyphen",
		"example..com":          "empty label",
		".example.com":          "empty label",
		strings.Repeat("a", 64): "longer than 63 characters",
		"région":                `'é' is not a letter`,
	} {
		err := ValidateHostNamePart(bad)
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%q: err = %v, want it to say %q", bad, err, says)
		}
	}
}
