// Package emulator is a local stand-in for the Huawei Cloud IMS image-member
// and image-list APIs and the IAM project lookup, behind a front that
// behaves like the API gateway. Tests and the demo run the provider against
// it; faults and throttling exercise the client's retry and paging logic.
//
// It holds a world of several projects: each image has an owner, its
// members (the one store both the member list and the image list read) and
// metadata (ImageMetadata). GET /v2/cloudimages answers as the project in
// X-Project-Id sees the world: its own images (shared while they have
// members), images other projects shared with it by project or by its
// domain, with their member status taken from those members, and public
// (gold) and market images.
//
// Every region is a gateway of its own (regions.go): a path that starts
// with a region, /{region}/v2/cloudimages, is that region's endpoint, with
// its own throttle, and refuses a project of another region; a path
// without one serves every project, as one endpoint did before.
//
// Every request passes, in order:
//
//  1. routing (after any region prefix): anything but
//     /v1/{project_id}/cloudimages/{image_id}/members, /v2/cloudimages,
//     /v3/projects, /v3/auth/projects, /v1/cloudimages/members (the write
//     calls) and /v1/{project_id}/jobs/{job_id} is 404 APIGW.0101;
//  2. method: GET, or POST, PUT and DELETE on /v1/cloudimages/members, else
//     405 with Allow;
//  3. throttling (SetRateLimit), per region's gateway: 429 APIGW.0308 with
//     Retry-After: 1 (without it under Config.ThrottleWithoutRetryAfter);
//  4. the SDK-HMAC-SHA256 signature: 401 APIGW.0301 on any fault in it
//     (see auth.go for what is checked); then, at a region's gateway, an
//     IMS call for a project of another region is 400 APIGW.0101;
//  5. the next matching injected Fault, if any (see Fault);
//  6. the service. IMS checks the project (400 IMG.0067 if unknown),
//     X-Project-Id (403 IMG.0030 if missing or different), limit and
//     marker (400 IMG.0001) and the image (404 IMG.0027). The image list
//     checks every filter's value and refuses unknown parameters and
//     member_status without visibility=shared (400 IMG.0001).
//
// The write calls (writes.go) check their JSON body, signed like the rest,
// and start a job (jobs.go) that stays RUNNING for the configured time and
// then ends in SUCCESS, making its change visible to every later read, or in
// FAIL, changing nothing (SetJobs). Outside the API, a loopback-only admin
// API under /_emulator/ (admin.go) changes the world as someone in the
// console would, for drift between two plans.
//
// SOURCES.md (next to this file) names where each behaviour comes from: a
// documentation page, an SDK model, the official provider, or an
// assumption; each assumed read behaviour is playable (Config.LastPage,
// Config.UnfilteredShares, Config.OversizePages, Config.ImagePageCap).
// The signature is verified by this package's own implementation
// (signature.go), never the client's, so the two can disagree.
//
// Every response carries X-Request-Id, repeated as request_id in gateway
// error bodies. Pages are built from members encoded once, at AddImage, so
// reading 100,000 members costs no more per page than reading ten.
package emulator
