package source_test

import (
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/source"
	"github.com/vigil-hunt/vigil/internal/source/fake"
	"github.com/vigil-hunt/vigil/kql/engine"
)

func newLocal(t *testing.T) source.Source {
	cat := engine.NewMemCatalog()
	cat.Add("SigninLogs", engine.NewMemTable(events("TimeGenerated", 10)))
	srcs, err := source.Open(source.Config{Sources: []source.SourceConfig{{Name: "store", Kind: source.KindLocal}}},
		source.Deps{Catalog: cat, Now: func() time.Time { return t0.Add(5 * time.Minute) }})
	if err != nil {
		t.Fatal(err)
	}
	return srcs["store"]
}

func TestLocal(t *testing.T) {
	src := newLocal(t)
	cases := []faultCase{
		{name: "ok", checks: []check{wantRows(10), wantTruncated(false, "")}},
		{name: "now is the pinned clock", query: source.Query{Text: "SigninLogs | where TimeGenerated > ago(2m)"}, checks: []check{wantRows(7)}},
		{name: "MaxRows", query: source.Query{Text: "SigninLogs", MaxRows: 3}, checks: []check{wantRows(3), wantTruncated(true, "MaxRows")}},
		{name: "syntax error", query: source.Query{Text: "SigninLogs\n| whre Count > 1"}, checks: []check{wantErr(source.ErrSyntax), wantPos(2, 3)}},
		{name: "semantic error", query: source.Query{Text: "SigninLogs | where Nope > 1"}, checks: []check{wantErr(source.ErrSemantic), wantPos(1, 20), wantMessage("Nope")}},
		{name: "unknown table", query: source.Query{Text: "Nope | take 1"}, checks: []check{wantErr(source.ErrSemantic)}},
		{name: "canceled", ctx: deadline(0), checks: []check{wantErr(source.ErrTimeout)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, src, func(...fake.Fault) {}, func() []fake.Request { return nil })
		})
	}
}
