// Package check is the schema-aware checker of the Kusto Query Language.
//
// Check walks a parsed query (package parser) with the table schemas of a
// catalog and the built-in functions of package builtin. It threads the
// schema through every pipeline operator, infers the type of every scalar
// expression, and reports unknown tables, columns and functions, wrong
// argument counts, type mismatches Kusto rejects and aggregates outside
// summarize, each with its span and a stable Code. A failed expression
// gets types.Invalid, so one mistake yields one error.
//
// Info carries what guardrails, the engine and the hunt library need: the
// types and schemas, every table read with the columns it uses and its
// time bound (does a where on the read's pipeline bound its time column
// from below, and by how much), and risky constructs (externaldata,
// network plugins, cross-workspace references, large takes, unbounded
// reads).
//
// Usage:
//
//	f := token.NewFile("hunt.kql", src)
//	q, err := parser.Parse(f)
//	if err != nil {
//		return err
//	}
//	info, err := check.Check(q, f, &check.Config{Tables: catalog.Default()})
//	if errs, ok := err.(check.ErrorList); ok {
//		for _, e := range errs {
//			fmt.Println(e) // hunt.kql:3:9: UnknownColumn: unknown column "Filename"; did you mean "FileName"?
//		}
//	}
//	for _, t := range info.Tables {
//		fmt.Println(t.Table, t.Columns, t.Time.Bounded, t.Time.Lookback)
//	}
//
// Names are case-sensitive, as in Kusto; let names shadow tables. A table
// the catalog does not know is reported and then read with an open schema,
// in which any column name is accepted; so are custom-log (*_CL) and
// AzureDiagnostics tables, whose columns grow with their data.
package check
