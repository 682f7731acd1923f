package client

import (
	"fmt"
	"strings"
)

// ValidateHostNamePart checks that s can stand as written inside a host
// name, as region and cloud do in https://{service}.{region}.{cloud}: one
// or more dot-separated labels of ASCII letters, digits and hyphens, each 1
// to 63 characters and neither starting nor ending with a hyphen. The
// provider checks region and cloud with it at plan time; send checks the
// URL it builds with it, so a bad value never reaches the network.
func ValidateHostNamePart(s string) error {
	if s == "" {
		return fmt.Errorf("an empty string cannot be part of a host name")
	}
	if len(s) > 253 {
		return fmt.Errorf("%q cannot be part of a host name: longer than 253 characters", s)
	}
	for _, label := range strings.Split(s, ".") {
		if err := checkLabel(label); err != "" {
			return fmt.Errorf("%q cannot be part of a host name: %s", s, err)
		}
	}
	return nil
}

// checkLabel says what is wrong with one label of a host name, or "".
func checkLabel(label string) string {
	switch {
	case label == "":
		return "it has an empty label (a leading, trailing or double dot)"
	case len(label) > 63:
		return fmt.Sprintf("label %q is longer than 63 characters", label)
	case label[0] == '-' || label[len(label)-1] == '-':
		return fmt.Sprintf("label %q starts or ends with a hyphen", label)
	}
	for _, r := range label {
		if !hostNameRune(r) {
			return fmt.Sprintf("%q is not a letter, digit, hyphen or dot", r)
		}
	}
	return ""
}

// hostNameRune is an ASCII letter, digit or hyphen.
func hostNameRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-'
}
