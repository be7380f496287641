package sigma

import (
	"sync"
	"testing"
)

const collectionDir = "../../../shared/data/sigma/rules"

var (
	collectionOnce sync.Once
	collection     *Result
	collectionErr  error
)

// importCollection imports the shared SigmaHQ rules once per test run, or
// skips the test when they are absent.
func importCollection(t *testing.T) *Result {
	t.Helper()
	collectionOnce.Do(func() { collection, collectionErr = Import(collectionDir) })
	if collectionErr != nil {
		t.Skip("shared Sigma rules not available: " + collectionErr.Error())
	}
	return collection
}
