package main

import (
	"bytes"
	"encoding/binary"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// capabilities encodes a ServerCapabilities with an opaque cache_capabilities (field 1)
// and the three API version fields.
func capabilities(deprecated, low, high semver) []byte {
	var b []byte
	b = appendBytesField(b, 1, []byte{0x08, 0x01, 0x10, 0x02}) // anything, kept as is
	b = appendBytesField(b, fieldDeprecatedAPI, encodeSemver(deprecated))
	b = appendBytesField(b, fieldLowAPI, encodeSemver(low))
	b = appendBytesField(b, 5, encodeSemver(high))
	return b
}

func versions(t *testing.T, msg []byte) map[uint64]semver {
	t.Helper()
	fields, err := parseFields(msg)
	if err != nil {
		t.Fatal(err)
	}
	out := map[uint64]semver{}
	for _, f := range fields {
		if f.num >= 3 && f.num <= 5 {
			v, err := decodeSemver(f.value)
			if err != nil {
				t.Fatal(err)
			}
			out[f.num] = v
		}
	}
	return out
}

func TestLowerAPIVersions(t *testing.T) {
	in := capabilities(semver{2, 1, 0}, semver{2, 1, 0}, semver{2, 12, 0})
	out, err := lowerAPIVersions(in, semver{2, 0, 0})
	if err != nil {
		t.Fatal(err)
	}
	got := versions(t, out)
	want := map[uint64]semver{3: {2, 0, 0}, 4: {2, 0, 0}, 5: {2, 12, 0}}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("field %d = %v, want %v", k, got[k], v)
		}
	}
	if !bytes.HasPrefix(out, in[:6]) {
		t.Errorf("cache_capabilities changed: % x", out[:6])
	}

	// A server that already supports the version is left alone.
	in = capabilities(semver{2, 0, 0}, semver{2, 0, 0}, semver{2, 3, 0})
	out, err = lowerAPIVersions(in, semver{2, 0, 0})
	if err != nil || !bytes.Equal(out, in) {
		t.Errorf("unchanged reply rewritten: % x, %v", out, err)
	}
}

func TestParseFieldsRejectsGarbage(t *testing.T) {
	for _, b := range [][]byte{{0x0a, 0x05, 0x01}, {0x08}, {0x00, 0x01}, {0x0b}} {
		if _, err := parseFields(b); err == nil {
			t.Errorf("parseFields(% x) accepted", b)
		}
	}
}

func frame(msg []byte) []byte {
	var hdr [5]byte
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(msg)))
	return append(hdr[:], msg...)
}

// h2cServer starts an HTTP/2 cleartext server.
func h2cServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	s := httptest.NewUnstartedServer(h)
	s.Config.Protocols = h2cOnly()
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func h2cClient() *http.Client {
	return &http.Client{Transport: &http.Transport{Protocols: h2cOnly()}}
}

func call(t *testing.T, url, path string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/grpc")
	req.Header.Set("Te", "trailers")
	res, err := h2cClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, got
}

func TestProxy(t *testing.T) {
	reply := capabilities(semver{2, 0, 0}, semver{2, 1, 0}, semver{2, 12, 0})
	upstream := h2cServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/grpc")
		w.Header().Set("Trailer", "Grpc-Status")
		switch r.URL.Path {
		case capabilitiesPath:
			w.Write(frame(reply))
		default: // echo, as a streaming call would
			io.Copy(w, r.Body)
		}
		w.Header().Set("Grpc-Status", "0")
	}))
	var logs strings.Builder
	proxy := h2cServer(t, newProxy(strings.TrimPrefix(upstream.URL, "http://"), semver{2, 0, 0},
		func(string, ...any) {}, log.New(&logs, "", 0)))

	res, body := call(t, proxy.URL, capabilitiesPath, frame(nil))
	if res.Trailer.Get("Grpc-Status") != "0" {
		t.Errorf("GetCapabilities: trailers %v, want grpc-status 0", res.Trailer)
	}
	if len(body) < 5 {
		t.Fatalf("GetCapabilities: short reply % x", body)
	}
	got := versions(t, body[5:])
	if got[4] != (semver{2, 0, 0}) || got[3] != (semver{2, 0, 0}) || got[5] != (semver{2, 12, 0}) {
		t.Errorf("GetCapabilities: versions %v", got)
	}

	msg := frame([]byte("some digest"))
	res, body = call(t, proxy.URL, "/build.bazel.remote.execution.v2.ContentAddressableStorage/FindMissingBlobs", msg)
	if !bytes.Equal(body, msg) || res.Trailer.Get("Grpc-Status") != "0" {
		t.Errorf("pass-through: body % x trailers %v", body, res.Trailer)
	}
}

func TestProxyUpstreamDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	proxy := h2cServer(t, newProxy(addr, semver{2, 0, 0}, func(string, ...any) {}, log.New(io.Discard, "", 0)))
	res, _ := call(t, proxy.URL, capabilitiesPath, frame(nil))
	if res.Header.Get("Grpc-Status") != "14" {
		t.Errorf("upstream down: headers %v, want grpc-status 14 (UNAVAILABLE)", res.Header)
	}
}

func TestCheckLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8980": true, "[::1]:1": true, "localhost:80": true,
		"0.0.0.0:8980": false, ":8980": false, "10.0.0.1:1": false, "nonsense": false,
	} {
		if err := checkLoopback(addr); (err == nil) != ok {
			t.Errorf("checkLoopback(%q) = %v", addr, err)
		}
	}
}

func TestParseSemver(t *testing.T) {
	if v, err := parseSemver("2.0"); err != nil || v != (semver{2, 0, 0}) {
		t.Errorf("parseSemver(2.0) = %v, %v", v, err)
	}
	for _, s := range []string{"2", "x.1", "1.2.3.4", ""} {
		if _, err := parseSemver(s); err == nil {
			t.Errorf("parseSemver(%q) accepted", s)
		}
	}
}
