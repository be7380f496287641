// Package cli implements vigilbench, the benchmark comparing vigil with
// DuckDB: ingestion of lab JSON lines, hunting queries over a lab
// workspace, and result minimisation. It parses flags, runs the work and
// prints tables; exit codes are decided here and only here.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"
)

// Exit codes of vigilbench.
const (
	ExitOK     = 0
	ExitFailed = 1 // the benchmark ran and a bar failed
	ExitUsage  = 2 // bad flags, or the benchmark could not run
)

// env is what a command needs from its process.
type env struct {
	stdout, stderr io.Writer
}

// logf prints progress to stderr.
func (e *env) logf(format string, args ...any) {
	fmt.Fprintf(e.stderr, "vigilbench: "+format+"\n", args...)
}

// command is one subcommand: it returns whether every bar passed.
type command struct {
	name, summary string
	run           func(e *env, args []string) (passed bool, err error)
}

func commands() []command {
	return []command{
		{"ingest", "vigil's ingestion of lab JSON lines vs DuckDB loading them into Parquet", runIngest},
		{"queries", "hunting queries on a lab workspace, vigil vs DuckDB over the same Parquet", runQueries},
		{"minimise", "token figures of the agent's result minimisation on the lab workspace", runMinimise},
	}
}

// Run runs vigilbench with args (without the program name) and returns
// the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stderr)
		return ExitUsage
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		passed, err := c.run(e, args[1:])
		switch {
		case errors.Is(err, flag.ErrHelp):
			return ExitUsage
		case err != nil:
			fmt.Fprintf(stderr, "vigilbench %s: %v\n", c.name, err)
			return ExitUsage
		case !passed:
			return ExitFailed
		}
		return ExitOK
	}
	fmt.Fprintf(stderr, "vigilbench: unknown command %q\n", args[0])
	printUsage(stderr)
	return ExitUsage
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: vigilbench COMMAND [flags]   (vigilbench COMMAND -h for its flags)")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
}

// common are the flags every command has.
type common struct {
	dir        string
	clock      string
	threads    int
	cpuProfile string
}

// register defines the common flags; clock is the default time the
// command's bars are judged on.
func (c *common) register(fs *flag.FlagSet, clock string) {
	fs.StringVar(&c.dir, "dir", filepath.Join(os.TempDir(), "vigilbench"), "directory for generated data, kept between runs")
	fs.StringVar(&c.clock, "clock", clock, "time the bars are judged on: cpu (user+system time of the process, steadier on a shared machine) or wall")
	fs.IntVar(&c.threads, "threads", 0, "DuckDB threads (0: one per core)")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of vigil's part of the run to FILE")
}

// profile starts the CPU profile if one was asked for; the returned
// function stops it.
func (c *common) profile() (stop func(), err error) {
	if c.cpuProfile == "" {
		return func() {}, nil
	}
	f, err := os.Create(c.cpuProfile)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func (c *common) check() error {
	if c.clock != "cpu" && c.clock != "wall" {
		return fmt.Errorf("-clock is %q; want cpu or wall", c.clock)
	}
	return os.MkdirAll(c.dir, 0o755)
}

// parse parses a command's flags; positional arguments are refused.
func parse(e *env, fs *flag.FlagSet, args []string) error {
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %s", strings.Join(fs.Args(), " "))
	}
	return nil
}

// labEnd is the end of every generated lab window: fixed, so that runs
// are comparable and the time-bounded queries know their days.
var labEnd = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
