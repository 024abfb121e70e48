package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options are capproxy's parsed flags.
type options struct {
	listen   string // loopback host:port
	upstream string // unix:/path or host:port of the REAPI server
	api      string // MAJOR.MINOR advertised as the lowest version
	ready    string // file to write the bound address to
	verbose  bool   // log every call
}

// capabilitiesPath is the gRPC method whose reply capproxy rewrites.
const capabilitiesPath = "/build.bazel.remote.execution.v2.Capabilities/GetCapabilities"

func run(o options, logw io.Writer) error {
	logger := log.New(logw, "capproxy: ", 0)
	if err := checkLoopback(o.listen); err != nil {
		return err
	}
	if o.upstream == "" {
		return errors.New("-upstream is required (unix:/path/to/socket or host:port)")
	}
	api, err := parseSemver(o.api)
	if err != nil {
		return fmt.Errorf("-api %q: %v", o.api, err)
	}
	logf := func(string, ...any) {}
	if o.verbose {
		logf = logger.Printf
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           newProxy(o.upstream, api, logf, logger),
		Protocols:         h2cOnly(),
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          logger,
	}
	if o.ready != "" {
		if err := os.WriteFile(o.ready, []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
			ln.Close()
			return err
		}
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sig
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}()
	logger.Printf("listening on %s, upstream %s, advertising API %s as the lowest", ln.Addr(), o.upstream, o.api)
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// checkLoopback refuses any listen address but a loopback one: the proxy has no
// authentication of its own.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-listen %q: %v", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-listen %q: only loopback addresses (127.0.0.1, ::1, localhost)", addr)
	}
	return nil
}

// h2cOnly is HTTP/2 without TLS ("prior knowledge"), what gRPC clients speak on grpc://.
func h2cOnly() *http.Protocols {
	p := new(http.Protocols)
	p.SetUnencryptedHTTP2(true)
	return p
}

// newProxy returns the pass-through handler: every request goes to upstream as it came,
// responses stream back with their trailers (grpc-status), and GetCapabilities replies
// get their API versions lowered to api.
func newProxy(upstream string, api semver, logf func(string, ...any), logger *log.Logger) http.Handler {
	network, addr := "tcp", upstream
	if p, ok := strings.CutPrefix(upstream, "unix:"); ok {
		network, addr = "unix", p
	}
	tr := &http.Transport{
		Protocols: h2cOnly(),
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}
	return &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.Out.URL.Scheme = "http"
			r.Out.URL.Host = "upstream"
			r.Out.Host = r.In.Host
			logf("%s", r.In.URL.Path)
		},
		Transport:     tr,
		FlushInterval: -1, // stream every message at once (Execute, ByteStream)
		ModifyResponse: func(res *http.Response) error {
			if res.Request.URL.Path != capabilitiesPath {
				return nil
			}
			return rewriteCapabilities(res, api, logf)
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			logger.Printf("%s: %v", r.URL.Path, err)
			w.Header().Set("Content-Type", "application/grpc")
			w.Header().Set("Grpc-Status", "14") // UNAVAILABLE
			w.Header().Set("Grpc-Message", "capproxy: upstream: "+err.Error())
			w.WriteHeader(http.StatusOK)
		},
		ErrorLog: logger,
	}
}

// rewriteCapabilities replaces the body of a GetCapabilities reply by the same
// messages with their API versions lowered (gRPC framing: a flag byte, a 4-byte length).
func rewriteCapabilities(res *http.Response, api semver, logf func(string, ...any)) error {
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return err
	}
	out, err := rewriteFrames(body, res.Header.Get("Grpc-Encoding"), api)
	if err != nil {
		// Not what we expected: hand the reply over unchanged.
		logf("GetCapabilities reply left as is: %v", err)
		out = body
	}
	res.Body = io.NopCloser(bytes.NewReader(out))
	res.ContentLength = -1
	res.Header.Del("Content-Length")
	return nil
}

func rewriteFrames(body []byte, encoding string, api semver) ([]byte, error) {
	var out bytes.Buffer
	for len(body) > 0 {
		if len(body) < 5 {
			return nil, errors.New("truncated gRPC frame header")
		}
		compressed, n := body[0], binary.BigEndian.Uint32(body[1:5])
		if uint64(len(body)-5) < uint64(n) {
			return nil, errors.New("truncated gRPC message")
		}
		msg := body[5 : 5+n]
		body = body[5+n:]
		if compressed == 1 {
			if encoding != "gzip" {
				return nil, fmt.Errorf("compressed with %q", encoding)
			}
			zr, err := gzip.NewReader(bytes.NewReader(msg))
			if err != nil {
				return nil, err
			}
			if msg, err = io.ReadAll(zr); err != nil {
				return nil, err
			}
		}
		msg, err := lowerAPIVersions(msg, api)
		if err != nil {
			return nil, err
		}
		var hdr [5]byte // flag 0: uncompressed, whatever grpc-encoding says
		binary.BigEndian.PutUint32(hdr[1:], uint32(len(msg)))
		out.Write(hdr[:])
		out.Write(msg)
	}
	return out.Bytes(), nil
}

// semver is REAPI's build.bazel.semver.SemVer without prerelease.
type semver struct{ major, minor, patch uint64 }

func parseSemver(s string) (semver, error) {
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return semver{}, errors.New("want MAJOR.MINOR[.PATCH]")
	}
	var v [3]uint64
	for i, p := range parts {
		n, err := strconv.ParseUint(p, 10, 31)
		if err != nil {
			return semver{}, err
		}
		v[i] = n
	}
	return semver{v[0], v[1], v[2]}, nil
}

func (v semver) less(w semver) bool {
	if v.major != w.major {
		return v.major < w.major
	}
	if v.minor != w.minor {
		return v.minor < w.minor
	}
	return v.patch < w.patch
}

func (v semver) String() string { return fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.patch) }

// ServerCapabilities fields (remote_execution.proto).
const (
	fieldDeprecatedAPI = 3
	fieldLowAPI        = 4
)

// lowerAPIVersions returns a ServerCapabilities message whose deprecated_api_version and
// low_api_version are at most api; every other field is kept byte for byte.
func lowerAPIVersions(msg []byte, api semver) ([]byte, error) {
	fields, err := parseFields(msg)
	if err != nil {
		return nil, err
	}
	var out []byte
	for _, f := range fields {
		if f.num == fieldDeprecatedAPI || f.num == fieldLowAPI {
			if f.wire != wireBytes {
				return nil, fmt.Errorf("field %d has wire type %d", f.num, f.wire)
			}
			v, err := decodeSemver(f.value)
			if err != nil {
				return nil, err
			}
			if api.less(v) {
				out = appendBytesField(out, f.num, encodeSemver(api))
				continue
			}
		}
		out = append(out, f.raw...)
	}
	return out, nil
}
