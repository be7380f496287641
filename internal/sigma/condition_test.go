package sigma

import (
	"errors"
	"testing"
)

func TestConditionExpand(t *testing.T) {
	det := &Detection{}
	for _, n := range []string{"selection", "selection_img", "selection_cli", "filter_main", "filter_optional_a", "_private"} {
		det.Searches = append(det.Searches, &Search{Name: n})
	}
	tests := []struct{ cond, want string }{
		{"selection", "selection"},
		{"selection and not filter_main", "selection and (not filter_main)"},
		{"selection or filter_main and selection_img", "selection or (filter_main and selection_img)"},
		{"(selection or filter_main) and selection_img", "(selection or filter_main) and selection_img"},
		{"1 of selection_*", "selection_img or selection_cli"},
		{"all of selection_*", "selection_img and selection_cli"},
		{"any of filter*", "filter_main or filter_optional_a"},
		{"all of sel*", "selection and selection_img and selection_cli"},
		{"1 of them", "selection or selection_img or selection_cli or filter_main or filter_optional_a"},
		{"all of them", "selection and selection_img and selection_cli and filter_main and filter_optional_a"},
		{"selection AND NOT 1 of filter_*", "selection and (not (filter_main or filter_optional_a))"},
		{"not not selection", "not (not selection)"},
		{"1 of filter_main*", "filter_main"},
	}
	for _, tt := range tests {
		x, err := ParseCondition(tt.cond)
		if err == nil {
			x, err = det.Expand(x)
		}
		if err != nil {
			t.Errorf("%q: %v", tt.cond, err)
			continue
		}
		if got := x.String(); got != tt.want {
			t.Errorf("%q expands to %q; want %q", tt.cond, got, tt.want)
		}
	}
}

func TestConditionErrors(t *testing.T) {
	det := &Detection{Searches: []*Search{{Name: "selection"}}}
	tests := []struct{ cond, kind string }{
		{"selection | count() by Image > 5", "aggregation"},
		{"selection near other", "aggregation"},
		{"2 of selection*", "condition"},
		{"selection and", "condition"},
		{"(selection", "condition"},
		{"missing", "condition"},
		{"1 of nothing_*", "condition"},
		{"selection selection", "condition"},
	}
	for _, tt := range tests {
		x, err := ParseCondition(tt.cond)
		if err == nil {
			_, err = det.Expand(x)
		}
		var e *Error
		if !errors.As(err, &e) || e.Kind != tt.kind {
			t.Errorf("%q: error %v; want kind %s", tt.cond, err, tt.kind)
		}
	}
}
