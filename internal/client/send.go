package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// call is one logical API call; send repeats it as the retry policy says.
type call struct {
	service   string // "ims" or "iam", for the endpoint
	region    string
	path      string // unescaped, e.g. /v1/{project}/cloudimages/{id}/members
	query     []QueryParam
	projectID string // sent and signed as X-Project-Id when set
}

// reply is a complete 2xx response.
type reply struct {
	status    int
	header    http.Header
	body      []byte
	requestID string
	attempts  int
}

// errBodyTooLarge marks a response larger than Config.MaxBodyBytes.
var errBodyTooLarge = errors.New("response body exceeds the size limit")

// send performs c with signing, the shared budget, per-attempt timeouts and
// retries. It is the only place that talks HTTP.
func (c *Client) send(ctx context.Context, cl call) (*reply, error) {
	base := c.Endpoint(cl.service, cl.region)
	for attempt := 1; ; attempt++ {
		if err := c.budget.Wait(ctx); err != nil {
			return nil, err
		}
		start := c.cfg.now()
		rep, header, err := c.attempt(ctx, base, cl)
		fields := map[string]any{
			"method": http.MethodGet, "path": cl.path, "query": CanonicalQuery(cl.query),
			"attempt": attempt, "duration_ms": c.cfg.now().Sub(start).Milliseconds(),
		}
		if rep != nil {
			fields["status"], fields["request_id"] = rep.status, rep.requestID
			c.budget.Succeeded()
			c.log.Debug(ctx, "IMS API request", fields)
			rep.attempts = attempt
			return rep, nil
		}
		var apiErr *APIError
		retryable := false
		switch {
		case errors.As(err, &apiErr):
			apiErr.Attempts = attempt
			fields["status"], fields["request_id"] = apiErr.StatusCode, apiErr.RequestID
			retryable = apiErr.Retryable()
			if apiErr.StatusCode == http.StatusTooManyRequests {
				c.budget.Throttled()
			}
		case errors.Is(err, errBodyTooLarge):
		default:
			var respErr *ResponseError
			if !errors.As(err, &respErr) {
				retryable = retryableTransportError(ctx, err)
			}
		}
		fields["error"] = err.Error()
		if !retryable || attempt > c.retry.MaxRetries {
			c.log.Debug(ctx, "IMS API request failed", fields)
			if ctx.Err() != nil {
				return nil, fmt.Errorf("%s %s: %w", http.MethodGet, cl.path, ctx.Err())
			}
			if apiErr == nil && retryable {
				return nil, fmt.Errorf("%s %s: giving up after %d attempts: %w", http.MethodGet, cl.path, attempt, err)
			}
			return nil, err
		}
		wait := c.retry.Delay(attempt-1, header, c.cfg.now())
		fields["wait_ms"] = wait.Milliseconds()
		c.log.Debug(ctx, "IMS API request will be retried", fields)
		if err := sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("%s %s: %w while waiting to retry after: %v", http.MethodGet, cl.path, err, fields["error"])
		}
	}
}

// attempt sends one signed request and reads the whole body. It returns a
// reply for a 2xx, or an error with the headers that carry Retry-After.
func (c *Client) attempt(ctx context.Context, base string, cl call) (*reply, http.Header, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.AttemptTimeout)
	defer cancel()
	u, err := url.Parse(base)
	if err != nil {
		return nil, nil, err
	}
	u.Path = strings.TrimRight(u.Path, "/") + cl.path
	u.RawPath = ""
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if cl.projectID != "" {
		req.Header.Set(HeaderProjectID, cl.projectID)
	}
	if err := c.cfg.Credentials.Sign(req, cl.query, nil, c.cfg.now()); err != nil {
		return nil, nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxBodyBytes+1))
	requestID := resp.Header.Get("X-Request-Id")
	if err != nil {
		// A body cut short is a dropped connection: retryable.
		return nil, resp.Header, fmt.Errorf("reading response (request ID %s): %w", requestID, err)
	}
	if int64(len(body)) > c.cfg.MaxBodyBytes {
		return nil, resp.Header, &ResponseError{Method: http.MethodGet, Path: cl.path, RequestID: requestID,
			Reason: fmt.Sprintf("response body larger than %d bytes", c.cfg.MaxBodyBytes), Err: errBodyTooLarge}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, resp.Header, newAPIError(http.MethodGet, cl.path, resp.StatusCode, resp.Header, body)
	}
	return &reply{status: resp.StatusCode, header: resp.Header, body: body, requestID: requestID}, nil, nil
}
