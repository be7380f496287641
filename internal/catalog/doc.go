// Package catalog holds the tables of Microsoft Defender XDR advanced
// hunting and Microsoft Sentinel (Log Analytics): each table's columns,
// their Kusto types and in which product each column exists. The KQL
// checker resolves table references through it, and its Suggest drives
// "did you mean" messages.
//
// The data is built into the binary from tables.json, which holds facts
// only (names, types, availability). The research file it comes from also
// carries descriptions taken from Microsoft's documentation; those stay
// out of the project so the binary ships no copied prose. To regenerate
// after the research data changes (it lives outside the module, in
// ../shared):
//
//	go generate ./internal/catalog
//
// Usage:
//
//	cat := catalog.Default()
//	if t, ok := cat.Table("DeviceProcessEvents"); ok {
//		fmt.Println(t.TimeColumn()) // Timestamp
//	}
//	if _, ok := cat.Table(name); !ok {
//		if s := cat.Suggest(name); s != "" {
//			fmt.Printf("unknown table %s; did you mean %s?\n", name, s)
//		}
//	}
package catalog
