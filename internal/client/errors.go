package client

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// APIError is a response from IMS, IAM or the API gateway with a non-2xx
// status. Callers take it apart with errors.As.
type APIError struct {
	Method     string
	Path       string
	StatusCode int
	// Code is the service's error code: IMS "IMG.0001", gateway "APIGW.0301".
	Code      string
	Message   string
	RequestID string
	// Attempts is how many times the request was sent, retries included.
	Attempts int
}

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

// Retryable reports whether the status is one the retry policy repeats.
func (e *APIError) Retryable() bool { return retryableStatus(e.StatusCode) }

// errorBody covers both error shapes: IMS nests code and message under
// "error"; the API gateway puts error_code, error_msg and request_id at the top.
type errorBody struct {
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
	RequestID string `json:"request_id"`
}

// maxErrorSnippet bounds how much of a non-JSON error body reaches a diagnostic.
const maxErrorSnippet = 256

func newAPIError(method, path string, status int, header http.Header, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, StatusCode: status, RequestID: header.Get("X-Request-Id")}
	var parsed errorBody
	if err := json.Unmarshal(body, &parsed); err == nil {
		switch {
		case parsed.Error != nil:
			e.Code, e.Message = parsed.Error.Code, parsed.Error.Message
		case parsed.ErrorCode != "" || parsed.ErrorMsg != "":
			e.Code, e.Message = parsed.ErrorCode, parsed.ErrorMsg
		}
		if e.RequestID == "" {
			e.RequestID = parsed.RequestID
		}
	}
	if e.Code == "" && e.Message == "" {
		e.Message = snippet(body)
	}
	return e
}

// snippet turns an arbitrary body (HTML from a proxy, plain text) into one
// short printable line.
func snippet(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > maxErrorSnippet {
		cut := maxErrorSnippet
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "?")
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
