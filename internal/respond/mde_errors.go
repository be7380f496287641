package respond

// This file turns MDE error responses into errors that say what to do.

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Errors to test for with errors.Is.
var (
	ErrUnauthorized   = errors.New("MDE rejected the token (401)")
	ErrForbidden      = errors.New("MDE permission missing (403)")
	ErrNotFound       = errors.New("MDE resource not found (404)")
	ErrThrottled      = errors.New("MDE throttled the request (429)")
	ErrServer         = errors.New("MDE server error (5xx)")
	ErrUnknownMachine = errors.New("unknown machine")
	ErrActionPending  = errors.New("another action is pending on the machine")
	ErrActionFailed   = errors.New("MDE action did not succeed")
)

// APIError is an MDE error response, after any retries.
type APIError struct {
	Op         string // what vigil was doing: "isolate", "list machines"
	StatusCode int
	Code       string // error.code, e.g. ActiveRequestAlreadyExists
	Message    string // error.message
	Target     string // error.target: MDE's correlation id
	Permission string // for 401/403: the permission the call needs
	RetryAfter time.Duration
	Attempts   int
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "MDE %s: %d %s", e.Op, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" || e.Message != "" {
		fmt.Fprintf(&b, " (%s: %s)", e.Code, e.Message)
	}
	switch {
	case e.StatusCode == http.StatusUnauthorized:
		fmt.Fprintf(&b, ": token rejected; it must be issued for %s, unexpired, and carry %s", Audience, e.Permission)
	case e.StatusCode == http.StatusForbidden:
		fmt.Fprintf(&b, ": the app or user lacks the %s permission (WindowsDefenderATP API); delegated users also need the role and device-group access", e.Permission)
	case e.StatusCode == http.StatusTooManyRequests && e.RetryAfter > 0:
		fmt.Fprintf(&b, "; retry after %s", e.RetryAfter)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " [%d attempts]", e.Attempts)
	}
	if e.Target != "" {
		fmt.Fprintf(&b, " [correlation %s]", e.Target)
	}
	return b.String()
}

// Is matches the sentinel errors by status code.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrThrottled:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500
	}
	return false
}

// alreadyPending reports the documented duplicate-action answer: 400 with
// ActiveRequestAlreadyExists or "Action is already in progress".
func (e *APIError) alreadyPending() bool {
	return e.StatusCode == http.StatusBadRequest && (e.Code == "ActiveRequestAlreadyExists" ||
		strings.Contains(strings.ToLower(e.Message), "already in progress"))
}

// parseAPIError reads the {"error":{code,message,target}} envelope; a body
// that is not one is quoted, shortened.
func parseAPIError(op string, status int, body []byte) *APIError {
	e := &APIError{Op: op, StatusCode: status}
	var env struct {
		Error struct{ Code, Message, Target string } `json:"error"`
	}
	if json.Unmarshal(body, &env) == nil && (env.Error.Code != "" || env.Error.Message != "") {
		e.Code, e.Message, e.Target = env.Error.Code, env.Error.Message, env.Error.Target
		return e
	}
	if s := strings.TrimSpace(string(body)); s != "" {
		if len(s) > 200 {
			s = s[:200] + "…"
		}
		e.Message = s
	}
	return e
}

// PendingActionError: MDE has an action pending on the machine that vigil
// must not join (a different type, e.g. Isolate pending during a release).
type PendingActionError struct {
	Op      string
	Pending MachineAction
}

func (e *PendingActionError) Error() string {
	return fmt.Sprintf("MDE %s: %s action %s is %s on machine %s; cancel it or wait",
		e.Op, e.Pending.Type, e.Pending.ID, e.Pending.Status, e.Pending.MachineID)
}

// Is matches ErrActionPending.
func (e *PendingActionError) Is(target error) bool { return target == ErrActionPending }

// ActionFailedError: the action ended Failed, TimeOut or Cancelled.
type ActionFailedError struct{ Action MachineAction }

func (e *ActionFailedError) Error() string {
	return fmt.Sprintf("MDE %s action %s on %s ended %s", e.Action.Type, e.Action.ID, e.Action.ComputerDNSName, e.Action.Status)
}

// Is matches ErrActionFailed.
func (e *ActionFailedError) Is(target error) bool { return target == ErrActionFailed }
