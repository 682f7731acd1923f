package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// adminCall is `ims-emulator admin URL JSON`: it POSTs JSON to a running
// emulator's admin API (URL ends in /_emulator/...) and prints the answer,
// so the demo can change the world between two plans with nothing but the
// binary it already built (no curl on the user's machine).
func adminCall(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 2 {
		return fmt.Errorf("usage: ims-emulator admin URL JSON (URL is the emulator's base URL followed by /_emulator/...)")
	}
	url, body := args[0], args[1]
	if !strings.Contains(url, "/_emulator/") {
		return fmt.Errorf("admin: %q is not an admin API URL (it has no /_emulator/)", url)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return fmt.Errorf("admin: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("admin: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("admin: POST %s: %s: %s", url, resp.Status, strings.TrimSpace(string(answer)))
	}
	if len(answer) > 0 {
		_, err = fmt.Fprintln(stdout, strings.TrimSpace(string(answer)))
	}
	return err
}
