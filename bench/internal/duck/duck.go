// Package duck runs SQL on an in-memory DuckDB database, the reference
// engine vigil's benchmark compares against. It is the only cgo in vigil.
//
// Usage:
//
//	db, err := duck.Open(2)
//	t, err := db.Query(ctx, "SELECT count(*) FROM read_parquet('ws/tables/DeviceInfo/*/*.parquet')")
//	defer db.Close()
package duck

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/marcboeker/go-duckdb" // registers the "duckdb" driver
)

// DB is an in-memory DuckDB database whose session time zone is UTC, so
// that date_trunc and time_bucket on TIMESTAMPTZ columns cut UTC hours
// and days as Kusto's bin does.
type DB struct {
	db *sql.DB
}

// Open opens an in-memory database running on threads threads (0: DuckDB's
// default, one per core).
func Open(threads int) (*DB, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("duckdb: %w", err)
	}
	// One connection: settings are per connection, and the benchmark runs
	// one statement at a time.
	db.SetMaxOpenConns(1)
	d := &DB{db: db}
	setup := []string{"SET autoinstall_known_extensions = false", "SET autoload_known_extensions = false"}
	if threads > 0 {
		setup = append(setup, fmt.Sprintf("SET threads = %d", threads))
	}
	for _, s := range setup {
		if err := d.Exec(context.Background(), s); err != nil {
			db.Close()
			return nil, err
		}
	}
	return d, nil
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// Exec runs a statement that returns no rows.
func (d *DB) Exec(ctx context.Context, stmt string) error {
	if _, err := d.db.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("duckdb: %w", err)
	}
	return nil
}

// Table is a query's result: column names and rows of Go values as the
// driver returns them (int64, float64, string, bool, time.Time, nil, …).
type Table struct {
	Columns []string
	Rows    [][]any
}

// Query runs a query and collects its result.
func (d *DB) Query(ctx context.Context, query string) (*Table, error) {
	rows, err := d.db.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("duckdb: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("duckdb: %w", err)
	}
	t := &Table{Columns: cols}
	for rows.Next() {
		row := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("duckdb: %w", err)
		}
		t.Rows = append(t.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("duckdb: %w", err)
	}
	return t, nil
}
