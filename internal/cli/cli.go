// Package cli wires vigil's packages into the commands of the vigil
// binary. It parses flags, calls the libraries and prints; the work itself
// lives in the packages it calls. Exit codes are decided here and only
// here.
package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Exit codes of the vigil binary.
const (
	ExitOK       = 0
	ExitFindings = 1 // the command ran and found problems (check errors)
	ExitUsage    = 2 // bad flags, arguments or input files
)

// Version is the binary's version, set at build time with -ldflags.
var Version = "dev"

// exitError carries an exit code through cobra. Its message, if any, has
// already been printed unless print is set.
type exitError struct {
	code  int
	err   error
	print bool
}

func (e *exitError) Error() string {
	if e.err != nil {
		return e.err.Error()
	}
	return fmt.Sprintf("exit %d", e.code)
}

// usageErr reports bad usage or unreadable input (exit 2).
func usageErr(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...), print: true}
}

// env is what a command needs from its process: streams, kept explicit so
// that tests run commands in-process with buffers.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// Run runs vigil with args (without the program name) and returns the exit
// code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.print && ee.err != nil {
			fmt.Fprintf(stderr, "vigil: %v\n", ee.err)
		}
		return ee.code
	}
	// Cobra's own errors: unknown command or flag, wrong argument count.
	fmt.Fprintf(stderr, "vigil: %v\n", err)
	return ExitUsage
}

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:           "vigil",
		Short:         "Hunt threats in Defender for Endpoint and Sentinel telemetry",
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newKQLCmd(e), newQueryCmd(e), newActionsCmd(e), newAuditCmd(e), newLabCmd(e), newHuntCmd(e), newIngestCmd(e), newWorkspaceCmd(e), newHuntsCmd(e), newRulesCmd(e))
	return root
}
