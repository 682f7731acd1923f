package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestSend_signingFailureIsFinal: a request that cannot be signed is never
// sent, and never retried as if a connection had dropped.
func TestSend_signingFailureIsFinal(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { requests.Add(1) }))
	t.Cleanup(srv.Close)
	c, err := New(Config{
		Credentials: Credentials{AccessKey: "AK", SecretKey: "SK"},
		IMSEndpoint: srv.URL, MaxRetries: 5, Retry: RetryPolicy{BaseDelay: time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	c.cfg.Credentials.SecretKey = "" // Sign refuses to sign without it
	_, err = c.send(context.Background(), call{service: "ims", region: "cn-north-4", path: "/v1/p/cloudimages/i/members"})
	var notSent *notSentError
	if !errors.As(err, &notSent) || !strings.Contains(err.Error(), "not sent") || !strings.Contains(err.Error(), "signing") {
		t.Fatalf("err = %v, want a final signing error", err)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests, want none", n)
	}
	if strings.Contains(err.Error(), "giving up after") {
		t.Errorf("the signing failure was retried: %v", err)
	}
}
