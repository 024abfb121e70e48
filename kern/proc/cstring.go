package proc

import (
	"bytes"
	"errors"
)

// errStringTooLong is ReadString's error for a string without a NUL in its
// first max bytes.
var errStringTooLong = errors.New("string too long")

// readCString reads a NUL-terminated string of fewer than max bytes at va,
// a page at a time: pageAt returns the bytes from va to the end of its page
// (or an error for memory that cannot be read). Only the pages up to the
// NUL are touched, so a string that ends just before an unmapped page reads
// fine.
func readCString(va uint32, max int, pageAt func(va uint32) ([]byte, error)) (string, error) {
	var out []byte
	for len(out) < max {
		chunk, err := pageAt(va)
		if err != nil {
			return "", err
		}
		if len(chunk) == 0 {
			return "", ErrFault
		}
		if rest := max - len(out); len(chunk) > rest {
			chunk = chunk[:rest]
		}
		if i := bytes.IndexByte(chunk, 0); i >= 0 {
			return string(append(out, chunk[:i]...)), nil
		}
		out = append(out, chunk...)
		va += uint32(len(chunk))
	}
	return "", errStringTooLong
}
