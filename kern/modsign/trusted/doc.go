// Package trusted holds the public keys the kernel trusts for module
// signatures (kern/modsign), fixed when the kernel is built.
//
// Under Bazel, Keys comes from a file generated from the build's signing key
// (the label flag //modules/keys:signing_key; BUILD.bazel here): the kernel
// trusts exactly the key its modules are signed with. devkey.go holds the
// same for the committed development key, for the go tool (go vet, go build
// outside Bazel); Bazel does not compile it, and tools/modkey's tests check
// that it is what the generator writes for that key.
package trusted
