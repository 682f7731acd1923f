// Package sdkcheck holds the differential tests of the provider's request
// signer against the official Huawei Cloud Go SDK's. It is a module of its
// own so that the SDK never becomes a dependency of the provider; make test
// and .ci/run run it.
package sdkcheck
