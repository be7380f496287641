package check

// This file implements the column-shaping operators: project, extend (and
// serialize), project-away, project-keep, project-rename, project-reorder,
// distinct and print.

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// outCol is one output column of a column list and, for a bare column
// reference, the input column it passes through.
type outCol struct {
	col  types.Column
	from string // input column carried unchanged, "" if computed
	node ast.Node
}

// columnDef checks one "Name = X", "(A, B) = X" or bare "X" entry against
// the row scope e; nm names unnamed expressions.
func (c *checker) columnDef(d *ast.ColumnDef, e *env, nm *namer) []outCol {
	t := c.expr(d.X, e)
	from := ""
	if id, ok := unparen(d.X).(*ast.Ident); ok && e.rel != nil && e.rel.schema.Index(id.Name) >= 0 {
		from = id.Name
	}
	if call, ok := unparen(d.X).(*ast.CallExpr); ok && len(d.Names) == 0 && tupleFuncs[call.Fun.Name] != nil {
		return c.tupleColumns(call, t, d)
	}
	switch len(d.Names) {
	case 0:
		name := c.resultName(d.X)
		if name == "" {
			name = nm.fresh()
		}
		return []outCol{{col: types.Column{Name: name, Type: t}, from: from, node: d}}
	case 1:
		return []outCol{{col: types.Column{Name: d.Names[0].Name, Type: t}, from: from, node: d.Names[0]}}
	}
	out := make([]outCol, len(d.Names))
	var tuple []tupleCol
	if call, ok := unparen(d.X).(*ast.CallExpr); ok {
		tuple = tupleFuncs[call.Fun.Name]
	}
	for i, n := range d.Names {
		typ := types.Unknown
		switch {
		case t == types.Invalid:
			typ = types.Invalid
		case i < len(tuple):
			typ = tuple[i].typ
		}
		out[i] = outCol{col: types.Column{Name: n.Name, Type: typ}, node: n}
	}
	return out
}

// project keeps exactly the listed columns.
func (c *checker) project(in *rel, o *ast.ProjectOp) *rel {
	out := &types.Schema{}
	pass := make(map[string]string)
	seen := make(map[string]bool)
	scope := &rel{schema: in.schema.Clone(), flows: in.flows}
	nm := &namer{taken: func(s string) bool { return seen[s] || in.schema.Index(s) >= 0 }}
	for _, d := range o.Cols {
		if id, ok := d.X.(*ast.Ident); ok && id.Wildcard && len(d.Names) == 0 {
			for _, col := range c.matchColumns(in, id) {
				if !seen[col.Name] {
					seen[col.Name] = true
					out.Columns = append(out.Columns, col)
					pass[col.Name] = col.Name
				}
			}
			continue
		}
		for _, oc := range c.columnDef(d, &env{rel: scope}, nm) {
			if seen[oc.col.Name] {
				c.errorf(oc.node, DuplicateColumn, "duplicate column %q in %s", oc.col.Name, o.Word)
				continue
			}
			seen[oc.col.Name] = true
			out.Columns = append(out.Columns, oc.col)
			if oc.from != "" {
				pass[oc.col.Name] = oc.from
			}
			// later entries see the input's columns, and an earlier
			// entry's name only where the input has no such column
			if scope.schema.Index(oc.col.Name) < 0 {
				scope.schema.Columns = append(scope.schema.Columns, oc.col)
			}
		}
	}
	return carry(in, out, pass)
}

// setColumn replaces the column of the same name in s or appends it.
func setColumn(s *types.Schema, col types.Column) {
	if i := s.Index(col.Name); i >= 0 {
		s.Columns[i] = col
		return
	}
	s.Columns = append(s.Columns, col)
}

// extend adds or replaces columns; each entry sees the ones before it.
func (c *checker) extend(in *rel, defs []*ast.ColumnDef) *rel {
	out := in.schema.Clone()
	scope := &rel{schema: out, flows: in.flows}
	changed := make(map[string]bool)
	pass := make(map[string]string)
	nm := &namer{taken: func(s string) bool { return out.Index(s) >= 0 }}
	for _, d := range defs {
		for _, oc := range c.columnDef(d, &env{rel: scope}, nm) {
			setColumn(out, oc.col)
			if oc.from != "" && oc.from != oc.col.Name {
				pass[oc.col.Name] = oc.from
				changed[oc.col.Name] = true
			} else if oc.from == "" {
				changed[oc.col.Name] = true
			}
		}
	}
	r := keepSame(in, out, changed)
	for o, i := range pass {
		for k, f := range r.flows {
			if t, ok := in.flows[k].cols[i]; ok {
				f.cols[o] = t
			}
		}
	}
	return r
}

// matchColumns returns the columns of in matching a wildcard pattern.
func (c *checker) matchColumns(in *rel, id *ast.Ident) []types.Column {
	var out []types.Column
	for _, col := range in.schema.Columns {
		if matchWildcard(id.Name, col.Name) {
			out = append(out, col)
			refColumn(in, col.Name)
		}
	}
	return out
}

// matchWildcard matches a name against a pattern with * wildcards.
func matchWildcard(pattern, name string) bool {
	ok, err := path.Match(strings.ReplaceAll(strings.ReplaceAll(pattern, "[", "\\["), "?", "\\?"), name)
	return err == nil && ok
}

// selectColumns resolves the names and patterns of project-away/-keep:
// the set of matched column names. Unknown plain names are errors unless
// the schema is open.
func (c *checker) selectColumns(in *rel, ids []*ast.Ident) map[string]bool {
	sel := make(map[string]bool)
	for _, id := range ids {
		if id.Wildcard {
			for _, col := range c.matchColumns(in, id) {
				sel[col.Name] = true
			}
			continue
		}
		if in.schema.Index(id.Name) < 0 {
			if !in.schema.Open {
				c.report(id, UnknownColumn, suggestName(id.Name, in.schema.Names()), false, "unknown column "+quote(id.Name))
			}
			continue
		}
		refColumn(in, id.Name)
		sel[id.Name] = true
	}
	return sel
}

// projectAway removes (project-away) or keeps (project-keep) columns.
func (c *checker) projectAway(in *rel, o *ast.ProjectAwayOp) *rel {
	sel := c.selectColumns(in, o.Cols)
	keep := o.Word == "project-keep"
	out := &types.Schema{Open: in.schema.Open && keep}
	for _, col := range in.schema.Columns {
		if sel[col.Name] == keep {
			out.Columns = append(out.Columns, col)
		}
	}
	if !keep {
		out.Open = in.schema.Open
	}
	return keepSame(in, out, nil)
}

// projectRename renames columns: New = Old.
func (c *checker) projectRename(in *rel, o *ast.ProjectRenameOp) *rel {
	out := in.schema.Clone()
	pass := make(map[string]string)
	for _, col := range out.Columns {
		pass[col.Name] = col.Name
	}
	for _, d := range o.Cols {
		id, ok := d.X.(*ast.Ident)
		if !ok || len(d.Names) != 1 {
			c.expr(d.X, rowEnv(in))
			continue
		}
		i := out.Index(id.Name)
		if i < 0 {
			c.info.Types[id] = types.Invalid
			if !in.schema.Open {
				c.report(id, UnknownColumn, suggestName(id.Name, in.schema.Names()), false, "unknown column "+quote(id.Name))
			}
			if in.schema.Open {
				out.Columns = append(out.Columns, types.Column{Name: d.Names[0].Name, Type: types.Unknown})
			}
			continue
		}
		refColumn(in, id.Name)
		c.info.Types[id] = out.Columns[i].Type
		newName := d.Names[0].Name
		origin := pass[id.Name]
		delete(pass, id.Name)
		out.Columns[i].Name = newName
		pass[newName] = origin
	}
	return carry(in, out, pass)
}

// projectReorder moves the listed columns (patterns sorted as asked) to
// the front.
func (c *checker) projectReorder(in *rel, o *ast.ProjectReorderOp) *rel {
	out := &types.Schema{Open: in.schema.Open}
	used := make(map[string]bool)
	for _, k := range o.Cols {
		id, ok := k.X.(*ast.Ident)
		if !ok {
			continue
		}
		var cols []types.Column
		if id.Wildcard {
			cols = c.matchColumns(in, id)
		} else if col, ok := in.schema.Lookup(id.Name); ok {
			refColumn(in, id.Name)
			cols = []types.Column{col}
		} else if !in.schema.Open {
			c.report(id, UnknownColumn, suggestName(id.Name, in.schema.Names()), false, "unknown column "+quote(id.Name))
		}
		sortColumns(cols, k.Order)
		for _, col := range cols {
			if !used[col.Name] {
				used[col.Name] = true
				out.Columns = append(out.Columns, col)
			}
		}
	}
	for _, col := range in.schema.Columns {
		if !used[col.Name] {
			out.Columns = append(out.Columns, col)
		}
	}
	return keepSame(in, out, nil)
}

// sortColumns orders columns by name for project-reorder's asc/desc.
func sortColumns(cols []types.Column, order string) {
	switch order {
	case "asc", "granny-asc":
		sort.SliceStable(cols, func(i, j int) bool { return strings.ToLower(cols[i].Name) < strings.ToLower(cols[j].Name) })
	case "desc", "granny-desc":
		sort.SliceStable(cols, func(i, j int) bool { return strings.ToLower(cols[i].Name) > strings.ToLower(cols[j].Name) })
	}
}

// distinct keeps the distinct combinations of the listed columns.
func (c *checker) distinct(in *rel, o *ast.DistinctOp) *rel {
	if len(o.Cols) == 1 {
		if _, ok := o.Cols[0].(*ast.StarExpr); ok {
			refAll(in)
			return in
		}
	}
	out := &types.Schema{}
	pass := make(map[string]string)
	nm := &namer{taken: func(s string) bool { return out.Index(s) >= 0 }}
	for _, x := range o.Cols {
		d := &ast.ColumnDef{X: x}
		if na, ok := x.(*ast.NamedArg); ok {
			d = &ast.ColumnDef{Names: []*ast.Ident{na.Name}, X: na.Value}
		}
		for _, oc := range c.columnDef(d, rowEnv(in), nm) {
			if out.Index(oc.col.Name) >= 0 {
				c.errorf(oc.node, DuplicateColumn, "duplicate column %q in distinct", oc.col.Name)
				continue
			}
			out.Columns = append(out.Columns, oc.col)
			if oc.from != "" {
				pass[oc.col.Name] = oc.from
			}
		}
	}
	return carry(in, out, pass)
}

// sampleDistinct is sample-distinct N of Col: one column.
func (c *checker) sampleDistinct(in *rel, o *ast.SampleDistinctOp) *rel {
	c.takeCount(o.N, o.Word)
	t := c.expr(o.Col, rowEnv(in))
	name := c.resultName(o.Col)
	if name == "" {
		name = "Column1"
	}
	return c.breakRel(in, &types.Schema{Columns: []types.Column{{Name: name, Type: t}}})
}

// print is a one-row table of its expressions (print_0, print_1, … when
// unnamed).
func (c *checker) print(o *ast.PrintOp) *rel {
	out := &types.Schema{}
	for i, d := range o.Cols {
		t := c.expr(d.X, &env{})
		switch {
		case len(d.Names) == 1:
			out.Columns = append(out.Columns, types.Column{Name: d.Names[0].Name, Type: t})
		case len(d.Names) > 1:
			for _, n := range d.Names {
				out.Columns = append(out.Columns, types.Column{Name: n.Name, Type: types.Unknown})
			}
		default:
			name := c.resultName(d.X)
			if name == "" || isIdent(d.X) {
				name = "print_" + strconv.Itoa(i)
			}
			out.Columns = append(out.Columns, types.Column{Name: name, Type: t})
		}
	}
	return &rel{schema: out}
}

func isIdent(x ast.Expr) bool {
	_, ok := unparen(x).(*ast.Ident)
	return ok
}
