package store

// This file holds the file-system steps that make writes atomic: write a
// temporary file in the target's directory, fsync it, rename it over the
// target, fsync the directory.

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// tempPrefix starts the name of every temporary file; Open removes those
// a crash left behind.
const tempPrefix = ".tmp-"

func isTemp(name string) bool { return strings.HasPrefix(name, tempPrefix) }

// writeFileAtomic replaces path with data: readers see the old content or
// the new, never a mix, and after a crash the file holds one of them.
func writeFileAtomic(path string, data []byte, noSync bool) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), tempPrefix+"*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if !noSync {
		if err = f.Sync(); err != nil {
			return err
		}
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = renameReplace(f.Name(), path); err != nil {
		return err
	}
	if noSync {
		return nil
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return &placedError{err}
	}
	return nil
}

// placedError reports a failure after the new file took the target's
// place: readers already see it, but it may not survive a power loss.
type placedError struct{ err error }

func (e *placedError) Error() string { return "fsync directory: " + e.err.Error() }
func (e *placedError) Unwrap() error { return e.err }

// renameReplace renames, retrying briefly on Windows where a reader that
// has the target open makes the rename fail.
func renameReplace(from, to string) error {
	err := os.Rename(from, to)
	for i := 0; err != nil && runtime.GOOS == "windows" && i < 50; i++ {
		time.Sleep(10 * time.Millisecond)
		err = os.Rename(from, to)
	}
	return err
}

// syncDir makes the entries of dir (created or renamed files) durable.
// Windows cannot open a directory for fsync; NTFS journals renames.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// mkdirDurable creates dir and any missing parents, fsyncing the parent
// of each directory it creates so the new entries survive a crash.
func mkdirDurable(dir string, noSync bool) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := mkdirDurable(parent, noSync); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !os.IsExist(err) {
		return err
	}
	if noSync {
		return nil
	}
	return syncDir(parent)
}
