package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// call is one logical API call; send repeats it as the retry policy says.
type call struct {
	method    string // empty means GET
	service   string // "ims" or "iam", for the endpoint
	operation string // an Op constant, for APIError
	region    string
	path      string // unescaped, e.g. /v1/{project}/cloudimages/{id}/members
	query     []QueryParam
	projectID string // sent and signed as X-Project-Id when set
	body      []byte // a JSON request body, signed; nil for none
	// write marks a call that changes something (a member write): it is
	// resent only after a failure that never reached IMS; any other
	// failure after sending is an *AnswerLostError, for the caller to
	// reconcile by reading, never to resend blindly.
	write bool
}

// verb is the call's HTTP method.
func (cl call) verb() string {
	if cl.method == "" {
		return http.MethodGet
	}
	return cl.method
}

// reply is a complete 2xx response.
type reply struct {
	status    int
	body      []byte
	requestID string
}

// errBodyTooLarge marks a response larger than Config.MaxBodyBytes.
var errBodyTooLarge = errors.New("response body exceeds the size limit")

// ErrAttemptTimeout marks one attempt that got no complete answer within
// Config.AttemptTimeout. It is retried, and it does not wrap
// context.DeadlineExceeded: the read as a whole still has time.
var ErrAttemptTimeout = errors.New("no complete answer within the per-attempt timeout")

// send performs cl through the credential gate and its endpoint's budget, with
// signing, a per-attempt timeout and the retry policy. It is the only place
// that talks HTTP, so every request is gated, budgeted, logged and retried
// the same way. An error before sending is final.
//
// One replay happens below it: net/http resends a GET once, unlogged, when
// a kept-alive connection turns out to have been closed by the server
// before any answer came back, which is a stale connection rather than a
// failed request.
func (c *Client) send(ctx context.Context, cl call) (*reply, error) {
	base, err := c.baseURL(cl)
	if err != nil {
		// Nothing was sent, and nothing would change on a retry.
		c.debug(ctx, "API request not sent", map[string]any{"service": cl.service, "method": cl.verb(), "path": cl.path, "error": err.Error()})
		return nil, err
	}
	budget := c.Budget(cl.service, cl.region)
	var backoff time.Duration // the retry wait before this attempt
	for attempt := 1; ; attempt++ {
		held, err := c.gate.enter(ctx, cl)
		if err != nil {
			if errors.Is(err, ErrCredentialsRejected) {
				c.debug(ctx, "API request not sent; the credentials were rejected earlier", map[string]any{
					"service": cl.service, "method": cl.verb(), "path": cl.path, "error": err.Error()})
			}
			return nil, err
		}
		queued, err := budget.Wait(ctx)
		if err != nil {
			c.gate.leave(held, nil, nil)
			return nil, fmt.Errorf("%s %s: %w while waiting for the request budget", cl.verb(), cl.path, err)
		}
		start := c.cfg.now()
		rep, header, sent, err := c.attempt(ctx, base, cl)
		fields := map[string]any{
			"service": cl.service, "method": cl.verb(), "path": cl.path, "query": CanonicalQuery(cl.query), "attempt": attempt,
			"wait_ms": (backoff + queued).Milliseconds(), "duration_ms": c.cfg.now().Sub(start).Milliseconds(),
			"headers": sent,
		}
		if rep != nil {
			c.gate.leave(held, rep, nil)
			fields["status"], fields["request_id"] = rep.status, rep.requestID
			budget.Succeeded()
			c.debug(ctx, "API request", fields)
			return rep, nil
		}
		retryable := c.classify(ctx, err, attempt, fields, budget)
		c.gate.leave(held, nil, err)
		fields["error"] = err.Error()
		if cl.write && !neverSent(err) && (retryable || ctx.Err() != nil) {
			// The request may have reached IMS and taken effect: only a
			// fresh read can tell, so the caller decides what to resend.
			c.debug(ctx, "API write's answer lost; not resent", fields)
			return nil, &AnswerLostError{Method: cl.verb(), Path: cl.path, Attempts: attempt, Err: c.giveUp(ctx, cl, base, attempt, err)}
		}
		if !retryable || attempt > c.cfg.Retry.MaxRetries {
			c.debug(ctx, "API request failed", fields)
			return nil, c.giveUp(ctx, cl, base, attempt, err)
		}
		backoff = c.cfg.Retry.Delay(attempt-1, header, c.cfg.now())
		fields["retry_in_ms"] = backoff.Milliseconds()
		if deadline, ok := ctx.Deadline(); ok && c.cfg.now().Add(backoff).After(deadline) {
			// Waiting would only run into the read's deadline: say so now.
			c.debug(ctx, "API request failed; the retry wait outlasts the deadline", fields)
			return nil, fmt.Errorf("%s %s: %w: the next retry was due in %s, after the read's deadline; last attempt: %w",
				cl.verb(), cl.path, context.DeadlineExceeded, backoff.Round(time.Millisecond), err)
		}
		c.debug(ctx, "API request failed; will retry", fields)
		if waitErr := sleep(ctx, backoff); waitErr != nil {
			return nil, fmt.Errorf("%s %s: %w while waiting to retry; last attempt: %w", cl.verb(), cl.path, waitErr, err)
		}
	}
}

// baseURL is the endpoint of cl's service in cl's region, checked before
// anything is sent: a region that cannot be part of a host name would
// otherwise fail every attempt the same way. (A call may leave the region
// empty when its endpoint is given in full.)
func (c *Client) baseURL(cl call) (*url.URL, error) {
	if cl.region != "" {
		if err := ValidateHostNamePart(cl.region); err != nil {
			return nil, &notSentError{cl: cl, err: fmt.Errorf("region: %w", err)}
		}
	}
	u, err := url.Parse(c.Endpoint(cl.service, cl.region))
	if err != nil {
		return nil, &notSentError{cl: cl, err: err}
	}
	return u, nil
}

// AnswerLostError is a write that was sent but whose answer never came
// whole (a dropped connection, an attempt timeout, a cancellation) or was a
// 5xx: whether IMS acted on it is unknown. It is not resent; the caller
// reads what the write was to change and sends what is still needed.
type AnswerLostError struct {
	Method, Path string
	Attempts     int // how many times the write was sent, this one included
	Err          error
}

func (e *AnswerLostError) Error() string {
	return fmt.Sprintf("%s %s: the request was sent but its answer was lost, so whether it took effect is unknown: %v", e.Method, e.Path, e.Err)
}

func (e *AnswerLostError) Unwrap() error { return e.Err }

// neverSent tells a failure that certainly did not reach IMS, so a write
// may be sent again as is: no connection could be made (refused, no such
// host), or the API gateway throttled it (a 429 with an APIGW. code is
// answered before the request is passed on).
func neverSent(err error) bool {
	var notSent *notSentError
	var apiErr *APIError
	var opErr *net.OpError
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &notSent), errors.As(err, &dnsErr):
		return true
	case errors.As(err, &apiErr):
		return apiErr.StatusCode == http.StatusTooManyRequests && strings.HasPrefix(apiErr.Code, "APIGW.")
	case errors.As(err, &opErr):
		return opErr.Op == "dial"
	}
	return false
}

// notSentError is a request that could not be built or signed: nothing
// reached the network, and a retry would fail the same way, so it is final.
type notSentError struct {
	cl  call
	err error
}

func (e *notSentError) Error() string {
	return fmt.Sprintf("%s %s: not sent, the request cannot be built: %v", e.cl.verb(), e.cl.path, e.err)
}

func (e *notSentError) Unwrap() error { return e.err }

// classify decides whether a failed attempt is worth another, feeds 429s
// to the budget and adds the status and request ID to the log fields.
func (c *Client) classify(ctx context.Context, err error, attempt int, fields map[string]any, budget *Budget) bool {
	var apiErr *APIError
	var respErr *ResponseError
	var notSent *notSentError
	switch {
	case errors.As(err, &notSent):
		return false
	case errors.As(err, &apiErr):
		apiErr.Attempts = attempt
		fields["status"], fields["request_id"] = apiErr.StatusCode, apiErr.RequestID
		if apiErr.StatusCode == http.StatusTooManyRequests {
			budget.Throttled()
		}
		return apiErr.Retryable()
	case errors.As(err, &respErr):
		// Complete but unusable (an oversized body): asking again gets the same.
		fields["request_id"] = respErr.RequestID
		return false
	default:
		return retryableTransportError(ctx, err)
	}
}

// giveUp is the error of a call that will not be tried again. An attempt
// that got no HTTP answer at all becomes a ConnectionError naming the
// endpoint and the cause.
func (c *Client) giveUp(ctx context.Context, cl call, base *url.URL, attempt int, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		if errors.Is(err, ctxErr) { // the attempt itself was cut off
			return fmt.Errorf("%s %s: %w during attempt %d", cl.verb(), cl.path, ctxErr, attempt)
		}
		return fmt.Errorf("%s %s: %w; last attempt: %w", cl.verb(), cl.path, ctxErr, err)
	}
	var apiErr *APIError
	var respErr *ResponseError
	var notSent *notSentError
	if errors.As(err, &apiErr) || errors.As(err, &respErr) || errors.As(err, &notSent) {
		return err // they say what they are; APIError counts its own attempts
	}
	configured := c.configuredEndpoint(cl.service)
	return &ConnectionError{
		Service: cl.service, Method: cl.verb(), Path: cl.path,
		Endpoint: base.String(), Host: base.Hostname(), Region: cl.region,
		RegionInHost:   cl.region != "" && (configured == "" || strings.Contains(configured, RegionPlaceholder)),
		CustomEndpoint: configured != "",
		Cause:          connectionCause(err), Attempts: attempt, Err: err,
	}
}

// attempt sends one signed request and reads the whole body, within
// AttemptTimeout. It returns a reply for a 2xx, or an error with the
// headers that carry Retry-After; sent is the request's headers, redacted,
// for the log.
func (c *Client) attempt(parent context.Context, base *url.URL, cl call) (rep *reply, header http.Header, sent string, err error) {
	ctx, cancel := context.WithTimeout(parent, c.cfg.AttemptTimeout)
	defer cancel()
	u := *base
	u.Path = strings.TrimRight(u.Path, "/") + cl.path
	u.RawPath = ""
	var payload io.Reader
	if cl.body != nil {
		payload = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.verb(), u.String(), payload)
	if err != nil {
		return nil, nil, "", &notSentError{cl: cl, err: err}
	}
	req.Header.Set("Accept", "application/json")
	if cl.body != nil {
		req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if cl.projectID != "" {
		req.Header.Set(HeaderProjectID, cl.projectID)
	}
	if err := c.cfg.Credentials.Sign(req, cl.query, cl.body, c.cfg.now()); err != nil {
		return nil, nil, "", &notSentError{cl: cl, err: err}
	}
	sent = FormatHeaders(RedactHeaders(req.Header))
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, sent, c.attemptTimedOut(parent, ctx, cl, err)
	}
	defer func() { _ = resp.Body.Close() }()
	requestID := resp.Header.Get("X-Request-Id")
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxBodyBytes+1))
	if err != nil {
		// A body cut short is a dropped connection: retryable.
		return nil, resp.Header, sent, fmt.Errorf("%s %s: HTTP %d, reading the body (request ID %s): %w",
			cl.verb(), cl.path, resp.StatusCode, orNone(requestID), c.attemptTimedOut(parent, ctx, cl, err))
	}
	if int64(len(body)) > c.cfg.MaxBodyBytes {
		return nil, resp.Header, sent, &ResponseError{Method: cl.verb(), Path: cl.path, RequestID: requestID,
			Reason: fmt.Sprintf("HTTP %d with a body larger than %d bytes", resp.StatusCode, c.cfg.MaxBodyBytes), Err: errBodyTooLarge}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// A proxy's error page may echo the request's headers, the security
		// token among them: mask before the body is cut to a snippet, so no
		// part of it reaches a diagnostic.
		body = []byte(maskSecrets(string(body), c.secrets()))
		apiErr := newAPIError(cl.verb(), cl.path, resp.StatusCode, resp.Header, body)
		apiErr.Service, apiErr.Operation = cl.service, cl.operation
		return nil, resp.Header, sent, apiErr
	}
	return &reply{status: resp.StatusCode, body: body, requestID: requestID}, nil, sent, nil
}

// attemptTimedOut replaces the error of an attempt cut off by its own
// timeout (not the caller's) with ErrAttemptTimeout.
func (c *Client) attemptTimedOut(parent, attemptCtx context.Context, cl call, err error) error {
	if parent.Err() == nil && errors.Is(attemptCtx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%s %s: %w of %s", cl.verb(), cl.path, ErrAttemptTimeout, c.cfg.AttemptTimeout)
	}
	return err
}

func orNone(requestID string) string {
	if requestID == "" {
		return "none"
	}
	return requestID
}
