package fake

// This file fakes the Entra ID endpoints a client-secret credential
// calls with instance discovery disabled: OpenID configuration and the
// token endpoint.

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Entra is a fake authority host for one tenant.
type Entra struct {
	*server
	Tenant string
	Secret string // the client secret the token endpoint accepts
	// EchoSecret makes a rejected request's error description quote the
	// secret it received, to prove callers keep it out of their errors.
	EchoSecret bool
}

// NewEntra starts a fake authority until the test ends.
func NewEntra(t testing.TB, tenant, secret string) *Entra {
	f := &Entra{Tenant: tenant, Secret: secret}
	f.server = start(t, "", func(s *server) http.Handler {
		mux := http.NewServeMux()
		mux.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", f.openID)
		mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", f.token)
		return mux
	})
	return f
}

// AuthorityHost is the host to configure.
func (f *Entra) AuthorityHost() string { return f.URL + "/" }

func (f *Entra) openID(w http.ResponseWriter, r *http.Request) {
	base := f.URL + "/" + r.PathValue("tenant")
	body, _ := json.Marshal(map[string]any{
		"token_endpoint":         base + "/oauth2/v2.0/token",
		"authorization_endpoint": base + "/oauth2/v2.0/authorize",
		"issuer":                 base + "/v2.0",
	})
	reply(w, http.StatusOK, "", body)
}

func (f *Entra) token(w http.ResponseWriter, r *http.Request) {
	f.take(r)
	r.ParseForm()
	got := r.PostForm.Get("client_secret")
	if got != f.Secret {
		desc := "AADSTS7000215: Invalid client secret provided."
		if f.EchoSecret {
			desc += " Received: " + got
		}
		body, _ := json.Marshal(map[string]any{"error": "invalid_client", "error_description": desc, "error_codes": []int{7000215}})
		reply(w, http.StatusUnauthorized, "", body)
		return
	}
	var scope string // MSAL adds openid, profile, offline_access
	for _, s := range strings.Fields(r.PostForm.Get("scope")) {
		if strings.HasSuffix(s, "/.default") {
			scope = s
		}
	}
	body, _ := json.Marshal(map[string]any{"token_type": "Bearer", "expires_in": int(time.Hour.Seconds()), "access_token": Token(scope)})
	reply(w, http.StatusOK, "", body)
}
