// Command vigilbench compares vigil with DuckDB on lab telemetry:
// ingestion, hunting queries and result minimisation. See ../../README.md.
package main

import (
	"os"

	"github.com/vigil-hunt/vigil/bench/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
