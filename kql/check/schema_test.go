package check

import "testing"

// T is a small input table for the schema tests.
const T = "datatable(Timestamp:datetime, A:string, B:long, D:dynamic)[]"

func TestSchemas(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"project", T + " | project A, C = B * 2, strlen(A), tostring(D.x)", "(A:string, C:long, strlen_A:long, D_x:string)"},
		{"project unnamed", T + " | project B + 1, A", "(Column1:long, A:string)"},
		{"extend replaces in place", T + " | extend A = strlen(A), E = 1.5", "(Timestamp:datetime, A:long, B:long, D:dynamic, E:real)"},
		{"extend sees earlier entries", T + " | extend x = 1, y = x + 1 | project y", "(y:long)"},
		{"project-away", T + " | project-away A, D", "(Timestamp:datetime, B:long)"},
		{"project-away wildcard", T + " | project-away Time*", "(A:string, B:long, D:dynamic)"},
		{"project-keep", T + " | project-keep B, A", "(A:string, B:long)"},
		{"project-rename", T + " | project-rename Z = A", "(Timestamp:datetime, Z:string, B:long, D:dynamic)"},
		{"project-reorder", T + " | project-reorder D, B", "(D:dynamic, B:long, Timestamp:datetime, A:string)"},
		{"summarize names", T + " | summarize count(), dcount(A), sum(B), avg(B), min(Timestamp), max(B), make_set(A), make_list(B), countif(B > 1) by bin(Timestamp, 1h)",
			"(Timestamp:datetime, count_:long, dcount_A:long, sum_B:long, avg_B:real, min_Timestamp:datetime, max_B:long, set_A:dynamic, list_B:dynamic, countif_:long)"},
		{"summarize named", T + " | summarize n = count() by Key = A", "(Key:string, n:long)"},
		{"arg_max star", T + " | summarize arg_max(Timestamp, *) by A", "(A:string, Timestamp:datetime, B:long, D:dynamic)"},
		{"arg_max named", T + " | summarize Last = arg_max(Timestamp, *) by A", "(A:string, Last:datetime, B:long, D:dynamic)"},
		{"arg_min columns", T + " | summarize arg_min(B, A)", "(B:long, A:string)"},
		{"tuple names", T + " | summarize (T1, A1) = arg_max(Timestamp, A)", "(T1:datetime, A1:string)"},
		{"take_any", T + " | summarize take_any(A, B)", "(A:string, B:long)"},
		{"percentiles", T + " | summarize percentiles(B, 50, 95)", "(percentile_B_50:long, percentile_B_95:long)"},
		{"duplicate derived names", T + " | summarize count(), count()", "(count_:long, count_1:long)"},
		{"tostring keeps name", T + " | summarize tostring(make_set(A)) by B", "(B:long, set_A:string)"},
		{"count", T + " | count", "(Count:long)"},
		{"distinct", T + " | distinct A, B", "(A:string, B:long)"},
		{"distinct star", T + " | distinct *", "(Timestamp:datetime, A:string, B:long, D:dynamic)"},
		{"top and sort keep", T + " | top 3 by B | sort by A | take 1", "(Timestamp:datetime, A:string, B:long, D:dynamic)"},
		{"join renames", T + " | join kind=inner (" + T + " | project A, B) on A", "(Timestamp:datetime, A:string, B:long, D:dynamic, A1:string, B1:long)"},
		{"join $left $right", T + " | join (datatable(K:string, V:long)[]) on $left.A == $right.K", "(Timestamp:datetime, A:string, B:long, D:dynamic, K:string, V:long)"},
		{"leftsemi", T + " | join kind=leftsemi (datatable(A:string, V:long)[]) on A", "(Timestamp:datetime, A:string, B:long, D:dynamic)"},
		{"rightanti", T + " | join kind=rightanti (datatable(A:string, V:long)[]) on A", "(A:string, V:long)"},
		{"lookup drops keys", T + " | lookup (datatable(A:string, V:long)[]) on A", "(Timestamp:datetime, A:string, B:long, D:dynamic, V:long)"},
		{"union outer", "union (datatable(A:string, B:long)[]), (datatable(A:string, C:real)[])", "(A:string, B:long, C:real)"},
		{"union type conflict", "union (datatable(A:string)[]), (datatable(A:long)[])", "(A_string:string, A_long:long)"},
		{"union inner", "union kind=inner (datatable(A:string, B:long)[]), (datatable(A:string, C:real)[])", "(A:string)"},
		{"union withsource", "union withsource=Src (datatable(A:string)[]), (datatable(A:string)[])", "(Src:string, A:string)"},
		{"piped union", "datatable(A:string)[] | union (datatable(B:long)[])", "(A:string, B:long)"},
		{"mv-expand", T + " | mv-expand D", "(Timestamp:datetime, A:string, B:long, D:dynamic)"},
		{"mv-expand typed", T + " | mv-expand with_itemindex=I X = D to typeof(long)", "(Timestamp:datetime, A:string, B:long, D:dynamic, X:long, I:long)"},
		{"mv-apply", T + " | mv-apply x = D to typeof(long) on (summarize s = sum(x))", "(Timestamp:datetime, A:string, B:long, D:dynamic, s:long)"},
		{"parse", T + " | parse A with 'k=' K:long ',' V", "(Timestamp:datetime, A:string, B:long, D:dynamic, K:long, V:string)"},
		{"parse-where", T + " | parse-where A with * 'x' V", "(Timestamp:datetime, A:string, B:long, D:dynamic, V:string)"},
		{"parse-kv", T + " | parse-kv A as (k1:string, k2:long) with (pair_delimiter=',', kv_delimiter='=')", "(Timestamp:datetime, A:string, B:long, D:dynamic, k1:string, k2:long)"},
		{"make-series", T + " | make-series n = count() default = 0, avg(B) on Timestamp from ago(1d) to now() step 1h by A",
			"(A:string, n:dynamic, avg_B:dynamic, Timestamp:dynamic)"},
		{"getschema", T + " | getschema", "(ColumnName:string, ColumnOrdinal:int, DataType:string, ColumnType:string)"},
		{"bag_unpack", T + " | evaluate bag_unpack(D)", "(Timestamp:datetime, A:string, B:long, *)"},
		{"pivot", T + " | evaluate pivot(A)", "(*)"},
		{"declared plugin schema", T + " | evaluate bag_unpack(D) : (x:string)", "(x:string)"},
		{"print", "print 1, x = 'a', strlen('b')", "(print_0:long, x:string, print_2:long)"},
		{"range", "range i from 1 to 10 step 1", "(i:long)"},
		{"range datetime", "range t from ago(1d) to now() step 1h", "(t:datetime)"},
		{"externaldata", "externaldata(url:string, n:long)['https://example.com/a.csv']", "(url:string, n:long)"},
		{"serialize", T + " | serialize rn = row_number()", "(Timestamp:datetime, A:string, B:long, D:dynamic, rn:long)"},
		{"as", T + " | as X | project A", "(A:string)"},
		{"render", T + " | project A, B | render timechart", "(A:string, B:long)"},
		{"top-nested", T + " | top-nested 2 of A by sum(B)", "(A:string, aggregated_A:long)"},
		{"partition", T + " | partition by A (top 1 by B | project A, B)", "(A:string, B:long)"},
		{"invoke", "let f = (T:(*)) { T | extend Z = 1 }; " + T + " | invoke f() | project Z", "(Z:long)"},
		{"tabular let function", "let f = (n:long) { " + T + " | take n }; f(3) | project B", "(B:long)"},
		{"materialize", "let M = materialize(" + T + " | project A); M | extend L = strlen(A)", "(A:string, L:long)"},
		{"sample-distinct", T + " | sample-distinct 3 of A", "(A:string)"},
		{"series tuple", T + " | summarize x = make_list(B) | extend series_fit_line(x) | project series_fit_line_x_slope", "(series_fit_line_x_slope:real)"},
		{"path names", T + " | project D.a.b, D['c']", "(D_a_b:dynamic, D_c:dynamic)"},
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
