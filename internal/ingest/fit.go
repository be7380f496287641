package ingest

// This file finds the catalogued table a row without a table column
// belongs to, from the names of its fields: exports such as Microsoft
// 365 Defender's mix DeviceEvents, IdentityDirectoryEvents and
// CloudAppEvents rows in one file with nothing naming the table.

import (
	"sort"

	"github.com/vigil-hunt/vigil/internal/catalog"
)

// A row fits a table when at least fitMinFields of its non-empty fields,
// and at least fitShare of them, are columns of the table.
const (
	fitMinFields = 4
	fitShare     = 0.8
)

// fitLast are tables whose columns are SigninLogs' but whose rows are
// rarer in exports.
var fitLast = map[string]bool{
	"AADNonInteractiveUserSignInLogs": true, "AADServicePrincipalSignInLogs": true,
	"AADManagedIdentitySignInLogs": true,
}

type fitter struct {
	tables []*catalog.Table
	cols   map[string][]int // column name → tables having it
}

func newFitter(cat *catalog.Catalog) *fitter {
	f := &fitter{tables: cat.Tables(), cols: map[string][]int{}}
	for i, t := range f.tables {
		for _, c := range t.Columns {
			f.cols[c.Name] = append(f.cols[c.Name], i)
		}
	}
	return f
}

// best returns the table most of names are columns of, or "" when none
// fits well enough. Ties go to the table with fewer columns, except that
// the sign-in tables that share SigninLogs' schema come last.
func (f *fitter) best(names []string) string {
	if len(names) < fitMinFields {
		return ""
	}
	score := make([]int, len(f.tables))
	hit := map[int]bool{}
	for _, n := range names {
		clear(hit)
		bare, untyped := exportNames(n)
		for _, alt := range [...]string{n, bare, untyped} {
			for _, i := range f.cols[alt] {
				hit[i] = true
			}
		}
		for i := range hit {
			score[i]++
		}
	}
	order := make([]int, len(f.tables))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ta, tb := order[a], order[b]
		if score[ta] != score[tb] {
			return score[ta] > score[tb]
		}
		if a, b := fitLast[f.tables[ta].Name], fitLast[f.tables[tb].Name]; a != b {
			return b
		}
		return len(f.tables[ta].Columns) < len(f.tables[tb].Columns)
	})
	top := order[0]
	if s := score[top]; s < fitMinFields || float64(s) < fitShare*float64(len(names)) {
		return ""
	}
	return f.tables[top].Name
}
