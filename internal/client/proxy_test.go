package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// forwardProxy is a plain HTTP proxy that sends every request to target,
// keeping the Host the client signed.
func forwardProxy(t *testing.T, target string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	var seen atomic.Int32
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(u)
		r.Out.Host = r.In.Host
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Add(1)
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func TestProxyFromEnvironment(t *testing.T) {
	e := emulator.New(emulator.Config{AccessKey: testAK, SecretKey: testSK,
		Projects: []emulator.Project{{ID: testProject, Name: testRegion, Enabled: true}}})
	e.AddImage(testProject, testImage, emulator.GenerateMembers(testImage, 3))
	upstream := httptest.NewServer(e)
	t.Cleanup(upstream.Close)
	proxy, seen := forwardProxy(t, upstream.URL)

	newClient := func() *client.Client {
		c, err := client.New(client.Config{
			Credentials: client.Credentials{AccessKey: testAK, SecretKey: testSK},
			// A name only the proxy can reach: loopback addresses bypass proxies.
			IMSEndpoint: "http://ims.emulator.test", MaxRetries: -1,
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	read := func(c *client.Client) error {
		_, err := c.ListImageMembers(context.Background(), client.ListImageMembersInput{
			Region: testRegion, ProjectID: testProject, ImageID: testImage})
		return err
	}

	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("HTTPS_PROXY", "")
	t.Setenv("NO_PROXY", "")
	if err := read(newClient()); err != nil {
		t.Fatalf("read through HTTP_PROXY: %v", err)
	}
	if seen.Load() != 1 {
		t.Fatalf("the proxy saw %d requests, want 1", seen.Load())
	}

	t.Setenv("NO_PROXY", "emulator.test")
	if err := read(newClient()); err == nil {
		t.Fatal("with NO_PROXY the client must go direct to a host that does not resolve, and fail")
	}
	if seen.Load() != 1 {
		t.Errorf("NO_PROXY was ignored: the proxy saw %d requests", seen.Load())
	}
}
