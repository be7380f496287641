package engine

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestOpsPlay runs the queries of $KQL_OPS_PLAY (separated by lines of
// "----") and prints their results; a development aid.
func TestOpsPlay(t *testing.T) {
	f := os.Getenv("KQL_OPS_PLAY")
	if f == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(f)
	for _, q := range strings.Split(string(data), "\n----\n") {
		res, err := Query(context.Background(), q, Options{Catalog: scriptCatalog()})
		fmt.Println("==", strings.TrimSpace(q))
		if err != nil {
			fmt.Println("ERR", err)
			continue
		}
		for _, b := range res.Tables {
			fmt.Println(b.Schema)
			for _, r := range opsRows(b) {
				fmt.Println("  ", r)
			}
		}
	}
}
