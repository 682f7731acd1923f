// Package sdkcheck holds the differential tests of the provider against the
// official Huawei Cloud Go SDK: the request signer against the SDK's
// signer; every response the client decodes against values built and
// marshalled with the SDK's models (services/ims/v2/model,
// services/iam/v3/model); every response the emulator writes and every
// request body the client writes against the same models; and the SDK
// fields the provider relies on, pinned by name and Go type; the SDK's own
// client run against the emulator; and the replay of recorded exchanges
// (internal/client/testdata/recorded/). It is a module
// of its own so that the SDK never becomes a dependency of the provider;
// make test and .ci/run run it.
package sdkcheck
