// Package engine runs KQL queries over columnar batches with Kusto's
// semantics.
//
// A query is compiled once into a tree of plans (one per tabular operator,
// each in its own file) whose output schemas are known before any row is
// read; scalar expressions are compiled into vector evaluators. Running a
// plan opens a Stream of batches: where/project/extend chains stream with
// bounded memory, summarize aggregates into a hash table, joins build a
// hash table on one side and stream the other.
//
// Data comes from a Catalog of Tables; a table's Scan receives the columns
// the query needs and predicates it may use to skip data.
//
//	res, err := engine.Run(ctx, query, engine.Options{Catalog: cat})
//	for _, t := range res.Tables { … t.Schema, t.Cols … }
package engine
