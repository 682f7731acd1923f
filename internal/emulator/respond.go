package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// The three error shapes a caller meets: the API gateway's (auth, throttling,
// unknown API), IMS's and IAM's Keystone-style one.

type gatewayErrorBody struct {
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
	RequestID string `json:"request_id"`
}

type imsErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

type keystoneErrorBody struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Title   string `json:"title"`
	} `json:"error"`
}

func (x *exchange) gatewayError(status int, code, msg string) {
	x.json(status, gatewayErrorBody{ErrorCode: code, ErrorMsg: msg, RequestID: x.id})
}

func (x *exchange) imsError(status int, code, msg string) {
	var b imsErrorBody
	b.Error.Code, b.Error.Message = code, msg
	x.json(status, b)
}

func (x *exchange) keystoneError(status int, msg string) {
	var b keystoneErrorBody
	b.Error.Code, b.Error.Message, b.Error.Title = status, msg, http.StatusText(status)
	x.json(status, b)
}

// json replaces the body with v; encoding these small fixed types cannot fail.
func (x *exchange) json(status int, v any) {
	x.buf.Reset()
	_ = json.NewEncoder(x.buf).Encode(v)
	x.setJSON(status)
}

func (x *exchange) setJSON(status int) {
	x.status = status
	x.w.Header().Set("Content-Type", "application/json;charset=UTF-8")
}

// defaultFaultBody is what the real front ends send with each status: the
// gateway speaks for throttling and unreachable backends, IMS or IAM
// (Keystone's shape) for their own failures.
func defaultFaultBody(status int, requestID string, iam bool) string {
	if msg := iamDefaultMessages[status]; iam && msg != "" {
		var b keystoneErrorBody
		b.Error.Code, b.Error.Message, b.Error.Title = status, msg, http.StatusText(status)
		out, _ := json.Marshal(b)
		return string(out)
	}
	var v any
	switch status {
	case http.StatusTooManyRequests:
		v = gatewayErrorBody{"APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit", requestID}
	case http.StatusNotFound:
		// The gateway's answer to a path it does not route (a wrong
		// endpoint, or a transient routing fault): no IMS body. Source: the
		// API gateway's error code list (APIGW.0101).
		v = gatewayErrorBody{"APIGW.0101", "The API does not exist or has not been published in the environment", requestID}
	case http.StatusBadGateway:
		v = gatewayErrorBody{"APIGW.0202", "Backend unavailable", requestID}
	case http.StatusGatewayTimeout:
		v = gatewayErrorBody{"APIGW.0203", "Backend timeout", requestID}
	default:
		var b imsErrorBody
		b.Error.Code, b.Error.Message = "IMG.0061", "Unknown system error."
		if status < 500 {
			b.Error.Code, b.Error.Message = "IMG.0001", "The request message format is invalid."
		}
		v = b
	}
	out, _ := json.Marshal(v)
	return string(out)
}

// iamDefaultMessages are Keystone's messages for the statuses a fault may
// give the IAM project lookup.
var iamDefaultMessages = map[int]string{
	http.StatusBadRequest:          "The request you have made requires a valid request body or query.",
	http.StatusUnauthorized:        "The request you have made requires authentication.",
	http.StatusForbidden:           "You are not authorized to perform the requested action: identity:list_projects.",
	http.StatusNotFound:            "Could not find the requested resource.",
	http.StatusInternalServerError: "An unexpected error prevented the server from fulfilling your request.",
	http.StatusServiceUnavailable:  "The service is temporarily unavailable.",
}

// newRequestID is a random 32-hex id, like the gateway's X-Request-Id.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails since Go 1.24
	return hex.EncodeToString(b[:])
}

func itoa(n int) string { return strconv.Itoa(n) }

// routeKind tells which API a path belongs to.
type routeKind int

const (
	routeUnknown routeKind = iota
	routeMembers
	routeImages
	routeProjects
	routeWriteMembers // POST, PUT, DELETE /v1/cloudimages/members
	routeJob          // GET /v1/{project_id}/jobs/{job_id}
	routeAuthProjects // GET /v3/auth/projects
)

type route struct {
	kind                      routeKind
	projectID, imageID, jobID string
}

// methods is the Allow header of the route.
func (rt route) methods() string {
	if rt.kind == routeWriteMembers {
		return "POST, PUT, DELETE"
	}
	return http.MethodGet
}

func (rt route) allows(method string) bool {
	if rt.kind == routeWriteMembers {
		return method == http.MethodPost || method == http.MethodPut || method == http.MethodDelete
	}
	return method == http.MethodGet
}

// parseRoute recognises GET /v1/{project_id}/cloudimages/{image_id}/members,
// /v2/cloudimages, /v3/projects, /v1/{project_id}/jobs/{job_id} and the
// write calls on /v1/cloudimages/members; everything else is an API the
// gateway does not know.
func parseRoute(path string) route {
	switch path {
	case "/v3/projects":
		return route{kind: routeProjects}
	case "/v3/auth/projects":
		return route{kind: routeAuthProjects}
	case "/v2/cloudimages":
		return route{kind: routeImages}
	case "/v1/cloudimages/members":
		return route{kind: routeWriteMembers}
	}
	parts := strings.Split(path, "/")
	if len(parts) == 5 && parts[0] == "" && parts[1] == "v1" && parts[2] != "" && parts[3] == "jobs" && parts[4] != "" {
		return route{kind: routeJob, projectID: parts[2], jobID: parts[4]}
	}
	if len(parts) == 6 && parts[0] == "" && parts[1] == "v1" && parts[2] != "" &&
		parts[3] == "cloudimages" && parts[4] != "" && parts[5] == "members" {
		return route{kind: routeMembers, projectID: parts[2], imageID: parts[4]}
	}
	return route{kind: routeUnknown}
}
