// Command vigil is an agentic threat hunter for Microsoft Defender for
// Endpoint and Microsoft Sentinel telemetry. See the README for usage.
package main

import (
	"os"

	"github.com/vigil-hunt/vigil/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
