// Command gen writes the compact data files built into the finding
// packages, keeping facts only:
//
//	gen attack   -in DIR  -legacy FILE -out attack.json -license LICENSE-ATTACK.txt
//	gen suffixes -in public_suffix_list.dat -out suffixes.txt
//
// attack reads the ATT&CK extract in shared/data/attack (techniques.json,
// tactics.json, mitigations.json, README.md) and keeps ids, names, tactic
// membership, sub-technique parents and mitigation links; descriptions,
// URLs and data components stay behind. legacy.json beside this file adds
// the revoked and deprecated ids the extract omits.
//
// suffixes reads the Public Suffix List (Debian's publicsuffix package
// installs it as /usr/share/publicsuffix/public_suffix_list.dat) and keeps
// the ICANN section's top-level domains and two-label suffixes, IDN labels
// in their xn-- form.
//
// Both fail rather than write a file with a dangling reference.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: gen attack|suffixes [flags]")
	}
	fs := flag.NewFlagSet("gen "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "source `path` to read")
	out := fs.String("out", "", "compact `file` to write")
	legacy := fs.String("legacy", "", "attack: revoked/deprecated overlay `file`")
	license := fs.String("license", "", "attack: where to copy LICENSE-ATTACK.txt")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *in == "" || *out == "" {
		return errors.New("both -in and -out are required")
	}
	var data []byte
	var err error
	switch args[0] {
	case "attack":
		data, err = generateAttack(*in, *legacy, *license)
	case "suffixes":
		data, err = generateSuffixes(*in)
	default:
		return fmt.Errorf("unknown command %q", args[0])
	}
	if err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}
	return os.WriteFile(*out, data, 0o644)
}
