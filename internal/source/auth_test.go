package source_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/source"
	"github.com/vigil-hunt/vigil/internal/source/fake"
	"github.com/vigil-hunt/vigil/kql/engine"
)

const secret = "s3cr3t-Value~42"

// secretSetup starts a fake Entra ID and workspace and opens a source
// authenticating with a client secret taken from env.
func secretSetup(t *testing.T, env map[string]string) (source.Source, error) {
	entra := fake.NewEntra(t, "tenant-1", secret)
	entra.EchoSecret = true
	la := fake.NewLogAnalytics(t, &fake.Data{Tables: map[string]*engine.Batch{"SigninLogs": events("TimeGenerated", 2)}})
	srcs, err := source.Open(source.Config{Sources: []source.SourceConfig{{
		Name: "sentinel", Kind: source.KindLogAnalytics, WorkspaceID: "ws", Endpoint: la.Endpoint(),
		TenantID: "tenant-1", ClientID: "app-1", ClientSecretEnv: "VIGIL_TEST_SECRET", AuthorityHost: entra.AuthorityHost(), DisableInstanceDiscovery: true,
	}}}, source.Deps{HTTPClient: la.HTTPClient(), Getenv: func(k string) string { return env[k] }, Retry: fastRetry})
	if err != nil {
		return nil, err
	}
	return srcs["sentinel"], nil
}

func TestClientSecretAuth(t *testing.T) {
	src, err := secretSetup(t, map[string]string{"VIGIL_TEST_SECRET": secret})
	if err != nil {
		t.Fatal(err)
	}
	res, err := src.Query(context.Background(), source.Query{Text: "SigninLogs"})
	wantRows(2)(t, res, err)
}

func TestSecretNeverInErrors(t *testing.T) {
	wrong := "wr0ng-" + secret
	src, err := secretSetup(t, map[string]string{"VIGIL_TEST_SECRET": wrong})
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Query(context.Background(), source.Query{Text: "SigninLogs"})
	wantErr(source.ErrAuth)(t, nil, err)
	if strings.Contains(err.Error(), wrong) || !strings.Contains(err.Error(), "[REDACTED]") {
		t.Errorf("error leaks the secret or lost the service's message: %v", err)
	}
	if !strings.Contains(err.Error(), "AADSTS7000215") {
		t.Errorf("error lost the service's message: %v", err)
	}
}

func TestSecretEnvMissing(t *testing.T) {
	_, err := secretSetup(t, nil)
	if err == nil || !strings.Contains(err.Error(), "VIGIL_TEST_SECRET is empty") {
		t.Errorf("err = %v", err)
	}
}

func TestCredentialModes(t *testing.T) {
	getenv := func(string) string { return "" }
	for _, mode := range []string{"", source.AuthDefault, source.AuthCLI, source.AuthManaged} {
		if _, err := source.NewCredential(source.AuthConfig{Mode: mode, TenantID: "t", ClientID: "c"}, getenv, nil); err != nil {
			t.Errorf("mode %q: %v", mode, err)
		}
	}
	if _, err := source.NewCredential(source.AuthConfig{Mode: "kerberos"}, getenv, nil); err == nil {
		t.Error("unknown mode accepted")
	}
	// Workload identity needs its token file; without it construction fails
	// and says so.
	_, err := source.NewCredential(source.AuthConfig{Mode: source.AuthWorkload, TenantID: "t", ClientID: "c"}, getenv, nil)
	if err != nil && !strings.Contains(err.Error(), "workload") {
		t.Errorf("workload: %v", err)
	}
}

func TestCredentialErrorIsAuth(t *testing.T) {
	f := fake.NewGraph(t, &fake.Data{})
	cred := &fake.Credential{Err: context.DeadlineExceeded}
	src, err := source.NewDefender("xdr", source.DefenderOptions{Credential: cred, Endpoint: f.Endpoint(), HTTPClient: f.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = src.Query(ctx, source.Query{Text: "T"})
	wantErr(source.ErrAuth)(t, nil, err)
	if n := len(f.Requests()); n != 0 {
		t.Errorf("%d requests sent without a token", n)
	}
}
