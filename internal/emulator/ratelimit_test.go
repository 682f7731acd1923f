package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRateLimit(t *testing.T) {
	for _, tc := range []struct {
		name           string
		cfg            Config
		wantRetryAfter string
	}{
		{"with Retry-After", Config{}, "1"},
		{"ThrottleWithoutRetryAfter", Config{ThrottleWithoutRetryAfter: true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newEnv(t, tc.cfg)
			v.emu.AddImage(testProject, testImage, nil)
			v.emu.SetRateLimit(0.001, 2) // no refill to speak of during the test

			decodePage(t, v.list(testProject, testImage, 0, ""))
			decodeProjects(t, v.projects("cn-north-4")) // IAM shares the bucket
			for range 2 {
				r := v.list(testProject, testImage, 0, "")
				wantGateway(t, r, http.StatusTooManyRequests, "APIGW.0308")
				if got := strings.Join(r.header.Values("Retry-After"), ", "); got != tc.wantRetryAfter {
					t.Errorf("Retry-After %q, want %q", got, tc.wantRetryAfter)
				}
			}
			// Throttling comes before authentication, as at the gateway.
			v.creds.SecretKey = "wrong"
			wantGateway(t, v.list(testProject, testImage, 0, ""), http.StatusTooManyRequests, "APIGW.0308")

			v.emu.SetRateLimit(0, 0)
			wantGateway(t, v.list(testProject, testImage, 0, ""), http.StatusUnauthorized, "APIGW.0301")
		})
	}
}

func TestRateLimitRefills(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, nil)
	v.emu.SetRateLimit(20, 1)
	decodePage(t, v.list(testProject, testImage, 0, ""))
	wantGateway(t, v.list(testProject, testImage, 0, ""), http.StatusTooManyRequests, "APIGW.0308")
	time.Sleep(60 * time.Millisecond) // 20/s refills a token in 50ms
	decodePage(t, v.list(testProject, testImage, 0, ""))
}

func TestTokenBucket(t *testing.T) {
	var l rateLimiter
	now := time.Unix(1000, 0)
	if !l.allow(now) {
		t.Fatal("an unset limiter throttled")
	}
	l.set(10, 3, now)
	allowed := 0
	for range 10 {
		if l.allow(now) {
			allowed++
		}
	}
	if allowed != 3 {
		t.Errorf("burst let %d through, want 3", allowed)
	}
	now = now.Add(time.Second) // refills to the burst, not beyond
	allowed = 0
	for range 20 {
		if l.allow(now) {
			allowed++
		}
	}
	if allowed != 3 {
		t.Errorf("after a second %d through, want 3", allowed)
	}
}
