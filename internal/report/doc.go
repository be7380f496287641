// Package report renders vigil's results for people and programs: query
// tables, finding cards, progress and a summary for the terminal, the
// findings JSON envelope, and incident reports in Markdown and
// self-contained HTML, with indicators defanged.
package report
