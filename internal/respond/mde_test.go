package respond

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/respond/mdefake"
)

const comment = "confirmed credential dumping; isolate"

// isolateAndWait is the call most fault cases exercise.
func isolateAndWait(ctx context.Context, c *Client) (MachineAction, error) {
	a, err := c.Isolate(ctx, target1, IsolationFull, comment)
	if err != nil {
		return a, err
	}
	w, err := c.WaitAction(ctx, a.ID)
	w.Existing = a.Existing
	return w, err
}

// The fault matrix: each scripted failure ends in the documented behaviour.
func TestFaultMatrix(t *testing.T) {
	for _, tc := range []struct {
		name      string
		setup     func(*mdefake.Server, *Client) *Client // may swap the client
		timeout   time.Duration
		wantErr   error // nil: success
		wantIn    string
		status    string          // final action status
		posts     int             // isolate POSTs received
		created   int             // isolate actions that exist afterwards
		existing  bool            // joined an action that was already there
		wantSleep []time.Duration // retry waits, in order (nil: don't check)
	}{
		{name: "ok", status: ActionSucceeded, posts: 1, created: 1,
			wantSleep: []time.Duration{5 * time.Second, 10 * time.Second}},
		{name: "429 twice then ok, honouring Retry-After",
			setup: func(s *mdefake.Server, c *Client) *Client {
				s.Inject(mdefake.Fault{Method: "POST", PathSuffix: "/isolate", Times: 2, Status: 429, Code: "TooManyRequests", RetryAfter: "7"})
				return c
			},
			status: ActionSucceeded, posts: 3, created: 1,
			wantSleep: []time.Duration{7 * time.Second, 7 * time.Second, 5 * time.Second, 10 * time.Second}},
		{name: "429 without end", setup: func(s *mdefake.Server, c *Client) *Client { s.Throttle(0, "1"); return c },
			wantErr: ErrThrottled, wantIn: "[4 attempts]", posts: 0, created: 0,
			wantSleep: []time.Duration{time.Second, time.Second, time.Second}},
		{name: "429 with Retry-After beyond the bound fails at once",
			setup:   func(s *mdefake.Server, c *Client) *Client { s.Throttle(0, "600"); return c },
			wantErr: ErrThrottled, wantIn: "retry after 10m0s", wantSleep: []time.Duration{}},
		{name: "503 twice then ok, backing off",
			setup: func(s *mdefake.Server, c *Client) *Client {
				s.Inject(mdefake.Fault{Method: "POST", PathSuffix: "/isolate", Times: 2, Status: 503, Code: "ServiceUnavailable"})
				return c
			},
			status: ActionSucceeded, posts: 3, created: 1,
			wantSleep: []time.Duration{time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second}},
		{name: "500 without end", setup: func(s *mdefake.Server, c *Client) *Client { s.FailNext(0, 500); return c },
			wantErr: ErrServer, wantIn: "500 Internal Server Error", wantSleep: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
		{name: "server hangs: context deadline",
			setup:   func(s *mdefake.Server, c *Client) *Client { s.HangNext(1); return c },
			timeout: 200 * time.Millisecond, wantErr: context.DeadlineExceeded},
		{name: "401 token rejected",
			setup: func(s *mdefake.Server, c *Client) *Client {
				c2, _ := NewClient(s.URL, staticToken("eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ3cm9uZyJ9.WRONGTOKENSIG"), ClientOptions{Sleep: c.opt.Sleep})
				return c2
			},
			wantErr: ErrUnauthorized, wantIn: "https://api.securitycenter.microsoft.com", wantSleep: []time.Duration{}},
		{name: "403 missing Machine.Isolate",
			setup:   func(s *mdefake.Server, c *Client) *Client { s.Forbid("POST", "/isolate"); return c },
			wantErr: ErrForbidden, wantIn: "lacks the Machine.Isolate permission", posts: 1, wantSleep: []time.Duration{}},
		{name: "403 missing Machine.Read.All",
			setup:   func(s *mdefake.Server, c *Client) *Client { s.Forbid("GET", "/machineactions"); return c },
			wantErr: ErrForbidden, wantIn: "Machine.Read.All"},
		{name: "isolation already pending: joined, not posted",
			setup: func(s *mdefake.Server, c *Client) *Client {
				s.AddAction(target1, TypeIsolate, ActionPending)
				return c
			},
			status: ActionSucceeded, posts: 0, created: 1, existing: true},
		{name: "isolation raced: ActiveRequestAlreadyExists, joined",
			setup:  func(s *mdefake.Server, c *Client) *Client { s.ConflictOnNextPost(1); return c },
			status: ActionSucceeded, posts: 1, created: 1, existing: true},
		{name: "release pending: refused",
			setup: func(s *mdefake.Server, c *Client) *Client {
				s.AddAction(target1, TypeUnisolate, ActionPending)
				return c
			},
			wantErr: ErrActionPending, wantIn: "Unisolate action 5382f7ea-7557-4ab7-9782-000000000001 is Pending"},
		{name: "action ends Failed",
			setup: func(s *mdefake.Server, c *Client) *Client {
				s.SetProgress(ActionPending, ActionInProgress, ActionFailed)
				return c
			},
			wantErr: ErrActionFailed, wantIn: "ended Failed", status: ActionFailed, posts: 1, created: 1},
		{name: "action ends TimeOut",
			setup: func(s *mdefake.Server, c *Client) *Client {
				s.SetProgress(ActionPending, ActionTimeOut)
				return c
			},
			wantErr: ErrActionFailed, status: ActionTimeOut, posts: 1, created: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, c, sl := newFake(t)
			if tc.setup != nil {
				c = tc.setup(s, c)
			}
			ctx := context.Background()
			if tc.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}
			a, err := isolateAndWait(ctx, c)
			switch {
			case tc.wantErr == nil && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			case err != nil && !strings.Contains(err.Error(), tc.wantIn):
				t.Fatalf("error %q does not say %q", err, tc.wantIn)
			case err != nil && strings.Contains(err.Error(), "TOKENSIG"):
				t.Fatalf("error leaks the token: %v", err)
			}
			if a.Status != tc.status || a.Existing != tc.existing {
				t.Errorf("action %+v, want status %q existing %v", a, tc.status, tc.existing)
			}
			if n := len(s.Calls("POST", "/isolate")); n != tc.posts {
				t.Errorf("%d isolate POSTs, want %d", n, tc.posts)
			}
			if n := len(s.Actions(TypeIsolate)); n != tc.created {
				t.Errorf("%d isolate actions exist, want %d", n, tc.created)
			}
			if tc.wantSleep != nil && !slices.Equal(sl.all(), tc.wantSleep) {
				t.Errorf("waits %v, want %v", sl.all(), tc.wantSleep)
			}
		})
	}
}

func TestWaitActionBoundedByContext(t *testing.T) {
	s, _, _ := newFake(t)
	s.SetProgress(ActionPending) // the device never checks in
	c, _ := NewClient(s.URL, staticToken(testToken), ClientOptions{PollInterval: time.Millisecond, MaxPoll: 2 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	a, err := isolateAndWait(ctx, c)
	if !errors.Is(err, context.DeadlineExceeded) || a.Status != ActionPending {
		t.Fatalf("got %+v, %v", a, err)
	}
	if !strings.Contains(err.Error(), "still Pending") {
		t.Fatalf("error %q", err)
	}
}

func TestWireFormat(t *testing.T) {
	s, c, _ := newFake(t)
	s.AddMachine(mdefake.Machine{ID: mdefake.MachineID(2), DNSName: "o'brien-pc.contoso.com"})
	ctx := context.Background()
	m, err := c.FindMachine(ctx, "o'brien-pc.contoso.com")
	if err != nil || m.ID != mdefake.MachineID(2) {
		t.Fatalf("FindMachine: %+v, %v", m, err)
	}
	for _, tc := range []struct {
		do   func() (MachineAction, error)
		path string
		body string
		typ  string
	}{
		{func() (MachineAction, error) { return c.Isolate(ctx, target1, IsolationSelective, "c1") },
			"/isolate", `{"Comment":"c1","IsolationType":"Selective"}`, TypeIsolate},
		{func() (MachineAction, error) { return c.Unisolate(ctx, m.ID, "c2") },
			"/unisolate", `{"Comment":"c2"}`, TypeUnisolate},
		{func() (MachineAction, error) { return c.CollectInvestigationPackage(ctx, target1, "c3") },
			"/collectInvestigationPackage", `{"Comment":"c3"}`, TypeCollectPackage},
		{func() (MachineAction, error) { return c.RunAntivirusScan(ctx, target1, ScanFull, "c4") },
			"/runAntiVirusScan", `{"Comment":"c4","ScanType":"Full"}`, TypeRunAntiVirusScan},
		{func() (MachineAction, error) { return c.RestrictAppExecution(ctx, target1, "c5") },
			"/restrictCodeExecution", `{"Comment":"c5"}`, TypeRestrictCodeExecution},
		{func() (MachineAction, error) { return c.RemoveAppRestriction(ctx, m.ID, "c6") },
			"/unrestrictCodeExecution", `{"Comment":"c6"}`, TypeUnrestrictCodeExecution},
	} {
		a, err := tc.do()
		if err != nil || a.Type != tc.typ || a.Status != ActionPending || a.Existing {
			t.Fatalf("%s: %+v, %v", tc.path, a, err)
		}
		calls := s.Calls("POST", tc.path)
		if len(calls) != 1 || calls[0].Body != tc.body {
			t.Fatalf("%s: calls %+v, want one with body %s", tc.path, calls, tc.body)
		}
	}
	reqs := s.Requests()
	if got := reqs[0].Query.Get("$filter"); got != "computerDnsName eq 'o''brien-pc.contoso.com'" {
		t.Errorf("machine filter %q", got)
	}
	if got := reqs[1].Query.Get("$filter"); got != "machineId eq '"+target1+"' and status eq 'Pending'" {
		t.Errorf("action filter %q", got)
	}
	for _, r := range reqs {
		if r.Auth != "Bearer "+testToken {
			t.Fatalf("%s %s: Authorization %q", r.Method, r.Path, r.Auth)
		}
	}
	if _, err := c.Isolate(ctx, "../../etc", IsolationFull, "x"); err == nil {
		t.Error("bad machine id accepted")
	}
	if _, err := c.Isolate(ctx, target1, IsolationFull, " "); err == nil {
		t.Error("empty comment accepted")
	}
	// The fake enforces case-sensitive parameter names, as MDE does.
	req, _ := http.NewRequest("POST", s.URL+"/api/machines/"+target1+"/isolate", strings.NewReader(`{"comment":"x"}`))
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("lower-case comment: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestCancelAction(t *testing.T) {
	s, c, _ := newFake(t)
	id := s.AddAction(target1, TypeIsolate, ActionPending)
	a, err := c.CancelAction(context.Background(), id, "release first")
	if err != nil || a.Status != ActionCancelled {
		t.Fatalf("%+v, %v", a, err)
	}
}

func TestUnknownMachine(t *testing.T) {
	for _, notFound := range []bool{false, true} {
		s, c, _ := newFake(t)
		if notFound {
			s.NotFoundOnEmpty()
		}
		_, err := c.FindMachine(context.Background(), "windows-target-9")
		if !errors.Is(err, ErrUnknownMachine) || !strings.Contains(err.Error(), `"windows-target-9" (MDE records the FQDN`) {
			t.Fatalf("404=%v: %v", notFound, err)
		}
		_, err = c.Isolate(context.Background(), mdefake.MachineID(9), IsolationFull, "x")
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("isolate unknown id: %v", err)
		}
	}
}

func TestNewClientRefusesPlainHTTP(t *testing.T) {
	if _, err := NewClient("http://api.security.microsoft.com", staticToken("x"), ClientOptions{}); err == nil {
		t.Fatal("plain http accepted")
	}
	if _, err := NewClient(DefaultBaseURL, staticToken("x"), ClientOptions{}); err != nil {
		t.Fatal(err)
	}
}
