package check

import "testing"

func TestProjectByNamesReduceTupleSchemas(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"project-by-names", T + " | project-by-names 'B', dynamic(['A', 'Nope']), 'Time*'", "(B:long, A:string, Timestamp:datetime)"},
		{"project-by-names column_names_of", "let U = datatable(A:string)[]; " + T + " | project-by-names column_names_of(U)", "(A:string)"},
		{"project-by-names unknown", "let f = (names:dynamic) { " + T + " | project-by-names names }; f(dynamic(['A']))", "(*)"},
		{"reduce", T + " | reduce by A with threshold=0.5", "(Pattern:string, Count:long, Representative:string)"},
		{"reduce source", T + " | reduce kind=source by A", "(Timestamp:datetime, A:string, B:long, D:dynamic, Pattern:string)"},
		{"tuple names typed", T + " | extend (r, s) = series_fit_line(D) | project r, s", "(r:real, s:real)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, errs := run(t, tt.src, nil)
			if errs != nil {
				t.Fatal(errs)
			}
			if got := info.Output.String(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
