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

// Key is a trusted public key (32 bytes of Ed25519) and its key ID, the
// first 8 bytes of its SHA-256 (kern/modsign.IDOf), computed when the
// source was generated so that the kernel does not hash its keys.
type Key struct {
	ID  [8]byte
	Pub []byte
}
