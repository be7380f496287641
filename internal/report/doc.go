// Package report renders vigil's results for people and programs: query
// result tables on a terminal or as JSON, CSV and JSON lines (and, as the
// hunter grows, finding cards and incident reports).
package report
