package provider

import (
	"fmt"
	"strconv"
)

// One credential, one source: the access key, secret key and security
// token are taken together from the provider block, the environment or the
// shared config profile, never pieced together from several. A stale
// HW_SECURITY_TOKEN beside a profile's long-term keys would otherwise make
// every request fail with 401.

// credentialSourceKind is where a credential can come from, in precedence order.
type credentialSourceKind int

const (
	fromArguments credentialSourceKind = iota
	fromEnvironment
	fromProfile
)

// credentialSource is what one place holds; empty strings are unset.
type credentialSource struct {
	kind                        credentialSourceKind
	accessKey, secretKey, token string
	// profile and file name the shared config profile (fromProfile only).
	profile, file string
}

func (s credentialSource) hasKey() bool { return s.accessKey != "" || s.secretKey != "" }

// credentialField is one of the three values of a credential.
type credentialField int

const (
	fieldAccessKey credentialField = iota
	fieldSecretKey
	fieldToken
)

// argumentName is the provider argument of a field, used as the
// diagnostic's attribute.
func (f credentialField) argumentName() string {
	return [...]string{"access_key", "secret_key", "security_token"}[f]
}

func (f credentialField) value(s credentialSource) string {
	return [...]string{s.accessKey, s.secretKey, s.token}[f]
}

// describe names where a field of s is set, as a user would look for it.
func (s credentialSource) describe(f credentialField) string {
	switch s.kind {
	case fromArguments:
		return f.argumentName() + " in the provider block"
	case fromEnvironment:
		return [...]string{envAccessKey, envSecretKey, envSecurityToken}[f] + " in the environment"
	default:
		return [...]string{"accessKeyId", "secretAccessKey", "securityToken"}[f] +
			" of profile " + strconv.Quote(s.profile) + " in " + s.file
	}
}

// credentialProblem is a configure-time error about credentials.
type credentialProblem struct {
	attribute, summary, detail string
	// none is set when no source holds any credential at all.
	none bool
}

// resolvedCredentials are the keys and token of one source.
type resolvedCredentials struct {
	accessKey, secretKey, token string
	// source says where they came from, for the debug log.
	source string
}

// resolveCredentials picks the first source (arguments, environment,
// profile) that holds a key and takes all three values from it. A token
// alone in another source while the keys have none, or the missing key in
// another source, is an error naming both places: it would have joined
// them. A complete credential further down the order is simply not used,
// and neither is a profile's token when the keys come from elsewhere (the
// profile may be there for its region).
func resolveCredentials(sources ...credentialSource) (resolvedCredentials, *credentialProblem) {
	keys := -1
	for i, s := range sources {
		if s.hasKey() {
			keys = i
			break
		}
	}
	if keys < 0 {
		for _, s := range sources {
			if s.token != "" && s.kind != fromProfile {
				return resolvedCredentials{}, &credentialProblem{attribute: "security_token", summary: "security_token without keys",
					detail: fmt.Sprintf("%s is set, but temporary credentials also need their access_key (%s) and secret_key (%s) from the same place.",
						s.describe(fieldToken), envAccessKey, envSecretKey)}
			}
		}
		return resolvedCredentials{}, &credentialProblem{attribute: "access_key", summary: "Missing credentials", none: true,
			detail: "No access key was found. Set access_key and secret_key in the provider block, or HW_ACCESS_KEY and HW_SECRET_KEY in the environment, " +
				"or point profile (HW_PROFILE) at an hcloud CLI profile."}
	}
	chosen := sources[keys]
	for _, other := range sources {
		if other.kind == chosen.kind || other.kind == fromProfile {
			continue
		}
		var stray credentialField
		switch {
		case chosen.token == "" && other.token != "" && !other.hasKey():
			stray = fieldToken
		case chosen.accessKey == "" && other.accessKey != "":
			stray = fieldAccessKey
		case chosen.secretKey == "" && other.secretKey != "":
			stray = fieldSecretKey
		default:
			continue
		}
		return resolvedCredentials{}, &credentialProblem{attribute: stray.argumentName(), summary: "Credentials from two sources",
			detail: fmt.Sprintf("%s is set beside %s. The access key, secret key and security token must come from one place: "+
				"set all of them there, or unset %s (a leftover from another session?).",
				other.describe(stray), chosen.describe(chosen.keyField()), other.describe(stray))}
	}
	for _, f := range []credentialField{fieldAccessKey, fieldSecretKey} {
		if f.value(chosen) == "" {
			return resolvedCredentials{}, &credentialProblem{attribute: f.argumentName(), summary: "Missing " + f.argumentName(),
				detail: fmt.Sprintf("%s is set but %s is not. The keys come from one place: set %s too, or both keys in another place "+
					"(access_key and secret_key in the provider block, or %s and %s in the environment).",
					chosen.describe(chosen.keyField()), chosen.describe(f), chosen.describe(f), envAccessKey, envSecretKey)}
		}
	}
	return resolvedCredentials{accessKey: chosen.accessKey, secretKey: chosen.secretKey, token: chosen.token,
		source: chosen.describe(fieldAccessKey)}, nil
}

// keyField is a key the source holds: the access key, else the secret key.
func (s credentialSource) keyField() credentialField {
	if s.accessKey != "" {
		return fieldAccessKey
	}
	return fieldSecretKey
}
