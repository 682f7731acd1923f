// Command ims-emulator serves the local IMS + IAM emulator over HTTP for the
// demo and for manual runs of the provider. Once listening it prints a
// ready-to-use provider block, the images it serves and a line
// IMS_EMULATOR_URL=http://HOST:PORT for scripts; SIGINT or SIGTERM stop it.
//
//	ims-emulator -fixture cmd/ims-emulator/testdata/demo.json
//	ims-emulator -members 2500 -write-addr /tmp/ims.url
//	ims-emulator -images 1000 -members 256 -rate-limit 20 -burst 20   # the audit at scale
//	ims-emulator -images 200 -members 256 -latency 20ms                # make bench-e2e's audit
//	ims-emulator -job-duration 5s -fail-jobs                           # share jobs that run, then fail
//	ims-emulator -rate-limit 20 -throttle-without-retry-after          # a gateway that does not say when
//	ims-emulator -last-page empty-marker -unfiltered-shares all -oversize-pages 3  # undocumented read behaviours, played another way
//	ims-emulator -images 200 -members 50 -rate-limit 20 -burst 20 \
//	  -more-regions ap-southeast-1,ap-southeast-2,af-south-1,tr-west-1  # make bench-e2e's account-wide audit
//
// Every region is served at URL/{region} too, as a gateway of its own with
// its own -rate-limit (endpoints.ims = "URL/{region}"); URL alone serves
// every project.
//
// Unless -admin=false, loopback clients may change the world between two
// plans through /_emulator/ (see internal/emulator/admin.go), as someone in
// the console would; `ims-emulator admin URL JSON` makes such a call:
//
//	ims-emulator admin "$IMS_EMULATOR_URL/_emulator/members" '{"project_id":...}'
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// Defaults are fixed, not random, so that a demo script or a README can
// name them; the emulator only ever listens where it is told.
const (
	defaultAccessKey = "IMSEMULATORACCESSKEY"
	defaultSecretKey = "ims-emulator-secret-key-for-local-use-only"
	defaultRegion    = "cn-north-4"
	defaultProjectID = "1bed856811654c1cb661a6ca845ebc77"
	defaultDomainID  = "0970dd7a1300f5672ff2c003c60ae115"
	defaultImageID   = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "ims-emulator:", err)
		os.Exit(1)
	}
}

type options struct {
	addr, fixture, writeAddr             string
	moreRegions                          []string
	accessKey, secretKey, securityToken  string
	region, projectID, domainID, imageID string
	members, images, imagePageCap, burst int
	rateLimit                            float64
	latency, jobDuration                 time.Duration
	verbose, failJobs, admin             bool
	throttleWithoutRetryAfter            bool
	// Read-path behaviours the documentation leaves open (emulator.Config).
	lastPage         emulator.LastPageStyle
	unfilteredShares emulator.UnfilteredShares
	oversizePages    int
	set              map[string]bool // flags given explicitly
}

// lastPageStyles and unfilteredShares are the names of the -last-page and
// -unfiltered-shares values.
var (
	lastPageStyles = map[string]emulator.LastPageStyle{
		"rotate": emulator.LastPageRotate, "omit-page-info": emulator.LastPageOmitPageInfo,
		"empty-marker": emulator.LastPageEmptyMarker, "omit-marker": emulator.LastPageOmitMarker,
	}
	unfilteredShares = map[string]emulator.UnfilteredShares{
		"accepted": emulator.UnfilteredSharesAccepted, "all": emulator.UnfilteredSharesAll,
	}
)

// choice is a flag that takes one of the names of a map.
func choice[T any](fs *flag.FlagSet, target *T, name, value string, names map[string]T, usage string) {
	*target = names[value]
	fs.Func(name, usage+" (default "+value+")", func(s string) error {
		v, ok := names[s]
		if !ok {
			keys := make([]string, 0, len(names))
			for k := range names {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			return fmt.Errorf("%q is not one of %s", s, strings.Join(keys, ", "))
		}
		*target = v
		return nil
	})
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("ims-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:0", "listen address; port 0 picks a free one")
	fs.StringVar(&o.fixture, "fixture", "", "JSON fixture of projects, images and members (see internal/emulator/fixture.go)")
	fs.IntVar(&o.members, "members", 0, "also serve image -image-id with this many generated members (with -images: each generated image)")
	fs.IntVar(&o.images, "images", 0, "also serve this many generated images owned by the project, each shared with -members generated members")
	fs.IntVar(&o.imagePageCap, "image-page-cap", 0, "return at most this many images per /v2/cloudimages page whatever the limit, silently; 0 is off")
	choice(fs, &o.lastPage, "last-page", "rotate", lastPageStyles,
		"how the last page of members ends: omit-page-info, empty-marker (next_marker \"\"), omit-marker (current_count only), or rotate through the three")
	choice(fs, &o.unfilteredShares, "unfiltered-shares", "accepted", unfilteredShares,
		"which images shared with the requester an image list without member_status includes: accepted, or all (pending and rejected too)")
	fs.IntVar(&o.oversizePages, "oversize-pages", 0, "put up to this many items more than the limit on every page of members and images, silently; 0 is off")
	fs.StringVar(&o.imageID, "image-id", defaultImageID, "image ID for -members")
	fs.StringVar(&o.accessKey, "access-key", defaultAccessKey, "the accepted access key")
	fs.StringVar(&o.secretKey, "secret-key", defaultSecretKey, "the accepted secret key")
	fs.StringVar(&o.securityToken, "security-token", "", "require this X-Security-Token (temporary credentials)")
	fs.StringVar(&o.region, "region", defaultRegion, "region name of the project IAM returns")
	fs.Func("more-regions", "comma-separated regions that each get a project of their own (named as the region), with -images generated images like the first project's", func(v string) error {
		for r := range strings.SplitSeq(v, ",") {
			if r = strings.TrimSpace(r); r != "" {
				o.moreRegions = append(o.moreRegions, r)
			}
		}
		return nil
	})
	fs.StringVar(&o.projectID, "project-id", defaultProjectID, "project ID for that region")
	fs.StringVar(&o.domainID, "domain-id", defaultDomainID, "domain (account) ID of that project")
	fs.Float64Var(&o.rateLimit, "rate-limit", 0, "gateway throttle in requests per second; 0 is off")
	fs.IntVar(&o.burst, "burst", 10, "token-bucket size for -rate-limit")
	fs.BoolVar(&o.throttleWithoutRetryAfter, "throttle-without-retry-after", false, "send the 429s of -rate-limit without Retry-After (by default Retry-After: 1)")
	fs.DurationVar(&o.latency, "latency", 0, "wait this long before answering each request, as a distant gateway would (e.g. 20ms); 0 is off")
	fs.StringVar(&o.writeAddr, "write-addr", "", "write the base URL to this file once listening")
	fs.DurationVar(&o.jobDuration, "job-duration", 2*time.Second, "how long the job of a share change stays RUNNING before it ends")
	fs.BoolVar(&o.failJobs, "fail-jobs", false, "make every job end in FAIL, changing nothing")
	fs.BoolVar(&o.admin, "admin", true, "serve the admin API under /_emulator/ to loopback clients (changes the world between plans, for drift)")
	fs.BoolVar(&o.verbose, "v", false, "log each request to stderr")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.members < 0 || o.images < 0 || o.imagePageCap < 0 || o.jobDuration < 0 || o.latency < 0 {
		return o, errors.New("-members, -images, -image-page-cap, -job-duration and -latency must not be negative")
	}
	if o.oversizePages < 0 {
		return o, errors.New("-oversize-pages must not be negative")
	}
	if o.accessKey == "" || o.secretKey == "" {
		return o, errors.New("-access-key and -secret-key must not be empty")
	}
	o.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	return o, nil
}

// run serves until ctx ends, then shuts down gracefully.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "admin" {
		return adminCall(ctx, args[1:], stdout)
	}
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	var onRequest func(emulator.RecordedRequest, time.Duration)
	if o.verbose {
		onRequest = requestPrinter(stderr)
	}
	emu, project, err := build(o, onRequest)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: withLatency(emu, o.latency), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	url := "http://" + ln.Addr().String()
	printBanner(stdout, o, project, url, emu.Images())
	if o.writeAddr != "" {
		if err := writeFileAtomic(o.writeAddr, url+"\n"); err != nil {
			_ = srv.Close()
			return err
		}
	}

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close() // a slow-fault handler may still be waiting
	}
	_, _ = fmt.Fprintln(stderr, "ims-emulator: stopped")
	return nil
}

// build makes the emulator from the fixture and flags, returning the
// project the provider block should point at. Without a fixture project the
// flags define it; with one, -region, -project-id and -domain-id override
// the fixture's first project, and its images and the shares other
// projects made with it move along with it, so a script can pick its own
// IDs for the bundled data.
func build(o options, onRequest func(emulator.RecordedRequest, time.Duration)) (*emulator.Emulator, emulator.Project, error) {
	fixture := &emulator.Fixture{}
	if o.fixture != "" {
		f, err := emulator.LoadFixture(o.fixture)
		if err != nil {
			return nil, emulator.Project{}, err
		}
		fixture = f
	}
	project := emulator.Project{ID: o.projectID, Name: o.region, DomainID: o.domainID, Enabled: true}
	if len(fixture.Projects) == 0 {
		fixture.Projects = []emulator.Project{project}
	} else {
		first := fixture.Projects[0]
		project = first
		if o.set["project-id"] {
			project.ID = o.projectID
		}
		if o.set["region"] {
			project.Name = o.region
		}
		if o.set["domain-id"] {
			project.DomainID = o.domainID
		}
		fixture.Projects[0] = project
		for i := range fixture.Images {
			img := &fixture.Images[i]
			if img.ProjectID == first.ID {
				img.ProjectID = project.ID
			}
			for j := range img.Members { // images other projects share with it
				if m := &img.Members[j]; m.MemberType == "project" && m.MemberID == first.ID {
					m.MemberID = project.ID
				}
			}
		}
	}

	emu := emulator.New(emulator.Config{
		AccessKey: o.accessKey, SecretKey: o.secretKey, SecurityToken: o.securityToken,
		ImagePageCap: o.imagePageCap, ThrottleWithoutRetryAfter: o.throttleWithoutRetryAfter, OnRequest: onRequest,
		JobDuration: o.jobDuration, FailJobs: o.failJobs, Admin: o.admin,
		LastPage: o.lastPage, UnfilteredShares: o.unfilteredShares, OversizePages: o.oversizePages,
	})
	emu.AddFixture(fixture)
	owners := []string{project.ID}
	for _, region := range o.moreRegions {
		// Two projects named alike would make the region's default
		// project ambiguous.
		if slices.ContainsFunc(fixture.Projects, func(p emulator.Project) bool { return p.Name == region }) {
			return nil, emulator.Project{}, fmt.Errorf("-more-regions: region %s already has a project named after it", region)
		}
		p := emulator.Project{ID: regionProjectID(region), Name: region, DomainID: project.DomainID, Enabled: true}
		emu.AddProject(p)
		owners = append(owners, p.ID)
	}
	switch {
	case o.images > 0:
		for _, owner := range owners {
			for _, meta := range emulator.GenerateImages(owner, o.images) {
				emu.AddImage(owner, meta.ID, emulator.GenerateMembers(meta.ID, o.members))
				emu.AddImageMetadata(meta)
			}
		}
	case o.members > 0:
		emu.AddImage(project.ID, o.imageID, emulator.GenerateMembers(o.imageID, o.members))
	}
	if o.rateLimit > 0 {
		emu.SetRateLimit(o.rateLimit, o.burst)
	}
	return emu, project, nil
}

// regionProjectID is the project ID -more-regions gives region: fixed, so
// that a script can name it, and 32 hex digits like IAM's.
func regionProjectID(region string) string {
	sum := sha256.Sum256([]byte("ims-emulator project/" + region))
	return hex.EncodeToString(sum[:16])
}

func printBanner(w io.Writer, o options, p emulator.Project, url string, images []emulator.ImageInfo) {
	var b strings.Builder
	fmt.Fprintf(&b, "# ims-emulator listening on %s (IMS and IAM)\n", url)
	fmt.Fprintf(&b, "provider \"ims\" {\n")
	fmt.Fprintf(&b, "  region     = %q\n", p.Name)
	fmt.Fprintf(&b, "  project_id = %q\n", p.ID)
	fmt.Fprintf(&b, "  access_key = %q\n", o.accessKey)
	fmt.Fprintf(&b, "  secret_key = %q\n", o.secretKey)
	if o.securityToken != "" {
		fmt.Fprintf(&b, "  security_token = %q\n", o.securityToken)
	}
	fmt.Fprintf(&b, "  endpoints  = { ims = %q, iam = %q }\n", url, url)
	fmt.Fprintf(&b, "}\n")
	fmt.Fprintf(&b, "# one gateway per region: endpoints = { ims = %q, iam = %q }\n\n", url+"/{region}", url)
	fmt.Fprintf(&b, "# %-36s  %-32s  %s\n", "image_id", "project_id", "members")
	ids := make([]string, 0, len(images))
	for _, img := range images {
		fmt.Fprintf(&b, "# %-36s  %-32s  %d\n", img.ImageID, img.ProjectID, img.Members)
		ids = append(ids, img.ImageID)
	}
	fmt.Fprintf(&b, "IMS_EMULATOR_URL=%s\n", url)
	fmt.Fprintf(&b, "IMS_EMULATOR_IMAGE_IDS=%s\n", strings.Join(ids, ","))
	_, _ = io.WriteString(w, b.String())
}

// withLatency delays every answer by d, so that a benchmark's reads overlap
// as they would against a gateway that is not on loopback; a request whose
// client gives up stops waiting.
func withLatency(h http.Handler, d time.Duration) http.Handler {
	if d <= 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			h.ServeHTTP(w, r)
		case <-r.Context().Done():
		}
	})
}

// writeFileAtomic renames into place so a script polling for the file
// never reads it half-written.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ims-emulator-addr-*")
	if err != nil {
		return err
	}
	if _, err := tmp.WriteString(content); err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
