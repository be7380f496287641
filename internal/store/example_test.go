package store_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/vigil-hunt/vigil/internal/store"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// A workspace stores batches durably and serves them to the engine.
func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "vigil-example")
	defer os.RemoveAll(dir)

	ws, err := store.Open(dir, store.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ws.Close()

	s := &types.Schema{Columns: []types.Column{
		{Name: "Timestamp", Type: types.Datetime},
		{Name: "DeviceName", Type: types.String},
		{Name: "ProcessCommandLine", Type: types.String},
	}}
	b := engine.NewBatch(s, 2)
	t := value.DatetimeOf(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC))
	for _, cmd := range []string{`powershell.exe -enc SQBFAFgA`, `mimikatz.exe "sekurlsa::logonpasswords"`} {
		b.Cols[0].Append(value.OfDatetime(t))
		b.Cols[1].Append(value.OfString("ws-0042"))
		b.Cols[2].Append(value.OfString(cmd))
		b.N++
	}
	// The catalog gives DeviceProcessEvents its documented schema; the
	// batch's columns fill their namesakes and the rest are null.
	if err := ws.WriteBatch("DeviceProcessEvents", b); err != nil {
		fmt.Println(err)
		return
	}

	res, err := engine.Query(context.Background(),
		`DeviceProcessEvents | where ProcessCommandLine has "mimikatz" | project DeviceName`,
		engine.Options{Catalog: ws.Catalog()})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Tables[0].Cols[0].Strs)
	st := ws.Stats()[0]
	fmt.Println(st.Name, st.Rows, st.Segments)
	// Output:
	// [ws-0042]
	// DeviceProcessEvents 2 1
}
