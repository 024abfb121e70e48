package main

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The few bits of the protobuf wire format capproxy needs: split a message into its
// fields, decode and encode a SemVer.

const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

// field is one encoded field of a message: its number, wire type, payload (the value of
// a varint field, the bytes of a length-delimited one) and its whole encoding, key
// included.
type field struct {
	num    uint64
	wire   uint64
	varint uint64
	value  []byte
	raw    []byte
}

var errTruncated = errors.New("truncated protobuf message")

func parseFields(b []byte) ([]field, error) {
	var fields []field
	for len(b) > 0 {
		start := b
		key, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errTruncated
		}
		b = b[n:]
		f := field{num: key >> 3, wire: key & 7}
		if f.num == 0 {
			return nil, errors.New("field number 0")
		}
		switch f.wire {
		case wireVarint:
			x, n := binary.Uvarint(b)
			if n <= 0 {
				return nil, errTruncated
			}
			f.varint = x
			b = b[n:]
		case wireFixed64:
			if len(b) < 8 {
				return nil, errTruncated
			}
			b = b[8:]
		case wireFixed32:
			if len(b) < 4 {
				return nil, errTruncated
			}
			b = b[4:]
		case wireBytes:
			l, n := binary.Uvarint(b)
			if n <= 0 || uint64(len(b)-n) < l {
				return nil, errTruncated
			}
			f.value = b[n : n+int(l)]
			b = b[n+int(l):]
		default:
			return nil, fmt.Errorf("unsupported wire type %d", f.wire)
		}
		f.raw = start[:len(start)-len(b)]
		fields = append(fields, f)
	}
	return fields, nil
}

// decodeSemver reads major (1), minor (2) and patch (3) of a build.bazel.semver.SemVer.
func decodeSemver(b []byte) (semver, error) {
	fields, err := parseFields(b)
	if err != nil {
		return semver{}, err
	}
	var v semver
	for _, f := range fields {
		if f.wire != wireVarint || f.num > 3 {
			continue
		}
		switch f.num {
		case 1:
			v.major = f.varint
		case 2:
			v.minor = f.varint
		case 3:
			v.patch = f.varint
		}
	}
	return v, nil
}

func encodeSemver(v semver) []byte {
	var b []byte
	for i, x := range []uint64{v.major, v.minor, v.patch} {
		if x != 0 { // proto3: zero values are not encoded
			b = binary.AppendUvarint(b, uint64(i+1)<<3|wireVarint)
			b = binary.AppendUvarint(b, x)
		}
	}
	return b
}

func appendBytesField(b []byte, num uint64, value []byte) []byte {
	b = binary.AppendUvarint(b, num<<3|wireBytes)
	b = binary.AppendUvarint(b, uint64(len(value)))
	return append(b, value...)
}
