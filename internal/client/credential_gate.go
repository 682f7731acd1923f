package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
)

// credentialGate keeps one provider instance from locking its access key:
// the API gateway locks a key for five minutes after five bad signatures
// in a row, and an audit starts hundreds of reads at once.
//
//   - Until an answer shows that the credentials are accepted, at most one
//     request is in flight, so ten parallel reads with a wrong secret send
//     one bad signature, not ten.
//   - The first 401 is latched: nothing more is sent with these
//     credentials, and every later call fails at once with that error.
type credentialGate struct {
	mu       sync.Mutex
	accepted bool      // an answer showed the credentials are accepted
	rejected *APIError // the first 401; never cleared
	probe    chan struct{}
}

func newCredentialGate() credentialGate {
	return credentialGate{probe: make(chan struct{}, 1)}
}

// ErrCredentialsRejected marks a call that was not sent because an earlier
// request with the same credentials got a 401. The error also wraps that
// first 401 as an *APIError.
var ErrCredentialsRejected = errors.New("not sent: an earlier request with these credentials was rejected")

// enter waits until cl may be sent. held says the caller took the one
// probe slot and must hand it back through leave.
func (g *credentialGate) enter(ctx context.Context, cl call) (held bool, err error) {
	for {
		if done, err := g.settled(cl); done {
			return false, err
		}
		select {
		case g.probe <- struct{}{}:
		case <-ctx.Done():
			return false, fmt.Errorf("%s %s: %w while waiting for the first answer to these credentials", cl.verb(), cl.path, ctx.Err())
		}
		// The previous holder may have settled the question meanwhile.
		if done, _ := g.settled(cl); done {
			<-g.probe
			continue
		}
		return true, nil
	}
}

// settled reports whether the credentials' fate is known: accepted (nil)
// or rejected (the error to return instead of sending).
func (g *credentialGate) settled(cl call) (bool, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.rejected != nil {
		return true, fmt.Errorf("%s %s: %w: %w", cl.verb(), cl.path, ErrCredentialsRejected, g.rejected)
	}
	return g.accepted, nil
}

// leave records what the attempt learnt about the credentials: an answer
// other than 401, 429 or 5xx shows they are accepted (the gateway checks
// the signature first; 429 and 5xx may come before that check), and a 401
// rejects them for good. rep is the 2xx reply, err the attempt's error.
func (g *credentialGate) leave(held bool, rep *reply, err error) {
	g.mu.Lock()
	var apiErr *APIError
	switch {
	case rep != nil:
		g.accepted = true
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnauthorized:
		if g.rejected == nil {
			g.rejected = apiErr
		}
	case errors.As(err, &apiErr) && apiErr.StatusCode < 500 && apiErr.StatusCode != http.StatusTooManyRequests:
		g.accepted = true
	}
	g.mu.Unlock()
	if held {
		<-g.probe
	}
}
