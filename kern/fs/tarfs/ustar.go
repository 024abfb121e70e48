package tarfs

import (
	"archive/tar"
	"time"
)

// A quick reader for the archives gojos builds: USTAR headers, with PAX
// extended headers that set the path, the link target or the size, or
// carry a comment (tools/mkinitrd pads with one so that executables start on
// a page boundary). archive/tar reads a header in tens of thousands of
// instructions (it scans each 512-byte block rune by rune and parses every
// number through strconv), which made mounting the 86-entry initrd cost
// the boot tens of milliseconds under emulation; this one reads the same
// headers in a few hundred.
//
// It accepts only what it fully understands and otherwise declines, and
// New then reads the archive with archive/tar from the start: any other
// format (GNU, V7, star), type, PAX key, base-256 number, checksum
// mismatch or unusual end. A fuzz test holds it to archive/tar on every
// archive it accepts: the same headers at the same offsets.

const (
	blockSize  = 512
	maxPAXSize = 1 << 20 // archive/tar's limit on an extended header
)

// header is one entry as New needs it: the header and where its contents
// start in the archive.
type header struct {
	hdr *tar.Header
	off int64
}

// quickHeaders returns the archive's entries, or ok = false if the archive
// is not one this reader understands.
func quickHeaders(data []byte) (hdrs []header, ok bool) {
	off := 0
	var pax map[string]string // the pending extended header's records
	for {
		if off+blockSize > len(data) {
			return nil, false
		}
		b := data[off : off+blockSize]
		if allZero(b) {
			// The end: a second zero block must follow, and no
			// extended header may be pending.
			if pax != nil || off+2*blockSize > len(data) || !allZero(data[off+blockSize:off+2*blockSize]) {
				return nil, false
			}
			return hdrs, true
		}
		h, ok := ustarHeader(b)
		if !ok {
			return nil, false
		}
		off += blockSize
		size := h.Size
		if h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeXHeader {
			size = 0 // links, symbolic links and directories have no contents
		}
		if size > int64(len(data)-off) {
			return nil, false
		}
		if h.Typeflag == tar.TypeXHeader {
			if pax != nil || size > maxPAXSize {
				return nil, false // two extended headers in a row
			}
			if pax, ok = paxRecords(data[off : off+int(size)]); !ok {
				return nil, false
			}
		} else {
			if pax != nil {
				if !applyPAX(h, pax) {
					return nil, false
				}
				pax = nil
				if h.Typeflag == tar.TypeReg {
					size = h.Size
					if size > int64(len(data)-off) {
						return nil, false
					}
				}
			}
			hdrs = append(hdrs, header{h, int64(off)})
		}
		off += int((size + blockSize - 1) / blockSize * blockSize)
		if off > len(data) {
			return nil, false
		}
	}
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// ustarHeader decodes a USTAR header block.
func ustarHeader(b []byte) (*tar.Header, bool) {
	if string(b[257:265]) != "ustar\x0000" || string(b[508:512]) == "tar\x00" {
		return nil, false // not USTAR/PAX (GNU, V7 or star)
	}
	switch b[156] {
	case tar.TypeReg, tar.TypeLink, tar.TypeSymlink, tar.TypeDir, tar.TypeXHeader:
	default:
		return nil, false
	}
	chk, ok := octal(b[148:156])
	if !ok {
		return nil, false
	}
	// The sum of the block's bytes with the checksum field read as spaces:
	// at most 512*255, so 32 bits, one add per byte (the boot sums every
	// header of the initrd).
	var sum uint32
	for _, c := range b[:512] {
		sum += uint32(c)
	}
	for _, c := range b[148:156] {
		sum -= uint32(c)
	}
	sum += 8 * ' '
	if int64(sum) != chk {
		return nil, false // (archive/tar also accepts a signed sum)
	}
	mode, ok1 := octal(b[100:108])
	size, ok2 := octal(b[124:136])
	mtime, ok3 := octal(b[136:148])
	if !ok1 || !ok2 || !ok3 {
		return nil, false
	}
	// archive/tar refuses a header whose other numbers (uid, gid, device
	// numbers) do not parse, though New does not use them.
	for _, f := range [][2]int{{108, 116}, {116, 124}, {329, 337}, {337, 345}} {
		if _, ok := octal(b[f[0]:f[1]]); !ok {
			return nil, false
		}
	}
	name := cstring(b[0:100])
	if prefix := cstring(b[345:500]); prefix != "" {
		name = prefix + "/" + name
	}
	return &tar.Header{
		Typeflag: b[156],
		Name:     name,
		Linkname: cstring(b[157:257]),
		Mode:     mode,
		Size:     size,
		ModTime:  time.Unix(mtime, 0),
	}, true
}

// octal parses a numeric field: octal digits, with spaces and NULs around
// them (none at all is 0).
func octal(b []byte) (int64, bool) {
	for len(b) > 0 && (b[0] == ' ' || b[0] == 0) {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == 0) {
		b = b[:len(b)-1]
	}
	if len(b) > 21 { // more than 63 bits
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '7' {
			return 0, false
		}
		v = v<<3 | int64(c-'0')
	}
	return v, true
}

// cstring is a string field up to its first NUL.
func cstring(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// paxRecords parses an extended header's records ("%d %s=%s\n", the
// length counting the whole record), accepting only the keys applyPAX
// knows.
func paxRecords(b []byte) (map[string]string, bool) {
	recs := map[string]string{}
	for len(b) > 0 {
		n, i := 0, 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' && i < 10 {
			n = n*10 + int(b[i]-'0')
			i++
		}
		if i == 0 || b[0] == '0' || i >= len(b) || b[i] != ' ' || n <= i+1 || n > len(b) || b[n-1] != '\n' {
			return nil, false
		}
		kv := b[i+1 : n-1]
		eq := -1
		for j, c := range kv {
			if c == '=' {
				eq = j
				break
			}
		}
		if eq <= 0 {
			return nil, false
		}
		key, val := string(kv[:eq]), string(kv[eq+1:])
		switch key {
		case "comment":
		case "path", "linkpath", "size":
			for j := 0; j < len(val); j++ {
				if val[j] == 0 {
					return nil, false
				}
			}
		default:
			return nil, false
		}
		if _, dup := recs[key]; dup {
			return nil, false
		}
		recs[key] = val
		b = b[n:]
	}
	return recs, true
}

// applyPAX sets the header fields the records override.
func applyPAX(h *tar.Header, recs map[string]string) bool {
	if p, ok := recs["path"]; ok {
		h.Name = p
	}
	if l, ok := recs["linkpath"]; ok {
		h.Linkname = l
	}
	if s, ok := recs["size"]; ok {
		if s == "" || len(s) > 18 {
			return false
		}
		var v int64
		for j := 0; j < len(s); j++ {
			if s[j] < '0' || s[j] > '9' {
				return false
			}
			v = v*10 + int64(s[j]-'0')
		}
		h.Size = v
	}
	return true
}
