package hunt

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestCommonWords checks that no word of the word lists named by
// VIGIL_DICT (colon-separated) would be "repaired" into a cue word, and
// with VIGIL_DICT_WRITE=1 rewrites request_words.go to make it so.
func TestCommonWords(t *testing.T) {
	dict := os.Getenv("VIGIL_DICT")
	if dict == "" {
		t.Skip("set VIGIL_DICT to a word list (e.g. /usr/share/dict/american-english) to check typo repair against it")
	}
	var found []string
	seen := map[string]bool{}
	for _, path := range strings.Split(dict, ":") {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			w := sc.Text()
			if strings.ContainsRune(w, '\'') || w != strings.ToLower(w) || seen[w] {
				continue
			}
			seen[w] = true
			if len(repairTypos([]word{{raw: fold(w), stem: stem(fold(w))}})) > 0 {
				found = append(found, fold(w))
			}
		}
		f.Close()
	}
	slices.Sort(found)
	found = slices.Compact(found)
	if len(found) == 0 {
		return
	}
	if os.Getenv("VIGIL_DICT_WRITE") == "" {
		t.Errorf("%d dictionary words would be repaired, e.g. %q; rerun with VIGIL_DICT_WRITE=1", len(found), found[:min(10, len(found))])
		return
	}
	all := append(slices.Collect(func(yield func(string) bool) {
		for w := range commonWords {
			if !yield(w) {
				return
			}
		}
	}), found...)
	slices.Sort(all)
	all = slices.Compact(all)
	var b strings.Builder
	b.WriteString(wordsHeader)
	for i := 0; i < len(all); i += 10 {
		b.WriteString("\t")
		for j, w := range all[i:min(i+10, len(all))] {
			if j > 0 {
				b.WriteString(" ")
			}
			b.WriteString(`"` + w + `",`)
		}
		b.WriteString("\n")
	}
	b.WriteString(")\n")
	if err := os.WriteFile("request_words.go", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

const wordsHeader = `package hunt

// This file lists English words that typo repair must leave alone.

// commonWords are dictionary words one edit (two for long words) from a
// cue word, so typo repair would otherwise "correct" them ("random" is
// not "ransom", "admit" not "admin"). TestCommonWords regenerates the
// list from a word list when VIGIL_DICT names one (Debian's wamerican
// and wbritish: /usr/share/dict/american-english).
var commonWords = set(
`
