package source_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/source"
	"github.com/vigil-hunt/vigil/internal/source/fake"
	"github.com/vigil-hunt/vigil/kql/engine"
)

// TestMultiOneQueryFourEngines runs the same KQL on the local engine and
// the three services' fakes, which run it with vigil's engine too: the
// answers must agree.
func TestMultiOneQueryFourEngines(t *testing.T) {
	la, _ := newLA(t, 10, nil)
	xdr, _, _ := newDefender(t, 10, nil)
	adx, _, _ := newADX(t, 10, nil)
	cat := engine.NewMemCatalog()
	cat.Add("SigninLogs", engine.NewMemTable(events("TimeGenerated", 10)))
	// One client trusts every fake: httptest servers share a certificate.
	cfg := source.Config{Sources: []source.SourceConfig{
		{Name: "store", Kind: source.KindLocal},
		{Name: "sentinel", Kind: source.KindLogAnalytics, WorkspaceID: "0b5f9e3c-ws", Endpoint: la.Endpoint()},
		{Name: "xdr", Kind: source.KindDefender, Endpoint: xdr.Endpoint()},
		{Name: "adx", Kind: source.KindADX, Cluster: adx.Endpoint(), Database: "SecurityLogs"},
	}}
	all, err := source.Open(cfg, source.Deps{Catalog: cat, Credential: &fake.Credential{}, HTTPClient: la.HTTPClient(), Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := source.Select(all, "store", "sentinel", "xdr", "adx")
	if err != nil {
		t.Fatal(err)
	}

	q := source.Query{Text: `SigninLogs | where Account has "contoso" and Count > 2 | project Account, Count`, Start: t0, End: t0.Add(time.Hour)}
	out := source.NewMulti(srcs...).WithLimit(3).Query(context.Background(), q)
	var got []string
	for _, o := range out {
		if o.Err != nil {
			got = append(got, o.Source+": "+o.Err.Error())
			continue
		}
		if o.Result.Source != o.Source {
			t.Errorf("result of %s labelled %s", o.Source, o.Result.Source)
		}
		b := o.Result.Tables[0]
		got = append(got, fmt.Sprintf("%s(%s): %d rows, last %s/%d", o.Source, o.Kind, b.N, b.Cols[0].Strs[b.N-1], b.Cols[1].Ints[b.N-1]))
	}
	want := []string{
		"store(local): 7 rows, last userj@contoso.com/9",
		"sentinel(log-analytics): 7 rows, last userj@contoso.com/9",
		"xdr(defender): 7 rows, last userj@contoso.com/9",
		"adx(adx): 7 rows, last userj@contoso.com/9",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("outcomes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestMultiFailureIsolated(t *testing.T) {
	la, src := newLA(t, 3, nil)
	la.Script(fake.Fault{Status: 401})
	local := newLocal(t)
	out := source.NewMulti(src, local).Query(context.Background(), source.Query{Text: "SigninLogs | take 2"})
	if len(out) != 2 || out[0].Source != "sentinel" || out[1].Source != "store" {
		t.Fatalf("outcomes %+v", out)
	}
	wantErr(source.ErrUnauthorized)(t, out[0].Result, out[0].Err)
	wantRows(2)(t, out[1].Result, out[1].Err)
}

func TestOpenReportsEveryProblem(t *testing.T) {
	cfg := source.Config{Sources: []source.SourceConfig{
		{Kind: source.KindLocal},
		{Name: "a", Kind: "splunk"},
		{Name: "b", Kind: source.KindLogAnalytics},
		{Name: "b", Kind: source.KindLocal},
		{Name: "c", Kind: source.KindADX, Cluster: "https://x.kusto.windows.net"},
		{Name: "d", Kind: source.KindDefender, Endpoint: "http://graph.example.com"},
		{Name: "e", Kind: source.KindADX, Cluster: "https://x.kusto.windows.net;Fed=True", Database: "db"},
		{Name: "f", Kind: source.KindLocal},
		{Name: "g", Kind: source.KindLogAnalytics, WorkspaceID: "w", Auth: "secret"},
	}}
	_, err := source.Open(cfg, source.Deps{Getenv: func(string) string { return "" }})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"source 1: no name", `a: configuration error: unknown kind "splunk"`, "b: configuration error: log-analytics source needs a workspace id",
		"source b: configured twice", "c: configuration error: adx source needs a cluster and a database",
		`d: configuration error: endpoint "http://graph.example.com" must use https`, "e: configuration error: cluster",
		"f: configuration error: local source needs a catalog", "g: configuration error: secret credential: needs tenant id",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestOpenDefaultCredentialNeedsNoNetwork(t *testing.T) {
	// DefaultAzureCredential (so "az login" just works) is built lazily.
	srcs, err := source.Open(source.Config{Sources: []source.SourceConfig{
		{Name: "s", Kind: source.KindLogAnalytics, WorkspaceID: "w"},
		{Name: "x", Kind: source.KindDefender},
		{Name: "k", Kind: source.KindADX, Cluster: "https://help.kusto.windows.net", Database: "Samples"},
	}}, source.Deps{})
	if err != nil || len(srcs) != 3 {
		t.Fatalf("%v %v", srcs, err)
	}
	if _, err := source.Select(srcs, "s", "nope"); err == nil {
		t.Error("unknown name selected")
	}
	names := []string{}
	all, _ := source.Select(srcs)
	for _, s := range all {
		names = append(names, s.Name()+"="+s.Kind())
	}
	if strings.Join(names, " ") != "k=adx s=log-analytics x=defender" {
		t.Errorf("Select() = %v", names)
	}
}
