// Command capproxy is a gRPC pass-through between Bazel and a Remote Execution API
// server (buildbox-casd, in tools/rexec) that rewrites one thing: the API versions the
// server advertises in GetCapabilities.
//
// Bazel 7 speaks REAPI 2.0 only and refuses a server whose lowest advertised version is
// above it ("The client supported API versions, 2.0 to 2.0, is not supported by the
// server, 2.1 to 2.12"), although buildbox serves 2.0 clients fine. capproxy lowers the
// server's low_api_version and deprecated_api_version to -api (2.0) and passes every
// other call (CAS, ByteStream, ActionCache, Execute, …) through unchanged, streaming
// both ways, trailers included.
//
//	capproxy -listen 127.0.0.1:8980 -upstream unix:/path/to/casd.sock
//
// It listens on the loopback interface only.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var o options
	flag.StringVar(&o.listen, "listen", "127.0.0.1:8980", "loopback address to listen on (host:port)")
	flag.StringVar(&o.upstream, "upstream", "", "REAPI server: unix:/path/to/socket or host:port (required)")
	flag.StringVar(&o.api, "api", "2.0", "API version to advertise as the server's lowest (MAJOR.MINOR)")
	flag.StringVar(&o.ready, "ready", "", "file to write the listening address to once serving")
	flag.BoolVar(&o.verbose, "v", false, "log every call")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "capproxy: unexpected argument %q\n", flag.Arg(0))
		os.Exit(2)
	}
	if err := run(o, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "capproxy: %v\n", err)
		os.Exit(1)
	}
}
