package client

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// APIError is a response from IMS, IAM or the API gateway with a non-2xx
// status. Callers take it apart with errors.As.
type APIError struct {
	// Service ("ims" or "iam") and Operation (one of the Op constants) say
	// which call failed, so that a hint can fit it.
	Service    string
	Operation  string
	Method     string
	Path       string
	StatusCode int
	// Code is the service's error code: IMS "IMG.0001", gateway "APIGW.0301".
	Code      string
	Message   string
	RequestID string
	// Attempts is how many times the request was sent, retries included.
	Attempts int
	// imsBody: the body was IMS's own error ({"error": {"code": "IMG.…"}}),
	// not the gateway's ({"error_code": "APIGW.…"}) or anything else.
	imsBody bool
}

// FromIMS tells whether IMS itself answered (its error body with an IMG.
// code), as opposed to the API gateway or a proxy in front of it: only IMS
// can say that an image does not exist.
func (e *APIError) FromIMS() bool { return e.imsBody }

// NotFoundByIMS tells whether IMS itself answered 404: what it says of an
// image (or job) that does not exist. A gateway's 404, such as APIGW.0101
// behind a wrong endpoint, is not.
func (e *APIError) NotFoundByIMS() bool { return e.imsBody && e.StatusCode == http.StatusNotFound }

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" {
		b.WriteString(": " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request ID " + e.RequestID + ")")
	} else {
		b.WriteString(" (no request ID)")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	return b.String()
}

// The calls an APIError can come from.
const (
	OpListImageMembers   = "list image members"
	OpListImages         = "list images"
	OpLookUpProject      = "look up the project of a region"
	OpListAuthProjects   = "list the projects the credentials can access"
	OpAddImageMembers    = "share images"
	OpRemoveImageMembers = "stop sharing images"
	OpSetMemberStatus    = "answer a share"
	OpGetJob             = "query a job"
)

// Retryable reports whether the status is one the retry policy repeats.
func (e *APIError) Retryable() bool { return retryableStatus(e.StatusCode) }

// errorBody covers the error shapes met behind the gateway: IMS nests code
// and message under "error"; IAM does too, with a numeric code and a
// title; the API gateway puts error_code, error_msg and request_id at the
// top. The official SDK's parser (core/sdkerr processServiceResponseError)
// also reads code and message at the top, and error_code and error_msg
// nested, so the client does too. Fields are lenient (errorText) so that
// one odd type does not lose the rest.
type errorBody struct {
	Error *struct {
		Code      errorText `json:"code"`
		Message   errorText `json:"message"`
		Title     errorText `json:"title"`
		ErrorCode errorText `json:"error_code"`
		ErrorMsg  errorText `json:"error_msg"`
	} `json:"error"`
	ErrorCode errorText `json:"error_code"`
	ErrorMsg  errorText `json:"error_msg"`
	Code      errorText `json:"code"`
	Message   errorText `json:"message"`
	RequestID errorText `json:"request_id"`
}

// errorText takes a JSON string, number or boolean as text and anything
// else (null, object, array) as empty, never failing.
type errorText string

func (t *errorText) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = errorText(s)
		return nil
	}
	if v := strings.TrimSpace(string(b)); v != "" && v != "null" && v[0] != '{' && v[0] != '[' {
		*t = errorText(v)
	}
	return nil
}

// Bounds on what an error body may put into a diagnostic.
const (
	maxErrorSnippet   = 256
	maxRequestIDBytes = 128
)

// newAPIError reads a non-2xx answer to any call.
func newAPIError(method, path string, status int, header http.Header, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, StatusCode: status, RequestID: snippetN(header.Get("X-Request-Id"), maxRequestIDBytes)}
	var parsed errorBody
	if json.Unmarshal(body, &parsed) == nil {
		switch {
		case parsed.Error != nil && (parsed.Error.Code != "" || parsed.Error.Message != ""):
			e.Code, e.Message = string(parsed.Error.Code), string(parsed.Error.Message)
			e.imsBody = strings.HasPrefix(e.Code, "IMG.")
			if e.Message == "" {
				e.Message = string(parsed.Error.Title)
			}
		case parsed.Error != nil && (parsed.Error.ErrorCode != "" || parsed.Error.ErrorMsg != ""):
			e.Code, e.Message = string(parsed.Error.ErrorCode), string(parsed.Error.ErrorMsg)
		case parsed.ErrorCode != "" || parsed.ErrorMsg != "":
			e.Code, e.Message = string(parsed.ErrorCode), string(parsed.ErrorMsg)
		case parsed.Code != "" || parsed.Message != "":
			e.Code, e.Message = string(parsed.Code), string(parsed.Message)
		}
		if e.RequestID == "" {
			e.RequestID = snippetN(string(parsed.RequestID), maxRequestIDBytes)
		}
	}
	e.Code, e.Message = snippetN(e.Code, maxErrorSnippet), snippetN(e.Message, maxErrorSnippet)
	if e.Code == "" && e.Message == "" {
		e.Message = snippet(body)
	}
	return e
}

// snippet turns an arbitrary body (HTML from a proxy, plain text, a huge
// message) into one short printable line for a diagnostic.
func snippet(body []byte) string { return snippetN(string(body), maxErrorSnippet) }

// snippetN makes s one printable line of at most n bytes (plus "…"):
// whitespace runs become one space, control characters and invalid UTF-8
// become "?", so a body cannot forge lines or escape sequences in a
// terminal.
func snippetN(s string, n int) string {
	s = strings.ToValidUTF8(s, "?")
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		if unicode.IsControl(r) || r == utf8.RuneError || unicode.In(r, unicode.Cf) {
			return '?'
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// ResponseError is a response that arrived whole but cannot be trusted as
// an answer: invalid JSON, a missing members list, an oversized body, a
// looping or endless marker chain. It is never retried.
type ResponseError struct {
	Method    string
	Path      string
	RequestID string
	Reason    string
	Err       error
}

func (e *ResponseError) Error() string {
	id := e.RequestID
	if id == "" {
		id = "none"
	}
	msg := fmt.Sprintf("%s %s: %s (request ID %s)", e.Method, e.Path, e.Reason, id)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *ResponseError) Unwrap() error { return e.Err }

// bodySnippet is snippet with the credentials masked first: a proxy or a
// broken server may echo the request's token back in the body.
func (c *Client) bodySnippet(body []byte) string {
	return snippet([]byte(maskSecrets(string(body), c.secrets())))
}

// ConnectionCause says why an endpoint gave no answer at all.
type ConnectionCause int

// The causes send tells apart. Only CauseDropped and CauseRefused are
// retried: the others fail the same way every time.
const (
	// CauseDropped is everything else: a reset, a connection closed before
	// the answer, a per-attempt timeout, a DNS server that did not answer.
	CauseDropped ConnectionCause = iota
	// CauseRefused: nothing accepts connections at the host and port (an
	// emulator or proxy not running, a wrong port). Retried, since a server
	// being restarted refuses for a moment.
	CauseRefused
	// CauseUnknownHost: the host name does not resolve (NXDOMAIN), most
	// often a misspelled region in a host name built from it.
	CauseUnknownHost
	// CauseSchemeMismatch: an https:// endpoint answered in plain HTTP.
	CauseSchemeMismatch
	// CauseNotTLS: the TLS handshake failed for another reason (the server
	// does not speak TLS on that port, or refused the handshake).
	CauseNotTLS
	// CauseCertificate: the server's certificate was not accepted
	// (unknown authority, another host's name, expired).
	CauseCertificate
)

// Retryable reports whether another attempt could get an answer.
func (c ConnectionCause) Retryable() bool { return c == CauseDropped || c == CauseRefused }

func (c ConnectionCause) String() string {
	switch c {
	case CauseRefused:
		return "connection refused"
	case CauseUnknownHost:
		return "unknown host"
	case CauseSchemeMismatch:
		return "plain HTTP answered an https:// endpoint"
	case CauseNotTLS:
		return "TLS handshake failed"
	case CauseCertificate:
		return "certificate not accepted"
	}
	return "connection failed"
}

// ConnectionError is a call that got no HTTP answer from its endpoint, on
// its last attempt. It names the endpoint, so that a diagnostic can blame
// the endpoint (or the region in its host name) rather than the call.
type ConnectionError struct {
	Service  string // "ims" or "iam"
	Method   string
	Path     string
	Endpoint string // the base URL the call went to
	Host     string // the endpoint's host, without the port
	Region   string
	// RegionInHost is true when the endpoint's host name was built from
	// the region (the default endpoint, or one with {region}), so that a
	// misspelled region shows as an unknown host.
	RegionInHost bool
	// CustomEndpoint is true when the endpoint came from the configuration
	// (endpoints.ims or endpoints.iam) rather than the cloud's convention.
	CustomEndpoint bool
	Cause          ConnectionCause
	Attempts       int
	Err            error
}

func (e *ConnectionError) Error() string {
	if e.Attempts > 1 {
		return fmt.Sprintf("%s %s: giving up after %d attempt(s): %v", e.Method, e.Path, e.Attempts, e.Err)
	}
	if !e.Cause.Retryable() {
		return fmt.Sprintf("%s %s: %s, not retried (another attempt would fail the same way): %v", e.Method, e.Path, e.Cause, e.Err)
	}
	return fmt.Sprintf("%s %s: %v", e.Method, e.Path, e.Err)
}

func (e *ConnectionError) Unwrap() error { return e.Err }
