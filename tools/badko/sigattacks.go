package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	"gojos/kern/modsign"
	"gojos/kern/modsign/signer"
	"gojos/kern/module/elfrel"
)

// The signature attacks: modules the kernel must refuse with EKEYREJECTED
// before its loader looks at them. Each starts from the valid module signed
// with the build's key (or from its unsigned image):
//
//	badsig-unsigned.ko      the unsigned image
//	badsig-text.ko          one byte of the code flipped after signing
//	badsig-data.ko          one byte of the first loaded data section flipped
//	badsig-header.ko        one byte of the ELF header (e_shoff) flipped
//	badsig-sig.ko           one byte of the signature flipped
//	badsig-keyid.ko         one byte of the trailer's key ID flipped
//	badsig-length.ko        one byte of the trailer's image length flipped
//	badsig-magic.ko         one byte of the trailer's magic flipped
//	badsig-truncsig.ko      the signature cut to 48 of its 64 bytes, trailer kept
//	badsig-cut.ko           the file's last 10 bytes cut off
//	badsig-appended.ko      one byte appended after the trailer
//	badsig-wrongkey.ko      signed with a key no kernel trusts (WrongKey)
//	badsig-forged.ko        that signature, its trailer claiming the trusted key
//	badsig-resigned.ko      a changed module signed with the wrong key
//
// The texts to expect are modsign's (the kernel's refusal quotes them).
const (
	wantUnsigned = "module is not signed"
	wantBadSig   = "module signature does not verify"
	wantUnknown  = "which this kernel does not trust"
	wantMalform  = "malformed module signature"
)

// WrongKey is a key no kernel trusts: derived from a fixed text, so that the
// outputs are reproducible.
func WrongKey() ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("gojos tools/badko: a module-signing key that no kernel trusts"))
	return ed25519.NewKeyFromSeed(seed[:])
}

// SigAttacks derives the signature attacks from a valid unsigned module and
// the trusted signing key.
func SigAttacks(image []byte, key ed25519.PrivateKey) ([]Bad, error) {
	o, err := elfrel.Parse(image)
	if err != nil {
		return nil, fmt.Errorf("input: %w", err)
	}
	text, data := -1, -1
	for _, s := range o.Sections {
		if !s.Alloc() || s.Type != elfrel.SHT_PROGBITS || s.Size == 0 {
			continue
		}
		if s.Flags&elfrel.SHF_EXECINSTR != 0 && text < 0 {
			text = int(s.Offset + s.Size/2)
		} else if s.Flags&elfrel.SHF_EXECINSTR == 0 && data < 0 {
			data = int(s.Offset + s.Size/2)
		}
	}
	if text < 0 || data < 0 {
		return nil, errors.New("input has no code or no loaded data to change")
	}
	signed, err := signer.Sign(key, image)
	if err != nil {
		return nil, err
	}
	wrong := WrongKey()
	if wrong.Equal(key) {
		return nil, errors.New("the signing key is badko's wrong key")
	}
	other, err := signer.Sign(wrong, image)
	if err != nil {
		return nil, err
	}
	n := len(image)
	tr := len(signed) - modsign.TrailerSize
	flip := func(at int) []byte {
		d := append([]byte(nil), signed...)
		d[at] ^= 0x01
		return d
	}
	forged := append([]byte(nil), other...)
	id := modsign.IDOf(key.Public().(ed25519.PublicKey))
	copy(forged[tr+4:], id[:])
	changed := append([]byte(nil), image...)
	changed[text] ^= 0x01
	resigned, err := signer.Sign(wrong, changed)
	if err != nil {
		return nil, err
	}
	truncsig := append(append([]byte(nil), signed[:n+48]...), signed[tr:]...)
	shoff := 0x20 // e_shoff in the ELF32 header
	if binary.LittleEndian.Uint32(image[shoff:]) == 0 {
		return nil, errors.New("input has no section header offset")
	}
	return []Bad{
		{"badsig-unsigned.ko", append([]byte(nil), image...), wantUnsigned},
		{"badsig-text.ko", flip(text), wantBadSig},
		{"badsig-data.ko", flip(data), wantBadSig},
		{"badsig-header.ko", flip(shoff), wantBadSig},
		{"badsig-sig.ko", flip(n + 10), wantBadSig},
		{"badsig-keyid.ko", flip(tr + 4), wantUnknown},
		{"badsig-length.ko", flip(tr + 12), wantMalform},
		{"badsig-magic.ko", flip(len(signed) - 5), wantUnsigned},
		{"badsig-truncsig.ko", truncsig, wantMalform},
		{"badsig-cut.ko", signed[:len(signed)-10], wantUnsigned},
		{"badsig-appended.ko", append(append([]byte(nil), signed...), 0), wantUnsigned},
		{"badsig-wrongkey.ko", other, wantUnknown},
		{"badsig-forged.ko", forged, wantBadSig},
		{"badsig-resigned.ko", resigned, wantUnknown},
	}, nil
}

// signAll signs every module with key.
func signAll(bads []Bad, key ed25519.PrivateKey) ([]Bad, error) {
	out := make([]Bad, len(bads))
	for i, b := range bads {
		s, err := signer.Sign(key, b.Data)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", b.Name, err)
		}
		out[i] = Bad{b.Name, s, b.Want}
	}
	return out, nil
}
